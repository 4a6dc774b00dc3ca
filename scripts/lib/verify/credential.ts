import {
  AzureCliCredential,
  DefaultAzureCredential,
  EnvironmentCredential,
  ManagedIdentityCredential,
  type TokenCredential,
  WorkloadIdentityCredential,
} from '@azure/identity';
import type { HttpClient } from '@azure/core-rest-pipeline';
import type { ResolvedEndpoints } from './clouds';

/**
 * `--credential`: which identity the command signs in as.
 * - `default`: `DefaultAzureCredential` (environment, workload identity, managed identity, then developer tools;
 *   narrow it with `AZURE_TOKEN_CREDENTIALS`);
 * - `azure-cli`: the `az login` account; `environment`: `AZURE_CLIENT_ID` + `AZURE_TENANT_ID` + a secret or certificate;
 * - `managed-identity`: the host's managed identity (`AZURE_CLIENT_ID` picks a user-assigned one);
 * - `workload-identity`: a federated token file (`AZURE_FEDERATED_TOKEN_FILE`, AKS and similar).
 */
export type CredentialKind = 'default' | 'azure-cli' | 'environment' | 'managed-identity' | 'workload-identity';

export const CREDENTIAL_KINDS: readonly CredentialKind[] = ['default', 'azure-cli', 'environment', 'managed-identity', 'workload-identity'];

/**
 * The credential of `kind`. `httpClient` (the bounded transport) carries its token requests, so
 * they have a deadline, a size limit and no redirects like every other request.
 */
export function createCredential(kind: CredentialKind, endpoints: ResolvedEndpoints, env: Readonly<Record<string, string | undefined>>, httpClient?: HttpClient): TokenCredential {
  // A custom authority (private cloud, test server) cannot answer MSAL's instance discovery.
  const authority = { authorityHost: endpoints.authorityHost, disableInstanceDiscovery: endpoints.customAuthority, httpClient };
  switch (kind) {
    case 'default':
      return new DefaultAzureCredential({ ...authority, managedIdentityClientId: env.AZURE_CLIENT_ID });
    case 'azure-cli':
      return new AzureCliCredential({ tenantId: env.AZURE_TENANT_ID });
    case 'environment':
      return new EnvironmentCredential(authority);
    case 'managed-identity':
      return env.AZURE_CLIENT_ID ? new ManagedIdentityCredential({ clientId: env.AZURE_CLIENT_ID, httpClient }) : new ManagedIdentityCredential({ httpClient });
    case 'workload-identity':
      return new WorkloadIdentityCredential({
        ...authority,
        tenantId: env.AZURE_TENANT_ID,
        clientId: env.AZURE_CLIENT_ID,
        tokenFilePath: env.AZURE_FEDERATED_TOKEN_FILE,
      });
  }
}
