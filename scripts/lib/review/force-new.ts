/**
 * Arguments known to force a new resource when changed, for synth diffs (which have no provider schema).
 * Only arguments a source confirms are listed; any other change is shown as an update, and the
 * Terraform plan stays authoritative.
 *
 * Source for every entry: /work/shared/reference/azure-facts.md, which cites the provider code
 * (hashicorp/terraform-provider-azurerm@v4.55.0, hashicorp/terraform-provider-azuread@v3.7.0).
 */
export const FORCE_NEW_ARGUMENTS: Readonly<Record<string, readonly string[]>> = {
  // §1: name, eventhub_authorization_rule_id, eventhub_name and storage_account_id are ForceNew.
  azurerm_monitor_aad_diagnostic_setting: ['name', 'eventhub_authorization_rule_id', 'eventhub_name', 'storage_account_id'],
  // §2 (a): the account-level immutability_policy block is ForceNew; §3: infrastructure_encryption_enabled.
  azurerm_storage_account: ['immutability_policy', 'infrastructure_encryption_enabled'],
  // §3 azurerm_eventhub: retention_description.cleanup_policy is ForceNew.
  azurerm_eventhub: ['retention_description.cleanup_policy'],
  // §3 azurerm_monitor_scheduled_query_rules_alert_v2: name and scopes are ForceNew.
  azurerm_monitor_scheduled_query_rules_alert_v2: ['name', 'scopes'],
  // §3 azurerm_management_lock: all arguments are ForceNew.
  azurerm_management_lock: ['name', 'scope', 'lock_level', 'notes'],
  // §4 azuread_app_role_assignment: all arguments are ForceNew.
  azuread_app_role_assignment: ['app_role_id', 'principal_object_id', 'resource_object_id'],
  // §4 azuread_application_password: display_name, start_date, end_date, rotate_when_changed are ForceNew.
  azuread_application_password: ['display_name', 'start_date', 'end_date', 'rotate_when_changed'],
  // §4 azuread_application_federated_identity_credential: display_name is ForceNew.
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
