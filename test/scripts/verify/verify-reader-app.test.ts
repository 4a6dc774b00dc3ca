/**
 * The reader-app check end to end: the SIEM's app registration exists with its service principal,
 * AuditLog.Read.All and Directory.Read.All are consented on Microsoft Graph, its credentials are valid,
 * and, signed in as the reader app, the two audit endpoints answer. In-process, against the local
 * HTTPS fake Azure (./support/fake-graph.ts, as strict as Graph about what it is sent).
 */
import { join } from 'node:path';
import { READER_APP_ROLES } from '../../../constructs/internal/graph-permissions';
import type { CheckResult, VerifyReport } from '../../../scripts/lib/verify/report';
import { type Azurite, startAzurite } from './support/azurite';
import { type FakeAzure, startFakeAzure } from './support/fake-azure';
import { fakeAccessToken } from './support/fake-graph';
import {
  appendRecords, CATEGORIES, fakeReaderCredential, healthyScenario, makeWorkspace, READER_CLIENT_ID, readerSecret, readSchema, removeWorkspaces, runVerify, type Workspace,
} from './support/harness';
import { validate } from './support/json-schema';
import { makeTestCertificates, type TestCertificates } from './support/tls';

const REPO_ROOT = join(__dirname, '..', '..', '..');
const READER_SECRET = 'Rdr8Q~reader-app-secret-value-0123456789';

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
  ws = makeWorkspace({ readerApp: true });
  fake.reset(healthyScenario(start));
  for (const category of CATEGORIES) {
    await appendRecords(azurite.connectionString, category, ws.tenantId, start, [{ time: start.toISOString(), category, operationName: 'Sign-in activity' }]);
  }
});

const ONLY_READER_APP = ['--skip', 'diagnostic-settings,log-analytics,event-hub,storage'];

const verify = (args: string[], options: { asReader?: boolean; format?: 'json' | 'table' | 'markdown' } = {}) =>
  runVerify(fake, ws, {
    args: [...args, ...(options.asReader ? ['--reader-credential', 'environment'] : [])],
    readerCredential: options.asReader ? fakeReaderCredential(fake) : undefined,
    connectionString: azurite.connectionString, ca: tls.caPem, start, format: options.format,
  });

const readerLines = (report: VerifyReport | undefined): CheckResult[] => report?.checks.filter((c) => c.check === 'reader-app') ?? [];
const lineFor = (report: VerifyReport | undefined, target: string): CheckResult | undefined => readerLines(report).find((c) => c.target === target);
const day = (offset: number): string => new Date(start.getTime() + offset * 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z');

describe('reader-app', () => {
  test('healthy, read as the reader app: every line passes, both audit endpoints answer (exit 0)', async () => {
    const run = await verify(ONLY_READER_APP, { asReader: true });
    expect(run.code).toBe(0);
    expect(validate(readSchema(), run.report)).toEqual([]);
    expect(readerLines(run.report).map((c) => [c.target, c.status])).toEqual([
      ['application', 'pass'],
      ['AuditLog.Read.All', 'pass'],
      ['Directory.Read.All', 'pass'],
      ['client secrets', 'pass'],
      ['GET /v1.0/auditLogs/directoryAudits', 'pass'],
      ['GET /v1.0/auditLogs/signIns', 'pass'],
    ]);
    expect(readerLines(run.report).every((c) => c.destination === 'graph')).toBe(true);
    expect(lineFor(run.report, 'application')?.message).toBe(`"Entra audit reader (test-env)" (client id ${READER_CLIENT_ID}) and its service principal exist`);
    expect(lineFor(run.report, 'client secrets')).toMatchObject({
      count: 2,
      message: `2 client secret(s): entra-audit-reader-a valid until ${day(80)} (in 80 days); entra-audit-reader-b valid until ${day(170)} (in 170 days)`,
    });
    expect(lineFor(run.report, 'GET /v1.0/auditLogs/signIns')).toMatchObject({ category: 'SignInLogs', count: 1, newest: '2026-11-23T09:15:41.000Z' });
    // the Graph requests, as Graph documents them; the assignments came in two pages
    const graph = fake.requests.filter((r) => r.path.startsWith('/v1.0/'));
    expect(graph.map((r) => `${r.path}${Object.keys(r.query).length ? `?${new URLSearchParams(r.query).toString()}` : ''}`)).toEqual([
      `/v1.0/applications(appId='${READER_CLIENT_ID}')?%24select=id%2CappId%2CdisplayName%2CpasswordCredentials%2CkeyCredentials`,
      `/v1.0/servicePrincipals?%24filter=appId+eq+%27${READER_CLIENT_ID}%27&%24select=id%2CappId%2CdisplayName`,
      `/v1.0/servicePrincipals?%24filter=appId+eq+%2700000003-0000-0000-c000-000000000000%27&%24select=id%2CappId%2CdisplayName`,
      '/v1.0/servicePrincipals/5c4b3a29-1807-4f6e-9d5c-4b3a29180700/appRoleAssignments',
      '/v1.0/servicePrincipals/5c4b3a29-1807-4f6e-9d5c-4b3a29180700/appRoleAssignments?%24skiptoken=1',
      '/v1.0/applications/2b3c4d5e-0000-4000-8000-0000000000a1/federatedIdentityCredentials',
      '/v1.0/auditLogs/directoryAudits?%24top=1',
      '/v1.0/auditLogs/signIns?%24top=1',
    ]);
    expect(graph.every((r) => r.status === 200)).toBe(true);
  });

  test('missing AuditLog.Read.All consent: exit 2 naming it and who can grant it, also from the audit endpoint', async () => {
    fake.scenario.graph.granted = ['Directory.Read.All'];
    const run = await verify(ONLY_READER_APP, { asReader: true });
    expect(run.code).toBe(2);
    expect(run.report?.outcome).toBe('error');
    expect(lineFor(run.report, 'AuditLog.Read.All')).toMatchObject({
      status: 'error',
      message: `AuditLog.Read.All is not granted: the reader app has no admin consent for this Microsoft Graph application permission (app role ${READER_APP_ROLES['AuditLog.Read.All']}), so a SIEM reading the audit logs through Graph is refused; a Privileged Role Administrator or Global Administrator grants it: run the deployment again as one, or grant admin consent on the app's API permissions`,
    });
    expect(lineFor(run.report, 'Directory.Read.All')?.status).toBe('pass');
    for (const target of ['GET /v1.0/auditLogs/directoryAudits', 'GET /v1.0/auditLogs/signIns']) {
      expect(lineFor(run.report, target)).toMatchObject({
        status: 'error',
        message: 'the reader app was refused: Microsoft Graph (as the reader app) answered 403 Authorization_RequestDenied: Insufficient privileges to complete the operation. Its token lacks AuditLog.Read.All (admin consent of the Microsoft Graph application permission); a Privileged Role Administrator or Global Administrator grants it, then a new token carries it',
      });
    }
    const table = await verify(ONLY_READER_APP, { format: 'table' });
    expect(table.code).toBe(2);
    expect(table.stdout).toMatch(/reader-app +graph +AuditLog\.Read\.All +ERROR +AuditLog\.Read\.All is not granted/);
  });

  test('every secret expired: exit 1', async () => {
    fake.scenario.graph.readerApp!.passwordCredentials = [readerSecret('a', start, -200, -20), readerSecret('b', start, -110, -2)];
    const run = await verify(ONLY_READER_APP);
    expect(run.code).toBe(1);
    expect(lineFor(run.report, 'client secrets')).toMatchObject({
      status: 'fail',
      message: `every client secret has expired (entra-audit-reader-a expired ${day(-20)}; entra-audit-reader-b expired ${day(-2)}): a SIEM using them can no longer sign in; run the deployment (terraform apply) to issue a new one`,
    });
  });

  test('--wait does not wait for an expired secret to fix itself: one round, exit 1, the reader app read once', async () => {
    fake.scenario.graph.readerApp!.passwordCredentials = [readerSecret('a', start, -200, -20)];
    const run = await verify([...ONLY_READER_APP, '--wait', '--timeout', '10m', '--poll-interval', '1m']);
    expect(run.code).toBe(1);
    expect(run.report?.attempts).toBe(1);
    expect(run.sleeps).toEqual([]);
    expect(fake.requests.filter((r) => r.path.startsWith('/v1.0/applications(')).length).toBe(1);
  });

  test('--wait re-runs arrival checks but keeps the reader-app lines of the first round', async () => {
    fake.scenario.hubMessages = {};
    let metrics = 0;
    const original = fake.requests.push.bind(fake.requests);
    fake.requests.push = (...items) => {
      for (const item of items) if (item.path.endsWith('/metrics') && ++metrics >= 2) fake.scenario.hubMessages = { 'entra-logs': 5 };
      return original(...items);
    };
    try {
      const run = await verify(['--wait', '--timeout', '10m', '--poll-interval', '1m']);
      expect(run.code).toBe(0);
      expect(run.report?.attempts).toBe(3); // messages show from the answer after the second metrics request
      expect(readerLines(run.report).map((c) => c.status)).toEqual(['pass', 'pass', 'pass', 'pass']);
      expect(fake.requests.filter((r) => r.path.startsWith('/v1.0/applications(')).length).toBe(1);
    } finally {
      Reflect.deleteProperty(fake.requests, 'push');
    }
  });

  test('the older slot expired, the newer valid for months: the two-slot rotation is healthy (exit 0)', async () => {
    fake.scenario.graph.readerApp!.passwordCredentials = [readerSecret('a', start, -185, -5), readerSecret('b', start, -95, 85)];
    const run = await verify(ONLY_READER_APP);
    expect(run.code).toBe(0);
    expect(lineFor(run.report, 'client secrets')).toMatchObject({ status: 'pass', message: expect.stringContaining(`entra-audit-reader-a expired ${day(-5)}; entra-audit-reader-b valid until ${day(85)}`) });
  });

  test('the newest secret expires in 10 days: exit 0 with a warning that gives the date', async () => {
    fake.scenario.graph.readerApp!.passwordCredentials = [readerSecret('a', start, -190, -10), readerSecret('b', start, -170, 10)];
    const run = await verify(ONLY_READER_APP, { format: 'json' });
    expect(run.code).toBe(0);
    expect(run.report?.outcome).toBe('passed');
    expect(lineFor(run.report, 'client secrets')).toMatchObject({
      status: 'warn',
      message: `the newest client secret, entra-audit-reader-b, expires ${day(10)} (in 10 days) and none takes over after it: rotate before then (run the deployment after the slot's rotation date; only an apply rotates). All: entra-audit-reader-a expired ${day(-10)}; entra-audit-reader-b valid until ${day(10)} (in 10 days)`,
    });
    const table = await verify(ONLY_READER_APP, { format: 'table' });
    expect(table.stdout).toContain('PASSED (exit 0): every expected category arrived. 3 passed, 0 failed, 1 warning(s), 4 skipped');
    const markdown = await verify(ONLY_READER_APP, { format: 'markdown' });
    expect(markdown.stdout).toContain('| reader-app | graph |  |  | client secrets | ⚠️ warn | 2 |');
  });

  test('sign-ins in a tenant without Entra ID P1/P2: reported as licensing, not as a permission', async () => {
    fake.scenario.graph.premium = false;
    const run = await verify(ONLY_READER_APP, { asReader: true });
    expect(run.code).toBe(2);
    expect(lineFor(run.report, 'GET /v1.0/auditLogs/directoryAudits')?.status).toBe('pass');
    const signIns = lineFor(run.report, 'GET /v1.0/auditLogs/signIns');
    expect(signIns).toMatchObject({
      status: 'error',
      category: 'SignInLogs',
      message: "licensing: Microsoft Graph (as the reader app) answered 403 Authentication_RequestFromNonPremiumTenantOrB2CTenant: Neither tenant is B2C or tenant doesn't have premium license. Reading sign-ins through Microsoft Graph needs a Microsoft Entra ID P1 or P2 licence in the tenant; consent is not the cause, and granting permissions does not help",
    });
    expect(signIns?.message).not.toMatch(/lacks|not granted/);
    expect(run.report?.problems).toEqual([]);
  });

  test('a real client-secret sign-in as the reader app (--reader-credential environment); its secret is never printed', async () => {
    fake.scenario.graph.granted = ['Directory.Read.All'];
    const run = await runVerify(fake, ws, {
      args: [...ONLY_READER_APP, '--reader-credential', 'environment', '--authority-host', fake.origin, '--markdown'],
      env: { READER_AZURE_CLIENT_SECRET: READER_SECRET }, format: 'markdown',
      connectionString: azurite.connectionString, ca: tls.caPem, start,
    });
    expect(run.code).toBe(2);
    const tokenRequest = fake.requests.find((r) => r.path.endsWith('/oauth2/v2.0/token'));
    expect(tokenRequest?.path).toBe(`/${ws.tenantId}/oauth2/v2.0/token`);
    expect(run.stdout).toContain('Its token lacks AuditLog.Read.All');
    expect(run.stdout).not.toContain(READER_SECRET);
    for (const token of fake.issuedTokens) expect(run.stdout).not.toContain(token);
  });

  test('a token without a roles claim holds no permission: both are named, whatever the assignments say', async () => {
    const run = await runVerify(fake, ws, {
      args: [...ONLY_READER_APP, '--reader-credential', 'azure-cli'],
      readerCredential: { getToken: async () => ({ token: fakeAccessToken(READER_CLIENT_ID, []).replace(/\.[^.]+\./, `.${Buffer.from(JSON.stringify({ appid: READER_CLIENT_ID })).toString('base64url')}.`), expiresOnTimestamp: Date.now() + 3_600_000 }) },
      connectionString: azurite.connectionString, ca: tls.caPem, start,
    });
    expect(run.code).toBe(2);
    expect(lineFor(run.report, 'AuditLog.Read.All')?.status).toBe('pass');
    expect(lineFor(run.report, 'GET /v1.0/auditLogs/directoryAudits')?.message).toContain('Its token lacks AuditLog.Read.All and Directory.Read.All (admin consent of the Microsoft Graph application permissions)');
  });

  test('signed in as another application: the audit endpoints are not read for the reader app', async () => {
    const other = '9d8c7b6a-0000-4000-8000-0000000000ff';
    const run = await runVerify(fake, ws, {
      args: [...ONLY_READER_APP, '--reader-credential', 'azure-cli'],
      readerCredential: { getToken: async () => ({ token: fakeAccessToken(other, Object.keys(READER_APP_ROLES)), expiresOnTimestamp: Date.now() + 3_600_000 }) },
      connectionString: azurite.connectionString, ca: tls.caPem, start,
    });
    expect(run.code).toBe(2);
    expect(lineFor(run.report, 'sign-in as the reader app')).toMatchObject({ status: 'error', message: expect.stringMatching(new RegExp(`^--reader-credential azure-cli signed in as application ${other}, not as the reader app ${READER_CLIENT_ID}`)) });
    expect(fake.requests.some((r) => r.path.startsWith('/v1.0/auditLogs'))).toBe(false);
  });

  test('a failed sign-in as the reader app is one error line; the directory lines stay', async () => {
    const run = await runVerify(fake, ws, {
      args: [...ONLY_READER_APP, '--reader-credential', 'azure-cli'],
      readerCredential: { getToken: async () => { throw Object.assign(new Error('AADSTS7000222: The provided client secret keys for app are expired.'), { name: 'AuthenticationError' }); } },
      connectionString: azurite.connectionString, ca: tls.caPem, start,
    });
    expect(run.code).toBe(2);
    expect(readerLines(run.report).map((c) => [c.target, c.status])).toEqual([
      ['application', 'pass'], ['AuditLog.Read.All', 'pass'], ['Directory.Read.All', 'pass'], ['client secrets', 'pass'], ['sign-in as the reader app', 'error'],
    ]);
    expect(lineFor(run.report, 'sign-in as the reader app')?.message).toBe('signing in as the reader app (--reader-credential azure-cli) failed: AADSTS7000222: The provided client secret keys for app are expired.');
  });

  test('federated credentials are listed with their subjects; no credential at all warns', async () => {
    fake.scenario.graph.readerApp!.passwordCredentials = [];
    fake.scenario.graph.readerApp!.federatedIdentityCredentials = [
      { name: 'siem-prod', issuer: 'https://token.actions.githubusercontent.com', subject: 'repo:contoso/siem:environment:prod', audiences: ['api://AzureADTokenExchange'] },
    ];
    let run = await verify(ONLY_READER_APP);
    expect(run.code).toBe(0);
    expect(lineFor(run.report, 'federated credentials')).toMatchObject({
      status: 'pass', count: 1,
      message: '1 federated credential(s), no secret to expire: siem-prod (issuer https://token.actions.githubusercontent.com, subject repo:contoso/siem:environment:prod)',
    });
    expect(lineFor(run.report, 'client secrets')).toBeUndefined();
    fake.scenario.graph.readerApp!.federatedIdentityCredentials = [];
    run = await verify(ONLY_READER_APP);
    expect(run.code).toBe(0);
    expect(lineFor(run.report, 'credentials')).toMatchObject({ status: 'warn', message: expect.stringContaining('has no client secret, certificate or federated credential: a SIEM cannot sign in as it yet') });
  });

  test('the app or its service principal missing: exit 1', async () => {
    fake.scenario.graph.readerServicePrincipal = false;
    let run = await verify(ONLY_READER_APP);
    expect(run.code).toBe(1);
    expect(lineFor(run.report, 'application')).toMatchObject({ status: 'fail', message: expect.stringContaining('has no service principal in this tenant') });
    expect(lineFor(run.report, 'AuditLog.Read.All')).toBeUndefined();
    fake.scenario.graph.readerApp = null;
    run = await verify(ONLY_READER_APP);
    expect(run.code).toBe(1);
    expect(readerLines(run.report)).toEqual([expect.objectContaining({ target: 'application', status: 'fail', message: expect.stringMatching(`^no application with client id ${READER_CLIENT_ID} in this tenant`) })]);
  });

  test('the verifying identity cannot read applications: exit 2 naming Application.Read.All', async () => {
    fake.faults.push({ method: 'GET', path: /^\/v1\.0\/applications\(/, status: 403, body: { error: { code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.' } }, times: 1 });
    const run = await verify(ONLY_READER_APP);
    expect(run.code).toBe(2);
    expect(run.report?.problems).toEqual([expect.objectContaining({ code: 'PermissionDenied', check: 'reader-app', requiredPermission: expect.stringMatching(/^Microsoft Graph permission Application\.Read\.All/) })]);
  });

  test('--skip reader-app leaves Graph alone; --reader-credential without a client id or secret is a usage error', async () => {
    let run = await verify(['--skip', 'reader-app']);
    expect(run.code).toBe(0);
    expect(readerLines(run.report)).toEqual([expect.objectContaining({ status: 'skipped', message: 'skipped (--skip)' })]);
    expect(fake.requests.some((r) => r.path.startsWith('/v1.0/'))).toBe(false);

    ws = makeWorkspace({ outputs: {} });
    run = await verify([...ONLY_READER_APP, '--reader-credential', 'azure-cli']);
    expect(run.code).toBe(2);
    expect(run.report?.problems[0]?.message).toBe('--reader-credential signs in as the reader app, whose client id is unknown: the output reader_app_client_id is missing; pass --reader-app-client-id <guid>');

    ws = makeWorkspace({ readerApp: true });
    run = await runVerify(fake, ws, { args: [...ONLY_READER_APP, '--reader-credential', 'environment'], connectionString: undefined, ca: tls.caPem, start });
    expect(run.report?.problems[0]).toMatchObject({ code: 'ReaderCredentialUnavailable', message: expect.stringContaining('set READER_AZURE_CLIENT_SECRET, or READER_AZURE_CLIENT_CERTIFICATE_PATH') });
  });

  test('a stack without a reader app gets no reader-app line', async () => {
    ws = makeWorkspace();
    const run = await verify(['--skip', 'storage']);
    expect(run.code).toBe(0);
    expect(readerLines(run.report)).toEqual([]);
  });
});
