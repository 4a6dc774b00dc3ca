/**
 * Per-detection cases for the catalog tests: the documented values each query filters on, and a
 * positive and a negative sample (rows of the table the query reads) for the detections added for
 * issue 15. The samples are bound by the Kusto service in place of the table (catalog-kql.test.ts);
 * the Kusto language service parses and binds but does not execute, so what is checked offline is
 * that the samples fit the query's schema and that the positive sample carries a value the query's
 * filter names while the negative look-alike carries a documented value it does not.
 */

/**
 * Microsoft Entra audit activity names used by the catalog, as documented in the Microsoft Entra
 * audit log activity reference (learn.microsoft.com/entra/identity/monitoring-health/reference-audit-activities;
 * MicrosoftDocs/entra-docs docs/identity/monitoring-health/reference-audit-activities.md), except
 * the two elevate-access entries, which are documented in "Elevate access to manage all Azure
 * subscriptions and management groups" (MicrosoftDocs/azure-docs
 * articles/role-based-access-control/elevate-access-global-admin.md, "View elevate access log entries").
 */
export const DOCUMENTED_AUDIT_ACTIVITIES: readonly string[] = [
  // Core Directory: UserManagement, GroupManagement, RoleManagement, DirectoryManagement, ApplicationManagement
  'Add user', 'Delete user', 'Update user', 'Hard Delete user', 'Restore user', 'Disable Strong Authentication',
  'Add member to group', 'Add owner to group', 'Remove member from group', 'Update group',
  'Add member to role', 'Add eligible member to role', 'Remove member from role', 'Remove eligible member from role', 'Add scoped member to role',
  'Add conditional access policy', 'Update conditional access policy', 'Delete conditional access policy', 'Invite external user',
  'Add verified domain', 'Add unverified domain', 'Remove verified domain', 'Verify domain', 'Set domain authentication', 'Set federation settings on domain',
  'Consent to application', 'Add service principal credentials', 'Update application - Certificates and secrets management', 'Add app role assignment to service principal', 'Add delegated permission grant',
  // Cross-tenant access settings (Core Directory)
  'Add a partner to cross-tenant access setting', 'Delete partner specific cross-tenant access setting', 'Update a partner cross-tenant access setting',
  'Reset the cross-tenant access default setting', 'Update the company default cross-tenant access setting', 'Migrated partner cross-tenant access settings to the scalable model',
  // Privileged Identity Management
  'Add member to role outside of PIM (permanent)', 'Add member to role request denied (PIM activation)', 'Add member to role request approved (PIM activation)',
  'Add member to role completed (PIM activation)', 'Add member to role requested (PIM activation)', 'Update member in PIM denied by admin (extend/renew)',
  'Update member in PIM approved by admin (extend/renew)',
  // Authentication methods (existing catalog)
  'User registered security info', 'User changed default security info', 'User updated security info', 'User deleted security info',
  'Admin registered security info', 'Admin updated security info', 'Admin deleted security info',
  // Elevate access (azure-docs elevate-access-global-admin.md)
  'User has elevated their access to User Access Administrator for their Azure Resources',
  'The role assignment of User Access Administrator has been removed from the user',
];

/** A positive and a negative sample of one detection: rows of `table`, as KQL datatable literals. */
export interface DetectionCase {
  readonly key: string;
  /** The table the samples stand in for. */
  readonly table: string;
  /** OperationName (audit) or ResultType (sign-in) values the query filters on; each must appear in the query as a literal. */
  readonly filterValues: readonly string[];
  /**
   * `exclude`: the query drops rows with these values (password-spray-adfs counts every ResultType
   * but the success codes), so the positive sample carries other values and the negative one these.
   * @default 'include'
   */
  readonly filterMode?: 'include' | 'exclude';
  /** Whether filterValues are audit activity names (checked against DOCUMENTED_AUDIT_ACTIVITIES). */
  readonly auditActivities: boolean;
  /** Rows (column → KQL literal) that the detection must fire on. */
  readonly positive: readonly Readonly<Record<string, string>>[];
  /** A benign look-alike it must not fire on. */
  readonly negative: readonly Readonly<Record<string, string>>[];
  /** The value of `key field` that distinguishes the positive from the negative sample. */
  readonly field: string;
}

const user = (upn: string, ip = '203.0.113.7') => `dynamic({"user": {"userPrincipalName": "${upn}", "id": "11111111-1111-1111-1111-111111111111", "ipAddress": "${ip}"}})`;
const now = 'datetime(2026-01-01T10:00:00Z)';
const later = (minutes: number) => `datetime(${new Date(Date.UTC(2026, 0, 1, 10, minutes)).toISOString()})`;

export const DETECTION_CASES: readonly DetectionCase[] = [
  {
    key: 'elevate-access-to-root-scope', table: 'AuditLogs', field: 'OperationName', auditActivities: true,
    filterValues: ['User has elevated their access to User Access Administrator for their Azure Resources'],
    positive: [{ TimeGenerated: now, OperationName: '"User has elevated their access to User Access Administrator for their Azure Resources"', Category: '"AzureRBACRoleManagementElevateAccess"', Result: '"success"', LoggedByService: '"Azure RBAC (Elevated Access)"', InitiatedBy: user('admin@contoso.com') }],
    negative: [{ TimeGenerated: now, OperationName: '"The role assignment of User Access Administrator has been removed from the user"', Category: '"AzureRBACRoleManagementElevateAccess"', Result: '"success"', LoggedByService: '"Azure RBAC (Elevated Access)"', InitiatedBy: user('admin@contoso.com') }],
  },
  {
    key: 'account-created-and-deleted', table: 'AuditLogs', field: 'OperationName', auditActivities: true,
    filterValues: ['Add user', 'Delete user'],
    positive: [
      { TimeGenerated: later(-180), OperationName: '"Add user"', Result: '"success"', InitiatedBy: user('admin@contoso.com'), TargetResources: 'dynamic([{"id": "u1", "userPrincipalName": "temp@contoso.com"}])' },
      { TimeGenerated: later(-10), OperationName: '"Delete user"', Result: '"success"', InitiatedBy: user('admin@contoso.com'), TargetResources: 'dynamic([{"id": "u1", "userPrincipalName": "u1temp@contoso.com"}])' },
    ],
    negative: [
      { TimeGenerated: later(-180), OperationName: '"Add user"', Result: '"success"', InitiatedBy: user('admin@contoso.com'), TargetResources: 'dynamic([{"id": "u1", "userPrincipalName": "temp@contoso.com"}])' },
      { TimeGenerated: later(-10), OperationName: '"Restore user"', Result: '"success"', InitiatedBy: user('admin@contoso.com'), TargetResources: 'dynamic([{"id": "u1", "userPrincipalName": "temp@contoso.com"}])' },
    ],
  },
  {
    key: 'pim-activation-request-denied', table: 'AuditLogs', field: 'OperationName', auditActivities: true,
    filterValues: ['Add member to role request denied (PIM activation)', 'Update member in PIM denied by admin (extend/renew)'],
    positive: [{ TimeGenerated: now, OperationName: '"Add member to role request denied (PIM activation)"', Category: '"RoleManagement"', Result: '"success"', ResultReason: '"not expected"', InitiatedBy: user('approver@contoso.com'), TargetResources: 'dynamic([{"type": "Role", "displayName": "Global Administrator"}, {"type": "User", "userPrincipalName": "eve@contoso.com"}])' }],
    negative: [{ TimeGenerated: now, OperationName: '"Add member to role request approved (PIM activation)"', Category: '"RoleManagement"', Result: '"success"', ResultReason: '"ok"', InitiatedBy: user('approver@contoso.com'), TargetResources: 'dynamic([{"type": "Role", "displayName": "Global Administrator"}, {"type": "User", "userPrincipalName": "eve@contoso.com"}])' }],
  },
  {
    key: 'role-activated-outside-pim', table: 'AuditLogs', field: 'OperationName', auditActivities: true,
    filterValues: ['Add member to role outside of PIM (permanent)', 'Add member to role'],
    positive: [{ TimeGenerated: now, OperationName: '"Add member to role outside of PIM (permanent)"', LoggedByService: '"PIM"', Identity: '"admin@contoso.com"', Result: '"success"', InitiatedBy: user('admin@contoso.com'), TargetResources: 'dynamic([{"type": "User", "userPrincipalName": "eve@contoso.com", "modifiedProperties": [{"displayName": "Role.DisplayName", "newValue": "\\"Reports Reader\\""}]}])' }],
    negative: [{ TimeGenerated: now, OperationName: '"Add member to role completed (PIM activation)"', LoggedByService: '"PIM"', Identity: '"MS-PIM"', Result: '"success"', InitiatedBy: user('eve@contoso.com'), TargetResources: 'dynamic([{"type": "User", "userPrincipalName": "eve@contoso.com"}])' }],
  },
  {
    key: 'admin-removals-by-new-admin', table: 'AuditLogs', field: 'OperationName', auditActivities: true,
    filterValues: ['Add member to role', 'Add eligible member to role', 'Remove member from role', 'Remove eligible member from role'],
    positive: [
      { TimeGenerated: later(-1200), OperationName: '"Add member to role"', Result: '"success"', InitiatedBy: user('old@contoso.com'), TargetResources: 'dynamic([{"type": "User", "userPrincipalName": "new@contoso.com", "modifiedProperties": [{"displayName": "Role.DisplayName", "newValue": "\\"Global Administrator\\""}]}])' },
      { TimeGenerated: later(-20), OperationName: '"Remove member from role"', Result: '"success"', InitiatedBy: user('new@contoso.com'), TargetResources: 'dynamic([{"type": "User", "userPrincipalName": "a@contoso.com", "modifiedProperties": [{"displayName": "Role.DisplayName", "oldValue": "\\"Global Administrator\\""}]}])' },
      { TimeGenerated: later(-10), OperationName: '"Remove member from role"', Result: '"success"', InitiatedBy: user('new@contoso.com'), TargetResources: 'dynamic([{"type": "User", "userPrincipalName": "b@contoso.com", "modifiedProperties": [{"displayName": "Role.DisplayName", "oldValue": "\\"Global Administrator\\""}]}])' },
    ],
    negative: [
      { TimeGenerated: later(-20), OperationName: '"Remove member from group"', Result: '"success"', InitiatedBy: user('new@contoso.com'), TargetResources: 'dynamic([{"type": "User", "userPrincipalName": "a@contoso.com"}])' },
    ],
  },
  {
    key: 'guest-added-to-group', table: 'AuditLogs', field: 'OperationName', auditActivities: true,
    filterValues: ['Add member to group', 'Add owner to group'],
    positive: [{ TimeGenerated: now, OperationName: '"Add member to group"', Result: '"success"', InitiatedBy: user('admin@contoso.com'), TargetResources: 'dynamic([{"type": "User", "userPrincipalName": "bob_fabrikam.com#EXT#@contoso.onmicrosoft.com", "modifiedProperties": [{"displayName": "Group.ObjectID", "newValue": "\\"g1\\""}, {"displayName": "Group.DisplayName", "newValue": "\\"Finance\\""}]}])' }],
    negative: [{ TimeGenerated: now, OperationName: '"Remove member from group"', Result: '"success"', InitiatedBy: user('admin@contoso.com'), TargetResources: 'dynamic([{"type": "User", "userPrincipalName": "bob_fabrikam.com#EXT#@contoso.onmicrosoft.com"}])' }],
  },
  {
    key: 'conditional-access-exclusion-group-changed', table: 'AuditLogs', field: 'OperationName', auditActivities: true,
    filterValues: ['Update group'],
    positive: [{ TimeGenerated: now, OperationName: '"Update group"', Result: '"success"', InitiatedBy: user('admin@contoso.com'), TargetResources: 'dynamic([{"id": "g1", "displayName": "CA-Exclusions", "modifiedProperties": [{"displayName": "MembershipRule", "oldValue": "\\"user.department -eq \\\\\\"IT\\\\\\"\\"", "newValue": "\\"user.department -ne null\\""}]}])' }],
    negative: [{ TimeGenerated: now, OperationName: '"Add member to group"', Result: '"success"', InitiatedBy: user('admin@contoso.com'), TargetResources: 'dynamic([{"id": "g1", "displayName": "CA-Exclusions"}])' }],
  },
  {
    key: 'cross-tenant-access-settings-changed', table: 'AuditLogs', field: 'OperationName', auditActivities: true,
    filterValues: ['Add a partner to cross-tenant access setting', 'Delete partner specific cross-tenant access setting', 'Update a partner cross-tenant access setting', 'Reset the cross-tenant access default setting', 'Update the company default cross-tenant access setting'],
    positive: [{ TimeGenerated: now, OperationName: '"Update a partner cross-tenant access setting"', Category: '"CrossTenantAccessSettings"', Result: '"success"', InitiatedBy: user('admin@contoso.com'), TargetResources: 'dynamic([{"type": "Policy", "modifiedProperties": [{"displayName": "inboundTrust", "oldValue": "null", "newValue": "{\\"isMfaAccepted\\":true}"}]}])' }],
    negative: [{ TimeGenerated: now, OperationName: '"Migrated partner cross-tenant access settings to the scalable model"', Category: '"CrossTenantAccessSettings"', Result: '"success"', InitiatedBy: user('admin@contoso.com'), TargetResources: 'dynamic([])' }],
  },
  {
    key: 'onmicrosoft-domain-added', table: 'AuditLogs', field: 'OperationName', auditActivities: true,
    filterValues: ['Add verified domain', 'Add unverified domain'],
    positive: [{ TimeGenerated: now, OperationName: '"Add unverified domain"', Result: '"success"', InitiatedBy: user('admin@contoso.com'), TargetResources: 'dynamic([{"displayName": "contoso-billing.onmicrosoft.com"}])' }],
    negative: [{ TimeGenerated: now, OperationName: '"Verify domain"', Result: '"success"', InitiatedBy: user('admin@contoso.com'), TargetResources: 'dynamic([{"displayName": "contoso-billing.onmicrosoft.com"}])' }],
  },
  {
    key: 'user-consent-risky-scopes', table: 'AuditLogs', field: 'OperationName', auditActivities: true,
    filterValues: ['Consent to application'],
    positive: [{ TimeGenerated: now, OperationName: '"Consent to application"', Result: '"success"', InitiatedBy: user('eve@contoso.com'), TargetResources: 'dynamic([{"displayName": "Mail Helper", "id": "sp1", "modifiedProperties": [{"displayName": "ConsentContext.IsAdminConsent", "newValue": "\\"False\\""}, {"displayName": "ConsentAction.Permissions", "newValue": "\\"[] => [[Id: x, ClientId: c, PrincipalId: p, ResourceId: r, ConsentType: Principal, Scope: Mail.Read offline_access openid]]\\""}]}])' }],
    negative: [{ TimeGenerated: now, OperationName: '"Add delegated permission grant"', Result: '"success"', InitiatedBy: user('eve@contoso.com'), TargetResources: 'dynamic([{"displayName": "Mail Helper", "id": "sp1"}])' }],
  },
  {
    key: 'azure-portal-sign-in-from-other-tenant', table: 'SigninLogs', field: 'ResultType', auditActivities: false,
    filterValues: ['0'],
    positive: [{ TimeGenerated: now, UserPrincipalName: '"eve@fabrikam.com"', UserId: '"u1"', IPAddress: '"203.0.113.9"', AppDisplayName: '"Azure Portal"', ResultType: '"0"', HomeTenantId: '"t-fabrikam"', ResourceTenantId: '"t-contoso"', AADTenantId: '"t-contoso"', Location: '"NL"', UserAgent: '"Mozilla"' }],
    negative: [{ TimeGenerated: now, UserPrincipalName: '"eve@fabrikam.com"', UserId: '"u1"', IPAddress: '"203.0.113.9"', AppDisplayName: '"Azure Portal"', ResultType: '"50126"', HomeTenantId: '"t-fabrikam"', ResourceTenantId: '"t-contoso"', AADTenantId: '"t-contoso"', Location: '"NL"', UserAgent: '"Mozilla"' }],
  },
  {
    key: 'seamless-sso-password-spray', table: 'AADNonInteractiveUserSignInLogs', field: 'ResultType', auditActivities: false,
    filterValues: ['81001', '81010', '81016'],
    positive: Array.from({ length: 6 }, (_, i) => ({ TimeGenerated: later(i), UserPrincipalName: `"user${i}@contoso.com"`, IPAddress: '"198.51.100.4"', ResultType: '"81016"', UserAgent: '"python-requests"' })),
    negative: Array.from({ length: 6 }, (_, i) => ({ TimeGenerated: later(i), UserPrincipalName: `"user${i}@contoso.com"`, IPAddress: '"198.51.100.4"', ResultType: '"50126"', UserAgent: '"python-requests"' })),
  },
  {
    key: 'password-spray-adfs', table: 'ADFSSignInLogs', field: 'ResultType', auditActivities: false, filterMode: 'exclude',
    filterValues: ['0', '50144'],
    positive: Array.from({ length: 10 }, (_, i) => ({ TimeGenerated: later(i), UserPrincipalName: `"user${i}@contoso.com"`, IPAddress: '"198.51.100.4"', ResultType: '"50126"', AuthenticationDetails: '"[{\\"authenticationMethod\\": \\"Forms\\"}]"' })),
    negative: Array.from({ length: 10 }, (_, i) => ({ TimeGenerated: later(i), UserPrincipalName: `"user${i}@contoso.com"`, IPAddress: '"198.51.100.4"', ResultType: '"0"', AuthenticationDetails: '"[{\\"authenticationMethod\\": \\"Forms\\"}]"' })),
  },
  {
    key: 'mfa-fatigue-then-success', table: 'SigninLogs', field: 'ResultType', auditActivities: false,
    filterValues: ['500121', '0'],
    positive: [
      ...[0, 1, 2].map((i) => ({ TimeGenerated: later(i), UserPrincipalName: '"eve@contoso.com"', IPAddress: '"198.51.100.4"', ResultType: '"500121"', Status: 'dynamic({"additionalDetails": "MFA denied; user declined the authentication"})', AppDisplayName: '"Office 365"' })),
      { TimeGenerated: later(5), UserPrincipalName: '"eve@contoso.com"', IPAddress: '"198.51.100.4"', ResultType: '"0"', Status: 'dynamic({})', AppDisplayName: '"Office 365"' },
    ],
    negative: [
      ...[0, 1, 2].map((i) => ({ TimeGenerated: later(i), UserPrincipalName: '"eve@contoso.com"', IPAddress: '"198.51.100.4"', ResultType: '"500121"', Status: 'dynamic({"additionalDetails": "MFA denied; user declined the authentication"})', AppDisplayName: '"Office 365"' })),
      { TimeGenerated: later(5), UserPrincipalName: '"eve@contoso.com"', IPAddress: '"198.51.100.4"', ResultType: '"50074"', Status: 'dynamic({})', AppDisplayName: '"Office 365"' },
    ],
  },
  {
    key: 'impossible-travel', table: 'SigninLogs', field: 'ResultType', auditActivities: false,
    filterValues: ['0'],
    positive: [
      { TimeGenerated: now, UserPrincipalName: '"eve@contoso.com"', IPAddress: '"198.51.100.4"', ResultType: '"0"', LocationDetails: 'dynamic({"city": "Amsterdam", "countryOrRegion": "NL", "geoCoordinates": {"latitude": 52.37, "longitude": 4.89}})', AppDisplayName: '"Office 365"' },
      { TimeGenerated: later(60), UserPrincipalName: '"eve@contoso.com"', IPAddress: '"192.0.2.10"', ResultType: '"0"', LocationDetails: 'dynamic({"city": "Sydney", "countryOrRegion": "AU", "geoCoordinates": {"latitude": -33.87, "longitude": 151.21}})', AppDisplayName: '"Office 365"' },
    ],
    negative: [
      { TimeGenerated: now, UserPrincipalName: '"eve@contoso.com"', IPAddress: '"198.51.100.4"', ResultType: '"0"', LocationDetails: 'dynamic({"city": "Amsterdam", "countryOrRegion": "NL", "geoCoordinates": {"latitude": 52.37, "longitude": 4.89}})', AppDisplayName: '"Office 365"' },
      { TimeGenerated: later(60), UserPrincipalName: '"eve@contoso.com"', IPAddress: '"192.0.2.10"', ResultType: '"50126"', LocationDetails: 'dynamic({"city": "Sydney", "countryOrRegion": "AU", "geoCoordinates": {"latitude": -33.87, "longitude": 151.21}})', AppDisplayName: '"Office 365"' },
    ],
  },
];
