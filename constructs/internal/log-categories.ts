/**
 * The Entra ID (Microsoft.AADIAM) diagnostic log categories this toolkit knows, with the
 * Log Analytics table each one fills.
 *
 * Sources:
 * - category names: MicrosoftDocs/entra-docs `docs/identity/monitoring-health/concept-diagnostic-settings-logs-options.md`
 *   (the docs' typo `NonInteractiveUserSIgnInLogs` is NOT the real name; `NonInteractiveUserSignInLogs` is);
 * - category → table: Azure/Azure-Sentinel `Solutions/Microsoft Entra ID/Data Connectors/template_AzureActiveDirectory.JSON`;
 * - Global Secure Access categories: MicrosoftDocs/entra-docs `docs/global-secure-access/how-to-sentinel-integration.md`;
 * - licences: MicrosoftDocs/azure-docs `articles/sentinel/connect-azure-active-directory.md`.
 *
 * The provider does not validate category names (its SDK enum lists only AuditLogs and SignInLogs and
 * passes anything else through), so this list is what stops a typo before it reaches Azure.
 * Names are case-sensitive. A category newer than this list can be passed explicitly through the
 * `additionalCategories` setting (its table is then unknown to the toolkit).
 */
export interface LogCategoryInfo {
  /** The exact, case-sensitive category name Azure expects in `enabled_log.category`. */
  readonly category: string;
  /** The Log Analytics table the category lands in. */
  readonly table: string;
  /** The licence or prerequisite the tenant needs for data to flow. */
  readonly licence: string;
  /** Whether the table may be switched to the Basic plan (AMD `logs/basic-logs-azure-tables.md`, 11/2024). */
  readonly basicPlanCapable: boolean;
}

export const LOG_CATEGORIES: readonly LogCategoryInfo[] = [
  { category: 'AuditLogs', table: 'AuditLogs', licence: 'any (the export needs Entra ID P1/P2)', basicPlanCapable: false },
  { category: 'SignInLogs', table: 'SigninLogs', licence: 'Entra ID P1/P2', basicPlanCapable: false },
  { category: 'NonInteractiveUserSignInLogs', table: 'AADNonInteractiveUserSignInLogs', licence: 'Entra ID P1/P2', basicPlanCapable: true },
  { category: 'ServicePrincipalSignInLogs', table: 'AADServicePrincipalSignInLogs', licence: 'Entra ID P1/P2', basicPlanCapable: true },
  { category: 'ManagedIdentitySignInLogs', table: 'AADManagedIdentitySignInLogs', licence: 'Entra ID P1/P2', basicPlanCapable: true },
  { category: 'ProvisioningLogs', table: 'AADProvisioningLogs', licence: 'Entra ID P1/P2', basicPlanCapable: false },
  { category: 'ADFSSignInLogs', table: 'ADFSSignInLogs', licence: 'AD FS with Connect Health', basicPlanCapable: true },
  { category: 'RiskyUsers', table: 'AADRiskyUsers', licence: 'Entra ID P2', basicPlanCapable: false },
  { category: 'UserRiskEvents', table: 'AADUserRiskEvents', licence: 'Entra ID P2', basicPlanCapable: false },
  { category: 'RiskyServicePrincipals', table: 'AADRiskyServicePrincipals', licence: 'Workload ID Premium', basicPlanCapable: false },
  { category: 'ServicePrincipalRiskEvents', table: 'AADServicePrincipalRiskEvents', licence: 'Workload ID Premium', basicPlanCapable: false },
  { category: 'NetworkAccessTrafficLogs', table: 'NetworkAccessTraffic', licence: 'Global Secure Access', basicPlanCapable: false },
  { category: 'EnrichedOffice365AuditLogs', table: 'EnrichedMicrosoft365AuditLogs', licence: 'Global Secure Access with enriched Microsoft 365 logs', basicPlanCapable: false },
  { category: 'MicrosoftGraphActivityLogs', table: 'MicrosoftGraphActivityLogs', licence: 'Entra ID P1/P2', basicPlanCapable: true },
  { category: 'RemoteNetworkHealthLogs', table: 'RemoteNetworkHealthLogs', licence: 'Global Secure Access', basicPlanCapable: false },
  { category: 'NetworkAccessAlerts', table: 'NetworkAccessAlerts', licence: 'Global Secure Access', basicPlanCapable: false },
  { category: 'NetworkAccessConnectionEvents', table: 'NetworkAccessConnectionEvents', licence: 'Global Secure Access', basicPlanCapable: false },
  { category: 'B2CRequestLogs', table: 'AADB2CRequestLogs', licence: 'Azure AD B2C tenants only', basicPlanCapable: false },
];

/**
 * The categories routed when none are configured: every category that an Entra ID P1/P2 tenant
 * produces (audit, all four sign-in streams, provisioning, Microsoft Graph activity).
 * P2 (risk) and Workload ID Premium categories are opt-in, as is Global Secure Access.
 */
export const BASELINE_CATEGORIES: readonly string[] = [
  'AuditLogs',
  'SignInLogs',
  'NonInteractiveUserSignInLogs',
  'ServicePrincipalSignInLogs',
  'ManagedIdentitySignInLogs',
  'ProvisioningLogs',
  'MicrosoftGraphActivityLogs',
];

const BY_CATEGORY = new Map(LOG_CATEGORIES.map((c) => [c.category, c]));

/** The known category of that exact (case-sensitive) name, if any. */
export function findCategory(category: string): LogCategoryInfo | undefined {
  return BY_CATEGORY.get(category);
}

/** The Log Analytics table a known category fills, or undefined for a category unknown to this list. */
export function tableOfCategory(category: string): string | undefined {
  return BY_CATEGORY.get(category)?.table;
}

/** The Storage container (and default Event Hub) name Azure Monitor uses for a category. */
export function insightsContainerName(category: string): string {
  return `insights-logs-${category.toLowerCase()}`;
}
