/**
 * synth-diff end to end as a child process (`npm run synth:diff`, compiled) on two small
 * hand-made cdktf.out trees: plain Terraform JSON in stacks/<stack>/cdk.tf.json.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runScript } from '../support/run-script';

const SCRIPT = 'scripts/synth-diff.ts';
const SECRET = 'Synth-Secret-9911';
const SA = '${azurerm_storage_account.archive.id}';

type Resources = Record<string, Record<string, Record<string, unknown>>>;

function writeTree(root: string, stacks: Record<string, { resource: Resources; variable?: object; output?: object }>): string {
  for (const [stack, tf] of Object.entries(stacks)) {
    mkdirSync(join(root, 'stacks', stack), { recursive: true });
    writeFileSync(join(root, 'stacks', stack, 'cdk.tf.json'), JSON.stringify({ '//': { metadata: { stackName: stack } }, ...tf }, null, 2));
  }
  mkdirSync(root, { recursive: true });
  return root;
}

const meta = (path: string) => ({ '//': { metadata: { path, uniqueId: path.split('/').pop() } } });

function devStack(variant: 'base' | 'head'): { resource: Resources; variable: object } {
  const head = variant === 'head';
  return {
    variable: { hook_code: { type: 'string', sensitive: true, default: SECRET } },
    resource: {
      azurerm_log_analytics_workspace: {
        audit: { ...meta(head ? 'dev/Workspace/Resource' : 'dev/Audit/Workspace'), name: 'law-dev', retention_in_days: head ? 30 : 730, sku: 'PerGB2018' },
      },
      azurerm_storage_account: {
        archive: {
          name: 'stauditdev',
          immutability_policy: { state: 'Unlocked', period_since_creation_in_days: 30, allow_protected_append_writes: true },
          ...(head ? {} : { lifecycle: { prevent_destroy: true } }),
        },
        archive2: { name: 'stauditdev2' },
      },
      azurerm_storage_container: {
        signin: { name: 'insights-logs-signinlogs', storage_account_id: SA, metadata: { owner: head ? 'secops' : 'it' }, lifecycle: { prevent_destroy: true } },
      },
      azurerm_monitor_aad_diagnostic_setting: {
        entra: {
          name: 'entra-audit-dev',
          log_analytics_workspace_id: '${azurerm_log_analytics_workspace.audit.id}',
          storage_account_id: head ? '${azurerm_storage_account.archive2.id}' : SA,
          enabled_log: [{ category: 'AuditLogs' }, { category: 'SignInLogs' }],
        },
      },
      azurerm_monitor_action_group: {
        soc: { name: 'soc', short_name: 'soc', webhook_receiver: [{ name: 'siem', service_uri: `https://${head ? 'siem2' : 'siem'}.example/hook?code=${SECRET}` }] },
      },
      ...(head
        ? { azurerm_monitor_scheduled_query_rules_alert_v2: { consent: { name: 'consent-granted', severity: 1, scopes: ['${azurerm_log_analytics_workspace.audit.id}'] } } }
        : {}),
    },
  };
}

const removedStack = { resource: { azurerm_log_analytics_workspace: { audit: { name: 'law-old', retention_in_days: 365 } } } };
const addedStack = { resource: { azurerm_log_analytics_workspace: { audit: { name: 'law-new', retention_in_days: 365 } } } };

let dir: string;
let base: string;
let head: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'synth-diff-'));
  base = writeTree(join(dir, 'base'), { 'contoso-dev': devStack('base'), 'old-stack': removedStack });
  head = writeTree(join(dir, 'head'), { 'contoso-dev': devStack('head'), 'new-stack': addedStack });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('synth-diff command', () => {
  it('reports counts, tables and the Audit risk section per stack, and exits 0 whatever the risks', () => {
    const result = runScript(SCRIPT, [base, head]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const out = result.stdout;
    expect(out).toMatch(/^<!-- entra-audit-synth-diff -->\n## cdktf synth diff/);
    expect(out).toContain('3 stack(s) compared: 3 with changes, 1 added, 1 removed.');
    expect(out).toContain('### <code>contoso-dev</code>');
    expect(out).toContain('**1 to create, 4 to update, 1 to replace, 0 to delete.**');
    expect(out).toContain('> Stack new-stack is new in this change.');
    expect(out).toContain('is removed by this change: all its resources would be destroyed.');
    expect(out.indexOf('Audit risk')).toBeLessThan(out.indexOf('### <code>contoso-dev</code>'));
  });

  it('flags risks: retention cut, prevent_destroy removed, destination repointed (a known replacement), stack removed', () => {
    const out = runScript(SCRIPT, [base, head]).stdout;
    // Named by its construct path (from the `//` metadata of the head side), not its logical id.
    expect(out).toMatch(/AR8 WorkspaceRetentionReduced · <code>contoso-dev<\/code> <code>Workspace<\/code>: workspace retention reduced from 730 to 30 days/);
    expect(out).toContain('| ✏️ update | <code>Workspace</code> (azurerm_log_analytics_workspace) | ⚠️ AR8 |  |');
    expect(out).toContain('<summary>✏️ update <code>Workspace</code> (<code>azurerm_log_analytics_workspace.audit</code>): 1 attribute(s)</summary>');
    expect(out).toMatch(/AR6 PreventDestroyRemoved · <code>contoso-dev<\/code> <code>azurerm_storage_account.archive<\/code>/);
    expect(out).not.toMatch(/AR6 PreventDestroyRemoved · <code>contoso-dev<\/code> <code>azurerm_storage_container.signin<\/code>/);
    expect(out).toMatch(/AR1 AuditResourceDestroyed · <code>contoso-dev<\/code> <code>azurerm_monitor_aad_diagnostic_setting.entra<\/code>: replaced \(forced by storage_account_id\)/);
    expect(out).toMatch(/AR5 DiagnosticDestinationRemoved .*storage account destination changed from "&#36;\{azurerm_storage_account.archive.id\}" to "&#36;\{azurerm_storage_account.archive2.id\}"/);
    expect(out).toMatch(/AR1 AuditResourceDestroyed · <code>old-stack<\/code> <code>azurerm_log_analytics_workspace.audit<\/code>: deleted/);
  });

  it('ignores cdktf metadata and shows single blocks written as objects', () => {
    const out = runScript(SCRIPT, [base, head]).stdout;
    expect(out).not.toContain('<code>//');
    expect(out).not.toContain('dev/Audit/Workspace');
    expect(out).not.toContain('uniqueId');
    expect(out).toContain('| <code>lifecycle</code> | <code>{"prevent_destroy":true}</code> | <code>(absent)</code> |');
  });

  it('never prints the value of a sensitive variable, even where it was copied as a literal', () => {
    const out = runScript(SCRIPT, [base, head]).stdout;
    expect(out).toContain('<code>webhook_receiver&#91;0&#93;.service_uri</code>'); // the changed attribute is listed…
    expect(out).not.toContain(SECRET); // …but the secret inside it is not
  });

  it('exits 1 with --fail-on-risk when risks exist, and writes --out', () => {
    const outFile = join(dir, 'diff.md');
    const result = runScript(SCRIPT, [base, head, '--fail-on-risk', '--out', outFile]);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(readFileSync(outFile, 'utf8')).toMatch(/^<!-- entra-audit-synth-diff -->/);
  });

  it('says there is no risk and exits 0 with --fail-on-risk when nothing weakens audit logging', () => {
    const same = runScript(SCRIPT, [head, head, '--fail-on-risk']);
    expect(same.status).toBe(0);
    expect(same.stdout).toContain('**Audit risk:** none.');
    expect(same.stdout).toContain('**Next step:** no risk and no change: nothing to review.');
    // Unchanged stacks are counted and named, not given a section of their own.
    expect(same.stdout).toContain('2 stack(s) compared: 0 with changes. Unchanged, so not shown: contoso-dev, new-stack.');
    expect(same.stdout).not.toContain('### <code>');
    expect(same.stdout).not.toContain('to create');
  });

  it('treats an empty base directory as no stacks, so every head stack is added', () => {
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    const result = runScript(SCRIPT, [empty, head]);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('2 stack(s) compared: 2 with changes, 2 added.');
  });

  it('exits 2 on a missing directory, invalid JSON or a wrong number of arguments', () => {
    expect(runScript(SCRIPT, [join(dir, 'nope'), head]).status).toBe(2);
    const broken = writeTree(join(dir, 'broken'), {});
    mkdirSync(join(broken, 'stacks', 'x'), { recursive: true });
    writeFileSync(join(broken, 'stacks', 'x', 'cdk.tf.json'), '{"resource": ');
    const bad = runScript(SCRIPT, [base, broken]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('cdk.tf.json: not valid JSON');
    const one = runScript(SCRIPT, [base]);
    expect(one.status).toBe(2);
    expect(one.stderr).toContain('expected two directories');
  });
});
