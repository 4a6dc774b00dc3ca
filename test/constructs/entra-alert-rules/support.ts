/** Shared fixtures and synth helpers of the EntraAlertRules tests (no Kusto here: it is slow to load). */
import { EntraAlertRules, EntraAlertRulesProps } from '../../../constructs/entra-alert-rules/entra-alert-rules';
import { DETECTIONS } from '../../../constructs/entra-alert-rules/catalog';
import { errorOf as errorOfBuild, synthConstructs } from '../../support/synth';

export const WORKSPACE_ID =
  '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-audit/providers/Microsoft.OperationalInsights/workspaces/law-entra-audit';

/** Every table the catalog reads, so that every detection is deployable. */
export const ALL_CATALOG_TABLES: readonly string[] = [...new Set(DETECTIONS.flatMap((d) => d.tables))].sort();

export function baseProps(extra: Partial<EntraAlertRulesProps> = {}): EntraAlertRulesProps {
  return {
    workspaceResourceId: WORKSPACE_ID,
    resourceGroupName: 'rg-audit',
    location: 'westeurope',
    namePrefix: 'entra-prod',
    routedTables: ALL_CATALOG_TABLES,
    ...extra,
  };
}

export const RULE_TYPE = 'azurerm_monitor_scheduled_query_rules_alert_v2';
export const ACTION_GROUP_TYPE = 'azurerm_monitor_action_group';

export type Resources = Record<string, Record<string, Record<string, any>>>;

/** Synthesizes one EntraAlertRules (id `Alerts`) and returns the `resource` block of the JSON. */
export function synthResources(props: EntraAlertRulesProps): Resources {
  const json = synthConstructs((scope) => {
    new EntraAlertRules(scope, 'Alerts', props);
  });
  return (json.resource ?? {}) as Resources;
}

/** Resources of one type, keyed by their Terraform logical id. */
export function ofType(resources: Resources, type: string): Record<string, Record<string, any>> {
  return resources[type] ?? {};
}

/** The alert rules keyed by their `name` (prefix-key), which is stable and readable. */
export function rulesByName(resources: Resources): Record<string, Record<string, any>> {
  return Object.fromEntries(Object.values(ofType(resources, RULE_TYPE)).map((r) => [r.name as string, r]));
}

/** The error message a construct throws for these props (fails the test if none is thrown). */
export function errorOf(props: EntraAlertRulesProps): string {
  return errorOfBuild(() => synthResources(props));
}
