import { ProblemList } from './validation';

/** Who may reach a destination besides trusted Microsoft services (which the Entra export needs). */
export interface NetworkRules {
  /** Public IPv4 addresses or CIDR ranges allowed in (e.g. the SIEM's egress). @default - none */
  readonly ipRules?: readonly string[];
  /** Subnet ARM ids allowed in through service endpoints. @default - none */
  readonly subnetIds?: readonly string[];
}

const IPV4_OR_CIDR = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}(\/([0-9]|[12]\d|3[0-2]))?$/;
const SUBNET_ID = /^\/subscriptions\/[0-9a-fA-F-]{36}\/resourceGroups\/[^/]+\/providers\/Microsoft\.Network\/virtualNetworks\/[^/]+\/subnets\/[^/]+$/i;

/** Checks `networkRules.ipRules` and `networkRules.subnetIds`. */
export function networkRulesProblems(p: ProblemList, rules: NetworkRules | undefined): void {
  (rules?.ipRules ?? []).forEach((ip, i) => p.matches(`networkRules.ipRules[${i}]`, ip, IPV4_OR_CIDR, 'an IPv4 address or CIDR range such as 203.0.113.0/24'));
  (rules?.subnetIds ?? []).forEach((s, i) => p.matches(`networkRules.subnetIds[${i}]`, s, SUBNET_ID, 'a subnet ARM id (/subscriptions/<guid>/resourceGroups/<rg>/providers/Microsoft.Network/virtualNetworks/<vnet>/subnets/<subnet>)'));
}
