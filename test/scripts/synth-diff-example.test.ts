/** synth:diff on two synthesized variants of the example configuration, as a pull request would produce them. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeArgs, REPO_ROOT, runScript } from '../support/run-script';

const work = mkdtempSync(join(tmpdir(), 'entra-synth-diff-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function synth(config: string, outdir: string): void {
  const run = spawnSync(process.execPath, nodeArgs('stacks/main.ts'), { cwd: REPO_ROOT, encoding: 'utf8', env: { ...process.env, ENTRA_AUDIT_CONFIG: config, CDKTF_OUTDIR: outdir } });
  if (run.status !== 0) throw new Error(run.stderr);
}

test('weakening the example configuration is flagged stack by stack; an unchanged configuration is not', () => {
  const example = readFileSync(join(REPO_ROOT, 'stacks/environments.yaml'), 'utf8');
  // The pull request: stops archiving MicrosoftGraphActivityLogs in contoso-prod, cuts its archive retention,
  // and turns fabrikam-prod into a non-production environment (locks and prevent_destroy go).
  const variant = example
    .replace('MicrosoftGraphActivityLogs: [logAnalytics, storage]', 'MicrosoftGraphActivityLogs: [logAnalytics]')
    .replace('retentionInDays: 2557', 'retentionInDays: 400')
    .replace(/(location: northeurope\n {8}production: )true/, '$1false');
  expect(variant).not.toBe(example);
  writeFileSync(join(work, 'base.yaml'), example);
  writeFileSync(join(work, 'head.yaml'), variant);
  synth(join(work, 'base.yaml'), join(work, 'base'));
  synth(join(work, 'head.yaml'), join(work, 'head'));

  const diff = runScript('scripts/synth-diff.ts', [join(work, 'base'), join(work, 'head'), '--fail-on-risk']);
  expect(diff.status).toBe(1);
  const md = diff.stdout;
  expect(md).toMatch(/AR1 AuditResourceDestroyed · <code>contoso-prod<\/code> <code>azurerm_monitor_aad_diagnostic_setting\.DiagnosticSettings_law-st_/);
  expect(md).toMatch(/AR1 AuditResourceDestroyed · <code>contoso-prod<\/code> <code>azurerm_storage_container\.Storage_Containers_MicrosoftGraphActivityLogs_/);
  expect(md).toMatch(/AR9 LifecycleDeleteSooner · <code>contoso-prod<\/code>.*reduced from 2557 to 400 days/);
  expect(md).toMatch(/AR6 PreventDestroyRemoved · <code>fabrikam-prod<\/code> <code>azurerm_storage_account\./);
  expect(md).toMatch(/AR1 AuditResourceDestroyed · <code>fabrikam-prod<\/code> <code>azurerm_management_lock\./);
  expect(md).toContain('### <code>contoso-dev</code>\n\n**0 to create, 0 to update, 0 to replace, 0 to delete.**');

  const same = runScript('scripts/synth-diff.ts', [join(work, 'base'), join(work, 'base'), '--fail-on-risk']);
  expect(same.status).toBe(0);
  expect(same.stdout).not.toContain('AuditResourceDestroyed');
});
