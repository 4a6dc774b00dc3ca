/**
 * Coverage reports in the synth output (`cdktf.out/reports/`) and compliance at synth: written with
 * the stacks, withdrawn with them when synth fails, and synth deletes only reports it wrote. The
 * end-to-end cases run synth as a child process, the way `npm run synth` runs it.
 */
import { spawnSync, SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { publish, SynthOutputError, withdrawStacks } from '../../stacks/synth-output';
import { JSON_REPORT_PREFIX, MARKDOWN_REPORT_MARKER } from '../../stacks/report/marker';
import { nodeArgs, REPO_ROOT } from '../support/run-script';
import { errorOf } from '../support/synth';

const work = mkdtempSync(join(tmpdir(), 'entra-synth-reports-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const report = (stack: string) => ({ [`${stack}.md`]: `${MARKDOWN_REPORT_MARKER}\n# ${stack}\n`, [`${stack}.json`]: `${JSON_REPORT_PREFIX},\n  "stack": "${stack}"\n}\n` });

/** A staging folder as synth leaves it: stacks, a manifest and reports. */
function staging(name: string, stacks: readonly string[]): string {
  const dir = join(work, name, 'staging');
  const manifest = { version: '0.21.0', stacks: Object.fromEntries(stacks.map((s) => [s, { workingDirectory: `stacks/${s}`, synthesizedStackPath: `stacks/${s}/cdk.tf.json` }])) };
  for (const s of stacks) {
    mkdirSync(join(dir, 'stacks', s), { recursive: true });
    writeFileSync(join(dir, 'stacks', s, 'cdk.tf.json'), '{}');
  }
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
  mkdirSync(join(dir, 'reports'));
  const files = { ...Object.assign({}, ...stacks.map(report)), 'index.md': `${MARKDOWN_REPORT_MARKER}\n# index\n` } as Record<string, string>;
  for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, 'reports', file), text);
  return dir;
}

function outdirWith(name: string, files: Record<string, string>): string {
  const out = join(work, name, 'out');
  mkdirSync(join(out, 'reports'), { recursive: true });
  for (const [file, text] of Object.entries(files)) writeFileSync(join(out, 'reports', file), text);
  return out;
}

const list = (dir: string) => readdirSync(dir).sort();

describe('publish and withdraw reports', () => {
  test('publish puts the reports in place, removes the reports of stacks no longer configured, and keeps other files', () => {
    const out = outdirWith('publish', { ...report('contoso-old'), 'notes.md': '# our notes on the audit\n', 'contoso-gone.md': '# a file of the user that only looks like a report name\n' });
    const result = publish(staging('publish', ['contoso-dev']), out, ['contoso-dev']);
    expect(result.reports).toEqual(['contoso-dev.json', 'contoso-dev.md', 'index.md']);
    expect(list(join(out, 'reports'))).toEqual(['contoso-dev.json', 'contoso-dev.md', 'contoso-gone.md', 'index.md', 'notes.md']);
    expect(readFileSync(join(out, 'reports', 'notes.md'), 'utf8')).toBe('# our notes on the audit\n');
  });

  test('a sharded publish keeps the reports of the configured stacks it did not build', () => {
    const out = outdirWith('sharded', { ...report('contoso-prod'), ...report('contoso-old') });
    const result = publish(staging('sharded', ['contoso-dev']), out, ['contoso-dev', 'contoso-prod']);
    expect(result.reports).toEqual(['contoso-dev.json', 'contoso-dev.md', 'index.md']);
    expect(list(join(out, 'reports'))).toEqual(['contoso-dev.json', 'contoso-dev.md', 'contoso-prod.json', 'contoso-prod.md', 'index.md']);
  });

  test('publish refuses to replace a file of the user where a report goes, before it moves anything', () => {
    const out = outdirWith('user-index', { 'index.md': '# the team index\n' });
    expect(errorOf(() => publish(staging('user-index', ['contoso-dev']), out, ['contoso-dev']))).toBe(
      `${join(out, 'reports', 'index.md')} was not written by synth, and synth writes a coverage report there; move it away and synthesize again`,
    );
    expect(existsSync(join(out, 'stacks'))).toBe(false);
    expect(readFileSync(join(out, 'reports', 'index.md'), 'utf8')).toBe('# the team index\n');
  });

  test('publish refuses a file where the reports folder goes', () => {
    const out = join(work, 'reports-file', 'out');
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'reports'), 'a file');
    let error: unknown;
    try {
      publish(staging('reports-file', ['contoso-dev']), out, ['contoso-dev']);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SynthOutputError);
    expect((error as Error).message).toBe(`${join(out, 'reports')} is not a folder; synth writes the coverage reports there. Move the file away and synthesize again`);
  });

  test('after a failed synth the reports are withdrawn with the stacks, and other files stay', () => {
    const out = outdirWith('withdraw', { ...report('contoso-dev'), 'index.md': `${MARKDOWN_REPORT_MARKER}\n`, 'notes.md': '# notes\n' });
    withdrawStacks(out);
    expect(list(join(out, 'reports'))).toEqual(['notes.md']);
  });
});

const DEV = `tenants:
  contoso:
    tenantId: 00000000-0000-4000-8000-00000000c001
    environments:
      dev:
        subscriptionId: 11111111-1111-4111-8111-111111111111
        location: westeurope
        readerApp: { enabled: false }
        alerts: { enabled: false }
`;

function synthIn(dir: string, config: string): SpawnSyncReturns<string> {
  writeFileSync(join(dir, 'environments.yaml'), config);
  return spawnSync(process.execPath, nodeArgs('stacks/main.ts'), {
    cwd: dir,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, CHECKPOINT_DISABLE: '1', ENTRA_AUDIT_CONFIG: join(dir, 'environments.yaml'), CDKTF_OUTDIR: '' },
  });
}

describe('synth writes and withdraws the reports', () => {
  test('a synth writes each stack\'s report next to cdk.tf.json; a compliance violation leaves neither, nor stale reports, and names the rule and fix', () => {
    const dir = join(work, 'project');
    mkdirSync(dir, { recursive: true });
    const good = synthIn(dir, DEV);
    expect(good.stderr).toBe('');
    expect(good.status).toBe(0);
    expect(list(join(dir, 'cdktf.out', 'reports'))).toEqual(['contoso-dev.json', 'contoso-dev.md', 'index.md']);
    writeFileSync(join(dir, 'cdktf.out', 'reports', 'notes.md'), '# the auditors\' notes\n');
    expect(readFileSync(join(dir, 'cdktf.out', 'reports', 'contoso-dev.md'), 'utf8')).toContain('# Coverage report: `contoso-dev`');

    const bad = synthIn(dir, `${DEV}        compliance: { profiles: [baseline] }\n        storage: { enabled: false }\n`);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toBe(
      '2 compliance violation(s):\n' +
        '  - [contoso-dev] EAL2 CoreCategoriesArchived (baseline): tenants.contoso.environments.dev.storage.enabled: the stack has no Storage archive, so the logs have no second copy, got false; ' +
        'expected: enable storage (remove storage.enabled: false) and route AuditLogs, SignInLogs, NonInteractiveUserSignInLogs, ServicePrincipalSignInLogs, ManagedIdentitySignInLogs and ProvisioningLogs to it\n' +
        '  - [contoso-dev] EAL3 PipelineHealthDetections (baseline): tenants.contoso.environments.dev.alerts.enabled: no alert rules are deployed, got false; ' +
        'expected: enable alerts (remove alerts.enabled: false), keeping no-audit-logs-ingested and no-sign-in-logs-ingested\n' +
        'To accept a violation instead, add to the environment compliance.suppressions: [{ rule: <id>, reason: <why, at least 10 characters> }]; the reason is recorded in the synthesized metadata and the coverage report.\n' +
        'Nothing was synthesized.\n',
    );
    expect(existsSync(join(dir, 'cdktf.out', 'stacks', 'contoso-dev', 'cdk.tf.json'))).toBe(false);
    expect(list(join(dir, 'cdktf.out', 'reports'))).toEqual(['notes.md']);
  });
});

describe('done when (issue 16): an example environment under pci-dss-4', () => {
  // examples/mssp-many-tenants: the workspace keeps 180 days in all, the immutable archive 400; every production stack selects pci-dss-4.
  const example = readFileSync(join(REPO_ROOT, 'examples', 'mssp-many-tenants', 'environments.yaml'), 'utf8');
  const withArchive = (days: number) => example.replace(/retentionInDays: 400 /, `retentionInDays: ${days} `);

  test('with a 90-day archive synth fails with the rule id and the fix; raised to 365 days it passes, with the reports', () => {
    expect(withArchive(90)).not.toBe(example);
    const dir = join(work, 'pci');
    mkdirSync(dir, { recursive: true });
    const failing = synthIn(dir, withArchive(90));
    expect(failing.status).toBe(1);
    const lines = failing.stderr.split('\n').filter((l) => l.startsWith('  - '));
    expect(lines).toHaveLength(5);
    expect(lines[0]).toBe(
      '  - [adatum-prod/Storage] EAL6 AuditTrailRetained (pci-dss-4, at least 365 days): tenants.adatum.environments.prod.storage.retentionInDays: 7 archived categories are kept less than 365 days by any destination ' +
        '(longest kept, 180 days: AuditLogs, SignInLogs, NonInteractiveUserSignInLogs, ServicePrincipalSignInLogs, ManagedIdentitySignInLogs, ProvisioningLogs, MicrosoftGraphActivityLogs), got 90; ' +
        'expected: raise storage.retentionInDays to 365 or more, or keep them 365 days in the workspace (logAnalytics.tableDefaults.totalRetentionInDays)',
    );
    expect(lines.map((l) => l.slice(0, l.indexOf(' EAL6')))).toEqual(['adatum', 'fabrikam', 'litware', 'tailspin', 'wingtip'].map((t) => `  - [${t}-prod/Storage]`));
    expect(failing.stderr).toContain('Nothing was synthesized.');
    expect(existsSync(join(dir, 'cdktf.out', 'stacks'))).toBe(false);

    const passing = synthIn(dir, withArchive(365));
    expect(passing.status).toBe(0);
    expect(passing.stdout).toContain('Synthesized 6 stack(s)');
    expect(list(join(dir, 'cdktf.out', 'reports'))).toEqual([
      'adatum-dev.json', 'adatum-dev.md', 'adatum-prod.json', 'adatum-prod.md', 'fabrikam-prod.json', 'fabrikam-prod.md', 'index.md',
      'litware-prod.json', 'litware-prod.md', 'tailspin-prod.json', 'tailspin-prod.md', 'wingtip-prod.json', 'wingtip-prod.md',
    ]);
    const adatum = JSON.parse(readFileSync(join(dir, 'cdktf.out', 'reports', 'adatum-prod.json'), 'utf8'));
    expect(adatum.compliance.rules.find((r: { id: string }) => r.id === 'EAL6')).toMatchObject({ status: 'pass', threshold: { value: 365 } });
    const tf = JSON.parse(readFileSync(join(dir, 'cdktf.out', 'stacks', 'adatum-prod', 'cdk.tf.json'), 'utf8'));
    expect(tf['//'].metadata.compliance).toEqual({ profiles: ['baseline', 'pci-dss-4'], suppressions: [] });
  });
});
