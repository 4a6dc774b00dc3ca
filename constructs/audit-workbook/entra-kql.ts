/**
 * KQL building blocks shared by the audit workbook and the KPI report (`npm run audit-report`), so
 * that both count the same activities the same way.
 *
 * Activity names: Microsoft Entra audit log activity reference (MicrosoftDocs/entra-docs
 * `docs/identity/monitoring-health/reference-audit-activities.md`, sections "Core Directory":
 * RoleManagement and ApplicationManagement), the same names the alert catalog reads
 * (`constructs/entra-alert-rules/queries/*.kql`).
 * Sign-in results: `ResultType` is "0" for a successful sign-in and an error code otherwise
 * (learn.microsoft.com/azure/azure-monitor/reference/tables/signinlogs; Microsoft's own Sign-ins
 * workbook, microsoft/Application-Insights-Workbooks `Workbooks/Azure Active Directory/SignIns/SignIns.workbook`,
 * counts `errorCode == 0` as "Success").
 */
import { logTableSchemas } from '../internal/kql-validator';

/** Directory role assignments made or removed (category RoleManagement). */
export const ROLE_ASSIGNMENT_ACTIVITIES = [
  'Add member to role',
  'Add eligible member to role',
  'Add scoped member to role',
  'Remove member from role',
  'Remove eligible member from role',
  'Remove scoped member from role',
] as const;

/** Permissions granted to applications (category ApplicationManagement). */
export const CONSENT_ACTIVITIES = ['Consent to application', 'Add delegated permission grant', 'Add app role assignment to service principal'] as const;

/** Secrets and certificates of applications and service principals added, removed or changed. */
export const CREDENTIAL_ACTIVITIES = [
  'Add service principal credentials',
  'Remove service principal credentials',
  'Update application - Certificates and secrets management',
] as const;

/** Every privileged directory activity the workbook and the report show. */
export const PRIVILEGED_ACTIVITIES: readonly string[] = [...ROLE_ASSIGNMENT_ACTIVITIES, ...CONSENT_ACTIVITIES, ...CREDENTIAL_ACTIVITIES];

/** Audit categories of application and group management. */
export const APP_AND_GROUP_CATEGORIES = ['ApplicationManagement', 'GroupManagement'] as const;

/** A KQL string literal (double quotes, backslash escapes: learn.microsoft.com/kusto/query/scalar-data-types/string). */
export function kqlString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\r/g, '\\r').replace(/\n/g, '\\n').replace(/\t/g, '\\t')}"`;
}

/** `("a", "b")`: the right-hand side of `in`. */
export function kqlList(values: readonly string[]): string {
  return `(${values.map(kqlString).join(', ')})`;
}

/** Who did it: the user's UPN, else the app's name, else its service principal id. */
export const AUDIT_ACTOR = 'coalesce(tostring(InitiatedBy.user.userPrincipalName), tostring(InitiatedBy.app.displayName), tostring(InitiatedBy.app.servicePrincipalId))';

/** What it was done to: the first target's UPN or display name. */
export const AUDIT_TARGET = 'coalesce(tostring(TargetResources[0].userPrincipalName), tostring(TargetResources[0].displayName))';

/** The kind of a privileged activity, as a KQL expression over `OperationName`. */
export const PRIVILEGED_KIND = `case(OperationName in ${kqlList(ROLE_ASSIGNMENT_ACTIVITIES)}, "Role assignment", OperationName in ${kqlList(CONSENT_ACTIVITIES)}, "Consent grant", "Credential change")`;

/**
 * `table` as a tabular expression that also works before the table exists (a table is created by its
 * first record): `union isfuzzy=true` of an empty `datatable` with the same columns and the table
 * itself, projected to `columns` (Kusto union operator docs: with isfuzzy=true "If no resolutions
 * were successful, the query returns an error", hence the always-resolvable leg). Column types come
 * from the validator's table schemas, so a misspelt column fails here.
 */
export function fuzzyTable(table: string, columns: readonly string[]): string {
  const schema = logTableSchemas().get(table);
  if (!schema) throw new Error(`fuzzyTable: no schema for table ${table}`);
  const typed = columns.map((name) => {
    const column = schema.columns.find((c) => c.name === name);
    if (!column) throw new Error(`fuzzyTable: table ${table} has no column ${name}`);
    return `${name}: ${column.type}`;
  });
  return `union isfuzzy=true (datatable(${typed.join(', ')})[]), (${table} | project ${columns.join(', ')})`;
}
