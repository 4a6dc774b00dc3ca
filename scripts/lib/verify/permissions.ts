import type { CheckKind } from './report';

/**
 * The least role or permission each check needs, named in the exit-2 message on 401/403.
 * Sources are listed in docs/verification.md ("Roles the verifying identity needs").
 */
export const REQUIRED_PERMISSION: Readonly<Record<CheckKind, string>> = {
  'diagnostic-settings':
    'microsoft.aadiam/diagnosticSettings/read at scope /providers/microsoft.aadiam (sign in as a user holding the Entra role Security Administrator, or have an elevated admin assign an Azure role such as Reader at that scope; Microsoft documents no service-principal support for this API: use --skip diagnostic-settings in such pipelines)',
  'log-analytics': 'Log Analytics Reader on the workspace (Microsoft.OperationalInsights/workspaces/query/read)',
  'event-hub': 'Monitoring Reader on the Event Hubs namespace (Microsoft.Insights/metrics/read)',
  storage:
    'Storage Blob Data Reader on the storage account (Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read); shared keys are off on the archive account, so a connection string with an AccountKey is no alternative',
  'reader-app':
    'Microsoft Graph permission Application.Read.All (the least privileged one for reading an application, its service principal, app role assignments and federated credentials): as an application permission with admin consent for a service principal, or in the signed-in user\'s token; or leave the check out with --skip reader-app',
  canary:
    'Microsoft Graph application permission Application.ReadWrite.OwnedBy with admin consent, and the verifying identity must be an owner of the canary application',
};
