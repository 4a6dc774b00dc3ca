/**
 * .github/scripts/sticky-comment.js, the real file, run under node against a fake GitHub API on 127.0.0.1
 * (the same REST calls actions/github-script's Octokit makes): create, update in place, failure notices,
 * comments by other authors, outdated marking, pagination and the comment size limit.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BOT, FakeGitHub, fakeCore, fakeOctokit, prContext } from '../support/fake-github';
import { REPO_ROOT } from '../support/run-script';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const sticky = require(join(REPO_ROOT, '.github', 'scripts', 'sticky-comment.js'));

const HEAD = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
const OLD = '0123456789abcdef0123456789abcdef01234567';
const MARKER = 'entra-audit-plan:contoso-prod';
const dir = mkdtempSync(join(tmpdir(), 'sticky-'));
const summary = join(dir, 'plan-summary.md');
writeFileSync(summary, `<!-- ${MARKER} -->\n### Terraform plan: <code>contoso-prod</code>\n\n**0 to create, 1 to update, 0 to replace, 0 to delete.**\n`);

let gh: FakeGitHub;
beforeEach(async () => {
  gh = await new FakeGitHub().start();
});
afterEach(() => gh.stop());

function tools(context = prContext({ headSha: HEAD })) {
  const core = fakeCore();
  return { tools: { github: fakeOctokit(gh.baseUrl), context, core }, core };
}

describe('stickyComment', () => {
  it('creates the comment with the commit marker and footer when none carries the marker', async () => {
    gh.addComment(7, '<!-- entra-audit-plan:contoso-dev -->\nanother stack');
    const { tools: t, core } = tools();
    const result = await sticky.stickyComment(t, { marker: MARKER, file: summary });
    expect(result).toEqual({ action: 'created', id: expect.any(Number) });
    const created = gh.commentsOn(7).find((c) => c.id === result.id)!;
    const lines = created.body.split('\n');
    expect(lines[0]).toBe(`<!-- ${MARKER} -->`);
    expect(lines[1]).toBe(`<!-- entra-audit-commit:${HEAD} -->`);
    expect(lines[2]).toBe('### Terraform plan: <code>contoso-prod</code>');
    expect(created.body).toContain('<sub>Commit <code>a1b2c3d</code> · [workflow run](https://github.com/contoso/entra-audit/actions/runs/4242)</sub>');
    expect(gh.requests.filter((r) => r.method === 'POST')).toEqual([
      { method: 'POST', path: '/repos/contoso/entra-audit/issues/7/comments', body: { body: created.body } },
    ]);
    expect(core.calls.failed).toEqual([]);
  });

  it('updates the comment with the marker in place, whatever the author type, and leaves the others alone', async () => {
    const other = gh.addComment(7, '<!-- entra-audit-plan:contoso-dev -->\nold dev');
    const byUserToken = gh.addComment(7, `<!-- ${MARKER} -->\n<!-- entra-audit-commit:${OLD} -->\nold prod`, { login: 'deploy-bot-user', type: 'User' });
    const quoted = gh.addComment(7, `> <!-- ${MARKER} -->\nquoted by a reviewer`, { login: 'alice', type: 'User' });
    const { tools: t } = tools();
    const result = await sticky.stickyComment(t, { marker: MARKER, file: summary });
    expect(result).toEqual({ action: 'updated', id: byUserToken.id });
    expect(byUserToken.body).toContain(`<!-- entra-audit-commit:${HEAD} -->`);
    expect(byUserToken.body).not.toContain('old prod');
    expect(other.body).toBe('<!-- entra-audit-plan:contoso-dev -->\nold dev');
    expect(quoted.body).toBe(`> <!-- ${MARKER} -->\nquoted by a reviewer`);
    expect(gh.commentsOn(7)).toHaveLength(3); // no duplicate
    expect(gh.requests.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path}`)).toEqual([`PATCH /repos/contoso/entra-audit/issues/comments/${byUserToken.id}`]);
  });

  it('skips a foreign comment with the marker that the token may not edit, and updates its own', async () => {
    gh.foreignEditsForbidden = true;
    const own = gh.addComment(7, `<!-- ${MARKER} -->\nown, older`, BOT);
    const foreign = gh.addComment(7, `<!-- ${MARKER} -->\nposted later by someone else`, { login: 'mallory', type: 'User' });
    const { tools: t, core } = tools();
    const result = await sticky.stickyComment(t, { marker: MARKER, file: summary });
    expect(result).toEqual({ action: 'updated', id: own.id });
    expect(foreign.body).toBe(`<!-- ${MARKER} -->\nposted later by someone else`);
    expect(core.calls.warning).toEqual([expect.stringContaining(`Comment ${foreign.id} by mallory carries the marker ${MARKER} but this token cannot edit it (HTTP 403)`)]);
  });

  it('creates a new comment when the only one with the marker belongs to someone else and cannot be edited', async () => {
    gh.foreignEditsForbidden = true;
    const foreign = gh.addComment(7, `<!-- ${MARKER} -->\nnot ours`, { login: 'mallory', type: 'User' });
    const { tools: t } = tools();
    const result = await sticky.stickyComment(t, { marker: MARKER, file: summary });
    expect(result.action).toBe('created');
    expect(result.id).not.toBe(foreign.id);
    expect(gh.commentsOn(7)).toHaveLength(2);
  });

  it('replaces the summary with a failure notice naming the commit and the first error lines', async () => {
    const previous = gh.addComment(7, `<!-- ${MARKER} -->\n<!-- entra-audit-commit:${OLD} -->\n### Terraform plan\n**0 to create, 0 to update**`);
    const log = join(dir, 'plan.log');
    writeFileSync(
      log,
      [
        'Initializing the backend...',
        'Refreshing state...',
        '',
        'Error: retrieving Storage Account "stcontoso": unexpected status 403 (AuthorizationFailed)',
        '',
        '  with azurerm_storage_account.archive,',
        '  on cdk.tf.json line 120, in resource "azurerm_storage_account" "archive":',
        '',
        'Error: second problem',
      ].join('\n'),
    );
    const { tools: t } = tools();
    const result = await sticky.stickyComment(t, { marker: MARKER, failure: { title: 'Terraform plan failed: contoso-prod', step: 'terraform plan', log } });
    expect(result).toEqual({ action: 'updated', id: previous.id });
    const body = previous.body;
    expect(body.split('\n').slice(0, 3)).toEqual([`<!-- ${MARKER} -->`, `<!-- entra-audit-commit:${HEAD} -->`, '### ❌ Terraform plan failed: contoso-prod']);
    expect(body).toContain('`terraform plan` failed for commit `a1b2c3d`');
    expect(body).toContain('```text\nError: retrieving Storage Account "stcontoso": unexpected status 403 (AuthorizationFailed)\n\n  with azurerm_storage_account.archive,');
    expect(body).not.toContain('Initializing the backend');
    expect(body).not.toContain('0 to create');
  });

  it('writes a failure notice from the last log lines when there is no Error: line, and without a log at all', async () => {
    const log = join(dir, 'no-error.log');
    writeFileSync(log, 'line 1\nline 2\n\u001b[31mkilled\u001b[0m\n');
    const { tools: t } = tools();
    await sticky.stickyComment(t, { marker: MARKER, failure: { title: 'Terraform plan failed: contoso-prod', step: 'terraform init', log } });
    expect(gh.commentsOn(7)[0].body).toContain('```text\nline 1\nline 2\nkilled\n```');
    await sticky.stickyComment(t, { marker: MARKER, failure: { title: 'Terraform plan failed: contoso-prod', step: 'stack-context.js (identity)', log: join(dir, 'missing.log') } });
    expect(gh.commentsOn(7)).toHaveLength(1);
    expect(gh.commentsOn(7)[0].body).toContain('`stack-context.js (identity)` failed for commit `a1b2c3d`');
    expect(gh.commentsOn(7)[0].body).not.toContain('```text');
  });

  it('says how the label accepts an audit risk, and that it is accepted once the label is set', async () => {
    const { tools: t } = tools();
    await sticky.stickyComment(t, { marker: MARKER, file: summary, risk: true, riskLabel: 'audit-risk-accepted' });
    expect(gh.commentsOn(7)[0].body).toContain('the Audit risk gate check fails until a maintainer who has read the risks above adds the label `audit-risk-accepted`');
    const { tools: labelled } = tools(prContext({ headSha: HEAD, labels: ['audit-risk-accepted'] }));
    await sticky.stickyComment(labelled, { marker: MARKER, file: summary, risk: true, riskLabel: 'audit-risk-accepted' });
    expect(gh.commentsOn(7)[0].body).toContain('**Audit risk accepted** with the label `audit-risk-accepted`');
    await sticky.stickyComment(labelled, { marker: MARKER, file: summary, risk: false });
    expect(gh.commentsOn(7)[0].body).not.toContain('Audit risk accepted');
  });

  it('finds the comment on a later page of the list', async () => {
    for (let i = 0; i < 120; i++) gh.addComment(7, `chatter ${i}`, { login: 'alice', type: 'User' });
    const ours = gh.addComment(7, `<!-- ${MARKER} -->\nold`);
    const { tools: t } = tools();
    expect(await sticky.stickyComment(t, { marker: MARKER, file: summary })).toEqual({ action: 'updated', id: ours.id });
    expect(gh.requests.filter((r) => r.method === 'GET').map((r) => r.path)).toEqual([
      '/repos/contoso/entra-audit/issues/7/comments?per_page=100',
      '/repos/contoso/entra-audit/issues/7/comments?per_page=100&page=2',
    ]);
  });

  it('keeps the comment under the 65,536-character limit, saying where the rest is', async () => {
    const big = join(dir, 'big.md');
    writeFileSync(big, `<!-- ${MARKER} -->\n${'| row | x |\n'.repeat(6500)}`);
    const { tools: t } = tools();
    await sticky.stickyComment(t, { marker: MARKER, file: big, risk: true });
    const body = gh.commentsOn(7)[0].body;
    expect(body.length).toBeLessThanOrEqual(65536);
    expect(body).toContain('… cut to fit a GitHub comment: the whole summary is in the [workflow run]');
    expect(body).toContain('<sub>Commit <code>a1b2c3d</code>');
  });

  it('fails the step, posting nothing, when the file does not start with the marker or cannot be read', async () => {
    const wrong = join(dir, 'wrong.md');
    writeFileSync(wrong, '<!-- entra-audit-plan:contoso-dev -->\nother stack\n');
    const { tools: t, core } = tools();
    expect(await sticky.stickyComment(t, { marker: MARKER, file: wrong })).toBeUndefined();
    expect(await sticky.stickyComment(t, { marker: MARKER, file: join(dir, 'absent.md') })).toBeUndefined();
    expect(await sticky.stickyComment(t, { marker: 'not a marker', file: summary })).toBeUndefined();
    expect(core.calls.failed).toEqual([
      `sticky comment: ${wrong} must start with <!-- ${MARKER} -->, got "<!-- entra-audit-plan:contoso-dev -->"`,
      expect.stringMatching(/^sticky comment: cannot read .*absent\.md \(ENOENT.*; the step that writes it must run first, or pass failure: \{\.\.\.\}$/),
      'sticky comment: marker must look like entra-audit-<name>, got "not a marker"',
    ]);
    expect(gh.requests).toEqual([]);
  });

  it('passes on an error other than 403/404 instead of creating a duplicate', async () => {
    gh.addComment(7, `<!-- ${MARKER} -->\nold`);
    const { tools: t } = tools();
    const failing = { ...t, github: { ...t.github, rest: { issues: { ...t.github.rest.issues, updateComment: async () => Promise.reject(Object.assign(new Error('server error'), { status: 500 })) } } } };
    await expect(sticky.stickyComment(failing, { marker: MARKER, file: summary })).rejects.toThrow('server error');
    expect(gh.commentsOn(7)).toHaveLength(1);
  });
});

describe('markOutdated', () => {
  it('marks every review comment of another commit outdated, once, and leaves current and foreign ones alone', async () => {
    const oldPlan = gh.addComment(7, `<!-- ${MARKER} -->\n<!-- entra-audit-commit:${OLD} -->\n### Terraform plan`);
    const oldDiff = gh.addComment(7, '<!-- entra-audit-synth-diff -->\n### Synth diff, written before commit markers');
    const current = gh.addComment(7, `<!-- entra-audit-plan:contoso-dev -->\n<!-- entra-audit-commit:${HEAD} -->\n### current`);
    const chatter = gh.addComment(7, 'looks good to me', { login: 'alice', type: 'User' });
    const { tools: t } = tools();
    expect(await sticky.markOutdated(t)).toEqual([oldPlan.id, oldDiff.id]);
    expect(oldPlan.body.split('\n').slice(0, 4)).toEqual([`<!-- ${MARKER} -->`, `<!-- entra-audit-commit:${OLD} -->`, '<!-- entra-audit-outdated -->', '> [!WARNING]']);
    expect(oldPlan.body).toContain('> **Outdated.** This is for commit `0123456`; commit `a1b2c3d` is being checked ([workflow run](https://github.com/contoso/entra-audit/actions/runs/4242)).');
    expect(oldPlan.body.endsWith('### Terraform plan')).toBe(true);
    expect(oldDiff.body).toContain('This is for commit `unknown`');
    expect(current.body).not.toContain('Outdated');
    expect(chatter.body).toBe('looks good to me');
    // Idempotent for the same head; a newer head replaces the banner instead of stacking a second one.
    expect(await sticky.markOutdated(t)).toEqual([]);
    const { tools: newer } = tools(prContext({ headSha: 'b'.repeat(40) }));
    await sticky.markOutdated(newer);
    expect(oldPlan.body.match(/<!-- entra-audit-outdated -->/g)).toHaveLength(1);
    expect(oldPlan.body).toContain('commit `bbbbbbb` is being checked');
  });

  it('is undone by the next stickyComment, which writes a fresh body for the new commit', async () => {
    const old = gh.addComment(7, `<!-- ${MARKER} -->\n<!-- entra-audit-commit:${OLD} -->\n### old`);
    const { tools: t } = tools();
    await sticky.markOutdated(t);
    await sticky.stickyComment(t, { marker: MARKER, file: summary });
    expect(old.body).not.toContain('Outdated');
    expect(sticky.commitOf(old.body)).toBe(HEAD);
  });

  it('warns about a comment it may not edit and goes on', async () => {
    gh.foreignEditsForbidden = true;
    const foreign = gh.addComment(7, `<!-- ${MARKER} -->\nold`, { login: 'mallory', type: 'User' });
    const own = gh.addComment(7, '<!-- entra-audit-synth-diff -->\nold');
    const { tools: t, core } = tools();
    expect(await sticky.markOutdated(t)).toEqual([own.id]);
    expect(core.calls.warning).toEqual([`Comment ${foreign.id} could not be marked outdated (HTTP 403): this token cannot edit it.`]);
  });
});

describe('firstErrorLines', () => {
  it('starts at the first Error: line, also inside Terraform box drawing, and bounds lines and characters', () => {
    expect(sticky.firstErrorLines('a\n│ Error: boxed\n│ detail\nz', { maxLines: 2 })).toBe('│ Error: boxed\n│ detail');
    expect(sticky.firstErrorLines(`Error: ${'x'.repeat(50)}`, { maxChars: 10 })).toBe('Error: xxx\n… (cut at 10 characters)');
    expect(sticky.firstErrorLines('')).toBe('');
  });

  it('uses a fence longer than any backticks in the excerpt', () => {
    const body = sticky.renderFailure({ marker: MARKER, title: 't', step: 's', log: 'Error: ```` injected', sha: HEAD, runUrl: 'https://x' });
    expect(body).toContain('`````text\nError: ```` injected\n`````');
  });
});
