import type { AuditRiskRule } from './rule';

/**
 * What is lost when each audit resource is deleted. Sources:
 * - the diagnostic setting is what routes the logs: https://learn.microsoft.com/entra/identity/monitoring-health/howto-configure-diagnostic-settings
 * - deleting a workspace table resource resets its retention to the workspace default (the provider's
 *   Delete sends retention -1): https://github.com/hashicorp/terraform-provider-azurerm/blob/v4.55.0/internal/services/loganalytics/log_analytics_workspace_table_resource.go
 * - immutability (WORM) policies: https://learn.microsoft.com/azure/storage/blobs/immutable-storage-overview
 * - management locks: https://learn.microsoft.com/azure/azure-resource-manager/management/lock-resources
 */
const CONSEQUENCES: Readonly<Record<string, string>> = {
  azurerm_monitor_aad_diagnostic_setting: 'Entra ID logs stop being routed to its destinations',
  azurerm_log_analytics_workspace: 'the workspace holding the audit logs is removed',
  azurerm_log_analytics_workspace_table: 'the table reverts to the workspace retention',
  azurerm_eventhub_namespace: 'the namespace streaming the audit logs is removed',
  azurerm_eventhub: 'the hub streaming the audit logs is removed',
  azurerm_storage_account: 'the account archiving the audit logs is removed',
  azurerm_storage_container: 'the container archiving the audit logs is removed',
  azurerm_storage_container_immutability_policy: 'the WORM protection of the archive is removed',
  azurerm_management_lock: 'the delete lock protecting audit resources is removed',
  azurerm_monitor_scheduled_query_rules_alert_v2: 'the alert stops watching the audit logs',
  azurerm_monitor_action_group: 'alerts using this group stop notifying anyone',
};

export const AUDIT_RESOURCE_TYPES: readonly string[] = Object.keys(CONSEQUENCES);

export const AuditResourceDestroyed: AuditRiskRule = {
  id: 'AR1',
  name: 'AuditResourceDestroyed',
  severity: 'critical',
  description:
    'Deletes or replaces a diagnostic setting, workspace, workspace table, Event Hub namespace or hub, storage account or container, immutability policy, management lock, alert rule or action group.',
  check(change) {
    const consequence = CONSEQUENCES[change.type];
    if (!consequence) return [];
    if (change.action === 'delete') return [`deleted: ${consequence}`];
    if (change.action === 'replace') {
      const why = change.replacePaths?.length ? ` (forced by ${change.replacePaths.join(', ')})` : '';
      return [`replaced${why}: destroyed and created again, so ${consequence} until the new one exists`];
    }
    return [];
  },
};
