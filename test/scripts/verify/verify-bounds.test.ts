/**
 * The verify command against servers that misbehave: every request has a deadline and a size
 * limit, --timeout bounds the whole run, HTML and redirects get a readable message, and a token or
 * secret a service echoes back is never printed. In-process, against the local HTTPS fake Azure
 * (storage through it to Azurite), with per-request deadlines of tens of milliseconds.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Problem, VerifyReport } from '../../../scripts/lib/verify/report';
import { type Azurite, AZURITE_ACCOUNT, AZURITE_KEY, startAzurite } from './support/azurite';
import { type FakeAzure, type Fault, startFakeAzure } from './support/fake-azure';
import {
  appendRecords, CANARY_APP, CATEGORIES, FAKE_TOKEN, healthyScenario, makeWorkspace, removeWorkspaces, runVerify, STACK, synthJson, type Workspace,
} from './support/harness';
import { makeTestCertificates, type TestCertificates } from './support/tls';

const REPO_ROOT = join(__dirname, '..', '..', '..');
/**
 * The deadline of the request a test makes misbehave (`cut`, an operation name prefix); every
 * other request gets 10 s, so that a loaded machine cannot make a healthy request time out.
 */
const DEADLINE_MS = 50;
const GENEROUS_MS = 10_000;
const CLIENT_SECRET = 'Abc8Q~client-secret-value-0123456789xyz';

let tls: TestCertificates;
let fake: FakeAzure;
let azurite: Azurite;
let start: Date;
let ws: Workspace;

beforeAll(async () => {
  tls = makeTestCertificates();
  [fake, azurite] = await Promise.all([startFakeAzure(tls, healthyScenario(new Date())), startAzurite(REPO_ROOT)]);
  fake.blobBackend = new URL(azurite.blobUrl).origin;
});

afterAll(async () => {
  await Promise.all([fake?.close(), azurite?.stop()]);
  tls?.cleanup();
  removeWorkspaces();
});

beforeEach(async () => {
  start = new Date();
  ws = makeWorkspace();
  fake.reset(healthyScenario(start));
  for (const category of CATEGORIES) {
    await appendRecords(azurite.connectionString, category, ws.tenantId, start, [{ time: start.toISOString(), category, operationName: 'Sign-in activity' }]);
  }
});

/** Storage through the fake (so faults apply), which hands requests on to Azurite. */
const storageViaFake = (): string => `DefaultEndpointsProtocol=https;AccountName=${AZURITE_ACCOUNT};AccountKey=${AZURITE_KEY};BlobEndpoint=${fake.origin}/${AZURITE_ACCOUNT};`;

type Options = Omit<Parameters<typeof runVerify>[2], 'ca' | 'start' | 'connectionString'> & { connectionString?: string; cut?: string };
const verify = (args: string[], { cut, ...options }: Options = {}) =>
  runVerify(fake, ws, {
    requestTimeoutMs: (operation) => (cut !== undefined && operation.startsWith(cut) ? DEADLINE_MS : GENEROUS_MS),
    connectionString: azurite.connectionString, ...options, args, ca: tls.caPem, start,
  });

/** Only this check runs. */
const only = (check: 'diagnostic-settings' | 'log-analytics' | 'event-hub' | 'storage'): string[] => [
  '--skip', ['diagnostic-settings', 'log-analytics', 'event-hub', 'storage'].filter((c) => c !== check).join(','),
];

const fault = (f: Omit<Fault, 'times'> & { times?: number }): void => {
  fake.faults.push({ times: 1, ...f });
};

const problems = (report: VerifyReport | undefined): Problem[] => report?.problems.slice() ?? [];

/**
 * A real client-secret sign-in at the fake authority. EnvironmentCredential reads process.env
 * itself, so the variables are set there for the run (and given to main, which redacts the secret).
 */
async function withClientSecret(args: string[], options: Options = {}) {
  const vars = { AZURE_TENANT_ID: ws.tenantId, AZURE_CLIENT_ID: '3c2b1a00-0000-4000-8000-00000000e2e0', AZURE_CLIENT_SECRET: CLIENT_SECRET };
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  Object.assign(process.env, vars);
  try {
    return await verify([...args, '--credential', 'environment', '--authority-host', fake.origin], { ...options, injectCredential: false, env: vars });
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

describe('every request has its own deadline', () => {
  test('a Logs query that never answers is cut off (exit 2, RequestTimeout)', async () => {
    fault({ method: 'POST', path: /\/query$/, mode: 'hang' });
    const run = await verify(only('log-analytics'), { cut: 'query Log Analytics' });
    expect(run.code).toBe(2);
    expect(problems(run.report)).toEqual([{
      code: 'RequestTimeout',
      check: 'log-analytics',
      message: 'no answer to the request to query Log Analytics within 0.05 s (signing in included); check the endpoint flags, the network and any proxy, then run again',
      requiredPermission: null,
    }]);
    expect(run.sleeps).toEqual([]); // a request cut off is not retried
  });

  test('a metrics call that trickles its answer is cut off', async () => {
    fault({ method: 'GET', path: /\/metrics$/, mode: 'trickle' });
    const run = await verify(only('event-hub'), { cut: 'read Event Hubs' });
    expect(run.code).toBe(2);
    expect(problems(run.report)).toEqual([expect.objectContaining({ code: 'RequestTimeout', check: 'event-hub', message: expect.stringContaining('read Event Hubs IncomingMessages within 0.05 s') })]);
  });

  test('a diagnostic-settings (ARM JSON) call that never answers is cut off', async () => {
    fault({ method: 'GET', path: /diagnosticSettings$/i, mode: 'hang' });
    const run = await verify(only('diagnostic-settings'), { cut: 'list Entra diagnostic settings' });
    expect(problems(run.report)).toEqual([expect.objectContaining({ code: 'RequestTimeout', check: 'diagnostic-settings' })]);
  });

  test('a Graph call (the canary change) that never answers is cut off', async () => {
    fault({ method: 'PATCH', path: /\/v1\.0\/applications\//, mode: 'hang' });
    const run = await verify(['--canary'], { cut: 'update the canary application' });
    expect(run.code).toBe(2);
    expect(problems(run.report)).toEqual([expect.objectContaining({ code: 'RequestTimeout', check: 'canary', message: expect.stringContaining('update the canary application within 0.05 s') })]);
  });

  test('a token request that never answers is cut off (real client-secret sign-in)', async () => {
    fault({ method: 'POST', path: /\/oauth2\/v2\.0\/token$/, mode: 'hang' });
    const run = await withClientSecret(only('log-analytics'), { cut: 'query Log Analytics' });
    expect(run.code).toBe(2);
    expect(problems(run.report)).toEqual([expect.objectContaining({ code: 'RequestTimeout', check: 'log-analytics' })]);
    expect(fake.requests.filter((r) => r.path.endsWith('/query'))).toHaveLength(0);
  });

  test('a blob listing that never answers is cut off', async () => {
    fault({ method: 'GET', path: /^\/devstoreaccount1\/insights-logs-auditlogs$/, query: /comp=list/, mode: 'hang' });
    const run = await verify(only('storage'), { connectionString: storageViaFake(), cut: 'list blobs' });
    expect(run.code).toBe(2);
    expect(problems(run.report)).toEqual([expect.objectContaining({ code: 'RequestTimeout', check: 'storage', message: expect.stringContaining('list blobs in insights-logs-auditlogs') })]);
  });

  test('a blob read (the canary) that trickles is cut off', async () => {
    // The headers a blob download answer carries, then a body that never finishes.
    const blobHeaders = { etag: '"0x8DC0FFEE"', 'last-modified': new Date().toUTCString(), 'x-ms-blob-type': 'AppendBlob', 'content-range': `bytes 0-${1024 * 1024 - 1}/${1024 * 1024}` };
    fault({ method: 'GET', path: /^\/devstoreaccount1\/insights-logs-auditlogs\/tenantId(=|%3D)/, mode: 'trickle', headers: blobHeaders });
    const run = await verify(['--canary', ...only('log-analytics')], { connectionString: storageViaFake(), cut: 'read blob' });
    expect(run.code).toBe(2);
    expect(problems(run.report)).toEqual([expect.objectContaining({ code: 'RequestTimeout', check: 'canary', message: expect.stringContaining('read blob tenantId=') })]);
  });

  test('healthy storage through the same transport still passes', async () => {
    const run = await verify(only('storage'), { connectionString: storageViaFake() });
    expect(run.code).toBe(0);
    expect(run.report?.checks.filter((c) => c.check === 'storage').map((c) => c.status)).toEqual(['pass', 'pass']);
  });
});

describe('--timeout bounds the whole run', () => {
  test('a request still running when --timeout runs out ends the run with exit 3', async () => {
    fault({ method: 'POST', path: /\/query$/, mode: 'hang' });
    // Per-request deadline 60 s (the default): only --timeout can stop this request.
    const run = await verify([...only('log-analytics'), '--timeout', 'PT0.2S'], { requestTimeoutMs: undefined });
    expect(run.code).toBe(3);
    expect(run.report?.outcome).toBe('timeout');
    expect(problems(run.report)).toEqual([{
      code: 'Timeout', check: 'log-analytics', requiredPermission: null,
      message: '--timeout PT0.2S ran out while waiting for the answer to query Log Analytics; raise --timeout',
    }]);
  });

  test('Retry-After is never waited past --timeout', async () => {
    fault({ method: 'POST', path: /\/query$/, status: 429, headers: { 'retry-after': '30' } });
    const run = await verify([...only('log-analytics'), '--timeout', 'PT20S']);
    expect(run.code).toBe(3);
    expect(run.sleeps).toEqual([]);
    expect(problems(run.report)[0]?.message).toBe('--timeout PT20S would run out during the 30 s wait before retrying query Log Analytics (HTTP 429); raise --timeout');
  });

  test('Retry-After is capped at 60 s', async () => {
    fault({ method: 'POST', path: /\/query$/, status: 429, headers: { 'retry-after': '3600' } });
    const run = await verify(only('log-analytics'));
    expect(run.code).toBe(0);
    expect(run.sleeps).toEqual([60_000]);
  });
});

describe('answers are bounded in size', () => {
  test('a 400 MB answer is read up to the limit and no further', async () => {
    fault({ method: 'POST', path: /\/query$/, mode: 'huge', hugeBytes: 400 * 1024 * 1024 });
    const run = await verify(only('log-analytics'), { maxResponseBytes: 1024 * 1024 });
    expect(run.code).toBe(2);
    expect(problems(run.report)).toEqual([{
      code: 'ResponseTooLarge', check: 'log-analytics', requiredPermission: null,
      message: `Log Analytics sent more than 1 MiB from ${fake.origin}; the rest was not read; this does not look like the Log Analytics API: check --logs-endpoint and --cloud`,
    }]);
    expect(fake.hugeBytesSent).toBeLessThan(32 * 1024 * 1024); // the socket's buffers, not 400 MB
  });

  test('an announced Content-Length over the limit is refused before reading', async () => {
    fault({ method: 'GET', path: /diagnosticSettings$/i, mode: 'huge', hugeBytes: 400 * 1024 * 1024, declareLength: true });
    const run = await verify(only('diagnostic-settings'));
    expect(problems(run.report)).toEqual([expect.objectContaining({
      code: 'ResponseTooLarge',
      message: `Azure Resource Manager announced an answer of 400 MiB from ${fake.origin}; the limit is 16 MiB, so it was not read; this does not look like the Azure Resource Manager API: check --arm-endpoint and --cloud`,
    })]);
  });
});

describe('HTML and redirects get a readable message', () => {
  test('an HTML page instead of a Logs answer', async () => {
    fault({ method: 'POST', path: /\/query$/, mode: 'html' });
    const run = await verify(only('log-analytics'));
    expect(run.code).toBe(2);
    expect(problems(run.report)).toEqual([{
      code: 'UnexpectedAnswer', check: 'log-analytics', requiredPermission: null,
      message: `Log Analytics answered HTTP 200 with text/html from ${fake.origin}; this does not look like the Log Analytics API: check --logs-endpoint and --cloud`,
    }]);
  });

  test('an HTML error page from storage names the connection string', async () => {
    fault({ method: 'GET', path: /^\/devstoreaccount1\/insights-logs-auditlogs$/, mode: 'html', status: 403 });
    const run = await verify(only('storage'), { connectionString: storageViaFake() });
    expect(problems(run.report)[0]?.message).toBe(
      `Azure Storage answered HTTP 403 with text/html from ${fake.origin}; this does not look like the Azure Storage API: check AZURE_STORAGE_CONNECTION_STRING (its BlobEndpoint) and --cloud`,
    );
  });

  test('a redirect is refused, not followed, and its target shown without path or query', async () => {
    fault({ method: 'GET', path: /diagnosticSettings$/i, mode: 'redirect' });
    const run = await verify(only('diagnostic-settings'));
    expect(run.code).toBe(2);
    expect(problems(run.report)).toEqual([expect.objectContaining({
      code: 'UnexpectedAnswer',
      message: `Azure Resource Manager answered HTTP 302, a redirect to https://login.example.invalid, from ${fake.origin}; this does not look like the Azure Resource Manager API: check --arm-endpoint and --cloud (redirects are not followed)`,
    })]);
    expect(run.stdout).not.toContain('secret-path');
  });
});

describe('a credential echoed by a service is never printed', () => {
  test.each(['json', 'table', 'markdown'] as const)('an opaque access token echoed by Log Analytics and ARM (%s)', async (format) => {
    fault({ method: 'POST', path: /\/query$/, mode: 'echo-token' });
    fault({ method: 'GET', path: /diagnosticSettings$/i, mode: 'echo-token', status: 400 });
    const run = await verify(['--skip', 'event-hub,storage'], { format });
    expect(run.code).toBe(2);
    const output = run.stdout + run.stderr;
    expect(output).not.toContain(FAKE_TOKEN);
    expect(output).toContain("The access token '[redacted]' is not valid for this resource.");
  });

  test('the client secret echoed by the token endpoint', async () => {
    fault({ method: 'POST', path: /\/oauth2\/v2\.0\/token$/, mode: 'echo-token', status: 400 });
    const run = await withClientSecret(only('log-analytics'), { format: 'markdown' });
    expect(run.code).toBe(2);
    expect(run.stdout).toContain('Invalid client secret provided: [redacted]');
    expect(run.stdout).not.toContain(CLIENT_SECRET);
    expect(run.stdout).not.toContain('client-secret-value');
  });

  test('the token actually issued by a real sign-in, echoed back', async () => {
    fault({ method: 'POST', path: /\/query$/, mode: 'echo-token' });
    const run = await withClientSecret(only('log-analytics'));
    expect(fake.issuedTokens.length).toBeGreaterThan(0);
    for (const token of fake.issuedTokens) expect(run.stdout).not.toContain(token);
    expect(problems(run.report)[0]?.message).toContain("The access token '[redacted]'");
  });

  test('redaction leaves ordinary words alone: "a bearer token is sent" stays as written', async () => {
    const run = await verify(['--arm-endpoint', 'http://127.0.0.1:1']);
    expect(run.code).toBe(2);
    expect(problems(run.report)[0]?.message).toContain('--arm-endpoint must be https:// (a bearer token is sent to it), got http://');
  });
});

describe('skipping every check is an error, not a pass', () => {
  test('--skip of every check without --canary is a usage error', async () => {
    const run = await verify(['--skip', 'diagnostic-settings,log-analytics', '--skip', 'event-hub,storage,reader-app']);
    expect(run.code).toBe(2);
    expect(problems(run.report)[0]).toMatchObject({ code: 'InvalidArguments', message: expect.stringContaining('--skip leaves nothing to verify (every check is skipped); skip fewer checks, or add --canary') });
    expect(fake.requests).toHaveLength(0);
  });

  test('checks left with nothing to check in this stack do not pass either (exit 2, NothingVerified)', async () => {
    // A stack that routes to storage only: with storage and diagnostic-settings skipped, nothing is left.
    const synth = synthJson() as { resource: { azurerm_monitor_aad_diagnostic_setting: Record<string, Record<string, unknown>> } };
    for (const setting of Object.values(synth.resource.azurerm_monitor_aad_diagnostic_setting)) {
      delete setting.log_analytics_workspace_id;
      delete setting.eventhub_authorization_rule_id;
      delete setting.eventhub_name;
    }
    writeFileSync(join(ws.dir, 'cdktf.out', 'stacks', STACK, 'cdk.tf.json'), JSON.stringify(synth));
    const run = await verify(['--skip', 'diagnostic-settings,storage']);
    expect(run.code).toBe(2);
    expect(run.report?.checks.map((c) => c.status)).toEqual(['skipped', 'skipped']);
    expect(problems(run.report)).toEqual([{
      code: 'NothingVerified', check: null, requiredPermission: null,
      message: 'nothing was verified: every check was skipped (--skip diagnostic-settings,storage); run at least one check that applies (remove it from --skip, or add --canary)',
    }]);
  });
});

test('a canary found through the bounded storage transport still passes (tail of the blob read)', async () => {
  fake.scenario.hubMessages = { 'entra-logs': 3 };
  await appendRecords(azurite.connectionString, 'AuditLogs', ws.tenantId, start, [
    { time: new Date(start.getTime() + 1_000).toISOString(), category: 'AuditLogs', operationName: 'Update application', properties: { targetResources: [{ id: CANARY_APP }] } },
  ]);
  const run = await verify(['--canary', '--skip', 'diagnostic-settings'], { connectionString: storageViaFake() });
  expect(run.code).toBe(0);
  expect(run.report?.checks.filter((c) => c.check === 'canary').map((c) => [c.destination, c.status])).toEqual([['log-analytics', 'pass'], ['event-hub', 'pass'], ['storage', 'pass']]);
});
