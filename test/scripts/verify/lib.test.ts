/** The pure modules behind `npm run verify`, one describe per file. */
import { hubTargets, metricInterval, metricsResourceUri, namespaceId } from '../../../scripts/lib/verify/checks/event-hub';
import { buildArrivalQuery } from '../../../scripts/lib/verify/checks/log-analytics';
import { dayPrefixes, MAX_DAY_PREFIXES } from '../../../scripts/lib/verify/checks/storage';
import { parseCliOptions } from '../../../scripts/lib/verify/cli-options';
import { blobEndpointFor, resolveEndpoints } from '../../../scripts/lib/verify/clouds';
import { createCredential, createReaderCredential } from '../../../scripts/lib/verify/credential';
import { assessCredentials, tokenClaims } from '../../../scripts/lib/verify/checks/reader-app';
import type { CheckContext } from '../../../scripts/lib/verify/context';
import { formatDuration, parseDuration, parseIsoDuration } from '../../../scripts/lib/verify/duration';
import { ConfigError, HttpStatusError } from '../../../scripts/lib/verify/errors';
import { categoriesFor, readExpectations } from '../../../scripts/lib/verify/expectations';
import { missingLocations } from '../../../scripts/lib/verify/needs';
import { applyOverrides, parseOutputs, readTerraformOutputs, terraformMessage } from '../../../scripts/lib/verify/outputs';
import { connectionStringSecrets, recordingCredential, redact, redactDeep, SecretRegistry } from '../../../scripts/lib/verify/redact';
import { palette } from '../../../scripts/lib/io/colour';
import { renderTable } from '../../../scripts/lib/verify/render/table';
import { outcomeOf, result, SCHEMA_VERSION, type VerifyReport } from '../../../scripts/lib/verify/report';
import { type Deadlines, retryAfterMs, withRetry } from '../../../scripts/lib/verify/retry';
import { DeadlineError } from '../../../scripts/lib/verify/errors';
import { outputsJson, synthJson } from './support/harness';

const throwsConfig = (fn: () => unknown): ConfigError => {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('expected a ConfigError');
};

describe('duration', () => {
  test.each([['PT1H', 3_600_000], ['PT30M', 1_800_000], ['P1D', 86_400_000], ['P1DT12H', 129_600_000], ['PT0.5S', 500], ['pt90m', 5_400_000], ['P1W', 604_800_000]])('%s', (text, ms) => {
    expect(parseIsoDuration(text)).toBe(ms);
  });
  test.each(['1h', 'P', 'PT', 'P1M', 'P1Y', '', 'PT1H30'])('refuses %j', (text) => expect(parseIsoDuration(text)).toBeUndefined());
  test.each([['30m', 1_800_000, 'PT30M'], ['1h', 3_600_000, 'PT1H'], ['7d', 604_800_000, 'P7D'], ['90s', 90_000, 'PT90S'], ['1.5h', 5_400_000, 'PT1.5H'], ['2H', 7_200_000, 'PT2H'], ['pt1h', 3_600_000, 'PT1H']])('short and ISO forms: %s', (text, ms, iso) => {
    expect(parseDuration(text)).toEqual({ ms, iso });
  });
  test.each(['1y', '1mo', 'h', '1 hour', '-1h', ''])('refuses %j', (text) => expect(parseDuration(text)).toBeUndefined());
  test('formats', () => expect([45_000, 190_000, 7_500_000, 100_000_000].map(formatDuration)).toEqual(['45s', '3m 10s', '2h 5m', '1d 3h']));
});

describe('expectations (cdk.tf.json)', () => {
  test('reads settings, categories and destination references', () => {
    const e = readExpectations(JSON.stringify(synthJson()), 'cdk.tf.json');
    expect(e.settings).toEqual([expect.objectContaining({ name: 'entra-audit-test', categories: ['AuditLogs', 'SignInLogs'], eventHubName: '${azurerm_eventhub.Entra.name}' })]);
    expect(categoriesFor(e, 'storage')).toEqual(['AuditLogs', 'SignInLogs']);
  });
  test('categories per destination come from the settings that route there', () => {
    const doc = {
      resource: {
        azurerm_monitor_aad_diagnostic_setting: {
          a: { name: 'a', enabled_log: [{ category: 'AuditLogs' }], log_analytics_workspace_id: 'x' },
          b: { name: 'b', enabled_log: [{ category: 'SignInLogs' }, { category: 'AuditLogs' }], storage_account_id: 'y' },
        },
      },
    };
    const e = readExpectations(JSON.stringify(doc), 'f');
    expect(categoriesFor(e, 'log-analytics')).toEqual(['AuditLogs']);
    expect(categoriesFor(e, 'storage')).toEqual(['SignInLogs', 'AuditLogs']);
    expect(categoriesFor(e, 'event-hub')).toEqual([]);
  });
  test('fails on a stack without settings, a setting without destination or logs, and non-JSON', () => {
    expect(throwsConfig(() => readExpectations('{"resource":{}}', 'f')).code).toBe('NoDiagnosticSettings');
    expect(throwsConfig(() => readExpectations(JSON.stringify({ resource: { azurerm_monitor_aad_diagnostic_setting: { s: { name: 'n', enabled_log: [{ category: 'AuditLogs' }] } } } }), 'f')).message).toContain('no destination');
    expect(throwsConfig(() => readExpectations(JSON.stringify({ resource: { azurerm_monitor_aad_diagnostic_setting: { s: { name: 'n', enabled_log: [], storage_account_id: 'x' } } } }), 'f')).message).toContain('azurerm_monitor_aad_diagnostic_setting.s.enabled_log');
    expect(throwsConfig(() => readExpectations('nope', 'f')).message).toContain('run `npm run synth` again');
  });
});

describe('outputs', () => {
  test('reads the contract outputs and lets flags win', () => {
    const loc = parseOutputs(JSON.stringify(outputsJson('7f000000-0000-4000-8000-000000000001')), 'o');
    expect(loc).toMatchObject({ workspaceId: '6c9d6f5e-2b1a-4c3d-9e8f-0a1b2c3d4e5f', eventHubName: 'entra-logs', diagnosticSettingNames: ['entra-audit-test'] });
    expect(applyOverrides(loc, { eventHubName: 'other', workspaceId: undefined }).eventHubName).toBe('other');
    expect(applyOverrides(loc, { workspaceId: undefined }).workspaceId).toBe(loc.workspaceId);
  });
  test('an absent output is simply unknown; a wrongly typed one is an error', () => {
    expect(parseOutputs('{}', 'o')).toEqual({});
    expect(throwsConfig(() => parseOutputs(JSON.stringify({ eventhub_name: { value: 3 } }), 'o')).message).toContain('eventhub_name should be a string, got 3');
    expect(throwsConfig(() => parseOutputs('[1]', 'o')).code).toBe('OutputsInvalid');
  });
  const need = [{ key: 'workspaceId', flag: '--workspace-id', what: 'the Log Analytics workspace GUID' }] as const;
  test('runs terraform output -json in the stack directory, bounded in time', async () => {
    const calls: unknown[] = [];
    await readTerraformOutputs('/s', async (file, args, options) => {
      calls.push([file, args, options.cwd, options.timeoutMs]);
      return '{}';
    }, need, 5_000);
    expect(calls).toEqual([['terraform', ['output', '-json'], '/s', 5_000]]);
  });
  test("a failed terraform output reports Terraform's own error and the flags that would avoid it", async () => {
    const stderr = '\x1b[31m╷\x1b[0m\n\x1b[31m│\x1b[0m \x1b[1m\x1b[31mError: \x1b[0m\x1b[1mBackend initialization required, please run "terraform init"\x1b[0m\n│ \n│ Reason: Initial configuration of the requested backend "azurerm"\n╵\n';
    const failed = Object.assign(new Error('Command failed: terraform output -json\n' + stderr), { code: 1, stderr });
    await expect(readTerraformOutputs('/s', async () => {
      throw failed;
    }, [...need, { key: 'storageAccountId', flag: '--storage-account-id', what: 'the storage account' }])).rejects.toThrow(
      '`terraform output -json` failed in /s: Error: Backend initialization required, please run "terraform init" Reason: Initial configuration of the requested backend "azurerm". ' +
        'It was run for the Log Analytics workspace GUID (--workspace-id), the storage account (--storage-account-id), which no flag gave: pass those flags, or --outputs <file> holding the JSON of `terraform output -json`',
    );
    await expect(readTerraformOutputs('/s', async () => {
      throw Object.assign(new Error('spawn terraform ENOENT'), { code: 'ENOENT' });
    }, need)).rejects.toThrow('failed in /s: terraform is not installed (not found on PATH). It was run for the Log Analytics workspace GUID (--workspace-id), which no flag gave: pass that flag, or --outputs <file>');
    await expect(readTerraformOutputs('/s', async () => {
      throw Object.assign(new Error('Command failed'), { killed: true, signal: 'SIGTERM', stderr: '' });
    }, need, 120_000)).rejects.toThrow('failed in /s: it did not finish within 120 s.');
  });
  test('terraformMessage keeps the words, drops colours and the box', () => {
    expect(terraformMessage('\x1b[33m╷\x1b[0m\n│ Warning: No outputs found\n╵\n')).toBe('Warning: No outputs found');
  });
});

describe('locations needed (terraform output runs only for these)', () => {
  const synth = (extra: Record<string, unknown> = {}) => readExpectations(JSON.stringify({ ...(synthJson() as object), ...extra }), 'f');
  const base = { skip: [], canary: false, storageConnectionString: false, tenantFromEnvironment: false } as const;
  const flags = { workspaceId: 'w', eventHubNamespaceId: 'n', eventHubName: 'h', storageAccountId: 's' };
  test('the four location flags are enough for the arrival checks', () => {
    expect(missingLocations({ ...base, expectations: synth(), known: flags })).toEqual([]);
    expect(missingLocations({ ...base, expectations: synth(), known: {} }).map((n) => n.flag)).toEqual(['--workspace-id', '--eventhub-namespace-id', '--eventhub-name', '--storage-account-id']);
  });
  test('skipped checks need nothing; a connection string stands in for the storage account', () => {
    expect(missingLocations({ ...base, expectations: synth(), known: {}, skip: ['log-analytics', 'event-hub'], storageConnectionString: true })).toEqual([]);
  });
  test('the canary needs its app and the AuditLogs destinations even when their checks are skipped', () => {
    expect(missingLocations({ ...base, expectations: synth(), known: { eventHubName: 'h' }, canary: true, skip: ['log-analytics', 'event-hub', 'storage'] }).map((n) => n.flag))
      .toEqual(['--canary-app-object-id', '--workspace-id', '--eventhub-namespace-id', '--storage-account-id']);
  });
  test('a stack with a reader app needs its client id; signing in as it needs the tenant unless AZURE_TENANT_ID is set', () => {
    const withReader = synth({ output: { reader_app_client_id: { value: '${azuread_application.ReaderApp_1.client_id}' } } });
    expect(missingLocations({ ...base, expectations: withReader, known: flags }).map((n) => n.flag)).toEqual(['--reader-app-client-id']);
    expect(missingLocations({ ...base, expectations: withReader, known: flags, skip: ['reader-app'] })).toEqual([]);
    expect(missingLocations({ ...base, expectations: withReader, known: { ...flags, readerAppClientId: 'r' }, readerCredential: 'environment' }).map((n) => n.flag)).toEqual(['--tenant-id']);
    expect(missingLocations({ ...base, expectations: withReader, known: { ...flags, readerAppClientId: 'r' }, readerCredential: 'environment', tenantFromEnvironment: true })).toEqual([]);
    expect(missingLocations({ ...base, expectations: withReader, known: { ...flags, readerAppClientId: 'r' }, readerCredential: 'azure-cli' })).toEqual([]);
  });
  test('literal outputs in the synth are known without terraform (tenant_id)', () => {
    const e = synth({ output: { tenant_id: { value: '7f000000-0000-4000-8000-000000000001' }, storage_account_id: { value: '${azurerm_storage_account.Archive.id}' } } });
    expect(e.literalOutputs).toEqual({ tenant_id: { value: '7f000000-0000-4000-8000-000000000001' } });
    expect(e.readerApp).toBe(false);
  });
});

describe('clouds', () => {
  test('each cloud has its own endpoints and scopes', () => {
    expect(resolveEndpoints('AzureUSGovernment')).toMatchObject({ armEndpoint: 'https://management.usgovcloudapi.net', logsEndpoint: 'https://api.loganalytics.us/v1', graphEndpoint: 'https://graph.microsoft.us', authorityHost: 'https://login.microsoftonline.us', customAuthority: false });
    expect(resolveEndpoints('AzureChinaCloud')).toMatchObject({ armEndpoint: 'https://management.chinacloudapi.cn', logsScope: 'https://api.loganalytics.azure.cn/.default', graphEndpoint: 'https://microsoftgraph.chinacloudapi.cn' });
    expect(blobEndpointFor(resolveEndpoints('AzureCloud'), 'staudit')).toBe('https://staudit.blob.core.windows.net');
  });
  test('overrides change endpoints, never scopes', () => {
    const e = resolveEndpoints('AzureCloud', { armEndpoint: 'https://127.0.0.1:8443/', authorityHost: 'https://127.0.0.1:8443', blobEndpoint: 'https://pe.example/' });
    expect(e).toMatchObject({ armEndpoint: 'https://127.0.0.1:8443', armScope: 'https://management.azure.com/.default', customAuthority: true });
    expect(blobEndpointFor(e, 'staudit')).toBe('https://pe.example');
  });
});

describe('credential', () => {
  test('each --credential kind builds its @azure/identity class (nothing is requested until getToken)', () => {
    const endpoints = resolveEndpoints('AzureCloud');
    const env = { AZURE_TENANT_ID: '7f000000-0000-4000-8000-000000000001', AZURE_CLIENT_ID: '7f000000-0000-4000-8000-000000000002', AZURE_FEDERATED_TOKEN_FILE: '/dev/null' };
    expect(Object.fromEntries((['default', 'azure-cli', 'environment', 'managed-identity', 'workload-identity'] as const).map((k) => [k, createCredential(k, endpoints, env).constructor.name]))).toEqual({
      default: 'DefaultAzureCredential',
      'azure-cli': 'AzureCliCredential',
      environment: 'EnvironmentCredential',
      'managed-identity': 'ManagedIdentityCredential',
      'workload-identity': 'WorkloadIdentityCredential',
    });
  });
});

describe('reader credential', () => {
  const app = { clientId: '7f000000-0000-4000-8000-0000000000a1', tenantId: '7f000000-0000-4000-8000-000000000001' };
  const endpoints = resolveEndpoints('AzureCloud');
  test('each --reader-credential kind signs in as the reader app, from the READER_ variables', () => {
    const name = (kind: Parameters<typeof createReaderCredential>[0], env: Record<string, string> = {}) => createReaderCredential(kind, app, endpoints, env).constructor.name;
    expect(name('environment', { READER_AZURE_CLIENT_SECRET: 's3cret-value' })).toBe('ClientSecretCredential');
    expect(name('environment', { READER_AZURE_CLIENT_CERTIFICATE_PATH: '/dev/null' })).toBe('ClientCertificateCredential');
    expect(name('workload-identity', { READER_AZURE_FEDERATED_TOKEN_FILE: '/dev/null' })).toBe('WorkloadIdentityCredential');
    expect(name('managed-identity')).toBe('ClientAssertionCredential');
    expect(name('azure-cli')).toBe('AzureCliCredential');
    expect(name('default')).toBe('AzureCliCredential');
    expect(name('default', { READER_AZURE_CLIENT_SECRET: 's3cret-value' })).toBe('ChainedTokenCredential');
  });
  test('says what is missing', () => {
    expect(throwsConfig(() => createReaderCredential('environment', app, endpoints, { AZURE_CLIENT_SECRET: 'not-the-readers' })).message).toContain('set READER_AZURE_CLIENT_SECRET, or READER_AZURE_CLIENT_CERTIFICATE_PATH');
    expect(throwsConfig(() => createReaderCredential('workload-identity', app, endpoints, {})).message).toContain('set READER_AZURE_FEDERATED_TOKEN_FILE');
    expect(throwsConfig(() => createReaderCredential('environment', { clientId: app.clientId }, endpoints, { READER_AZURE_CLIENT_SECRET: 's' })).message).toContain('pass --tenant-id <guid> or set AZURE_TENANT_ID');
    expect(throwsConfig(() => createReaderCredential('managed-identity', app, resolveEndpoints('AzureUSGovernment'), {})).message).toContain('AzureCloud only');
  });
});

describe('reader-app credentials', () => {
  const now = new Date('2026-06-01T00:00:00Z');
  const at = (days: number) => new Date(now.getTime() + days * 86_400_000);
  const secret = (name: string, from: number, to: number) => ({ name, start: at(from), end: at(to) });
  test('pass when one is valid beyond 30 days, even with the other slot expired', () => {
    expect(assessCredentials('client secret', [secret('a', -200, -1), secret('b', -10, 31)], now).status).toBe('pass');
  });
  test('warn when the newest expires within 30 days, with the date', () => {
    expect(assessCredentials('client secret', [secret('a', -100, 30)], now)).toEqual({
      status: 'warn',
      message: 'the newest client secret, a, expires 2026-07-01T00:00:00Z (in 30 days) and none takes over after it: rotate before then (run the deployment after the slot\'s rotation date; only an apply rotates). All: a valid until 2026-07-01T00:00:00Z (in 30 days)',
    });
  });
  test('an upcoming secret counts only if it starts before the current ones end', () => {
    expect(assessCredentials('client secret', [secret('a', -100, 20), secret('b', 10, 190)], now).status).toBe('pass');
    expect(assessCredentials('client secret', [secret('a', -100, 20), secret('b', 25, 190)], now)).toMatchObject({ status: 'warn', message: expect.stringContaining('the newest client secret, a, expires') });
  });
  test('fail when none is valid now: all expired, or the next not started', () => {
    expect(assessCredentials('client secret', [secret('a', -200, -1)], now)).toMatchObject({ status: 'fail', message: expect.stringMatching(/^every client secret has expired \(a expired 2026-05-31T00:00:00Z\)/) });
    expect(assessCredentials('certificate', [secret('a', 2, 100)], now)).toMatchObject({ status: 'fail', message: expect.stringMatching(/^no certificate is valid now \(a valid from 2026-06-03T00:00:00Z until .*\); a SIEM cannot sign in before 2026-06-03T00:00:00Z$/) });
  });
  test('a secret without an end date never expires', () => {
    expect(assessCredentials('client secret', [{ name: 'x' }], now)).toEqual({ status: 'pass', message: '1 client secret(s): x valid with no end date' });
  });
  test('token claims: appid (or azp) and roles from a JWT, nothing from an opaque token', () => {
    const jwt = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ appid: 'a1', roles: ['AuditLog.Read.All', 3] })).toString('base64url')}.sig`;
    expect(tokenClaims(jwt)).toEqual({ appId: 'a1', roles: ['AuditLog.Read.All'] });
    expect(tokenClaims(`x.${Buffer.from('{"azp":"a2"}').toString('base64url')}.y`)).toEqual({ appId: 'a2', roles: undefined });
    expect(tokenClaims('opaque-token-value')).toBeUndefined();
    expect(tokenClaims('a.!!!.c')).toBeUndefined();
  });
});

describe('cli options', () => {
  test('defaults', () => {
    expect(parseCliOptions(['--stack', 'contoso-prod'])).toMatchObject({ since: 'PT1H', sinceMs: 3_600_000, timeoutMs: 1_800_000, pollIntervalMs: 30_000, credential: 'default', cloud: 'AzureCloud', format: 'table', wait: false, canary: false, cdktfOut: 'cdktf.out' });
  });
  test('collects every mistake into one error', () => {
    const error = throwsConfig(() => parseCliOptions(['--credential', 'magic', '--cloud', 'AzureGermany', '--arm-endpoint', 'http://127.0.0.1', '--json', '--markdown', '--workspace-id', 'ws']));
    for (const text of ['--stack <name> is required', '--credential must be one of default, azure-cli', '--cloud must be one of', '--arm-endpoint must be https://', '--json and --markdown cannot be combined', '--workspace-id must be a GUID']) {
      expect(error.message).toContain(text);
    }
  });
  test('skipping every check is refused unless --canary is given', () => {
    expect(throwsConfig(() => parseCliOptions(['--stack', 's', '--skip', 'diagnostic-settings,log-analytics,event-hub,storage,reader-app'])).message).toContain('--skip leaves nothing to verify');
    expect(parseCliOptions(['--stack', 's', '--canary', '--skip', 'diagnostic-settings,log-analytics,event-hub,storage,reader-app']).skip).toHaveLength(5);
    expect(parseCliOptions(['--stack', 's', '--skip', 'diagnostic-settings,log-analytics,event-hub,storage']).skip).toHaveLength(4);
  });
  test('unknown flags are refused', () => expect(throwsConfig(() => parseCliOptions(['--stack', 's', '--frobnicate'])).message).toContain("Unknown option '--frobnicate'"));
});

describe('retry', () => {
  const ctx = (sleeps: number[]) => ({ sleep: async (ms: number) => void sleeps.push(ms), random: () => 0.25, now: () => new Date('2026-01-01T00:00:00Z') });
  const failing = (statuses: number[], headers: Record<string, string> = {}) => {
    let i = 0;
    return async () => {
      const s = statuses[i++];
      if (s === undefined) return 'ok';
      throw new HttpStatusError(s, headers, `status ${s}`);
    };
  };
  test('backs off exponentially with full jitter on 5xx', async () => {
    const sleeps: number[] = [];
    await expect(withRetry('op', failing([500, 502, 503]), ctx(sleeps))).resolves.toBe('ok');
    expect(sleeps).toEqual([250, 500, 1000]);
  });
  test('honours Retry-After as seconds or as an HTTP date, capped', async () => {
    const sleeps: number[] = [];
    await withRetry('op', failing([429], { 'retry-after': '12' }), ctx(sleeps));
    await withRetry('op', failing([429], { 'retry-after': 'Thu, 01 Jan 2026 00:00:30 GMT' }), ctx(sleeps));
    await withRetry('op', failing([429], { 'retry-after': '86400' }), ctx(sleeps));
    expect(sleeps).toEqual([12_000, 30_000, 60_000]);
    expect(retryAfterMs(new HttpStatusError(429, { 'retry-after-ms': '1500' }, ''), new Date())).toBe(1500);
  });
  const deadlines = (remaining: number, requestMs = 1_000): Deadlines => ({ ownMs: (_, query) => (query ? requestMs * 2 : requestMs), remainingMs: () => remaining, timeoutFlag: '--timeout PT1M' });
  const never = (signal: AbortSignal): Promise<string> => new Promise((_, reject) => signal.addEventListener('abort', () => reject(new Error('aborted'))));
  test('an attempt past its own deadline is abandoned with a request DeadlineError, and its signal aborted', async () => {
    let aborted = false;
    const error = await withRetry('op', (signal) => {
      signal.addEventListener('abort', () => (aborted = true));
      return never(signal);
    }, { ...ctx([]), deadlines: deadlines(60_000, 20) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeadlineError);
    expect(error).toMatchObject({ kind: 'request', message: 'no answer to the request to op within 0.02 s (signing in included); check the endpoint flags, the network and any proxy, then run again' });
    expect(aborted).toBe(true);
  });
  test('a Logs query gets the longer query deadline; --timeout wins when it is closer', async () => {
    const started = Date.now();
    await expect(withRetry('q', never, { ...ctx([]), deadlines: deadlines(60_000, 20) }, { query: true })).rejects.toMatchObject({ kind: 'request', message: expect.stringContaining('within 0.04 s') });
    expect(Date.now() - started).toBeGreaterThanOrEqual(35);
    await expect(withRetry('q', never, { ...ctx([]), deadlines: deadlines(15, 1_000) })).rejects.toMatchObject({ kind: 'run', message: '--timeout PT1M ran out while waiting for the answer to q; raise --timeout' });
    await expect(withRetry('q', never, { ...ctx([]), deadlines: deadlines(0) })).rejects.toMatchObject({ kind: 'run', message: '--timeout PT1M ran out before the request to q; raise --timeout' });
  });
  test('a retry wait that would pass --timeout is not started', async () => {
    const sleeps: number[] = [];
    await expect(withRetry('op', failing([503], { 'retry-after': '30' }), { ...ctx(sleeps), deadlines: deadlines(29_000) })).rejects.toMatchObject({ kind: 'run' });
    expect(sleeps).toEqual([]);
  });
  test('does not retry 4xx other than 429, and stops after maxAttempts', async () => {
    const sleeps: number[] = [];
    await expect(withRetry('op', failing([403]), ctx(sleeps))).rejects.toThrow('status 403');
    await expect(withRetry('op', failing([500, 500, 500]), { ...ctx(sleeps), maxAttempts: 2 })).rejects.toThrow('status 500');
    expect(sleeps).toEqual([250]);
  });
});

describe('event hub targets', () => {
  const ctxOf = (setting: Record<string, unknown>, locations: Record<string, string> = {}): CheckContext => ({
    stack: 's',
    clients: undefined as never,
    expectations: readExpectations(JSON.stringify({ resource: { azurerm_monitor_aad_diagnostic_setting: { s: { name: 'n', enabled_log: [{ category: 'AuditLogs' }, { category: 'SignInLogs' }], ...setting } } } }), 'f'),
    locations,
    window: { start: new Date(0), end: new Date(3_600_000) },
    retry: undefined as never,
  });
  test('without eventhub_name, one hub per category named insights-logs-<category>', () => {
    expect(hubTargets(ctxOf({ eventhub_authorization_rule_id: '/subscriptions/s/resourceGroups/r/providers/Microsoft.EventHub/namespaces/ns/authorizationRules/diag' }))).toEqual([
      { hub: 'insights-logs-auditlogs', categories: ['AuditLogs'], shared: false },
      { hub: 'insights-logs-signinlogs', categories: ['SignInLogs'], shared: false },
    ]);
  });
  test('a named hub is shared; a referenced name comes from the outputs', () => {
    const ctx = ctxOf({ eventhub_authorization_rule_id: '${x.id}', eventhub_name: '${azurerm_eventhub.e.name}' }, { eventHubName: 'entra', eventHubNamespaceId: '/subscriptions/s/resourceGroups/r/providers/Microsoft.EventHub/namespaces/ns' });
    expect(hubTargets(ctx)).toEqual([{ hub: 'entra', categories: ['AuditLogs', 'SignInLogs'], shared: true }]);
    expect(() => hubTargets(ctxOf({ eventhub_authorization_rule_id: '${x.id}', eventhub_name: '${e.name}' }))).toThrow('pass --eventhub-name <name>');
  });
  test('the namespace comes from the outputs or a literal rule id', () => {
    expect(namespaceId(ctxOf({ eventhub_authorization_rule_id: '/subscriptions/s/resourceGroups/r/providers/Microsoft.EventHub/namespaces/ns/authorizationRules/diag' }))).toBe('/subscriptions/s/resourceGroups/r/providers/Microsoft.EventHub/namespaces/ns');
    expect(() => namespaceId(ctxOf({ eventhub_authorization_rule_id: '${x.id}' }))).toThrow('pass --eventhub-namespace-id');
  });
  test('the metrics resourceUri has no leading slash (the SDK prepends one)', () => {
    expect(metricsResourceUri('/subscriptions/s/resourceGroups/r/providers/Microsoft.EventHub/namespaces/ns')).toBe('subscriptions/s/resourceGroups/r/providers/Microsoft.EventHub/namespaces/ns');
    expect(metricsResourceUri('subscriptions/s')).toBe('subscriptions/s');
  });
  test('metric interval keeps the number of points bounded', () => {
    expect([3_600_000, 86_400_000, 7 * 86_400_000, 90 * 86_400_000].map(metricInterval)).toEqual(['PT1M', 'PT1M', 'PT15M', 'PT6H']);
  });
});

describe('queries and listings', () => {
  test('one union query for all tables, refusing anything that is not a table name', () => {
    expect(buildArrivalQuery(['AuditLogs', 'SigninLogs'])).toBe(
      'union withsource=SourceTable isfuzzy=true AuditLogs, SigninLogs\n' +
        '| extend IngestionDelaySeconds = (ingestion_time() - TimeGenerated) / 1s\n' +
        '| summarize Rows = count(), NewestTimeGenerated = max(TimeGenerated), P50Seconds = percentile(IngestionDelaySeconds, 50), P95Seconds = percentile(IngestionDelaySeconds, 95) by SourceTable',
    );
    expect(() => buildArrivalQuery(['AuditLogs | take 1'])).toThrow('not a Log Analytics table name');
  });
  test('storage day prefixes cover the window and the hour before it, newest day first', () => {
    expect(dayPrefixes('t', new Date('2026-03-01T00:30:00Z'), new Date('2026-03-01T01:30:00Z'))).toEqual(['tenantId=t/y=2026/m=03/d=01/', 'tenantId=t/y=2026/m=02/d=28/']);
    expect(dayPrefixes('t', new Date('2026-03-01T10:00:00Z'), new Date('2026-03-02T09:00:00Z'))).toEqual(['tenantId=t/y=2026/m=03/d=02/', 'tenantId=t/y=2026/m=03/d=01/']);
  });
  test('--since longer than the day-prefix guard keeps the newest days, not the oldest', () => {
    const end = new Date('2026-03-01T12:00:00Z');
    const prefixes = dayPrefixes('t', new Date(end.getTime() - 500 * 86_400_000), end);
    expect(prefixes).toHaveLength(MAX_DAY_PREFIXES);
    expect(prefixes[0]).toBe('tenantId=t/y=2026/m=03/d=01/');
    expect(prefixes[MAX_DAY_PREFIXES - 1]).toBe('tenantId=t/y=2025/m=01/d=26/'); // 399 days before the end
  });
});

describe('report', () => {
  const pass = result({ check: 'storage', destination: 'storage', status: 'pass', message: '' });
  const fail = { ...pass, status: 'fail' as const };
  const problem = { code: 'PermissionDenied', check: null, message: '', requiredPermission: 'x' };
  test('exit codes: 2 beats 3 beats 1 beats 0', () => {
    expect(outcomeOf([pass], [], false)).toEqual({ outcome: 'passed', exitCode: 0 });
    expect(outcomeOf([pass, fail], [], false)).toEqual({ outcome: 'failed', exitCode: 1 });
    expect(outcomeOf([fail], [], true)).toEqual({ outcome: 'timeout', exitCode: 3 });
    expect(outcomeOf([fail], [problem], true)).toEqual({ outcome: 'error', exitCode: 2 });
  });
  test('pattern redaction leaves ordinary words alone', () => {
    for (const text of ['a bearer token is sent', 'send a Bearer token.', 'Authorization: Bearer (none)', '--arm-endpoint must be https:// (a bearer token is sent to it)']) {
      expect(redact(text)).toBe(text);
    }
    expect(redact('Bearer EwBwA8l6BAAUbDba3x2OMJElkF7gJ4z')).toBe('Bearer [redacted]');
    expect(redact('Bearer abcdefghijklmnopqrstuvwxyz')).toBe('Bearer [redacted]');
  });
  test('by-value redaction finds a secret in its raw, URL-encoded and JSON-escaped forms, longest first', () => {
    const token = 'opaque+token/with"quote\\and~tilde';
    const registry = new SecretRegistry([token, 'short', undefined]);
    expect(redact(`a ${token} b ${encodeURIComponent(token)} c ${JSON.stringify(token)}`, registry)).toBe('a [redacted] b [redacted] c "[redacted]"');
    expect(redact('short stays: too short to match by value', registry)).toBe('short stays: too short to match by value');
    const cs = 'DefaultEndpointsProtocol=https;AccountName=a;AccountKey=a2V5LXZhbHVlLTEyMzQ=;SharedAccessSignature=sv=2022&sig=abcdefgh';
    expect(connectionStringSecrets(cs)).toEqual([cs, 'a2V5LXZhbHVlLTEyMzQ=', 'sv=2022&sig=abcdefgh']);
    expect(redactDeep({ a: ['key a2V5LXZhbHVlLTEyMzQ= here'], n: 3, nil: null }, new SecretRegistry(connectionStringSecrets(cs)))).toEqual({ a: ['key [redacted] here'], n: 3, nil: null });
  });
  test('the recording credential registers every token it hands out', async () => {
    const registry = new SecretRegistry();
    const credential = recordingCredential({ getToken: async () => ({ token: 'issued-opaque-token-42', expiresOnTimestamp: 0 }) }, registry);
    await credential.getToken('scope');
    expect(redact('echo: issued-opaque-token-42', registry)).toBe('echo: [redacted]');
  });

  test('the table colours statuses and the verdict on a terminal, with the columns still aligned', () => {
    const report: VerifyReport = {
      schemaVersion: SCHEMA_VERSION, tool: 'entra-audit-verify', stack: 'contoso-dev', generatedAt: '2025-01-01T00:00:00.000Z', since: 'PT1H',
      windowStart: '2025-01-01T00:00:00.000Z', windowEnd: '2025-01-01T01:00:00.000Z', outcome: 'failed', exitCode: 1, attempts: 1,
      checks: [pass, { ...fail, check: 'log-analytics' }, { ...pass, status: 'skipped' }], problems: [], canary: null,
    };
    const plain = renderTable(report);
    const coloured = renderTable(report, palette(true));
    expect(plain).not.toContain('\x1b[');
    expect(coloured.replace(/\x1b\[\d+m/g, '')).toBe(plain);
    expect(coloured).toContain('\x1b[32mPASS\x1b[39m');
    expect(coloured).toContain('\x1b[31mFAIL\x1b[39m');
    expect(coloured).toContain('\x1b[2mSKIPPED\x1b[22m');
    expect(coloured).toContain('\n\x1b[1m\x1b[31mFAILED\x1b[39m\x1b[22m (exit 1): something is missing or stale.');
  });
  test('redaction covers tokens, keys, signatures and given secrets', () => {
    const text = redact('Authorization: Bearer abc.def-ghi AccountKey=Zm9v; x?sv=1&sig=abc%2B== client_secret=s3cr3t eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NSJ9.sig my-password-123', ['my-password-123']);
    expect(text).toBe('Authorization: Bearer [redacted] AccountKey=[redacted]; x?sv=1&sig=[redacted] client_secret=[redacted] [redacted-jwt] [redacted]');
  });
});
