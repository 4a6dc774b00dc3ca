/**
 * plan-summary: exit codes, --out, masking and the comment size limit. The first case end to end as
 * a child process (`npm run plan:summary`, compiled); the others through the same command in this
 * process (test/support/run-command.ts).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GITHUB_COMMENT_LIMIT } from '../../scripts/lib/review/markdown';
import { summarisePlans } from '../../scripts/lib/review/summarise';
import { runCommand } from '../support/run-command';
import { runScript } from '../support/run-script';

const FIXTURES = join(__dirname, '..', 'fixtures', 'plans');
const fixture = (name: string) => join(FIXTURES, name);
const SCRIPT = 'scripts/plan-summary.ts';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'plan-summary-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A plan with `count` changes of the given kind, shaped like azurerm's. */
function bigPlan(count: number, action: 'update' | 'delete'): string {
  const resource_changes = Array.from({ length: count }, (_, i) => {
    const before = {
      id: `/subscriptions/0/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/law-${i}`,
      name: `law-${i}`,
      retention_in_days: 90,
      tags: { team: 'secops', index: String(i), note: 'x'.repeat(80) },
    };
    const after = action === 'update' ? { ...before, tags: { ...before.tags, index: `${i}-changed` }, retention_in_days: 120 } : null;
    return {
      address: `azurerm_log_analytics_workspace.w${i}`,
      mode: 'managed',
      type: 'azurerm_log_analytics_workspace',
      name: `w${i}`,
      change: { actions: [action], before, after, after_unknown: {}, before_sensitive: {}, after_sensitive: action === 'update' ? {} : false },
    };
  });
  return JSON.stringify({ format_version: '1.2', terraform_version: '1.11.4', resource_changes });
}

describe('plan-summary command', () => {
  it('prints the summary and exits 0 even when there are risks', () => {
    const result = runScript(SCRIPT, [fixture('example-prod.json'), '--stack', 'contoso-prod']);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^<!-- entra-audit-plan:contoso-prod -->\n/);
    expect(result.stdout).toContain('### ⚠️ Audit risk (5)');
    expect(result.stdout).toContain('**2 to create, 5 to update, 0 to replace, 0 to delete.**');
  });

  it('exits 1 with --fail-on-risk when the Audit risk section is not empty, 0 when it is', () => {
    expect(runCommand(SCRIPT, [fixture('example-prod.json'), '--fail-on-risk']).status).toBe(1);
    expect(runCommand(SCRIPT, [fixture('harmless.json'), '--fail-on-risk']).status).toBe(0);
  });

  it('writes one section per plan file with its own marker to --out', () => {
    const out = join(dir, 'summary.md');
    const result = runCommand(SCRIPT, [fixture('harmless.json'), fixture('example-prod.json'), '--stack', 'contoso-dev', '--stack', 'contoso-prod', '--out', out]);
    expect(result.status).toBe(0);
    expect(result.stdout).toBe('');
    const text = readFileSync(out, 'utf8');
    expect(text).toContain('<!-- entra-audit-plan:contoso-dev -->');
    expect(text).toContain('<!-- entra-audit-plan:contoso-prod -->');
  });

  it('refuses a plan whose format_version has an unknown major version, with exit 2 and a clear message', () => {
    const result = runCommand(SCRIPT, [fixture('format-version-2.json')]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('format_version 2.0 is not supported: this tool reads format 1.x');
    expect(result.stdout).toBe('');
  });

  it('exits 2 on a missing file, on invalid JSON and on a state file', () => {
    const invalid = join(dir, 'invalid.json');
    writeFileSync(invalid, '{"format_version": "1.2",');
    const state = join(dir, 'state.json');
    writeFileSync(state, JSON.stringify({ format_version: '1.0', values: { root_module: {} } }));
    const missing = runCommand(SCRIPT, [join(dir, 'nope.json')]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toBe(`plan-summary: ${join(dir, 'nope.json')}: cannot be read: no such file (ENOENT)\n`);
    const bad = runCommand(SCRIPT, [invalid]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('not valid JSON');
    const st = runCommand(SCRIPT, [state]);
    expect(st.status).toBe(2);
    expect(st.stderr).toContain('this is a state, not a plan');
  });

  it('exits 2 on usage errors and prints help with --help', () => {
    const none = runCommand(SCRIPT, []);
    expect(none.status).toBe(2);
    expect(none.stderr).toContain('no plan file given');
    const mismatch = runCommand(SCRIPT, [fixture('harmless.json'), fixture('example-prod.json'), '--stack', 'only-one']);
    expect(mismatch.status).toBe(2);
    expect(mismatch.stderr).toContain('--stack must be given once per plan file');
    const unknown = runCommand(SCRIPT, [fixture('harmless.json'), '--bogus']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('unknown option --bogus');
    const help = runCommand(SCRIPT, ['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('--fail-on-risk');
    expect(help.stdout).toContain('Exit codes');
  });
});

describe('masking', () => {
  const SECRETS = ['Sup3r-S3cret-Value-42!', 'Old-Secret-Value-0001', 'Old-Hook-Token-77'];

  it('never prints a sensitive value (resource attributes, sensitive variables, sensitive outputs)', () => {
    const raw = readFileSync(fixture('sensitive-values.json'), 'utf8');
    for (const secret of SECRETS) expect(raw).toContain(secret); // the fixture really holds them in clear text
    const result = runCommand(SCRIPT, [fixture('sensitive-values.json'), '--stack', 'contoso-prod']);
    expect(result.status).toBe(0);
    for (const secret of SECRETS) {
      expect(result.stdout).not.toContain(secret);
      expect(result.stdout).not.toContain(JSON.stringify(secret).slice(1, -1));
    }
    expect(result.stdout).toContain('(sensitive)');
  });

  it('masks a secret copied into an attribute Terraform did not mark sensitive', () => {
    const plan = JSON.parse(readFileSync(fixture('sensitive-values.json'), 'utf8'));
    plan.resource_changes[1].change.after.webhook_receiver[0].name = 'Sup3r-S3cret-Value-42!';
    const { markdown } = summarisePlans([{ text: JSON.stringify(plan), label: 'x', stack: 's' }]);
    expect(markdown).not.toContain('Sup3r-S3cret-Value-42!');
  });
});

describe('size', () => {
  it('keeps a plan with thousands of changes under 65,536 characters and says what it trimmed and where the full plan is', () => {
    const file = join(dir, 'big.json');
    writeFileSync(file, bigPlan(4000, 'update'));
    const result = runCommand(SCRIPT, [file, '--stack', 'big', '--full-plan-url', 'https://github.com/contoso/entra-audit/actions/runs/42']);
    expect(result.status).toBe(0);
    expect(result.stdout.length).toBeLessThan(GITHUB_COMMENT_LIMIT);
    expect(result.stdout).toContain('**0 to create, 4000 to update, 0 to replace, 0 to delete.**');
    expect(result.stdout).toMatch(/\*\*Trimmed\*\* to stay under GitHub's 65,536-character comment limit: attribute details of 4000 of 4000 changed resources; \d+ of 4000 table rows not shown\./);
    expect(result.stdout).toContain('The full plan is [here](https://github.com/contoso/entra-audit/actions/runs/42).');
  });

  it('trims details before table rows, and table rows before risk lines', () => {
    const { markdown } = summarisePlans([{ text: bigPlan(40, 'update'), label: 'x', stack: 's' }], { limit: 12_000 });
    expect(markdown.length).toBeLessThanOrEqual(12_000);
    expect(markdown).toMatch(/attribute details of \d+ of 40 changed resources not shown/);
    expect(markdown).not.toMatch(/table rows/);
    expect(markdown).toContain('The full plan is in the workflow run');
    const deletes = summarisePlans([{ text: bigPlan(3000, 'delete'), label: 'x', stack: 's' }]);
    expect(deletes.markdown.length).toBeLessThan(GITHUB_COMMENT_LIMIT);
    expect(deletes.findings).toHaveLength(3000);
    // The 3000 identical findings are one risk line with 3000 resources under it, trimmed resource by resource.
    expect(deletes.markdown).toMatch(/3000 of 3000 table rows; \d+ of 3001 Audit risk lines not shown/);
    expect(deletes.markdown).toContain('**0 to create, 0 to update, 0 to replace, 3000 to delete.**');
  });

  it('shares the limit between stacks so the whole output fits one comment', () => {
    const text = bigPlan(1500, 'update');
    const { markdown } = summarisePlans([
      { text, label: 'a', stack: 'a' },
      { text, label: 'b', stack: 'b' },
    ]);
    expect(markdown.length).toBeLessThan(GITHUB_COMMENT_LIMIT);
  });
});
