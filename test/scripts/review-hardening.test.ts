/**
 * Regression tests for issue 9, as far as it concerns plan-summary and synth-diff: masking never
 * silences the Audit-risk gate, Terraform's `forget` action, a safe `--full-plan-url`, and bounded,
 * regular-file input and clean `--out` errors. Each test is named after what it protects. The
 * commands run in this process (test/support/run-command.ts), but for the FIFO cases, which need a
 * process that can be killed if it blocks.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatBytes } from '../../scripts/lib/io/read-input';
import { MAX_PLANS_TOTAL_BYTES, MAX_PLAN_BYTES } from '../../scripts/plan-summary';
import { DEFAULT_BODY_LIMIT, GITHUB_COMMENT_LIMIT } from '../../scripts/lib/review/markdown';
import { MAX_LINK_URL_CHARS } from '../../scripts/lib/review/markdown-text';
import { MIN_SECRET_TEXT_LENGTH, WITHHELD_MESSAGE } from '../../scripts/lib/review/masking';
import { MAX_PLAN_DEPTH } from '../../scripts/lib/review/plan-json';
import { summarisePlans } from '../../scripts/lib/review/summarise';
import { MAX_STACK_FILE_BYTES, MAX_SYNTH_DEPTH, MAX_SYNTH_TOTAL_BYTES } from '../../scripts/lib/review/synth-output';
import { runCommand } from '../support/run-command';
import { runScript } from '../support/run-script';

const PLAN_SUMMARY = 'scripts/plan-summary.ts';
const SYNTH_DIFF = 'scripts/synth-diff.ts';
/** A command that waits on a FIFO would be killed after this long, failing the test instead of hanging it. */
const NO_WAIT_MS = 30_000;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'review-hardening-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let counter = 0;
function write(content: string | Buffer, name = `f${(counter += 1)}.json`): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

type Obj = Record<string, unknown>;

function resourceChange(address: string, actions: string[], before: Obj | null, after: Obj | null, change: Obj = {}): Obj {
  const [type, name] = address.split('.');
  return {
    address,
    mode: 'managed',
    type,
    name,
    change: { actions, before, after, after_unknown: {}, before_sensitive: before === null ? false : {}, after_sensitive: after === null ? false : {}, ...change },
  };
}

function plan(resourceChanges: Obj[], extra: Obj = {}): string {
  return JSON.stringify({ format_version: '1.2', terraform_version: '1.11.4', resource_changes: resourceChanges, ...extra });
}

const workspace = (days: number): Obj => ({ name: 'law-audit', retention_in_days: days, sku: 'PerGB2018' });
const retentionCut = (change: Obj = {}) => resourceChange('azurerm_log_analytics_workspace.audit', ['update'], workspace(90), workspace(30), change);
/** A sensitive variable whose value happens to equal the new retention. */
const sensitiveThirty = {
  variables: { pin: { value: '30' } },
  configuration: { root_module: { variables: { pin: { sensitive: true } } } },
};

describe('masking never silences the Audit-risk gate', () => {
  it('reports a retention cut from 90 to 30 days although a sensitive variable is "30", and --fail-on-risk exits 1', () => {
    const file = write(plan([retentionCut()], sensitiveThirty));
    const result = runCommand(PLAN_SUMMARY, [file, '--stack', 'prod', '--fail-on-risk']);
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('### ⚠️ Audit risk (1)');
    expect(result.stdout).toContain(`AR8 WorkspaceRetentionReduced · <code>azurerm_log_analytics_workspace.audit</code>: ${WITHHELD_MESSAGE}`);
    // The table shows the cell masked: "30" equals a secret, so it is not printed.
    expect(result.stdout).toContain('| <code>retention_in_days</code> | <code>90</code> | <code>(sensitive)</code> |');
  });

  it('reports a retention cut whose values Terraform marks sensitive', () => {
    const { findings, markdown } = summarisePlans([
      { text: plan([retentionCut({ before_sensitive: { retention_in_days: true }, after_sensitive: { retention_in_days: true } })]), label: 'p', stack: 's' },
    ]);
    expect(findings.map((f) => [f.ruleId, f.message])).toEqual([['AR8', WITHHELD_MESSAGE]]);
    expect(markdown).toContain('| <code>retention_in_days</code> | <code>(sensitive)</code> | <code>(sensitive)</code> |');
  });

  it('keeps the message of a finding whose values are not secret', () => {
    const { findings } = summarisePlans([{ text: plan([retentionCut()]), label: 'p', stack: 's' }]);
    expect(findings.map((f) => f.message)).toEqual(['workspace retention reduced from 90 to 30 days']);
  });

  it('reports a retention cut in a synth diff although a sensitive variable default is "30", and --fail-on-risk exits 1', () => {
    const tree = (days: number) => {
      const root = join(dir, `synth-${days}`);
      mkdirSync(join(root, 'stacks', 'dev'), { recursive: true });
      const tf = { variable: { pin: { type: 'string', sensitive: true, default: '30' } }, resource: { azurerm_log_analytics_workspace: { audit: workspace(days) } } };
      writeFileSync(join(root, 'stacks', 'dev', 'cdk.tf.json'), JSON.stringify(tf));
      return root;
    };
    const result = runCommand(SYNTH_DIFF, [tree(90), tree(30), '--fail-on-risk']);
    expect(result.status).toBe(1);
    expect(result.stdout).toContain(`AR8 WorkspaceRetentionReduced · <code>dev</code> <code>azurerm_log_analytics_workspace.audit</code>: ${WITHHELD_MESSAGE}`);
  });
});

describe('plan-summary: the forget action (removed blocks with destroy = false, Terraform 1.7+)', () => {
  const kept = resourceChange('azurerm_log_analytics_workspace.old', ['forget'], workspace(90), null);

  it('accepts forget, counts it and says the resource is kept but no longer managed', () => {
    const result = runCommand(PLAN_SUMMARY, [write(plan([kept])), '--stack', 'prod']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('**0 to create, 0 to update, 0 to replace, 0 to delete, 1 to forget.**');
    expect(result.stdout).toContain(
      '| ⏏️ forget | <code>azurerm_log_analytics_workspace.old</code> |  | removed from the Terraform state, not destroyed: no longer managed |',
    );
  });

  it('treats create-then-forget as a replacement that leaves the old object in place', () => {
    const replaced = resourceChange('azurerm_log_analytics_workspace.audit', ['create', 'forget'], workspace(90), workspace(90));
    const { stacks, markdown } = summarisePlans([{ text: plan([replaced]), label: 'p', stack: 's' }]);
    expect(stacks[0].changes.map((c) => [c.action, c.reason])).toEqual([['replace', 'the existing object is not destroyed, only removed from the state (destroy = false)']]);
    expect(markdown).toContain('**0 to create, 0 to update, 1 to replace, 0 to delete.**');
  });

  it('refuses an action list Terraform does not write instead of skipping the change', () => {
    const odd = resourceChange('azurerm_log_analytics_workspace.audit', ['delete', 'forget'], workspace(90), null);
    const result = runCommand(PLAN_SUMMARY, [write(plan([odd]), 'odd-actions.json')]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^plan-summary: .*odd-actions\.json: resource_changes\[0\] \(azurerm_log_analytics_workspace\.audit\) has unknown actions \["delete","forget"\]; expected one of .*\[forget\], \[create,forget\], \[forget,create\]\n$/);
  });
});

describe('plan-summary: --full-plan-url', () => {
  const harmless = () => write(plan([resourceChange('azurerm_resource_group.rg', ['create'], null, { name: 'rg' })]));

  it.each([
    ['a javascript: URL', 'javascript:alert(1)', 'must be an https:// URL'],
    ['an http: URL', 'http://ci.example/run/1', 'must be an https:// URL'],
    ['a URL with credentials', 'https://user:token@ci.example/run/1', 'must not contain a user name or password: the comment would show them'],
    ['a URL with a space', 'https://ci.example/run 1', 'contains whitespace, control or formatting characters; percent-encode them'],
    ['a URL with a new line', 'https://ci.example/run\n# heading', 'contains whitespace, control or formatting characters; percent-encode them'],
    ['a relative URL', '/relative/path', 'is not an absolute URL; expected https://…'],
    ['a URL over the length limit', `https://ci.example/${'a'.repeat(MAX_LINK_URL_CHARS)}`, `is ${MAX_LINK_URL_CHARS + 19} characters long; at most ${MAX_LINK_URL_CHARS} are accepted`],
  ])('refuses %s with exit 2', (_what, url, problem) => {
    const result = runCommand(PLAN_SUMMARY, [harmless(), '--full-plan-url', url]);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.split('\n')[0]).toMatch(new RegExp(`^plan-summary: --full-plan-url ${problem.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}; got "`));
  });

  it('neutralises markdown and mention injection: the URL cannot end its link, start HTML or mention anyone', () => {
    const url = 'https://ci.example/run)](javascript:alert(1))<img>@admin&#64;x"\'|\\`*_~$#frag';
    const { markdown } = summarisePlans([{ text: plan([retentionCut()]), label: 'p', stack: 's' }], { fullPlanUrl: url, limit: 600 });
    const links = markdown.match(/\]\([^)]*\)/g) ?? [];
    expect(links.length).toBeGreaterThanOrEqual(1);
    for (const link of links) expect(link).toBe('](https://ci.example/run%29]%28javascript:alert%281%29%29%3Cimg%3E%40admin%26#64;x%22%27%7C%5C%60*_~$#frag)');
    expect(markdown).not.toMatch(/@admin|<img|javascript:alert\(1\)\)/);
  });

  it('keeps the comment under the limit with the longest URL accepted, even when everything is trimmed', () => {
    const url = `https://ci.example/${'r'.repeat(MAX_LINK_URL_CHARS - 19)}`;
    const deletes = Array.from({ length: 3000 }, (_, i) => resourceChange(`azurerm_log_analytics_workspace.w${i}`, ['delete'], workspace(90), null));
    const { markdown } = summarisePlans([{ text: plan(deletes), label: 'p', stack: 's' }], { fullPlanUrl: url });
    expect(markdown.length).toBeLessThanOrEqual(65_000);
    expect(markdown.length).toBeLessThan(GITHUB_COMMENT_LIMIT);
    expect(markdown).toContain(`The full plan is [here](${url}).`);
    expect(markdown).toContain(`[Full plan](${url})`);
  });
});

describe('plan-summary: input bounds', () => {
  it('refuses a FIFO given as the plan at once, without waiting for a writer', () => {
    const fifo = join(dir, 'plan.fifo');
    execFileSync('mkfifo', [fifo]);
    const result = runScript(PLAN_SUMMARY, [fifo], undefined, NO_WAIT_MS);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(`plan-summary: ${fifo}: is a FIFO (named pipe); give a regular file; expected the output of \`terraform show -json <planfile>\`\n`);
  });

  it('reads a plan saved as UTF-8 with a byte-order mark', () => {
    const file = write(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(plan([retentionCut()]))]));
    const result = runCommand(PLAN_SUMMARY, [file, '--stack', 'bom']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('workspace retention reduced from 90 to 30 days');
  });

  it('refuses a plan saved as UTF-16 and says how to save it as UTF-8', () => {
    const file = write(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(plan([retentionCut()]), 'utf16le')]), 'utf16.json');
    const result = runCommand(PLAN_SUMMARY, [file]);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(
      `plan-summary: ${file}: is UTF-16 text (byte-order mark FF FE, little-endian); save it as UTF-8 (Windows PowerShell 5.1 writes UTF-16 with \`>\`: use \`| Out-File -Encoding utf8\` or PowerShell 7)\n`,
    );
  });

  it('refuses a plan over 32 MiB from its size, naming the limit', () => {
    const file = write('', 'huge.json');
    truncateSync(file, 33 * 1024 * 1024);
    const result = runCommand(PLAN_SUMMARY, [file]);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(`plan-summary: ${file}: is 34,603,008 bytes, over the limit of 32 MiB for this input; check that it is the file you meant\n`);
  });

  it('refuses plan files that add up to more than 64 MiB', () => {
    const files = [1, 2, 3].map((i) => {
      const file = write('', `part-${i}.json`);
      truncateSync(file, 30 * 1024 * 1024);
      return file;
    });
    const result = runCommand(PLAN_SUMMARY, [...files, '--stack', 'a', '--stack', 'b', '--stack', 'c']);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(`plan-summary: ${files[2]}: the plan files read so far add up to more than 64 MiB, the limit for one run; summarise fewer plans per run\n`);
  });

  it('gives a clean error for a plan nested 100,000 levels deep, not a stack overflow', () => {
    const deep = `{"format_version":"1.2","resource_changes":[{"address":"a.b","type":"a","change":{"actions":["update"],"before":{},"after":{"x":${'['.repeat(100_000)}${']'.repeat(100_000)}}}}]}`;
    const file = write(deep, 'deep-plan.json');
    const result = runCommand(PLAN_SUMMARY, [file]);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(`plan-summary: ${file}: nests arrays and objects more than 256 levels deep, the most this tool reads; expected the output of \`terraform show -json <planfile>\`\n`);
  });

  it('refuses malformed sections that secrets are read from, instead of crashing or skipping them', () => {
    const file = write(plan([], { variables: { pin: null } }), 'bad-variables.json');
    const result = runCommand(PLAN_SUMMARY, [file]);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(`plan-summary: ${file}: "variables" entry "pin" must be an object, got null\n`);
  });
});

describe('--out failures give one line and exit 2', () => {
  const cases: [string, (d: string) => string, (out: string, d: string) => string][] = [
    ['a missing folder', (d) => join(d, 'missing', 'summary.md'), (out, d) => `--out ${out}: cannot write: the folder ${join(d, 'missing')} does not exist (ENOENT); create it first or choose another path`],
    ['a directory', (d) => d, (out) => `--out ${out}: is a directory; give a file path inside it, e.g. --out ${out}/summary.md`],
    ['a full disk', () => '/dev/full', () => '--out /dev/full: cannot write: no space left on the device (ENOSPC)'],
  ];

  it.each(cases)('plan-summary: %s', (_what, outOf, message) => {
    const out = outOf(dir);
    const result = runCommand(PLAN_SUMMARY, [write(plan([retentionCut()])), '--out', out]);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(`plan-summary: ${message(out, dir)}\n`);
  });

  it.each(cases)('synth-diff: %s', (_what, outOf, message) => {
    const empty = join(dir, 'empty-out');
    mkdirSync(empty, { recursive: true });
    const out = outOf(dir);
    const result = runCommand(SYNTH_DIFF, [empty, empty, '--out', out]);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(`synth-diff: ${message(out, dir)}\n`);
  });
});

describe('synth-diff: input bounds', () => {
  function tree(name: string): { root: string; file: string } {
    const root = join(dir, name);
    mkdirSync(join(root, 'stacks', 'dev'), { recursive: true });
    return { root, file: join(root, 'stacks', 'dev', 'cdk.tf.json') };
  }
  let empty: string;
  beforeAll(() => {
    empty = join(dir, 'synth-empty');
    mkdirSync(empty, { recursive: true });
  });

  it('refuses a FIFO as cdk.tf.json at once, without waiting for a writer', () => {
    const { root, file } = tree('synth-fifo');
    execFileSync('mkfifo', [file]);
    const result = runScript(SYNTH_DIFF, [empty, root], undefined, NO_WAIT_MS);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(`synth-diff: ${file}: is a FIFO (named pipe); give a regular file; expected Terraform JSON written by \`cdktf synth\`\n`);
  });

  it('gives a clean error for a cdk.tf.json nested 100,000 levels deep, not a stack overflow', () => {
    const { root, file } = tree('synth-deep');
    writeFileSync(file, `{"resource":{"a":{"b":{"x":${'['.repeat(100_000)}${']'.repeat(100_000)}}}}}`);
    const result = runCommand(SYNTH_DIFF, [empty, root]);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(`synth-diff: ${file}: nests arrays and objects more than 256 levels deep, the most this tool reads; expected Terraform JSON written by \`cdktf synth\`\n`);
  });

  it('refuses a cdk.tf.json over 16 MiB from its size, naming the limit', () => {
    const { root, file } = tree('synth-huge');
    writeFileSync(file, '');
    truncateSync(file, 17 * 1024 * 1024);
    const result = runCommand(SYNTH_DIFF, [empty, root]);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(`synth-diff: ${file}: is 17,825,792 bytes, over the limit of 16 MiB for this input; check that it is the file you meant\n`);
  });

  it('gives a clean error when stacks is a file', () => {
    const root = join(dir, 'synth-stacks-file');
    mkdirSync(root);
    writeFileSync(join(root, 'stacks'), 'not a folder');
    const result = runCommand(SYNTH_DIFF, [empty, root]);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(`synth-diff: ${join(root, 'stacks')}: is not a directory; expected a synthesized cdktf output containing stacks/<stack>/cdk.tf.json\n`);
  });

  it('refuses a malformed variable section instead of crashing', () => {
    const { root, file } = tree('synth-bad-variable');
    writeFileSync(file, JSON.stringify({ variable: { pin: 'not an object' } }));
    const result = runCommand(SYNTH_DIFF, [empty, root]);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(`synth-diff: ${file}: variable.pin must be an object\n`);
  });

  it('refuses a non-https --full-plan-url', () => {
    const result = runCommand(SYNTH_DIFF, [empty, empty, '--full-plan-url', 'http://ci.example/run/1']);
    expect(result.status).toBe(2);
    expect(result.stderr.split('\n')[0]).toBe('synth-diff: --full-plan-url must be an https:// URL; got "http://ci.example/run/1"');
  });

  it('writes --out and reads the written file back', () => {
    const out = join(dir, 'synth-out.md');
    const result = runCommand(SYNTH_DIFF, [empty, empty, '--out', out]);
    expect(result.status).toBe(0);
    expect(readFileSync(out, 'utf8')).toMatch(/^<!-- entra-audit-synth-diff -->/);
  });
});

describe('docs/security.md', () => {
  it('states the limits the two commands enforce, as the code defines them', () => {
    const page = readFileSync(join(__dirname, '..', '..', 'docs', 'security.md'), 'utf8');
    const bound = (what: string, value: string) => expect([what, page.includes(value)]).toEqual([what, true]);
    bound('plan size', `| Size of each plan file | ${formatBytes(MAX_PLAN_BYTES)} |`);
    bound('plans total', `| All plan files of one run | ${formatBytes(MAX_PLANS_TOTAL_BYTES)} together |`);
    bound('plan depth', `| Nesting of arrays and objects | ${MAX_PLAN_DEPTH} levels |`);
    bound('stack size', `| Size of each \`cdk.tf.json\` | ${formatBytes(MAX_STACK_FILE_BYTES)} |`);
    bound('stacks total', `| All stacks of both outputs | ${formatBytes(MAX_SYNTH_TOTAL_BYTES)} together |`);
    expect(MAX_SYNTH_DEPTH).toBe(MAX_PLAN_DEPTH);
    bound('url length', `at most ${MAX_LINK_URL_CHARS.toLocaleString('en-US')} characters once encoded`);
    bound('comment budget', `${DEFAULT_BODY_LIMIT.toLocaleString('en-US')} characters (GitHub's limit is ${GITHUB_COMMENT_LIMIT.toLocaleString('en-US')})`);
    bound('short secrets', `a secret of ${MIN_SECRET_TEXT_LENGTH} characters or more`);
  });
});
