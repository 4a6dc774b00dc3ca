/**
 * The Entra categories the compliance rules name. Names: MicrosoftDocs/entra-docs
 * `docs/identity/monitoring-health/concept-diagnostic-settings-logs-options.md` (as in
 * `internal/log-categories.ts`).
 */

/** The core activity log categories every Entra ID P1/P2 tenant produces: audit, the four sign-in streams, provisioning. */
export const CORE_CATEGORIES = [
  'AuditLogs',
  'SignInLogs',
  'NonInteractiveUserSignInLogs',
  'ServicePrincipalSignInLogs',
  'ManagedIdentitySignInLogs',
  'ProvisioningLogs',
] as const;

/**
 * ID Protection's categories (Entra ID P2, Workload ID Premium). Their data exists only with the
 * licence, so a rule requires them only where the configuration routes them, which is how it says the
 * tenant has the licence.
 */
export const RISK_CATEGORIES = ['RiskyUsers', 'UserRiskEvents', 'RiskyServicePrincipals', 'ServicePrincipalRiskEvents'] as const;

/** Microsoft Graph activity logs: every HTTP request Microsoft Graph receives for the tenant. */
export const GRAPH_ACTIVITY_CATEGORY = 'MicrosoftGraphActivityLogs';
