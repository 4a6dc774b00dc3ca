/**
 * `node -r scripts/build/ensure-built.js dist/scripts/verify.js` as a child process, the way `npm run verify` runs it: real
 * credential code (`--credential environment`, a client secret exchanged at the local
 * `--authority-host`), real endpoints flags, NODE_EXTRA_CA_CERTS for the test CA, Azurite through
 * AZURE_STORAGE_CONNECTION_STRING. The child gets a minimal environment: nothing that could send a
 * credential chain to a managed-identity endpoint.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { type Azurite, AZURITE_KEY, startAzurite } from './support/azurite';
import { type FakeAzure, startFakeAzure } from './support/fake-azure';
import { appendRecords, CATEGORIES, endpointArgs, healthyScenario, makeWorkspace, readSchema, removeWorkspaces, STACK } from './support/harness';
import { validate } from './support/json-schema';
import { makeTestCertificates, type TestCertificates } from './support/tls';
import { nodeArgs, REPO_ROOT } from '../../support/run-script';

const CLIENT_SECRET = 'e2e-client-secret-value-5f1c9a';

let tls: TestCertificates;
let fake: FakeAzure;
let azurite: Azurite;

beforeAll(async () => {
  tls = makeTestCertificates();
  [fake, azurite] = await Promise.all([startFakeAzure(tls, healthyScenario(new Date())), startAzurite(REPO_ROOT)]);
});

afterAll(async () => {
  await Promise.all([fake?.close(), azurite?.stop()]);
  tls?.cleanup();
  removeWorkspaces();
});

function runCli(args: readonly string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, nodeArgs('scripts/verify.ts', args), {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 50_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

test('npm run verify -- --json against the local servers: exit 0, output matches the schema, no secret printed', async () => {
  const start = new Date();
  const ws = makeWorkspace();
  fake.reset(healthyScenario(start));
  for (const category of CATEGORIES) {
    await appendRecords(azurite.connectionString, category, ws.tenantId, start, [{ time: start.toISOString(), category }]);
  }
  const run = await runCli(
    ['--stack', STACK, '--cdktf-out', join(ws.dir, 'cdktf.out'), '--outputs', ws.outputsFile, '--json',
      '--credential', 'environment', '--authority-host', fake.origin, ...endpointArgs(fake)],
    {
      NODE_EXTRA_CA_CERTS: tls.caFile,
      AZURE_TENANT_ID: ws.tenantId,
      AZURE_CLIENT_ID: '3c2b1a00-0000-4000-8000-00000000e2e0',
      AZURE_CLIENT_SECRET: CLIENT_SECRET,
      AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString,
    },
  );
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  const report = JSON.parse(run.stdout) as unknown;
  expect(validate(readSchema(), report)).toEqual([]);
  expect(report).toMatchObject({ schemaVersion: 1, outcome: 'passed', exitCode: 0, stack: STACK });
  // it really signed in at the local authority, with the scopes of the public cloud
  expect(fake.issuedTokens.length).toBeGreaterThanOrEqual(2);
  const tokenRequests = fake.requests.filter((r) => r.path.endsWith('/oauth2/v2.0/token'));
  expect(tokenRequests.every((r) => r.path.startsWith(`/${ws.tenantId}/`))).toBe(true);
  expect(fake.requests.filter((r) => !r.path.includes('oauth2') && !r.path.includes('.well-known')).every((r) => r.bearer)).toBe(true);
  for (const secret of [CLIENT_SECRET, AZURITE_KEY, ...fake.issuedTokens]) expect(run.stdout).not.toContain(secret);
});

test('npm run verify -- --help documents every option and the exit codes', async () => {
  const run = await runCli(['--help'], {});
  expect(run.code).toBe(0);
  for (const option of [
    '--stack', '--outputs', '--workspace-id', '--eventhub-namespace-id', '--eventhub-name', '--storage-account-id', '--since', '--wait', '--timeout',
    '--canary', '--credential', '--cloud', '--authority-host', '--arm-endpoint', '--logs-endpoint', '--blob-endpoint', '--graph-endpoint',
    '--json', '--markdown', 'AZURE_STORAGE_CONNECTION_STRING', 'AzureUSGovernment', 'workload-identity',
    '--reader-credential', '--reader-app-client-id', 'READER_AZURE_CLIENT_SECRET', 'reader-app', '--skip',
  ]) {
    expect(run.stdout).toContain(option);
  }
  expect(run.stdout).toMatch(/Exit codes:\n\s+0 .*\n.*\n\s+1 .*\n.*\n\s+2 .*\n.*\n.*\n\s+3 /);
});

test('a token endpoint that never answers: the process ends soon after --timeout with exit 3, nothing secret printed', async () => {
  const start = new Date();
  const ws = makeWorkspace();
  fake.reset(healthyScenario(start));
  fake.faults.push({ method: 'POST', path: /\/oauth2\/v2\.0\/token$/, mode: 'hang', times: 99 });
  const started = Date.now();
  const run = await runCli(
    ['--stack', STACK, '--cdktf-out', join(ws.dir, 'cdktf.out'), '--outputs', ws.outputsFile, '--json', '--timeout', 'PT2S',
      '--credential', 'environment', '--authority-host', fake.origin, ...endpointArgs(fake)],
    {
      NODE_EXTRA_CA_CERTS: tls.caFile,
      AZURE_TENANT_ID: ws.tenantId,
      AZURE_CLIENT_ID: '3c2b1a00-0000-4000-8000-00000000e2e0',
      AZURE_CLIENT_SECRET: CLIENT_SECRET,
      AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString,
    },
  );
  const elapsed = Date.now() - started;
  expect(run.code).toBe(3);
  const report = JSON.parse(run.stdout) as { outcome: string; problems: { code: string; message: string }[]; checks: { check: string; message: string }[] };
  expect(report.outcome).toBe('timeout');
  expect(report.checks.map((c) => [c.check, c.message])).toEqual(['log-analytics', 'event-hub', 'storage'].map((check) => [check, 'not run: --timeout ran out']));
  expect(report.problems).toEqual([expect.objectContaining({ code: 'Timeout', message: '--timeout PT2S ran out while waiting for the answer to list Entra diagnostic settings; raise --timeout' })]);
  // Node start-up (a few seconds on a loaded machine) + 2 s + at most 1 s for the exit: far below the 65 s transport backstop.
  expect(elapsed).toBeLessThan(25_000);
  expect(run.stdout + run.stderr).not.toContain(CLIENT_SECRET);
});
