/**
 * synth:diff on synthesized variants of the example configuration, as a pull request would produce
 * them, with and without the two configuration files that relate each change to its setting.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { markdownBlockAfter } from '../support/doc-block';
import { runCommand } from '../support/run-command';
import { nodeArgs, REPO_ROOT, runScript } from '../support/run-script';

const SCRIPT = 'scripts/synth-diff.ts';
const work = mkdtempSync(join(tmpdir(), 'entra-synth-diff-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/**
 * The example without its `compliance:` sections: this suite weakens the configuration on purpose to
 * exercise the review, which the compliance profiles would (rightly) refuse at synth.
 */
function withoutCompliance(text: string): string {
  const lines = text.split('\n');
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = /^( *)compliance:/.exec(lines[i]);
    if (!m) {
      out.push(lines[i]);
      continue;
    }
    const indent = m[1].length;
    while (i + 1 < lines.length && (lines[i + 1].trim() === '' || /^ */.exec(lines[i + 1])![0].length > indent)) i++;
  }
  return out.join('\n');
}
const example = withoutCompliance(readFileSync(join(REPO_ROOT, 'stacks/environments.yaml'), 'utf8'));

/** Writes `<name>.yaml` and synthesizes it into `<name>/`; returns both paths. */
function synth(name: string, config: string): { config: string; out: string } {
  const file = join(work, `${name}.yaml`);
  const out = join(work, name);
  writeFileSync(file, config);
  const run = spawnSync(process.execPath, nodeArgs('stacks/main.ts'), {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    env: { ...process.env, ENTRA_AUDIT_CONFIG: file, CDKTF_OUTDIR: out },
  });
  if (run.status !== 0) throw new Error(run.stderr);
  return { config: file, out };
}

function replaced(text: string, from: string | RegExp, to: string): string {
  const out = text.replace(from, to);
  if (out === text) throw new Error(`the example no longer contains ${String(from)}`);
  return out;
}

/** One retention change, the one of the issue: six lifecycle findings on one resource. */
const retention365 = replaced(example, 'retentionInDays: 2557', 'retentionInDays: 365');
/**
 * A pull request that stops archiving MicrosoftGraphActivityLogs in contoso-prod, cuts its archive
 * retention below the immutability period and the period with it (valid only together with it), turns
 * fabrikam-prod into a non-production environment (locks and prevent_destroy go) and renames a tenant.
 */
const weakened = [
  (t: string) => replaced(t, 'MicrosoftGraphActivityLogs: [logAnalytics, storage]', 'MicrosoftGraphActivityLogs: [logAnalytics]'),
  (t: string) => replaced(t, 'retentionInDays: 2557', 'retentionInDays: 100'),
  (t: string) => replaced(t, 'periodInDays: 365 ', 'periodInDays: 90 '),
  (t: string) => replaced(t, /(location: northeurope\n {8}production: )true/, '$1false'),
  (t: string) => replaced(t, 'displayName: Contoso Ltd', 'displayName: Contoso Limited'),
].reduce((text, change) => change(text), example);

let base: { config: string; out: string };
let head365: { config: string; out: string };
let headWeakened: { config: string; out: string };
beforeAll(() => {
  base = synth('base', example);
  head365 = synth('head365', retention365);
  headWeakened = synth('weakened', weakened);
});

/** The command in-process (the synthesizing code is loaded once per file), stdout a pipe, stderr a terminal when asked. */
const inProcess = (argv: string[], stderrIsTTY = false) => runCommand(SCRIPT, argv, { stderrIsTTY });

const withConfigs = (head: { config: string; out: string }, ...more: string[]) =>
  inProcess([base.out, head.out, '--base-config', base.config, '--head-config', head.config, ...more]);

describe('without the configuration files', () => {
  it('flags the weakened stacks, names resources by construct path and leaves unchanged stacks out', () => {
    const diff = runScript(SCRIPT, [base.out, headWeakened.out, '--fail-on-risk']);
    expect(diff.status).toBe(1);
    const md = diff.stdout;
    expect(md).toContain('3 stack(s) compared: 2 with changes. Unchanged, so not shown: contoso-dev.');
    expect(md).toContain('- 🔴 **critical** · AR1 AuditResourceDestroyed · <code>contoso-prod</code> <code>DiagnosticSettings/law-st</code>: deleted:');
    expect(md).toContain('- 🔴 **critical** · AR1 AuditResourceDestroyed · <code>contoso-prod</code> <code>Storage/Containers/MicrosoftGraphActivityLogs</code>: deleted:');
    // One line for the same finding on several resources, the resources under it.
    expect(md).toContain(
      '- 🟠 **high** · AR6 PreventDestroyRemoved: lifecycle.prevent_destroy removed: Terraform will no longer refuse to destroy it, on 2 resources:\n' +
        '  - <code>fabrikam-prod</code> <code>LogAnalytics</code>\n  - <code>fabrikam-prod</code> <code>Storage</code>\n',
    );
    expect(md).toMatch(/AR9 LifecycleDeleteSooner · <code>contoso-prod<\/code> <code>Storage\/Lifecycle<\/code>, 3 findings:\n {2}- rule delete-entra-logs-1: .*reduced from 2557 to 100 days/);
    expect(md).not.toContain('Storage_Lifecycle_EFD81F17</code>:'); // the logical id only in the details, next to the name
    expect(md).toContain('<summary>✏️ update <code>Storage/Lifecycle</code> (<code>azurerm_storage_management_policy.Storage_Lifecycle_EFD81F17</code>)');
    expect(md).not.toContain('### <code>contoso-dev</code>');
    expect(md).not.toContain('#### Setting'); // nothing to relate changes to
  });

  it('reports no risk, no change and no stack section for an unchanged configuration', () => {
    const same = inProcess([base.out, base.out, '--fail-on-risk']);
    expect(same.status).toBe(0);
    expect(same.stdout).toContain('3 stack(s) compared: 0 with changes. Unchanged, so not shown: contoso-dev, contoso-prod, fabrikam-prod.');
    expect(same.stdout).toContain('**Next step:** no risk and no change: nothing to review.');
    expect(same.stdout).not.toContain('AuditResourceDestroyed');
  });
});

describe('with --base-config and --head-config', () => {
  it('puts the six findings of one retention change under that one setting, on one resource, and shows only that stack', () => {
    const diff = withConfigs(head365, '--commit', '0123456789abcdef0123456789abcdef01234567');
    expect(diff.stderr).toBe('');
    expect(diff.status).toBe(0);
    const md = diff.stdout;
    expect(md.match(/^#### /gm)).toEqual(['#### ']);
    expect(md).not.toMatch(/^> /m); // the in-memory synthesis matched the head output: nothing to warn about
    expect(md).toContain('#### Setting <code>tenants.contoso.environments.prod.storage.retentionInDays</code>: <code>2557</code> → <code>365</code>\n');
    const risks = md.slice(md.indexOf('### ⚠️ Audit risk (6)'), md.indexOf('**Next step:**'));
    expect(risks.match(/^- /gm)).toHaveLength(1);
    expect(risks).toContain('- 🟠 **high** · AR9 LifecycleDeleteSooner · <code>contoso-prod</code> <code>Storage/Lifecycle</code>, 6 findings:\n');
    expect(risks.match(/^ {2}- rule delete-entra-logs-[12]: .* reduced from 2557 to 365 days$/gm)).toHaveLength(6);
    expect(md).toContain('**Next step:** check each Audit risk above against the intent of this change. If every one is intended, label the pull request <code>audit-risk-accepted</code> to accept them');
    expect(md).toContain('Commit: 0123456789abcdef0123456789abcdef01234567\n');
    // Unchanged stacks are left out; the changed one says which setting changed each resource.
    expect(md).toContain('3 stack(s) compared: 1 with changes. Unchanged, so not shown: contoso-dev, fabrikam-prod.');
    expect(md.match(/^### <code>/gm)).toEqual(['### <code>']);
    expect(md).toContain('| ✏️ update | <code>Storage/Lifecycle</code> (azurerm_storage_management_policy) | <code>storage.retentionInDays</code> | ⚠️ AR9 |  |');
  });

  it('is the example in docs/reviewing-changes.md', () => {
    const doc = readFileSync(join(REPO_ROOT, 'docs/reviewing-changes.md'), 'utf8');
    expect(markdownBlockAfter(doc, '## Example synth diff')).toBe(withConfigs(head365, '--commit', '4f2c1a9').stdout);
  });

  it('says the same as text for a terminal, without markup or entities', () => {
    const diff = withConfigs(head365, '--format', 'text');
    expect(diff.status).toBe(0);
    const text = diff.stdout;
    expect(text).not.toMatch(/<code>|<\/?details|&#?\w+;|\*\*|\x1b\[/);
    expect(text).toContain('  Setting tenants.contoso.environments.prod.storage.retentionInDays: 2557 → 365\n');
    expect(text).toContain('    high      AR9 LifecycleDeleteSooner  contoso-prod Storage/Lifecycle, 6 findings:\n');
    expect(text).toContain('Next step: check each Audit risk above');
    expect(text).toContain('audit-risk-accepted');
    expect(text).toContain('  update   Storage/Lifecycle (azurerm_storage_management_policy.Storage_Lifecycle_EFD81F17)  ⚠ AR9  from storage.retentionInDays\n');
    expect(text).toContain('           rule[0].actions.base_blob.delete_after_days_since_modification_greater_than: 2557 → 365\n');
    expect(text).not.toContain('contoso-dev:');
  });

  it('relates each change of a pull request with several settings to the setting that causes it', () => {
    const diff = withConfigs(headWeakened, '--fail-on-risk');
    expect(diff.stderr).toBe('');
    expect(diff.status).toBe(1);
    const md = diff.stdout;
    const group = (heading: string) => {
      const start = md.indexOf(`#### ${heading}`);
      expect(start).toBeGreaterThan(0);
      const end = md.slice(start + 5).search(/\n#### |\n\*\*Next step/);
      return md.slice(start, start + 5 + end);
    };
    const routing = group('Setting <code>tenants.contoso.environments.prod.routing.MicrosoftGraphActivityLogs</code>: <code>&#91;"logAnalytics","storage"&#93;</code> → <code>&#91;"logAnalytics"&#93;</code>');
    expect(routing).toContain('<code>contoso-prod</code> <code>DiagnosticSettings/law-st</code>: deleted');
    expect(routing).toContain('<code>contoso-prod</code> <code>Storage/Containers/MicrosoftGraphActivityLogs</code>: deleted');
    expect(routing).not.toContain('LifecycleDeleteSooner');
    const production = group('Setting <code>tenants.fabrikam.environments.prod.production</code>: <code>true</code> → <code>false</code>');
    expect(production).toContain('AR1 AuditResourceDestroyed: deleted: the delete lock protecting audit resources is removed, on 2 resources:');
    expect(production).toContain('AR6 PreventDestroyRemoved');
    const period = group('Setting <code>tenants.contoso.environments.prod.storage.immutability.periodInDays</code>: <code>365</code> → <code>90</code>');
    expect(period).toContain('AR7 ImmutabilityWeakened: immutability period reduced from 365 to 90 days, on 10 resources:');
    // 100 days is below the base's 365-day immutability period: measured as the head without this change.
    const retention = group('Setting <code>tenants.contoso.environments.prod.storage.retentionInDays</code>: <code>2557</code> → <code>100</code>');
    expect(retention).toContain('AR9 LifecycleDeleteSooner · <code>contoso-prod</code> <code>Storage/Lifecycle</code>, 3 findings:');
    expect(md).not.toContain('Not explained by a configuration setting');
    // The lifecycle policy changes for two settings (retention days, and the prefix of the container that goes).
    expect(md).toContain('| ✏️ update | <code>Storage/Lifecycle</code> (azurerm_storage_management_policy) | <code>routing.MicrosoftGraphActivityLogs</code>, <code>storage.retentionInDays</code> | ⚠️ AR9 |  |');
    // A deletion is put under the setting that deletes it, not under one that only changes it.
    expect(md).toMatch(/\| 🗑️ delete \| <code>Storage\/Containers\/MicrosoftGraphActivityLogs\/Immutability<\/code> \(azurerm_storage_container_immutability_policy\) \| <code>routing.MicrosoftGraphActivityLogs<\/code> \|/);
    // The renamed tenant changes no resource: said once, and contoso-dev stays out.
    expect(md).toContain('Changed without a resource change: <code>tenants.contoso.displayName</code>: <code>"Contoso Ltd"</code> → <code>"Contoso Limited"</code>.');
    expect(md).toContain('Unchanged, so not shown: contoso-dev.');
  });

  it('lists what no setting explains as other changes, and says when the head output is not from the head configuration', () => {
    const tampered = join(work, 'tampered');
    cpSync(head365.out, tampered, { recursive: true });
    const file = join(tampered, 'stacks', 'contoso-prod', 'cdk.tf.json');
    const tf = JSON.parse(readFileSync(file, 'utf8'));
    const [workspace] = Object.keys(tf.resource.azurerm_log_analytics_workspace);
    tf.resource.azurerm_log_analytics_workspace[workspace].retention_in_days = 30;
    writeFileSync(file, JSON.stringify(tf));
    const diff = inProcess([base.out, tampered, '--base-config', base.config, '--head-config', head365.config]);
    expect(diff.status).toBe(0);
    const md = diff.stdout;
    expect(md).toContain('#### Not explained by a configuration setting (code, defaults or provider versions)\n\n- 🟠 **high** · AR8 WorkspaceRetentionReduced · <code>contoso-prod</code> <code>LogAnalytics</code>: workspace retention reduced from 90 to 30 days');
    expect(md).toContain('#### Setting <code>tenants.contoso.environments.prod.storage.retentionInDays</code>');
    expect(md).toContain('| ✏️ update | <code>LogAnalytics</code> (azurerm_log_analytics_workspace) | other changes | ⚠️ AR8 |  |');
    expect(md).toMatch(/> The head configuration .*head365\.yaml synthesizes to something else than the head output for this stack \(1 resource\(s\) differ\)/);
  });

  it('refuses one configuration without the other, and a head configuration that is not valid', () => {
    const one = inProcess([base.out, head365.out, '--head-config', head365.config]);
    expect(one.status).toBe(2);
    expect(one.stderr).toContain('synth-diff: --base-config and --head-config go together; only --head-config was given');
    const invalid = join(work, 'invalid.yaml');
    writeFileSync(invalid, replaced(example, 'location: westeurope', 'location: West Europe'));
    const bad = inProcess([base.out, head365.out, '--base-config', base.config, '--head-config', invalid]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^synth-diff: --head-config .*invalid\.yaml: \d+ problem\(s\) in the configuration:\n {2}- .*location/);
    const missing = inProcess([base.out, head365.out, '--base-config', join(work, 'nope.yaml'), '--head-config', head365.config]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/^synth-diff: --base-config .*nope\.yaml: 1 problem\(s\) in the configuration:\n {2}- cannot read the file: .*ENOENT/);
  });

  it('relates nothing, and says why once, when the base configuration is not valid for this version', () => {
    const old = join(work, 'old.yaml');
    writeFileSync(old, replaced(example, 'displayName: Contoso Ltd', 'displayName: Contoso Ltd\n    legacySetting: true'));
    const diff = inProcess([base.out, headWeakened.out, '--base-config', old, '--head-config', headWeakened.config]);
    expect(diff.status).toBe(0);
    const note = /> The base configuration .*old\.yaml is not valid for this version of the toolkit \(1 problem\(s\), first: .*legacySetting.*\), so changes are not related to settings\./g;
    // One cause, one message: at the top, not once per changed stack.
    expect(diff.stdout.match(note)).toHaveLength(1);
    expect(diff.stdout.search(note)).toBeLessThan(diff.stdout.indexOf('### ⚠️ Audit risk'));
    expect(diff.stdout).toContain('#### Not explained by a configuration setting');
    expect(diff.stdout).not.toContain('#### Setting');
  });

  it('shows a progress line while it synthesizes, on a terminal only, clears it and leaves no scratch folder', () => {
    const scratch = () => readdirSync(tmpdir()).filter((name) => name.startsWith('entra-synth-diff-attribution-'));
    const before = scratch();
    const argv = [base.out, head365.out, '--base-config', base.config, '--head-config', head365.config];
    const terminal = inProcess(argv, true);
    expect(terminal.status).toBe(0);
    expect(terminal.stderr).toMatch(/^\r\x1b\[2Ksynth-diff: relating changes to settings: 1\/3 in-memory syntheses\r\x1b\[2K/);
    expect(terminal.stderr).toContain('\r\x1b[2Ksynth-diff: relating changes to settings: 3/3 in-memory syntheses');
    expect(terminal.stderr.endsWith('\r\x1b[2K')).toBe(true);
    expect(terminal.stdout).toContain('#### Setting <code>tenants.contoso.environments.prod.storage.retentionInDays</code>');
    const piped = inProcess(argv, false);
    expect(piped.stderr).toBe('');
    expect(piped.stdout).toBe(terminal.stdout);
    expect(scratch()).toEqual(before);
  });
});
