import {
  AzureCliCredential,
  ChainedTokenCredential,
  ClientAssertionCredential,
  ClientCertificateCredential,
  ClientSecretCredential,
  DefaultAzureCredential,
  EnvironmentCredential,
  ManagedIdentityCredential,
  type TokenCredential,
  WorkloadIdentityCredential,
} from '@azure/identity';
import type { HttpClient } from '@azure/core-rest-pipeline';
import type { ResolvedEndpoints } from './clouds';
import { ConfigError } from './errors';

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

/**
 * The environment variables of the reader app's own credential (`--reader-credential`): the
 * `AZURE_*` names stay the verifying identity's, so the reader app's secret never mixes with them.
 */
export const READER_SECRET_VARIABLES = ['READER_AZURE_CLIENT_SECRET', 'READER_AZURE_CLIENT_CERTIFICATE_PASSWORD'] as const;

/**
 * The audience a managed identity's token must carry to be exchanged for an app's token (workload
 * identity federation, "Configure an application to trust a managed identity",
 * learn.microsoft.com/entra/workload-id/workload-identity-federation-config-app-trust-managed-identity;
 * the same value the reader app's federated credentials use). Other clouds use other values, not
 * supported here.
 */
const TOKEN_EXCHANGE_SCOPE = 'api://AzureADTokenExchange/.default';

/**
 * `--reader-credential`: signs in as the reader app itself (`clientId`), to read the audit API as a SIEM
 * does. The kinds are those of `--credential`, resolved for the reader app:
 * - `environment`: `READER_AZURE_CLIENT_SECRET`, or `READER_AZURE_CLIENT_CERTIFICATE_PATH` (and
 *   `READER_AZURE_CLIENT_CERTIFICATE_PASSWORD`), in the tenant `tenantId`;
 * - `workload-identity`: a federated token file (`READER_AZURE_FEDERATED_TOKEN_FILE`, else `AZURE_FEDERATED_TOKEN_FILE`)
 *   that one of the reader app's federated credentials trusts;
 * - `managed-identity`: the host's managed identity (`AZURE_CLIENT_ID` picks a user-assigned one), trusted by a
 *   federated credential of the reader app (AzureCloud only);
 * - `azure-cli`: whoever `az login` is signed in as, which must be the reader app (the check compares the token's app id);
 * - `default`: the first of environment, workload-identity (each when its variables are set) and azure-cli that works.
 * Throws a ConfigError naming what is missing.
 */
export function createReaderCredential(
  kind: CredentialKind,
  app: { readonly clientId: string; readonly tenantId?: string },
  endpoints: ResolvedEndpoints,
  env: Readonly<Record<string, string | undefined>>,
  httpClient?: HttpClient,
): TokenCredential {
  const authority = { authorityHost: endpoints.authorityHost, disableInstanceDiscovery: endpoints.customAuthority, httpClient };
  const tenant = (): string => {
    if (!app.tenantId) throw new ConfigError('MissingLocation', `--reader-credential ${kind} signs in at the tenant, whose id is unknown: pass --tenant-id <guid> or set AZURE_TENANT_ID`);
    return app.tenantId;
  };
  const tokenFile = env.READER_AZURE_FEDERATED_TOKEN_FILE ?? env.AZURE_FEDERATED_TOKEN_FILE;
  const fromEnvironment = (): TokenCredential | undefined => {
    if (env.READER_AZURE_CLIENT_SECRET) return new ClientSecretCredential(tenant(), app.clientId, env.READER_AZURE_CLIENT_SECRET, authority);
    if (env.READER_AZURE_CLIENT_CERTIFICATE_PATH) {
      return new ClientCertificateCredential(tenant(), app.clientId, { certificatePath: env.READER_AZURE_CLIENT_CERTIFICATE_PATH, certificatePassword: env.READER_AZURE_CLIENT_CERTIFICATE_PASSWORD }, authority);
    }
    return undefined;
  };
  const workload = (): TokenCredential | undefined =>
    tokenFile ? new WorkloadIdentityCredential({ ...authority, tenantId: tenant(), clientId: app.clientId, tokenFilePath: tokenFile }) : undefined;
  switch (kind) {
    case 'environment': {
      const credential = fromEnvironment();
      if (!credential) {
        throw new ConfigError('ReaderCredentialUnavailable', '--reader-credential environment needs the reader app\'s own secret or certificate: set READER_AZURE_CLIENT_SECRET, or READER_AZURE_CLIENT_CERTIFICATE_PATH (AZURE_CLIENT_SECRET stays the verifying identity\'s)');
      }
      return credential;
    }
    case 'workload-identity': {
      const credential = workload();
      if (!credential) throw new ConfigError('ReaderCredentialUnavailable', '--reader-credential workload-identity needs a federated token file the reader app trusts: set READER_AZURE_FEDERATED_TOKEN_FILE (or AZURE_FEDERATED_TOKEN_FILE)');
      return credential;
    }
    case 'managed-identity': {
      if (endpoints.cloud !== 'AzureCloud') {
        throw new ConfigError('ReaderCredentialUnavailable', `--reader-credential managed-identity is supported in AzureCloud only (the token exchange audience differs in ${endpoints.cloud}); use environment or workload-identity`);
      }
      const identity = env.AZURE_CLIENT_ID ? new ManagedIdentityCredential({ clientId: env.AZURE_CLIENT_ID, httpClient }) : new ManagedIdentityCredential({ httpClient });
      return new ClientAssertionCredential(tenant(), app.clientId, async () => {
        const token = await identity.getToken(TOKEN_EXCHANGE_SCOPE);
        if (!token) throw new Error('the managed identity returned no token for the token exchange');
        return token.token;
      }, authority);
    }
    case 'azure-cli':
      return new AzureCliCredential({ tenantId: app.tenantId });
    case 'default': {
      const chain = [fromEnvironment(), workload(), new AzureCliCredential({ tenantId: app.tenantId })].filter((c): c is TokenCredential => c !== undefined);
      return chain.length === 1 ? (chain[0] as TokenCredential) : new ChainedTokenCredential(...chain);
    }
  }
}
