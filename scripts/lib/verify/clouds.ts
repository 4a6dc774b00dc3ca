/**
 * Endpoints per Azure cloud, and the token scopes that go with them.
 *
 * Sources:
 * - authority hosts: `@azure/identity` 4.13.1 `AzureAuthorityHosts` (AzurePublicCloud, AzureGovernment, AzureChina);
 * - Resource Manager: `az cloud show` endpoints `resourceManager` (management.azure.com,
 *   management.usgovcloudapi.net, management.chinacloudapi.cn), as quoted in docker/compose-cli#658
 *   (AzureUSGovernment) and the Az PowerShell environment list (`AllEnvironments.cache.json`, AzureChinaCloud
 *   `ResourceManagerUrl`, `StorageEndpointSuffix`);
 * - Log Analytics query API: learn.microsoft.com `azure-monitor/logs/api/request-format` (api.loganalytics.azure.com,
 *   the China edition docs.azure.cn gives api.loganalytics.azure.cn), `az cloud show` `logAnalyticsResourceId`
 *   for US Gov (api.loganalytics.us); token audiences from `@azure/monitor-query-logs` 1.0.0
 *   `KnownMonitorLogsQueryAudience` (api.loganalytics.io, api.loganalytics.us, api.loganalytics.azure.cn);
 * - Blob storage DNS suffixes: `StorageEndpointSuffix` core.windows.net / core.usgovcloudapi.net / core.chinacloudapi.cn;
 * - Microsoft Graph: learn.microsoft.com `graph/deployments` (graph.microsoft.com, graph.microsoft.us for
 *   US Government L4, microsoftgraph.chinacloudapi.cn for 21Vianet).
 */
export type CloudName = 'AzureCloud' | 'AzureUSGovernment' | 'AzureChinaCloud';

export const CLOUD_NAMES: readonly CloudName[] = ['AzureCloud', 'AzureUSGovernment', 'AzureChinaCloud'];

export interface CloudEndpoints {
  /** Microsoft Entra token issuer. */
  readonly authorityHost: string;
  /** Azure Resource Manager. */
  readonly armEndpoint: string;
  /** Log Analytics query API base, version segment included. */
  readonly logsEndpoint: string;
  /** `https://<account>.blob.<suffix>`; `{account}` is replaced. */
  readonly blobEndpointTemplate: string;
  /** Microsoft Graph root (no version segment). */
  readonly graphEndpoint: string;
  /** Token scopes. They follow the cloud, never an endpoint override (a private endpoint keeps its audience). */
  readonly armScope: string;
  readonly logsScope: string;
  readonly graphScope: string;
}

export const CLOUDS: Readonly<Record<CloudName, CloudEndpoints>> = {
  AzureCloud: {
    authorityHost: 'https://login.microsoftonline.com',
    armEndpoint: 'https://management.azure.com',
    logsEndpoint: 'https://api.loganalytics.io/v1',
    blobEndpointTemplate: 'https://{account}.blob.core.windows.net',
    graphEndpoint: 'https://graph.microsoft.com',
    armScope: 'https://management.azure.com/.default',
    logsScope: 'https://api.loganalytics.io/.default',
    graphScope: 'https://graph.microsoft.com/.default',
  },
  AzureUSGovernment: {
    authorityHost: 'https://login.microsoftonline.us',
    armEndpoint: 'https://management.usgovcloudapi.net',
    logsEndpoint: 'https://api.loganalytics.us/v1',
    blobEndpointTemplate: 'https://{account}.blob.core.usgovcloudapi.net',
    graphEndpoint: 'https://graph.microsoft.us',
    armScope: 'https://management.usgovcloudapi.net/.default',
    logsScope: 'https://api.loganalytics.us/.default',
    graphScope: 'https://graph.microsoft.us/.default',
  },
  AzureChinaCloud: {
    authorityHost: 'https://login.chinacloudapi.cn',
    armEndpoint: 'https://management.chinacloudapi.cn',
    logsEndpoint: 'https://api.loganalytics.azure.cn/v1',
    blobEndpointTemplate: 'https://{account}.blob.core.chinacloudapi.cn',
    graphEndpoint: 'https://microsoftgraph.chinacloudapi.cn',
    armScope: 'https://management.chinacloudapi.cn/.default',
    logsScope: 'https://api.loganalytics.azure.cn/.default',
    graphScope: 'https://microsoftgraph.chinacloudapi.cn/.default',
  },
};

/** Explicit overrides from the command line (sovereign clouds, private endpoints, tests). */
export interface EndpointOverrides {
  readonly authorityHost?: string;
  readonly armEndpoint?: string;
  readonly logsEndpoint?: string;
  readonly blobEndpoint?: string;
  readonly graphEndpoint?: string;
}

export interface ResolvedEndpoints extends CloudEndpoints {
  readonly cloud: CloudName;
  /** Set when `--blob-endpoint` was given; otherwise derived from the storage account name. */
  readonly blobEndpoint?: string;
  /** True when the authority host is not the cloud's own (turns off MSAL instance discovery). */
  readonly customAuthority: boolean;
}

const trimSlash = (url: string): string => url.replace(/\/+$/, '');

export function resolveEndpoints(cloud: CloudName, overrides: EndpointOverrides = {}): ResolvedEndpoints {
  const base = CLOUDS[cloud];
  return {
    ...base,
    cloud,
    authorityHost: trimSlash(overrides.authorityHost ?? base.authorityHost),
    armEndpoint: trimSlash(overrides.armEndpoint ?? base.armEndpoint),
    logsEndpoint: trimSlash(overrides.logsEndpoint ?? base.logsEndpoint),
    graphEndpoint: trimSlash(overrides.graphEndpoint ?? base.graphEndpoint),
    blobEndpoint: overrides.blobEndpoint === undefined ? undefined : trimSlash(overrides.blobEndpoint),
    customAuthority: overrides.authorityHost !== undefined && trimSlash(overrides.authorityHost) !== base.authorityHost,
  };
}

/** The blob endpoint of a storage account: the override, or `https://<name>.blob.<cloud suffix>`. */
export function blobEndpointFor(endpoints: ResolvedEndpoints, accountName: string): string {
  return endpoints.blobEndpoint ?? endpoints.blobEndpointTemplate.replace('{account}', accountName);
}
