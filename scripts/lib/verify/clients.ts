import type { TokenCredential } from '@azure/identity';
import { MonitorClient } from '@azure/arm-monitor';
import { LogsQueryClient } from '@azure/monitor-query-logs';
import { BlobServiceClient } from '@azure/storage-blob';
import { blobEndpointFor, type ResolvedEndpoints } from './clouds';
import { ConfigError } from './errors';
import { createJsonClient, type JsonClient } from './json-client';
import { armName, armSubscription } from './outputs';
import { coreHttpClient, storageHttpClient, type TransportOptions } from './transport';

/**
 * The Azure clients the checks use, built once per run. SDK-level retries are switched off
 * (`maxRetries: 0`, `maxTries: 1`): `withRetry` does the retrying, with a sleep tests can inject.
 * Every client sends through the bounded transport (./transport.ts), one per service so that its
 * refusals name the flag to check.
 */
export interface VerifyClients {
  readonly armEndpoint: string;
  readonly graphEndpoint: string;
  readonly arm: JsonClient;
  readonly graph: JsonClient;
  readonly logs: Pick<LogsQueryClient, 'queryWorkspace'>;
  metrics(namespaceId: string): Pick<MonitorClient, 'metrics'>;
  /** Signed in as the reader app (`--reader-credential`): its credential and a Graph client that uses it. */
  readonly reader?: ReaderClients;
  /** Where storage is read from, for messages: never the connection string itself. */
  readonly blobSource: (storageAccountId: string | undefined) => string;
  blob(storageAccountId: string | undefined): BlobServiceClient;
}

export interface ReaderClients {
  /** The `--reader-credential` kind, for messages. */
  readonly kind: string;
  readonly credential: TokenCredential;
  /** The Microsoft Graph token scope of the cloud. */
  readonly scope: string;
  readonly graph: JsonClient;
}

export interface ClientOptions {
  readonly credential: TokenCredential;
  /** The reader app's credential (`--reader-credential`), when given. */
  readonly reader?: { readonly kind: string; readonly credential: TokenCredential };
  readonly endpoints: ResolvedEndpoints;
  /** `AZURE_STORAGE_CONNECTION_STRING`, when set: storage is read with it instead of the credential. */
  readonly storageConnectionString?: string;
  /** Extra trusted CA (tests running in-process); the child-process test uses NODE_EXTRA_CA_CERTS instead. */
  readonly ca?: string;
  /** The transport's response limit. @default MAX_RESPONSE_BYTES */
  readonly maxResponseBytes?: number;
  /** The transport's backstop per request (withRetry's deadlines come first). */
  readonly backstopMs: number;
}

/** The transport settings of one service. */
export function transportFor(options: Pick<ClientOptions, 'ca' | 'maxResponseBytes' | 'backstopMs'>, service: string, flag: string): TransportOptions {
  return { service, check: `${flag} and --cloud`, ca: options.ca, maxResponseBytes: options.maxResponseBytes, backstopMs: options.backstopMs };
}

export function createClients(options: ClientOptions): VerifyClients {
  const { credential, endpoints } = options;
  const armTransport = transportFor(options, 'Azure Resource Manager', '--arm-endpoint');
  const logs = new LogsQueryClient(credential, {
    endpoint: endpoints.logsEndpoint,
    credentials: { scopes: [endpoints.logsScope] },
    retryOptions: { maxRetries: 0 },
    httpClient: coreHttpClient(transportFor(options, 'Log Analytics', '--logs-endpoint')),
  });
  const metricsClients = new Map<string, MonitorClient>();
  let blobClient: BlobServiceClient | undefined;
  return {
    armEndpoint: endpoints.armEndpoint,
    graphEndpoint: endpoints.graphEndpoint,
    arm: createJsonClient({ credential, scope: endpoints.armScope, transport: armTransport }),
    graph: createJsonClient({ credential, scope: endpoints.graphScope, transport: transportFor(options, 'Microsoft Graph', '--graph-endpoint') }),
    logs,
    reader: options.reader && {
      kind: options.reader.kind,
      credential: options.reader.credential,
      scope: endpoints.graphScope,
      graph: createJsonClient({ credential: options.reader.credential, scope: endpoints.graphScope, transport: transportFor(options, 'Microsoft Graph (as the reader app)', '--graph-endpoint') }),
    },
    metrics(namespaceId) {
      const subscription = armSubscription(namespaceId) ?? '00000000-0000-0000-0000-000000000000';
      let client = metricsClients.get(subscription);
      if (!client) {
        // @azure/arm-monitor 8 (a generated "modular" client on @azure-rest/core-client): `endpoint`
        // and `credentials.scopes` replace 7.x's `$host` and `credentialScopes`.
        client = new MonitorClient(credential, subscription, {
          endpoint: endpoints.armEndpoint,
          credentials: { scopes: [endpoints.armScope] },
          retryOptions: { maxRetries: 0 },
          httpClient: coreHttpClient(armTransport),
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
      const pipeline = {
        retryOptions: { maxTries: 1 },
        httpClient: storageHttpClient(transportFor(options, 'Azure Storage', options.storageConnectionString ? 'AZURE_STORAGE_CONNECTION_STRING (its BlobEndpoint)' : '--blob-endpoint')),
      };
      if (options.storageConnectionString) {
        blobClient = BlobServiceClient.fromConnectionString(options.storageConnectionString, pipeline);
      } else {
        if (!storageAccountId) throw new ConfigError('MissingLocation', 'the stack routes to storage but no storage account is known; pass --storage-account-id or set AZURE_STORAGE_CONNECTION_STRING');
        blobClient = new BlobServiceClient(blobEndpointFor(endpoints, armName(storageAccountId)), credential, pipeline);
      }
      return blobClient;
    },
  };
}
