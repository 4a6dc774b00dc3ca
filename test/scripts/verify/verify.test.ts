/**
 * The verify command end to end, in-process, against a local HTTPS server speaking the Azure shapes
 * and Azurite. One scenario per documented outcome.
 */
import { join } from 'node:path';
import type { VerifyReport } from '../../../scripts/lib/verify/report';
import { type Azurite, AZURITE_KEY, startAzurite } from './support/azurite';
import { type FakeAzure, startFakeAzure } from './support/fake-azure';
import {
  actualSetting, appendRecords, CANARY_APP, NAMESPACE_ID, CATEGORIES, ensureContainer, FAKE_TOKEN, fakeReaderCredential, healthyScenario, makeWorkspace, readSchema, removeWorkspaces, runVerify, type Workspace,
} from './support/harness';
import { validate } from './support/json-schema';
import { makeTestCertificates, type TestCertificates } from './support/tls';

const REPO_ROOT = join(__dirname, '..', '..', '..');

let tls: TestCertificates;
let fake: FakeAzure;
let azurite: Azurite;
let start: Date;
let ws: Workspace;

beforeAll(async () => {
  tls = makeTestCertificates();
  [fake, azurite] = await Promise.all([startFakeAzure(tls, healthyScenario(new Date())), startAzurite(REPO_ROOT)]);
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

const verify = (args: string[] = [], format?: 'json' | 'table' | 'markdown') =>
  runVerify(fake, ws, { args, connectionString: azurite.connectionString, ca: tls.caPem, start, format });

const line = (report: VerifyReport | undefined, check: string, category: string | null, destination?: string) =>
  report?.checks.find((c) => c.check === check && c.category === category && (destination === undefined || c.destination === destination));

function expectValid(report: VerifyReport | undefined): void {
  expect(validate(readSchema(), report)).toEqual([]);
}

describe('npm run verify', () => {
  test('all healthy: exit 0, every category passes in every destination, figures reported', async () => {
    const run = await verify();
    expect(run.code).toBe(0);
    expectValid(run.report);
    expect(run.report?.outcome).toBe('passed');
    expect(run.report?.problems).toEqual([]);
    for (const category of CATEGORIES) {
      expect(line(run.report, 'diagnostic-settings', category)?.status).toBe('pass');
      expect(line(run.report, 'log-analytics', category)?.status).toBe('pass');
      expect(line(run.report, 'event-hub', category)?.status).toBe('pass');
      expect(line(run.report, 'storage', category)).toMatchObject({ status: 'pass', count: 1, target: `insights-logs-${category.toLowerCase()}` });
    }
    expect(line(run.report, 'log-analytics', 'SignInLogs')).toMatchObject({ target: 'SigninLogs', count: 5312, latencyP50Seconds: 64.4, latencyP95Seconds: 133.1 });
    expect(line(run.report, 'event-hub', 'AuditLogs')).toMatchObject({ target: 'entra-logs', count: 744 });
    expect(run.report?.checks.filter((c) => c.check === 'diagnostic-settings' && c.category === null).map((c) => [c.target, c.status])).toEqual([
      ['log-analytics', 'pass'], ['event-hub', 'pass'], ['storage', 'pass'],
    ]);
    // one Logs query for all tables, a union that tolerates missing tables
    const queries = fake.requests.filter((r) => r.path.endsWith('/query'));
    expect(queries).toHaveLength(1);
    expect((queries[0]?.body as { query: string }).query).toMatch(/^union withsource=SourceTable isfuzzy=true AuditLogs, SigninLogs\n/);
    // one metrics call, filtered per hub on EntityName
    const metrics = fake.requests.filter((r) => r.path.endsWith('/metrics'));
    expect(metrics.map((m) => [m.query.metricnames, m.query.aggregation, m.query.$filter])).toEqual([['IncomingMessages', 'Total', "EntityName eq 'entra-logs'"]]);
    // the ARM id's leading slash is not doubled (the fake refuses `//`, as a strict server would)
    expect(metrics.map((m) => m.path)).toEqual([`${NAMESPACE_ID}/providers/Microsoft.Insights/metrics`]);
    expect(fake.requests.every((r) => r.bearer)).toBe(true);
    expect(run.sleeps).toEqual([]);
  });

  test('one category missing from Log Analytics: exit 1, that category fails there only', async () => {
    fake.scenario.logTables = { AuditLogs: fake.scenario.logTables.AuditLogs! };
    fake.scenario.missingTables = ['SigninLogs'];
    const run = await verify();
    expect(run.code).toBe(1);
    expectValid(run.report);
    expect(line(run.report, 'log-analytics', 'SignInLogs')).toMatchObject({ status: 'fail', count: 0, target: 'SigninLogs' });
    expect(line(run.report, 'log-analytics', 'SignInLogs')?.message).toContain('may not exist yet');
    expect(line(run.report, 'log-analytics', 'AuditLogs')?.status).toBe('pass');
    expect(run.report?.checks.filter((c) => c.status === 'fail')).toHaveLength(1);
  });

  test('the diagnostic setting lacks a category: exit 1, named', async () => {
    fake.scenario.diagnosticSettings = [actualSetting(['AuditLogs'])];
    const run = await verify();
    expect(run.code).toBe(1);
    expect(line(run.report, 'diagnostic-settings', 'SignInLogs')).toMatchObject({ status: 'fail', setting: 'entra-audit-test', message: 'category SignInLogs is not enabled in "entra-audit-test"' });
    expect(line(run.report, 'diagnostic-settings', 'AuditLogs')?.status).toBe('pass');
  });

  test('the diagnostic setting is missing or routes elsewhere: exit 1', async () => {
    fake.scenario.diagnosticSettings = [actualSetting(CATEGORIES, { storageAccountId: STORAGE_OTHER })];
    let run = await verify();
    expect(run.code).toBe(1);
    expect(run.report?.checks.find((c) => c.check === 'diagnostic-settings' && c.target === 'storage')?.message).toBe('destination different: expected staudit, found stother');
    fake.scenario.diagnosticSettings = [];
    run = await verify();
    expect(run.code).toBe(1);
    expect(run.report?.checks.find((c) => c.check === 'diagnostic-settings')?.message).toContain('setting "entra-audit-test" is missing from the tenant');
  });

  test('destination comparisons: another hub, another namespace, an unset ("") workspace', async () => {
    const destinationLine = (run: { report?: VerifyReport }, target: string) => run.report?.checks.find((c) => c.check === 'diagnostic-settings' && c.target === target);
    fake.scenario.diagnosticSettings = [actualSetting(CATEGORIES, { eventHubName: 'other-hub', workspaceId: '' })];
    let run = await verify();
    expect(run.code).toBe(1);
    expect(destinationLine(run, 'event-hub')?.message).toBe('destination different: expected ehns-audit, hub entra-logs, found ehns-audit, hub other-hub');
    expect(destinationLine(run, 'log-analytics')?.message).toBe('destination log-analytics is missing from "entra-audit-test"');
    fake.scenario.diagnosticSettings = [actualSetting(CATEGORIES, { eventHubAuthorizationRuleId: `${NAMESPACE_ID.replace('ehns-audit', 'ehns-other')}/authorizationrules/diagnostics` })];
    run = await verify();
    expect(destinationLine(run, 'event-hub')).toMatchObject({ status: 'fail', message: 'destination different: expected ehns-audit, hub entra-logs, found ehns-other, hub entra-logs' });
  });

  test('Event Hub silent: exit 1, every category on the hub fails', async () => {
    fake.scenario.hubMessages = {};
    const run = await verify();
    expect(run.code).toBe(1);
    for (const category of CATEGORIES) {
      expect(line(run.report, 'event-hub', category)).toMatchObject({ status: 'fail', count: 0, target: 'entra-logs' });
    }
    expect(line(run.report, 'event-hub', 'AuditLogs')?.message).toContain('hub shared by 2 categories');
  });

  test('a storage container empty: exit 1, that container named', async () => {
    ws = makeWorkspace(); // a new tenant: no blobs under its prefix
    await appendRecords(azurite.connectionString, 'AuditLogs', ws.tenantId, start, [{ time: start.toISOString(), operationName: 'Add user' }]);
    await ensureContainer(azurite.connectionString, 'SignInLogs');
    const run = await verify();
    expect(run.code).toBe(1);
    expect(line(run.report, 'storage', 'SignInLogs')).toMatchObject({ status: 'fail', count: 0, target: 'insights-logs-signinlogs' });
    expect(line(run.report, 'storage', 'AuditLogs')?.status).toBe('pass');
  });

  test('429 with Retry-After, then success: waits exactly as asked and exits 0', async () => {
    fake.faults.push({ method: 'POST', path: /\/query$/, status: 429, headers: { 'retry-after': '7' }, times: 1 });
    fake.faults.push({ method: 'GET', path: /diagnosticSettings$/i, status: 503, times: 2 });
    const run = await verify();
    expect(run.code).toBe(0);
    // 503 twice without Retry-After: full jitter (random 0.5) of 1 s then 2 s; then the 429's 7 s
    expect(run.sleeps).toEqual([500, 1000, 7000]);
    expect(fake.requests.filter((r) => r.path.endsWith('/query')).map((r) => r.status)).toEqual([429, 200]);
  });

  test('persistent 5xx: gives up after 5 attempts with exit 2', async () => {
    fake.faults.push({ method: 'GET', path: /\/metrics$/, status: 500, times: 99 });
    const run = await verify();
    expect(run.code).toBe(2);
    expect(run.sleeps).toEqual([500, 1000, 2000, 4000]);
    expect(run.report?.problems).toEqual([expect.objectContaining({ code: 'RequestFailed', check: 'event-hub' })]);
  });

  test.each([
    ['diagnostic-settings', 'GET', /diagnosticSettings$/i, 'microsoft.aadiam/diagnosticSettings/read'],
    ['log-analytics', 'POST', /\/query$/, 'Log Analytics Reader on the workspace'],
    ['event-hub', 'GET', /\/metrics$/, 'Monitoring Reader on the Event Hubs namespace'],
  ])('403 from %s: exit 2 naming the missing permission', async (check, method, path, permission) => {
    fake.faults.push({ method, path, status: 403, body: { error: { code: 'AuthorizationFailed', message: 'The client does not have authorization to perform action.' } }, times: 1 });
    const run = await verify();
    expect(run.code).toBe(2);
    expectValid(run.report);
    expect(run.report?.outcome).toBe('error');
    expect(run.report?.problems).toEqual([
      expect.objectContaining({ code: 'PermissionDenied', check, requiredPermission: expect.stringContaining(permission) }),
    ]);
    expect(run.report?.problems[0]?.message).toContain('permission denied (403)');
  });

  test('malformed answers: exit 2 with MalformedResponse', async () => {
    fake.scenario.diagnosticSettings = 'not a list';
    let run = await verify();
    expect(run.code).toBe(2);
    expect(run.report?.problems).toEqual([expect.objectContaining({ code: 'MalformedResponse', check: 'diagnostic-settings' })]);
    expect(run.report?.problems[0]?.message).toContain('malformed at value');

    fake.reset(healthyScenario(start));
    fake.scenario.arrivalAnswer = { tables: [{ name: 'PrimaryResult', columns: [{ name: 'Rows', type: 'long' }], rows: [[1]] }] };
    run = await verify();
    expect(run.code).toBe(2);
    expect(run.report?.problems).toEqual([expect.objectContaining({ code: 'MalformedResponse', check: 'log-analytics', message: expect.stringContaining('no column SourceTable') })]);
  });

  test('canary found after several polls: exit 0 with end-to-end latency per destination', async () => {
    fake.scenario.canaryLogAnalyticsFromPoll = 3;
    fake.scenario.hubMessages = { 'entra-logs': 3 };
    fake.scenario.onCanaryPoll = async (poll, changedAt) => {
      if (poll === 3) {
        await appendRecords(azurite.connectionString, 'AuditLogs', ws.tenantId, changedAt, [
          { time: new Date(changedAt.getTime() + 2_000).toISOString(), category: 'AuditLogs', operationName: 'Update application', properties: { targetResources: [{ id: CANARY_APP, type: 'Application' }] } },
        ]);
      }
    };
    const run = await verify(['--canary', '--poll-interval', 'PT20S']);
    expect(run.code).toBe(0);
    expectValid(run.report);
    expect(fake.canaryPolls).toBe(3);
    expect(run.sleeps).toEqual([20_000, 20_000]);
    expect(fake.notes.get(CANARY_APP)).toMatch(/^entra-audit-verify canary test-env run-1 at /);
    expect(run.report?.canary).toEqual({ applicationObjectId: CANARY_APP, marker: 'entra-audit-verify canary test-env run-1', changedAt: start.toISOString() });
    expect(line(run.report, 'canary', 'AuditLogs', 'log-analytics')).toMatchObject({ status: 'pass', target: 'AuditLogs', endToEndSeconds: 42 });
    expect(line(run.report, 'canary', 'AuditLogs', 'event-hub')).toMatchObject({ status: 'pass', endToEndSeconds: 0 });
    expect(line(run.report, 'canary', 'AuditLogs', 'storage')).toMatchObject({ status: 'pass', target: 'insights-logs-auditlogs', endToEndSeconds: 40 });
    expect(run.report?.attempts).toBe(3);
  });

  test('canary never arrives: exit 3 after --timeout, every destination named', async () => {
    fake.scenario.canaryLogAnalyticsFromPoll = null;
    fake.scenario.hubMessages = {};
    const run = await verify(['--canary', '--timeout', 'PT5M', '--poll-interval', 'PT1M']);
    expect(run.code).toBe(3);
    expectValid(run.report);
    expect(run.report?.outcome).toBe('timeout');
    // polls at 0, 1, 2, 3 and 4 minutes; one at 5 minutes would have no time left for its requests
    expect(run.sleeps).toEqual([60_000, 60_000, 60_000, 60_000]);
    for (const destination of ['log-analytics', 'event-hub', 'storage']) {
      expect(line(run.report, 'canary', 'AuditLogs', destination)).toMatchObject({ status: 'fail', message: 'canary not seen 240s after the change' });
    }
  });

  test('--wait polls until a late category arrives, with a progress line on a TTY only', async () => {
    fake.scenario.hubMessages = {};
    const late = setHubAfter(2);
    const run = await runVerify(fake, ws, { args: ['--wait', '--poll-interval', 'PT1M'], connectionString: azurite.connectionString, ca: tls.caPem, start, isTTY: true });
    late.restore();
    expect(run.code).toBe(0);
    expect(run.report?.attempts).toBe(3);
    expect(run.stderr).toContain('waiting: 9/11 checks passing');
    const quiet = await verify(['--wait', '--timeout', 'PT2M', '--poll-interval', 'PT1M']);
    expect(quiet.code).toBe(0); // the hub now has messages
    expect(quiet.stderr).toBe('');
  });

  test('--wait gives up with exit 3 when something never arrives', async () => {
    fake.scenario.hubMessages = {};
    const run = await verify(['--wait', '--timeout', 'PT3M', '--poll-interval', 'PT1M']);
    expect(run.code).toBe(3);
    expect(run.report?.attempts).toBe(3); // at 0, 1 and 2 minutes: a poll at 3 minutes would start at the deadline
    expect(line(run.report, 'event-hub', 'AuditLogs')?.status).toBe('fail');
  });

  test('--skip diagnostic-settings leaves that check out (service principals cannot read it)', async () => {
    fake.faults.push({ method: 'GET', path: /diagnosticSettings$/i, status: 403, times: 9 });
    const run = await verify(['--skip', 'diagnostic-settings']);
    expect(run.code).toBe(0);
    expectValid(run.report);
    expect(run.report?.checks.filter((c) => c.check === 'diagnostic-settings')).toEqual([expect.objectContaining({ status: 'skipped', message: 'skipped (--skip)' })]);
    expect(fake.requests.some((r) => /diagnosticSettings/i.test(r.path))).toBe(false);
  });

  test('configuration errors exit 2 and say what to do', async () => {
    let run = await runVerify(fake, makeWorkspace({ outputs: { tenant_id: { value: 'x' } } }), { connectionString: azurite.connectionString, ca: tls.caPem, start });
    expect(run.code).toBe(2);
    expect(run.report?.problems.map((p) => p.message)).toEqual(expect.arrayContaining([expect.stringContaining('pass --workspace-id <guid>')]));
    run = await verify(['--since', '1 hour']);
    expect(run.code).toBe(2);
    expect(run.report?.problems[0]?.message).toContain('--since must be a positive duration, ISO 8601 (PT30M, PT1H, P7D) or short (30m, 1h, 7d), got "1 hour"');
    run = await verify(['--canary', '--canary-app-object-id', 'nope']);
    expect(run.report?.problems[0]?.message).toContain('--canary-app-object-id must be a GUID');
  });

  test('--since takes the short forms people type (30m, 1h, 7d); the report states them in ISO 8601', async () => {
    for (const [given, iso, ms] of [['1h', 'PT1H', 3_600_000], ['30m', 'PT30M', 1_800_000], ['7d', 'P7D', 604_800_000]] as const) {
      const run = await verify(['--since', given]);
      expect(run.code).toBe(0);
      expect(run.report).toMatchObject({ since: iso, windowEnd: start.toISOString(), windowStart: new Date(start.getTime() - ms).toISOString() });
    }
  });

  test('a usage error prints no empty table and no empty stack name before the problem list', async () => {
    const table = await verify(['--since', 'soon'], 'table');
    expect(table.code).toBe(2);
    expect(table.stdout).toBe(
      'Problems:\n  - [InvalidArguments] --since must be a positive duration, ISO 8601 (PT30M, PT1H, P7D) or short (30m, 1h, 7d), got "soon"; see --help\n\n' +
        'ERROR (exit 2): could not verify (configuration, authentication or permission). 1 problem(s); stack test-env.\n',
    );
    const markdown = await verify(['--since', 'soon'], 'markdown');
    expect(markdown.stdout).toMatch(/^## Entra log arrival: test-env\n\n\*\*ERROR \(exit 2\)[^\n]*1 problem\(s\); stack test-env\.\*\*\n\n### Problems\n/);
    expect(markdown.stdout).not.toContain('| Check |');
    // without a (valid) stack name, none is printed
    const nameless = await runVerify(fake, ws, { args: ['--stack', '../x'], connectionString: azurite.connectionString, ca: tls.caPem, start, format: 'table' });
    expect(nameless.stdout).not.toMatch(/stack[ ,.;]*$/m);
    expect(nameless.stdout).toContain('ERROR (exit 2): could not verify (configuration, authentication or permission). 1 problem(s).\n');
  });

  test('a credential that cannot be built exits 2 before any request', async () => {
    const run = await runVerify(fake, ws, { args: ['--credential', 'workload-identity'], connectionString: azurite.connectionString, ca: tls.caPem, start, injectCredential: false });
    expect(run.code).toBe(2);
    expect(run.report?.problems).toEqual([expect.objectContaining({ code: 'CredentialUnavailable', message: expect.stringContaining('choose one with --credential') })]);
    expect(fake.requests).toHaveLength(0);
  });

  test('never prints a token, key or secret, in any format', async () => {
    fake.faults.push({ method: 'POST', path: /\/query$/, status: 403, body: { error: { code: 'Forbidden', message: `Bearer ${FAKE_TOKEN} rejected; AccountKey=${AZURITE_KEY}` } }, times: 3 });
    for (const format of ['json', 'table', 'markdown'] as const) {
      const run = await verify([], format);
      const all = run.stdout + run.stderr;
      expect(all).not.toContain(FAKE_TOKEN);
      expect(all).not.toContain(AZURITE_KEY);
      expect(all).not.toContain('AccountKey=Eby8');
      expect(all).toContain('[redacted]');
    }
  });

  test('table and Markdown render the same checks', async () => {
    const table = await verify([], 'table');
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^Check\s+Destination\s+Setting\s+Category\s+Target\s+Status/);
    expect(table.stdout).toContain('PASSED (exit 0): every expected category arrived.');
    const markdown = await verify([], 'markdown');
    expect(markdown.stdout).toContain('## Entra log arrival: test-env');
    expect(markdown.stdout).toContain('| log-analytics | log-analytics |  | SignInLogs | SigninLogs | ✅ pass | 5312 |');
  });
});

test('docs samples: one scenario in the three formats (VERIFY_WRITE_SAMPLES=<dir> writes them)', async () => {
  await ensureContainer(azurite.connectionString, 'SignInLogs');
  fake.scenario.canaryLogAnalyticsFromPoll = 2;
  fake.scenario.onCanaryPoll = async (poll, changedAt) => {
    if (poll === 2) {
      await appendRecords(azurite.connectionString, 'AuditLogs', ws.tenantId, changedAt, [
        { time: changedAt.toISOString(), category: 'AuditLogs', operationName: 'Update application', properties: { targetResources: [{ id: CANARY_APP }] } },
      ]);
    }
  };
  const outputs: Record<string, string> = {};
  for (const format of ['table', 'json', 'markdown'] as const) {
    fake.canaryPolls = 0;
    ws = makeWorkspace({ readerApp: true }); // a fresh tenant prefix: the previous run's canary record must not count
    await appendRecords(azurite.connectionString, 'AuditLogs', ws.tenantId, start, [{ time: start.toISOString(), operationName: 'Add user' }]);
    const run = await runVerify(fake, ws, {
      args: ['--canary', '--reader-credential', 'environment'], readerCredential: fakeReaderCredential(fake), connectionString: azurite.connectionString, ca: tls.caPem, start, format,
    });
    expect(run.code).toBe(1);
    outputs[format] = run.stdout;
  }
  expect(outputs.table).toContain('FAILED (exit 1)');
  const dir = process.env.VERIFY_WRITE_SAMPLES;
  if (dir) {
    const { writeFileSync } = await import('node:fs');
    for (const [format, text] of Object.entries(outputs)) writeFileSync(join(dir, `sample.${format}`), text);
  }
});

const STORAGE_OTHER = '/subscriptions/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0/resourceGroups/rg-audit/providers/Microsoft.Storage/storageAccounts/stother';

/** Gives the hub messages from the nth metrics request on. */
function setHubAfter(n: number): { restore(): void } {
  let calls = 0;
  const original = fake.requests.push.bind(fake.requests);
  fake.requests.push = (...items) => {
    for (const item of items) if (item.path.endsWith('/metrics') && ++calls >= n) fake.scenario.hubMessages = { 'entra-logs': 12 };
    return original(...items);
  };
  return { restore: () => void Reflect.deleteProperty(fake.requests, 'push') };
}
