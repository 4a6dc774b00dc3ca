/**
 * Arguments known to force a new resource when changed, for synth diffs (which have no provider schema).
 * Only arguments a source confirms are listed; any other change is shown as an update, and the
 * Terraform plan stays authoritative.
 *
 * Source for every entry: the `ForceNew: true` of the argument's schema in the provider source at the
 * version this project pins, cited per entry below under these two roots:
 *   AZURERM = https://github.com/hashicorp/terraform-provider-azurerm/blob/v4.55.0/
 *   AZUREAD = https://github.com/hashicorp/terraform-provider-azuread/blob/v3.7.0/
 */
export const FORCE_NEW_ARGUMENTS: Readonly<Record<string, readonly string[]>> = {
  // AZURERM internal/services/monitor/monitor_aad_diagnostic_setting_resource.go
  azurerm_monitor_aad_diagnostic_setting: ['name', 'eventhub_authorization_rule_id', 'eventhub_name', 'storage_account_id'],
  // AZURERM internal/services/storage/storage_account_resource.go (the immutability_policy block and
  // infrastructure_encryption_enabled)
  azurerm_storage_account: ['immutability_policy', 'infrastructure_encryption_enabled'],
  // AZURERM internal/services/eventhub/eventhub_resource.go (name, namespace_id, retention_description.cleanup_policy;
  // partition_count is not ForceNew: Update refuses any change unless the namespace is Premium)
  azurerm_eventhub: ['name', 'namespace_id', 'retention_description.cleanup_policy'],
  // AZURERM internal/services/monitor/monitor_scheduled_query_rules_alert_v2_resource.go
  azurerm_monitor_scheduled_query_rules_alert_v2: ['name', 'scopes'],
  // AZURERM internal/services/resource/management_lock_resource.go: every argument
  azurerm_management_lock: ['name', 'scope', 'lock_level', 'notes'],
  // AZUREAD internal/services/approleassignments/app_role_assignment_resource.go: every argument
  azuread_app_role_assignment: ['app_role_id', 'principal_object_id', 'resource_object_id'],
  // AZUREAD internal/services/applications/application_password_resource.go
  azuread_application_password: ['display_name', 'start_date', 'end_date', 'rotate_when_changed'],
  // AZUREAD internal/services/applications/application_federated_identity_credential_resource.go
  azuread_application_federated_identity_credential: ['display_name'],
};

/** The changed attribute paths (`a.b[0].c`) that force replacement of a resource of `type`. */
export function forceNewPaths(type: string, changedPaths: readonly string[]): string[] {
  const args = FORCE_NEW_ARGUMENTS[type] ?? [];
  return changedPaths.filter((path) => {
    const plain = path.replace(/\[\d+\]/g, '');
    return args.some((arg) => plain === arg || plain.startsWith(`${arg}.`) || plain.startsWith(`${arg}[`));
  });
}
