import { Eventhub } from '@cdktf/provider-azurerm/lib/eventhub';
import { EventhubConsumerGroup } from '@cdktf/provider-azurerm/lib/eventhub-consumer-group';
import { EventhubNamespace } from '@cdktf/provider-azurerm/lib/eventhub-namespace';
import { EventhubNamespaceAuthorizationRule } from '@cdktf/provider-azurerm/lib/eventhub-namespace-authorization-rule';
import { Construct } from 'constructs';
import { AuditDataLock, AuditDataProtection, protectAuditData } from './audit-data-lock';
import { NetworkRules, networkRulesProblems } from './internal/network';
import { tagProblems } from './internal/tags';
import { armIdPattern, parseArmId, Problem, ProblemList, throwIfProblems } from './internal/validation';

/**
 * Namespace tiers for the Entra stream. Basic is left out on purpose: it allows only the `$Default`
 * consumer group and one day of retention, so a SIEM cannot get its own consumer group.
 */
export const EVENT_HUB_SKUS = ['Standard', 'Premium'] as const;
export type EventHubSku = (typeof EVENT_HUB_SKUS)[number];

/**
 * Per-tier limits. Sources: retention and hubs per namespace, learn.microsoft.com
 * `azure-resource-manager/management/azure-subscription-service-limits` (Event Hubs limits);
 * partitions per hub and premium processing units, learn.microsoft.com `event-hubs/event-hubs-quotas`
 * and `event-hubs/event-hubs-premium-overview`.
 */
export const EVENT_HUB_LIMITS: Readonly<Record<EventHubSku, { maxRetentionDays: number; maxPartitions: number; capacities: readonly number[] }>> = {
  Standard: { maxRetentionDays: 7, maxPartitions: 32, capacities: Array.from({ length: 40 }, (_, i) => i + 1) },
  Premium: { maxRetentionDays: 90, maxPartitions: 100, capacities: [1, 2, 4, 8, 16] },
};

export interface EventHubDestinationProps {
  /**
   * ARM id of an existing namespace to put the Entra hub in.
   * @default - a new namespace is created
   */
  readonly existingNamespaceId?: string;
  /** Name of the new namespace: 6–50 characters, letters, digits and hyphens, starting with a letter, not ending with `-sb` or `-mgmt`; globally unique. Required unless `existingNamespaceId` is set. */
  readonly namespaceName?: string;
  /** Resource group of the new namespace. Required unless `existingNamespaceId` is set. */
  readonly resourceGroupName?: string;
  /** Azure region of the new namespace. Required unless `existingNamespaceId` is set. */
  readonly location?: string;
  /** @default 'Standard' */
  readonly sku?: EventHubSku;
  /** Throughput units (Standard, 1–40) or processing units (Premium: 1, 2, 4, 8 or 16). @default 1 */
  readonly capacity?: number;
  /**
   * Standard only: let throughput units grow up to this number (capacity–40). Enables auto-inflate.
   * @default - auto-inflate off
   */
  readonly autoInflateMaximumThroughputUnits?: number;
  /**
   * The one hub all Entra categories are streamed to. Named explicitly so that Azure never creates
   * one hub per category (Standard allows only 10 hubs per namespace). At most 50 characters, to fit the
   * diagnostic setting's `eventhub_name`.
   * @default 'entra-audit-logs'
   */
  readonly hubName?: string;
  /** Partitions of the hub: 1–32 on Standard, 1–100 on Premium. Cannot be changed later on Standard. @default 4 */
  readonly partitionCount?: number;
  /** Days messages are kept: 1–7 on Standard, 1–90 on Premium. @default 7 */
  readonly messageRetentionInDays?: number;
  /** Consumer group for the SIEM. @default 'siem' */
  readonly consumerGroupName?: string;
  /** Network access: default-deny with trusted Microsoft services (which the Entra export needs) allowed. @default - no IP or subnet allowed */
  readonly networkRules?: NetworkRules;
  /** Protection against deletion (namespace). @default - none */
  readonly protection?: AuditDataProtection;
  /** Tags for the new namespace. @default - none */
  readonly tags?: Readonly<Record<string, string>>;
}

const NAMESPACE_ID = armIdPattern('Microsoft.EventHub/namespaces');
// azurerm v4.55.0 internal/services/eventhub/validate/eventhub_names.go; the -sb/-mgmt suffix rule is
// community-observed, not documented by Microsoft.
const NAMESPACE_NAME = /^[a-zA-Z][-a-zA-Z0-9]{4,48}[a-zA-Z0-9]$/;
const HUB_NAME = /^[a-zA-Z0-9]([-._a-zA-Z0-9]{0,48}[a-zA-Z0-9])?$/;
const CONSUMER_GROUP_NAME = /^[a-zA-Z0-9]([-._a-zA-Z0-9]{0,48}[a-zA-Z0-9])?$/;

export function eventHubDestinationProblems(props: EventHubDestinationProps): Problem[] {
  const p = new ProblemList();
  const sku = props.sku ?? 'Standard';
  if (props.existingNamespaceId !== undefined) {
    p.matches('existingNamespaceId', props.existingNamespaceId, NAMESPACE_ID, 'an ARM id like /subscriptions/<guid>/resourceGroups/<rg>/providers/Microsoft.EventHub/namespaces/<name>');
  } else {
    if (props.namespaceName === undefined) p.add('namespaceName', undefined, 'a namespace name (or set existingNamespaceId)');
    p.matches('namespaceName', props.namespaceName, NAMESPACE_NAME, '6–50 letters, digits or hyphens, starting with a letter and ending with a letter or digit');
    if (props.namespaceName && /-(sb|mgmt)$/i.test(props.namespaceName)) p.add('namespaceName', props.namespaceName, 'a name that does not end with "-sb" or "-mgmt" (reserved by Azure)');
    if (props.resourceGroupName === undefined) p.add('resourceGroupName', undefined, 'a resource group name');
    if (props.location === undefined) p.add('location', undefined, 'an Azure region');
  }
  p.oneOf('sku', props.sku, EVENT_HUB_SKUS);
  const limits = EVENT_HUB_LIMITS[sku] ?? EVENT_HUB_LIMITS.Standard;
  if (props.capacity !== undefined) {
    if (sku === 'Premium') p.oneOf('capacity', props.capacity, limits.capacities);
    // Standard throughput units: 1–40, the provider's range for maximum_throughput_units (TFAZ eventhub_namespace_resource.go).
    else p.integerInRange('capacity', props.capacity, 1, 40);
  }
  if (props.autoInflateMaximumThroughputUnits !== undefined) {
    if (sku !== 'Standard') p.add('autoInflateMaximumThroughputUnits', props.autoInflateMaximumThroughputUnits, 'unset: auto-inflate exists only on the Standard tier');
    else p.integerInRange('autoInflateMaximumThroughputUnits', props.autoInflateMaximumThroughputUnits, props.capacity ?? 1, 40, ' (at least the capacity)');
  }
  p.matches('hubName', props.hubName, HUB_NAME, '1–50 letters, digits, ".", "-" or "_", starting and ending with a letter or digit');
  p.integerInRange('partitionCount', props.partitionCount, 1, limits.maxPartitions, ` on the ${sku} tier`);
  p.integerInRange('messageRetentionInDays', props.messageRetentionInDays, 1, limits.maxRetentionDays, ` on the ${sku} tier`);
  p.matches('consumerGroupName', props.consumerGroupName, CONSUMER_GROUP_NAME, '1–50 letters, digits, ".", "-" or "_", starting and ending with a letter or digit');
  if (props.consumerGroupName !== undefined && props.consumerGroupName.toLowerCase() === '$default') p.add('consumerGroupName', props.consumerGroupName, 'a dedicated consumer group, not $Default');
  networkRulesProblems(p, props.networkRules);
  p.items.push(...tagProblems(props.tags));
  return p.items;
}

/**
 * The Event Hub destination for SIEM streaming (Splunk, Sumo Logic, QRadar, …): a namespace (or an
 * existing one) with TLS 1.2, one explicitly named hub for all Entra categories, the namespace-level
 * authorization rule the diagnostic setting needs (Azure requires Listen, Send and Manage), a separate
 * Listen-only rule and a dedicated consumer group for the SIEM.
 */
export class EventHubDestination extends Construct {
  /** ARM id of the namespace. */
  readonly namespaceId: string;
  /** Name of the hub Entra logs are streamed to. */
  readonly hubName: string;
  /** Id of the namespace-level rule (Listen, Send, Manage) for the diagnostic setting's `eventhub_authorization_rule_id`. */
  readonly diagnosticsAuthorizationRuleId: string;
  /** Id of the Listen-only namespace rule for the SIEM. */
  readonly listenAuthorizationRuleId: string;
  /** The namespace created here, if any. */
  readonly namespace?: EventhubNamespace;
  /** The hub. */
  readonly hub: Eventhub;
  /** Days the hub keeps messages. */
  readonly messageRetentionInDays: number;
  /** The protection asked for. */
  readonly protection: AuditDataProtection;
  /** The delete lock, when `protection.lock` is on and not suspended. */
  readonly lock?: AuditDataLock;

  constructor(scope: Construct, id: string, props: EventHubDestinationProps) {
    super(scope, id);
    throwIfProblems(this, eventHubDestinationProblems(props));
    const sku = props.sku ?? 'Standard';

    let namespaceName: string;
    let resourceGroupName: string;
    if (props.existingNamespaceId !== undefined) {
      const existing = parseArmId(props.existingNamespaceId);
      namespaceName = existing.name;
      resourceGroupName = existing.resourceGroupName;
      this.namespaceId = props.existingNamespaceId;
    } else {
      const autoInflate = props.autoInflateMaximumThroughputUnits !== undefined;
      this.namespace = new EventhubNamespace(this, 'Resource', {
        name: props.namespaceName!,
        resourceGroupName: props.resourceGroupName!,
        location: props.location!,
        sku,
        capacity: props.capacity ?? 1,
        autoInflateEnabled: autoInflate,
        maximumThroughputUnits: autoInflate ? props.autoInflateMaximumThroughputUnits : undefined,
        minimumTlsVersion: '1.2',
        // The diagnostic setting streams with a SAS key: local (SAS) authentication must stay on
        // (MicrosoftDocs/azure-docs#119932: Event Hubs streaming has no Entra ID option).
        localAuthenticationEnabled: true,
        publicNetworkAccessEnabled: true,
        networkRulesets: [
          {
            defaultAction: 'Deny',
            // Azure Monitor's export is a trusted Microsoft service; without this bypass it is blocked.
            trustedServiceAccessEnabled: true,
            publicNetworkAccessEnabled: true,
            ipRule: (props.networkRules?.ipRules ?? []).map((ipMask) => ({ ipMask, action: 'Allow' })),
            virtualNetworkRule: (props.networkRules?.subnetIds ?? []).map((subnetId) => ({ subnetId, ignoreMissingVirtualNetworkServiceEndpoint: false })),
          },
        ],
        tags: props.tags ? { ...props.tags } : undefined,
      });
      namespaceName = this.namespace.name;
      resourceGroupName = this.namespace.resourceGroupName;
      this.namespaceId = this.namespace.id;
    }

    this.messageRetentionInDays = props.messageRetentionInDays ?? 7;
    this.hub = new Eventhub(this, 'EntraHub', {
      name: props.hubName ?? 'entra-audit-logs',
      namespaceId: this.namespaceId,
      partitionCount: props.partitionCount ?? 4,
      messageRetention: this.messageRetentionInDays,
    });
    this.hubName = this.hub.name;

    // Namespace-level rule, as azurerm_monitor_aad_diagnostic_setting requires (not a hub-level one).
    const diagnostics = new EventhubNamespaceAuthorizationRule(this, 'DiagnosticsRule', {
      name: 'entra-diagnostic-settings',
      namespaceName,
      resourceGroupName,
      listen: true,
      send: true,
      manage: true,
    });
    this.diagnosticsAuthorizationRuleId = diagnostics.id;

    const listen = new EventhubNamespaceAuthorizationRule(this, 'ListenRule', {
      name: 'siem-listen',
      namespaceName,
      resourceGroupName,
      listen: true,
      send: false,
      manage: false,
    });
    this.listenAuthorizationRuleId = listen.id;

    new EventhubConsumerGroup(this, 'ConsumerGroup', {
      name: props.consumerGroupName ?? 'siem',
      namespaceName,
      eventhubName: this.hub.name,
      resourceGroupName,
      userMetadata: 'SIEM reader of Microsoft Entra audit and sign-in logs',
    });

    this.protection = props.protection ?? {};
    this.lock = protectAuditData(this, props.protection, this.namespaceId, this.namespace ? [this.namespace] : []);
  }
}
