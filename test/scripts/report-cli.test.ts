/**
 * `npm run report`: end to end as a child process on the example (output, exit codes), and the other
 * cases through the same command function in this process, so the app's code loads once.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main as reportCommand } from '../../scripts/report';
import { MARKDOWN_REPORT_MARKER } from '../../stacks/report/marker';
import { nodeArgs, REPO_ROOT } from '../support/run-script';

const work = mkdtempSync(join(tmpdir(), 'entra-report-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function report(args: readonly string[], config?: string) {
  const env: NodeJS.ProcessEnv = { ...process.env, CHECKPOINT_DISABLE: '1' };
  if (config === undefined) delete env.ENTRA_AUDIT_CONFIG;
  else env.ENTRA_AUDIT_CONFIG = config;
  return spawnSync(process.execPath, nodeArgs('scripts/report.ts', args), { cwd: REPO_ROOT, env, encoding: 'utf8', timeout: 120_000 });
}

/** The same command in this process (configuration from ENTRA_AUDIT_CONFIG, or the example). */
function reportHere(args: readonly string[], config?: string) {
  let stdout = '';
  let stderr = '';
  const env: NodeJS.ProcessEnv = config === undefined ? {} : { ENTRA_AUDIT_CONFIG: config };
  const status = reportCommand(args, { env, stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { status, stdout, stderr };
}

const NOT_COMPLIANT = `tenants:
  contoso:
    tenantId: 00000000-0000-4000-8000-00000000c001
    environments:
      dev:
        subscriptionId: 11111111-1111-4111-8111-111111111111
        location: westeurope
        routing: { AuditLogs: [logAnalytics] }
        alerts: { enabled: false }
        compliance: { profiles: [cis] }
`;

describe('npm run report', () => {
  test('prints every stack\'s markdown report of the example configuration and exits 0', () => {
    const run = report([]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout.split('\n').filter((l) => l.startsWith('# Coverage report: '))).toEqual(['# Coverage report: `contoso-dev`', '# Coverage report: `contoso-prod`', '# Coverage report: `fabrikam-prod`']);
    expect(run.stdout.startsWith(`${MARKDOWN_REPORT_MARKER}\n`)).toBe(true);
  });

  test('--stack and --json: one stack as a JSON array', () => {
    const run = reportHere(['--stack', 'fabrikam-prod', '--json']);
    expect(run.status).toBe(0);
    const reports = JSON.parse(run.stdout);
    expect(reports.map((r: { stack: string }) => r.stack)).toEqual(['fabrikam-prod']);
    expect(reports[0].compliance.suppressions).toEqual([expect.objectContaining({ rule: 'EAL8' })]);
  });

  test('reports a configuration that does not comply, marking the failures, and exits 1 naming the violations', () => {
    const file = join(work, 'not-compliant.yaml');
    writeFileSync(file, NOT_COMPLIANT);
    const run = reportHere([], file);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('Compliance: `cis`: 2 rule(s), 0 pass, **2 fail**.');
    expect(run.stderr.split('\n')[0]).toBe('2 compliance violation(s); npm run synth fails on them:');
    expect(run.stderr).toContain('  - [contoso-dev/DiagnosticSettings] EAL10 GraphActivityLogsExported (cis): tenants.contoso.environments.dev.routing.MicrosoftGraphActivityLogs: ');
  });

  test('--out writes the same files synth writes, again on a second run, and never over a file that is not a report', () => {
    const out = join(work, 'out', 'reports');
    const first = reportHere(['--out', out]);
    expect(first.status).toBe(0);
    expect(first.stdout).toBe(`Wrote the coverage reports of contoso-dev, contoso-prod, fabrikam-prod into ${out}\n`);
    expect(readdirSync(out).sort()).toEqual(['contoso-dev.json', 'contoso-dev.md', 'contoso-prod.json', 'contoso-prod.md', 'fabrikam-prod.json', 'fabrikam-prod.md', 'index.md']);
    expect(reportHere(['--out', out]).status).toBe(0);

    const other = join(work, 'other');
    mkdirSync(other);
    writeFileSync(join(other, 'index.md'), '# our own index\n');
    const refused = reportHere(['--out', other, '--stack', 'contoso-dev']);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toBe(`report: ${join(other, 'index.md')} exists and is not a coverage report; it is not overwritten. Move it, or choose another --out folder\n`);
    expect(readdirSync(other)).toEqual(['index.md']);
    expect(readFileSync(join(other, 'index.md'), 'utf8')).toBe('# our own index\n');
  });

  test('--out on a file is refused', () => {
    const file = join(work, 'a-file');
    writeFileSync(file, 'x');
    const run = reportHere(['--out', file]);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(`report: --out ${file} is not a folder; give a folder to write the reports into\n`);
  });

  test.each([
    [['--stak', 'x'], 'report: unknown argument "--stak"'],
    [['--stack'], 'report: --stack needs a value'],
    [['--out', 'a', '--out', 'b'], 'report: --out given twice'],
    [['--stack', 'contoso-prd'], 'report: --stack "contoso-prd" is not a stack of stacks/environments.yaml (did you mean "contoso-prod"?); its stacks: contoso-dev, contoso-prod, fabrikam-prod'],
  ])('usage error %j exits 2 with the reason', (args, message) => {
    const run = reportHere(args);
    expect(run.status).toBe(2);
    expect(run.stderr.split('\n')[0]).toBe(message);
  });

  test('an invalid configuration exits 1 with its problems; --help exits 0', () => {
    const file = join(work, 'invalid.yaml');
    writeFileSync(file, NOT_COMPLIANT.replace('[cis]', '[cis, pci]'));
    const run = report([], file);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('compliance.profiles[1]: got "pci"; expected one of "baseline", "pci-dss-4", "nist-800-53", "cis"');
    expect(run.stdout).toBe('');
    const help = report(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^Usage: npm run --silent report -- \[--stack <id>\]\.\.\. \[--json\] \[--out <folder>\]/);
  });
});
