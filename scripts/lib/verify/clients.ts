import type { TokenCredential } from '@azure/identity';
import { MonitorClient } from '@azure/arm-monitor';
import { LogsQueryClient } from '@azure/monitor-query-logs';
import { BlobServiceClient } from '@azure/storage-blob';
import { blobEndpointFor, type ResolvedEndpoints } from './clouds';
import { ConfigError } from './errors';
import { createJsonClient, type JsonClient } from './json-client';
import { armName, armSubscription } from './outputs';

/**
 * The Azure clients the checks use, built once per run. SDK-level retries are switched off
 * (`maxRetries: 0`, `maxTries: 1`): `withRetry` does the retrying, with a sleep tests can inject.
 */
export interface VerifyClients {
  readonly armEndpoint: string;
  readonly graphEndpoint: string;
  readonly arm: JsonClient;
  readonly graph: JsonClient;
  readonly logs: Pick<LogsQueryClient, 'queryWorkspace'>;
  metrics(namespaceId: string): Pick<MonitorClient, 'metrics'>;
  /** Where storage is read from, for messages: never the connection string itself. */
  readonly blobSource: (storageAccountId: string | undefined) => string;
  blob(storageAccountId: string | undefined): BlobServiceClient;
}

export interface ClientOptions {
  readonly credential: TokenCredential;
  readonly endpoints: ResolvedEndpoints;
  /** `AZURE_STORAGE_CONNECTION_STRING`, when set: storage is read with it instead of the credential. */
  readonly storageConnectionString?: string;
  /** Extra trusted CA (tests running in-process); the child-process test uses NODE_EXTRA_CA_CERTS instead. */
  readonly ca?: string;
}

export function createClients(options: ClientOptions): VerifyClients {
  const { credential, endpoints, ca } = options;
  const tlsOptions = ca === undefined ? undefined : { ca };
  const logs = new LogsQueryClient(credential, {
    endpoint: endpoints.logsEndpoint,
    credentials: { scopes: [endpoints.logsScope] },
    retryOptions: { maxRetries: 0 },
    tlsOptions,
  });
  const metricsClients = new Map<string, MonitorClient>();
  let blobClient: BlobServiceClient | undefined;
  return {
    armEndpoint: endpoints.armEndpoint,
    graphEndpoint: endpoints.graphEndpoint,
    arm: createJsonClient({ credential, scope: endpoints.armScope, service: 'Azure Resource Manager', ca }),
    graph: createJsonClient({ credential, scope: endpoints.graphScope, service: 'Microsoft Graph', ca }),
    logs,
    metrics(namespaceId) {
      const subscription = armSubscription(namespaceId) ?? '00000000-0000-0000-0000-000000000000';
      let client = metricsClients.get(subscription);
      if (!client) {
        client = new MonitorClient(credential, subscription, {
          endpoint: endpoints.armEndpoint,
          $host: endpoints.armEndpoint,
          credentialScopes: [endpoints.armScope],
          retryOptions: { maxRetries: 0 },
          tlsOptions,
        });
        metricsClients.set(subscription, client);
      }
      return client;
    },
    blobSource(storageAccountId) {
      if (options.storageConnectionString) return 'AZURE_STORAGE_CONNECTION_STRING';
      return storageAccountId ? blobEndpointFor(endpoints, armName(storageAccountId)) : 'no storage account';
    },
    blob(storageAccountId) {
      if (blobClient) return blobClient;
      if (options.storageConnectionString) {
        blobClient = BlobServiceClient.fromConnectionString(options.storageConnectionString, { retryOptions: { maxTries: 1 } });
      } else {
        if (!storageAccountId) throw new ConfigError('MissingLocation', 'the stack routes to storage but no storage account is known; pass --storage-account-id or set AZURE_STORAGE_CONNECTION_STRING');
        blobClient = new BlobServiceClient(blobEndpointFor(endpoints, armName(storageAccountId)), credential, { retryOptions: { maxTries: 1 } });
      }
      return blobClient;
    },
  };
}
