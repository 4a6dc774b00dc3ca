/**
 * What plan:summary and synth:diff print for a person: the format chosen for a terminal or not, the
 * commit and the next step, text without markup, colour only where it belongs (issue 10).
 * The commands run in-process with a fake terminal where a TTY matters, as child processes otherwise.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { colourEnabled, palette } from '../../scripts/lib/io/colour';
import type { CommandContext } from '../../scripts/lib/review/cli';
import { commitProblem } from '../../scripts/lib/review/report';
import { terminalSafe } from '../../scripts/lib/review/text';
import { main as planSummary } from '../../scripts/plan-summary';
import { main as synthDiff } from '../../scripts/synth-diff';
import { runScript } from '../support/run-script';

const FIXTURES = join(__dirname, '..', 'fixtures', 'plans');
const fixture = (name: string) => join(FIXTURES, name);
const SCRIPT = 'scripts/plan-summary.ts';
const SHA = '0123456789abcdef0123456789abcdef01234567';
const ESC = '\x1b[';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'review-output-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs a command in-process as if stdout (and stderr) were or were not a terminal. */
function run(command: typeof planSummary, argv: string[], tty: { stdout: boolean; stderr?: boolean }, env: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const context: CommandContext = {
    isTTY: tty.stdout,
    env,
    stdout: (text) => {
      stdout += text;
    },
    stderrIsTTY: tty.stderr ?? false,
    stderr: (text) => {
      stderr += text;
    },
  };
  const status = command(argv, context);
  return { status, stdout, stderr };
}

describe('output format', () => {
  it('is text on a terminal and markdown when stdout is a pipe or a file', () => {
    const terminal = run(planSummary, [fixture('example-prod.json'), '--stack', 'contoso-prod'], { stdout: true }, { NO_COLOR: '1' });
    expect(terminal.status).toBe(0);
    expect(terminal.stdout).toMatch(/^Terraform plan: contoso-prod\n/);
    const piped = run(planSummary, [fixture('example-prod.json'), '--stack', 'contoso-prod'], { stdout: false });
    expect(piped.stdout).toMatch(/^<!-- entra-audit-plan:contoso-prod -->\n### Terraform plan: <code>contoso-prod<\/code>/);
    const out = join(dir, 'to-file.md');
    expect(run(planSummary, [fixture('example-prod.json'), '--out', out], { stdout: true }).status).toBe(0);
    expect(readFileSync(out, 'utf8')).toMatch(/^<!-- entra-audit-plan:/);
  });

  it('follows --format whatever stdout is', () => {
    expect(run(planSummary, [fixture('example-prod.json'), '--format', 'markdown'], { stdout: true }).stdout).toMatch(/^<!-- entra-audit-plan:/);
    expect(run(planSummary, [fixture('example-prod.json'), '--format=text'], { stdout: false }).stdout).toMatch(/^Terraform plan: example-prod\n/);
    const out = join(dir, 'text.txt');
    run(planSummary, [fixture('example-prod.json'), '--format', 'text', '--out', out], { stdout: false });
    expect(readFileSync(out, 'utf8')).toMatch(/^Terraform plan: example-prod\n/);
  });

  it('refuses a format it does not know', () => {
    const result = runScript(SCRIPT, [fixture('example-prod.json'), '--format', 'html']);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^plan-summary: --format must be text or markdown, got "html"\n/);
  });

  it('writes text without markup or HTML entities, values as they are', () => {
    const text = run(planSummary, [fixture('example-prod.json'), '--stack', 'contoso-prod', '--format', 'text'], { stdout: false }).stdout;
    expect(text).not.toMatch(/<code>|<\/?details|<summary>|&#?\w+;|\*\*|^\|/m);
    expect(text).toContain('  critical  AR3 GraphPermissionAdded  azuread_application.reader: permission requested: Microsoft Graph Directory.Read.All (application) [Role]\n');
    expect(text).toContain('  update   azurerm_log_analytics_workspace.audit  ⚠ AR8\n           retention_in_days: 730 → 90\n');
    expect(text).toContain('2 to create, 5 to update, 0 to replace, 0 to delete.\n');
  });

  it('never lets input act on the terminal: control, format and separator characters are escaped', () => {
    expect(terminalSafe('a\x1b[2Jb\rc\u202ed\u2028e\t🔑')).toBe('a\\u001b[2Jb\\u000dc\\u202ed\\u2028e\\u0009🔑');
    const plan = JSON.parse(readFileSync(fixture('example-prod.json'), 'utf8'));
    const change = plan.resource_changes.find((c: { address: string }) => c.address === 'azurerm_log_analytics_workspace_table.signin');
    change.change.after.retention_in_days = '\x1b]0;owned\x07\x1b[2J';
    const file = join(dir, 'escape.json');
    writeFileSync(file, JSON.stringify(plan));
    const text = run(planSummary, [file, '--format', 'text'], { stdout: true }, { NO_COLOR: '1' }).stdout;
    expect(text).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/);
    expect(text).toContain('retention_in_days: 90 → "\\u001b]0;owned\\u0007\\u001b[2J"');
  });
});

describe('commit and next step', () => {
  it('puts the commit given with --commit, or GITHUB_SHA, at the top, lowercased', () => {
    const given = run(planSummary, [fixture('example-prod.json'), '--stack', 'contoso-prod', '--commit', SHA.toUpperCase()], { stdout: false }, { GITHUB_SHA: 'fedcba9' });
    expect(given.stdout).toMatch(new RegExp(`^<!-- entra-audit-plan:contoso-prod -->\\n### Terraform plan: <code>contoso-prod</code>\\n\\nCommit: ${SHA}\\n\\n`));
    const fromEnv = run(planSummary, [fixture('example-prod.json')], { stdout: false }, { GITHUB_SHA: 'FEDCBA9' });
    expect(fromEnv.stdout).toContain('\nCommit: fedcba9\n');
    expect(run(planSummary, [fixture('example-prod.json')], { stdout: false }).stdout).not.toContain('Commit:');
    expect(run(planSummary, [fixture('example-prod.json'), '--format', 'text', '--commit', 'abcdef1'], { stdout: false }).stdout).toContain('\nCommit: abcdef1\n');
  });

  it('refuses a commit that is not 7–40 hexadecimal digits, from the option or the environment', () => {
    expect([SHA, 'abcdef1', 'ABCDEF1'].map(commitProblem)).toEqual([undefined, undefined, undefined]);
    expect(['abcdef', `${SHA}0`, 'main', 'abcdefg', ''].map((s) => commitProblem(s) !== undefined)).toEqual([true, true, true, true, true]);
    const option = runScript(SCRIPT, [fixture('example-prod.json'), '--commit', 'HEAD~1']);
    expect(option.status).toBe(2);
    expect(option.stderr).toMatch(/^plan-summary: --commit must be a commit SHA of 7–40 hexadecimal digits, got "HEAD~1"\n/);
    const empty = join(dir, 'no-stacks');
    mkdirSync(empty);
    const env = runScript('scripts/synth-diff.ts', [empty, empty], undefined, undefined, { GITHUB_SHA: 'not-a-sha' });
    // The same value is fine once --commit says which commit it is.
    expect(runScript('scripts/synth-diff.ts', [empty, empty, '--commit', 'abcdef1'], undefined, undefined, { GITHUB_SHA: 'not-a-sha' }).status).toBe(0);
    expect(env.status).toBe(2);
    expect(env.stderr).toMatch(/^synth-diff: GITHUB_SHA must be a commit SHA of 7–40 hexadecimal digits, got "not-a-sha"; unset it or pass --commit <sha>\n/);
  });

  it('tells the reviewer what to do: accept with the label when there are risks, nothing special when there are none', () => {
    const risky = run(planSummary, [fixture('example-prod.json')], { stdout: false }).stdout;
    expect(risky).toContain(
      '\n**Next step:** check each Audit risk above against the intent of this change. If every one is intended, label the pull request <code>audit-risk-accepted</code> to accept them; otherwise change the configuration and push again.\n',
    );
    expect(risky.indexOf('**Next step:**')).toBeLessThan(risky.indexOf('to create'));
    const harmless = run(planSummary, [fixture('harmless.json')], { stdout: false }).stdout;
    expect(harmless).toContain('**Audit risk:** none. No change weakens audit coverage or protection.\n\n**Next step:** no risk. Review the changes below as usual.\n');
    expect(run(planSummary, [fixture('harmless.json'), '--format', 'text'], { stdout: false }).stdout).toContain('Next step: no risk. Review the changes below as usual.\n');
  });
});

describe('colour', () => {
  it('colours text on a terminal, and never markdown', () => {
    const coloured = run(planSummary, [fixture('example-prod.json')], { stdout: true }).stdout;
    expect(coloured).toContain(`${ESC}1m${ESC}31mcritical`);
    expect(coloured).toContain(`${ESC}33mupdate `);
    expect(run(planSummary, [fixture('example-prod.json'), '--format', 'markdown'], { stdout: true }, { FORCE_COLOR: '1' }).stdout).not.toContain(ESC);
  });

  it('respects NO_COLOR, and FORCE_COLOR for pipes and files', () => {
    expect(run(planSummary, [fixture('example-prod.json')], { stdout: true }, { NO_COLOR: '1' }).stdout).not.toContain(ESC);
    expect(run(planSummary, [fixture('example-prod.json'), '--format', 'text'], { stdout: false }).stdout).not.toContain(ESC);
    expect(run(planSummary, [fixture('example-prod.json'), '--format', 'text'], { stdout: false }, { FORCE_COLOR: '1' }).stdout).toContain(ESC);
    const out = join(dir, 'coloured.txt');
    run(planSummary, [fixture('example-prod.json'), '--format', 'text', '--out', out], { stdout: true });
    expect(readFileSync(out, 'utf8')).not.toContain(ESC);
  });

  it('decides from NO_COLOR, FORCE_COLOR, TERM and the stream, in that order', () => {
    const tty = { isTTY: true };
    const pipe = { isTTY: false };
    expect(colourEnabled(tty, {})).toBe(true);
    expect(colourEnabled(pipe, {})).toBe(false);
    expect(colourEnabled(tty, { NO_COLOR: '1' })).toBe(false);
    expect(colourEnabled(tty, { NO_COLOR: '' })).toBe(true); // no-color.org: set and not empty
    expect(colourEnabled(tty, { NO_COLOR: '1', FORCE_COLOR: '1' })).toBe(false);
    expect(colourEnabled(pipe, { FORCE_COLOR: '1' })).toBe(true);
    expect(colourEnabled(pipe, { FORCE_COLOR: 'true' })).toBe(true);
    expect(colourEnabled(tty, { FORCE_COLOR: '0' })).toBe(false);
    expect(colourEnabled(tty, { FORCE_COLOR: 'false' })).toBe(false);
    expect(colourEnabled(pipe, { FORCE_COLOR: '' })).toBe(false);
    expect(colourEnabled(tty, { TERM: 'dumb' })).toBe(false);
    expect(palette(true).red('x')).toBe('\x1b[31mx\x1b[39m');
    expect(palette(true).bold(palette(true).red('x'))).toBe('\x1b[1m\x1b[31mx\x1b[39m\x1b[22m');
    expect(palette(false).red('x')).toBe('x');
  });
});

describe('synth:diff on a terminal', () => {
  it('writes text by default and markdown to a pipe', () => {
    const tree = join(dir, 'empty-tree');
    mkdirSync(tree);
    expect(run(synthDiff, [tree, tree], { stdout: true }, { NO_COLOR: '1' }).stdout).toBe(
      'cdktf synth diff\n0 stack(s) compared: 0 with changes.\nSynthesized configuration compared with the base branch; the per-stack plans are authoritative.\n\n' +
        'Audit risk: none. No change weakens audit coverage or protection.\nNext step: no risk and no change: nothing to review.\n',
    );
    expect(run(synthDiff, [tree, tree], { stdout: false }).stdout).toMatch(/^<!-- entra-audit-synth-diff -->/);
  });
});
