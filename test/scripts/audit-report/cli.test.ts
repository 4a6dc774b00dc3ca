/**
 * `npm run audit-report` as a child process, the way npm runs it (the compiled
 * `dist/scripts/audit-report.js`): the real credential code (`--credential environment`: a client secret exchanged at the local
 * authority of the verify tests' fake Azure), the Logs API at the local fake, NODE_EXTRA_CA_CERTS for
 * the test CA, and a minimal environment (nothing that could reach a managed-identity endpoint).
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { nodeArgs, REPO_ROOT } from '../../support/run-script';
import { type FakeAzure, startFakeAzure } from '../verify/support/fake-azure';
import { healthyScenario } from '../verify/support/harness';
import { makeTestCertificates, type TestCertificates } from '../verify/support/tls';
import { type FakeLogs, startFakeLogs } from './support/fake-logs';
import { makeWorkspace, removeWorkspaces, sampleAnswers, STACK, TENANT } from './support/harness';

const CLIENT_SECRET = 'report-e2e-client-secret-7d2a1c';

let tls: TestCertificates;
let authority: FakeAzure;
let logs: FakeLogs;

beforeAll(async () => {
  tls = makeTestCertificates();
  [authority, logs] = await Promise.all([startFakeAzure(tls, healthyScenario(new Date())), startFakeLogs(tls, sampleAnswers())]);
});

afterAll(async () => {
  await Promise.all([authority?.close(), logs?.close()]);
  tls?.cleanup();
  removeWorkspaces();
});

function runCli(args: readonly string[], env: Record<string, string>, cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, nodeArgs('scripts/audit-report.ts', args), {
      cwd,
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

test('npm run audit-report signs in with a client secret at the local authority and writes the report; no secret printed', async () => {
  const ws = makeWorkspace();
  const out = join(ws.dir, 'pack');
  const run = await runCli(
    ['--stack', STACK, '--cdktf-out', join(ws.dir, 'cdktf.out'), '--outputs', ws.outputsFile, '--out', out,
      '--credential', 'environment', '--authority-host', authority.origin, '--logs-endpoint', `${logs.origin}/v1`],
    { NODE_EXTRA_CA_CERTS: tls.caFile, AZURE_TENANT_ID: TENANT, AZURE_CLIENT_ID: '3c2b1a00-0000-4000-8000-00000000e2e1', AZURE_CLIENT_SECRET: CLIENT_SECRET },
    REPO_ROOT,
  );
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  expect(readdirSync(out).sort()).toEqual(['.audit-report.json', 'charts', 'consent-grants.csv', 'credential-changes.csv', 'failed-sign-ins-by-country.csv', 'sign-in-success-rate.csv', 'summary.md', 'top-privileged-actions.csv']);
  expect(readFileSync(join(out, 'summary.md'), 'utf8')).toContain('## Headline figures');
  // It really signed in, for the Log Analytics audience of the public cloud, at the tenant's authority.
  const tokenRequests = authority.requests.filter((r) => r.path.endsWith('/oauth2/v2.0/token'));
  expect(tokenRequests.length).toBeGreaterThanOrEqual(1);
  expect(tokenRequests.every((r) => r.path.startsWith(`/${TENANT}/`))).toBe(true);
  expect(authority.issuedTokens.every((t) => t.endsWith('httpsapiloganalyticsiodefault'))).toBe(true);
  expect(logs.requests).toHaveLength(5);
  expect(logs.requests.every((r) => r.bearer)).toBe(true);
  for (const secret of [CLIENT_SECRET, ...authority.issuedTokens]) expect(run.stdout).not.toContain(secret);
});

test('npm run audit-report -- --help documents the options, the formats and the exit codes', async () => {
  const run = await runCli(['--help'], {}, REPO_ROOT);
  expect(run.code).toBe(0);
  for (const option of ['--stack', '--since', '--format', '--out', '--cdktf-out', '--outputs', '--workspace-id', '--credential', '--cloud', '--authority-host', '--logs-endpoint', '--timeout', 'md, csv, json']) {
    expect(run.stdout).toContain(option);
  }
  expect(run.stdout).toMatch(/Exit codes:\n\s+0 .*\n\s+2 .*\n.*\n\s+3 /);
});

test('a bad flag exits 2 with one message naming every mistake', async () => {
  const run = await runCli(['--stack', STACK, '--format', 'xlsx', '--since', 'P2Y'], {}, REPO_ROOT);
  expect(run.code).toBe(2);
  expect(run.stdout).toBe('');
  expect(run.stderr).toBe('audit-report: InvalidArguments: --since must be a positive ISO-8601 duration such as P7D or PT12H, got "P2Y"; --format takes md, csv, json, got "xlsx"; see --help\n');
});
