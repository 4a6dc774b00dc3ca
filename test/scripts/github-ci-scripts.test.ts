/**
 * The command-line scripts of .github/scripts, run with node as the workflows run them (exit codes,
 * $GITHUB_OUTPUT/$GITHUB_ENV, messages), and drift-issue.js / mergedPullRequestLabels against the fake
 * GitHub API on 127.0.0.1.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeGitHub, fakeCore, fakeOctokit, prContext } from '../support/fake-github';
import { REPO_ROOT } from '../support/run-script';

const SCRIPTS = join(REPO_ROOT, '.github', 'scripts');
const SHA = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
const OTHER_SHA = '0123456789abcdef0123456789abcdef01234567';

function run(script: string, args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [join(SCRIPTS, script), ...args], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', ...env }, timeout: 20000 });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
const tmp = (prefix: string) => mkdtempSync(join(tmpdir(), prefix));

describe('review-gate.js record', () => {
  const record = (dir: string, name: string, exits: string[], detailed = false) =>
    run('review-gate.js', ['record', '--out', join(dir, `${name}.json`), '--name', name, '--sha', SHA, ...(detailed ? ['--detailed'] : []), ...exits.flatMap((e) => ['--exit', e])]);
  const read = (dir: string, name: string) => JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8'));

  it('records changes and an audit risk from -detailed-exitcode 2 and plan:summary exit 1, and passes', () => {
    const dir = tmp('gate-');
    const r = record(dir, 'contoso-prod', ['init=0', 'plan=2', 'show=0', 'summary=1'], true);
    expect(r).toMatchObject({ status: 0, stderr: 'contoso-prod: ok, changes, audit risk\n' });
    expect(read(dir, 'contoso-prod')).toEqual({ name: 'contoso-prod', sha: SHA, status: 'ok', failedStep: null, changes: true, risk: true });
  });

  it('treats plan exit 2 as a failure without -detailed-exitcode, and names the first failing step', () => {
    const dir = tmp('gate-');
    expect(record(dir, 'contoso-prod', ['init=0', 'plan=2', 'summary=0'])).toMatchObject({ status: 1, stderr: "contoso-prod: plan failed; see that step's log above.\n" });
    expect(read(dir, 'contoso-prod')).toMatchObject({ status: 'failed', failedStep: 'plan', risk: false });
  });

  it('names the step that did not run (empty exit code) when an earlier one stopped the job', () => {
    const dir = tmp('gate-');
    expect(record(dir, 'contoso-dev', ['identity=0', 'init=', 'plan=', 'summary='], true).status).toBe(1);
    expect(read(dir, 'contoso-dev')).toMatchObject({ status: 'failed', failedStep: 'init', changes: null });
  });

  it('fails a summary that exited 2 (unreadable plan), but not one that found risks', () => {
    const dir = tmp('gate-');
    expect(record(dir, 'synth-diff', ['summary=2']).status).toBe(1);
    expect(read(dir, 'synth-diff')).toMatchObject({ status: 'failed', failedStep: 'summary' });
  });

  it.each([
    [['record', '--name', 'Contoso', '--sha', SHA, '--out', 'x', '--exit', 'plan=0'], 'review-gate: --name must be a stack id or synth-diff, got "Contoso"\n'],
    [['record', '--name', 'a-b', '--sha', 'HEAD', '--out', 'x', '--exit', 'plan=0'], 'review-gate: --sha must be a commit SHA, got "HEAD"\n'],
    [['record', '--name', 'a-b', '--sha', SHA, '--out', 'x'], 'review-gate: give at least one --exit <step>=<code>\n'],
    [['record', '--name', 'a-b', '--sha', SHA, '--exit', 'plan'], 'review-gate: --exit takes <step>=<exit code>, got "plan"\n'],
    [['frobnicate'], 'review-gate: unknown command "frobnicate"; expected record or evaluate\n'],
    [['evaluate', '--results', 'r', '--expect', '["Bad Name"]'], 'review-gate: --expect must be a JSON array of names (lowercase letters, digits, hyphens), got "[\\"Bad Name\\"]"\n'],
  ])('exits 2 on a usage error: %j', (args, message) => {
    expect(run('review-gate.js', args)).toMatchObject({ status: 2, stderr: message });
  });
});

describe('review-gate.js evaluate', () => {
  function results(entries: Record<string, object>) {
    const dir = tmp('results-');
    for (const [name, r] of Object.entries(entries)) writeFileSync(join(dir, `${name}.json`), JSON.stringify({ name, sha: SHA, status: 'ok', failedStep: null, changes: true, risk: false, ...r }));
    return dir;
  }
  const evaluate = (dir: string, expect: string[], extra: string[] = []) => {
    const out = tmp('out-');
    const r = run('review-gate.js', ['evaluate', '--results', dir, '--expect', JSON.stringify(expect), '--sha', SHA, '--summary', join(out, 'summary.md'), '--apply-out', join(out, 'apply.json'), ...extra]);
    return { ...r, summary: readFileSync(join(out, 'summary.md'), 'utf8'), apply: JSON.parse(readFileSync(join(out, 'apply.json'), 'utf8')) };
  };

  it('passes clean reviews and lists the stacks with changes to apply, not those without', () => {
    const r = evaluate(results({ 'synth-diff': { changes: null }, 'contoso-dev': { changes: true }, 'contoso-prod': { changes: false } }), ['synth-diff', 'contoso-dev', 'contoso-prod']);
    expect(r.status).toBe(0);
    expect(r.apply).toEqual(['synth-diff', 'contoso-dev']);
    expect(r.summary).toContain('| ✅ <code>contoso-prod</code> | no audit risk; no changes |');
  });

  it('blocks an audit risk until the label is set, then lets it through and says so', () => {
    const dir = results({ 'contoso-prod': { risk: true } });
    const blocked = evaluate(dir, ['contoso-prod']);
    expect(blocked).toMatchObject({ status: 1, apply: [], stderr: 'blocked: contoso-prod: audit risk not accepted (label audit-risk-accepted)\n' });
    expect(blocked.summary).toContain('| ❌ <code>contoso-prod</code> | audit risk, not accepted: a maintainer who has read the risk adds the label `audit-risk-accepted` |');
    expect(blocked.summary).toContain('Audit risks block until the label `audit-risk-accepted` is set.');
    const accepted = evaluate(dir, ['contoso-prod'], ['--accepted', 'true']);
    expect(accepted).toMatchObject({ status: 0, apply: ['contoso-prod'] });
    expect(accepted.summary).toContain('audit risk, accepted by the label `audit-risk-accepted`');
  });

  it('blocks a missing result, a failed one and one for another commit, one message each, and still applies the rest', () => {
    const dir = results({ 'contoso-dev': { status: 'failed', failedStep: 'init' }, 'fabrikam-prod': { sha: OTHER_SHA }, 'contoso-test': {} });
    const r = evaluate(dir, ['contoso-dev', 'contoso-prod', 'fabrikam-prod', 'contoso-test']);
    expect(r.status).toBe(1);
    expect(r.apply).toEqual(['contoso-test']);
    expect(r.stderr.trim().split('\n')).toEqual([
      'blocked: contoso-dev: failed at init',
      'blocked: contoso-prod: no result: its job did not finish (cancelled, skipped or failed before recording)',
      'blocked: fabrikam-prod: result is for commit 0123456, not a1b2c3d: re-run the workflow',
    ]);
    expect(r.summary).toContain('**Blocked:** 3 of 4.');
  });

  it('refuses a result file it did not write', () => {
    const dir = tmp('results-');
    writeFileSync(join(dir, 'x.json'), 'not json');
    expect(run('review-gate.js', ['evaluate', '--results', dir, '--expect', '[]'])).toMatchObject({ status: 2, stderr: expect.stringContaining('x.json is not JSON') });
  });
});

describe('review-gate.js mergedPullRequestLabels (fake GitHub API)', () => {
  it('returns the labels of the merged pull requests of the commit, not of unmerged ones', async () => {
    const gh = await new FakeGitHub().start();
    try {
      gh.pullsByCommit.set(SHA, [
        { number: 1, merged_at: '2026-11-01T10:00:00Z', labels: [{ name: 'audit-risk-accepted' }, { name: 'docs' }] },
        { number: 2, merged_at: null, labels: [{ name: 'unmerged-label' }] },
      ]);
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { mergedPullRequestLabels } = require(join(SCRIPTS, 'review-gate.js'));
      const labels = await mergedPullRequestLabels({ github: fakeOctokit(gh.baseUrl), context: prContext() }, { sha: SHA });
      expect(labels).toEqual(['audit-risk-accepted', 'docs']);
      expect(gh.requests.map((r) => r.path)).toEqual([`/repos/contoso/entra-audit/commits/${SHA}/pulls`]);
    } finally {
      await gh.stop();
    }
  });
});

describe('deploy-order.js', () => {
  function applied(entries: Record<string, string>) {
    const dir = tmp('applied-');
    for (const [stack, sha] of Object.entries(entries)) writeFileSync(join(dir, stack), `${sha}\n`);
    return dir;
  }
  const order = (stack: string, nonProduction: string[], dir: string) => run('deploy-order.js', ['--stack', stack, '--non-production', JSON.stringify(nonProduction), '--applied', dir, '--sha', SHA]);

  it("lets a production stack go once every non-production stack of its tenant applied this commit, ignoring other tenants'", () => {
    const r = order('contoso-prod', ['contoso-dev', 'contoso-test', 'fabrikam-dev'], applied({ 'contoso-dev': SHA, 'contoso-test': SHA }));
    expect(r).toMatchObject({ status: 0, stderr: 'contoso-prod: contoso-dev, contoso-test applied this commit first.\n' });
  });

  it('holds it while one is missing or applied another commit, naming each', () => {
    const r = order('contoso-prod', ['contoso-dev', 'contoso-test'], applied({ 'contoso-test': OTHER_SHA }));
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toEqual([
      'contoso-dev was neither applied nor found unchanged in this run (its plan, gate or apply did not succeed), so contoso-prod waits: fix contoso-dev first, then re-run this workflow',
      'contoso-test applied commit 0123456, not a1b2c3d: re-run this workflow',
    ]);
  });

  it('does not wait when the tenant has no non-production stack, even without an applied folder', () => {
    expect(order('fabrikam-prod', ['contoso-dev'], join(tmp('none-'), 'absent'))).toMatchObject({ status: 0, stderr: 'fabrikam-prod: its tenant has no non-production stack to wait for.\n' });
  });

  it('exits 2 on bad arguments, one message per problem', () => {
    const r = run('deploy-order.js', ['--stack', 'Contoso', '--non-production', 'dev', '--applied', 'x', '--sha', 'main']);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([
      'deploy-order: --stack must be a stack id like contoso-prod, got "Contoso"',
      'deploy-order: --sha must be a commit SHA, got "main"',
      'deploy-order: --non-production must be a JSON array of stack ids, got "dev"',
    ]);
  });
});

describe('stack-context.js', () => {
  const TENANT = '00000000-0000-4000-8000-00000000c001';
  const SUB = '22222222-2222-4222-8222-222222222222';
  const CLIENT = '33333333-3333-4333-8333-333333333333';
  const TENANT_CLIENT = '44444444-4444-4444-8444-444444444444';

  function cdktfOut(backend: object = { azurerm: { container_name: 'tfstate' } }, provider: object = { tenant_id: TENANT, subscription_id: SUB }) {
    const dir = tmp('cdktf-');
    mkdirSync(join(dir, 'stacks', 'contoso-prod'), { recursive: true });
    writeFileSync(join(dir, 'stacks', 'contoso-prod', 'cdk.tf.json'), JSON.stringify({ provider: { azurerm: [provider] }, terraform: { backend } }));
    return dir;
  }
  function context(out: string, role: string, vars: object) {
    const files = tmp('gh-');
    const env = { VARS_JSON: JSON.stringify(vars), GITHUB_OUTPUT: join(files, 'output'), GITHUB_ENV: join(files, 'env') };
    writeFileSync(env.GITHUB_OUTPUT, '');
    writeFileSync(env.GITHUB_ENV, '');
    const r = run('stack-context.js', ['--stack', 'contoso-prod', '--role', role, '--cdktf-out', out], env);
    return { ...r, output: readFileSync(env.GITHUB_OUTPUT, 'utf8'), env: readFileSync(env.GITHUB_ENV, 'utf8') };
  }

  it('takes tenant and subscription from the synthesized stack and the client id from the role variable', () => {
    const r = context(cdktfOut(), 'planner', { AZURE_PLANNER_CLIENT_ID: CLIENT, AZURE_READER_CLIENT_ID: TENANT_CLIENT });
    expect(r.status).toBe(0);
    expect(r.output).toBe(`tenant-id=${TENANT}\nsubscription-id=${SUB}\nclient-id=${CLIENT}\n`);
    expect(r.env).toBe(`ARM_TENANT_ID=${TENANT}\nARM_SUBSCRIPTION_ID=${SUB}\nARM_CLIENT_ID=${CLIENT}\n`);
    expect(r.stderr).toBe(`contoso-prod: planner identity from AZURE_PLANNER_CLIENT_ID, tenant ${TENANT}, subscription ${SUB}\n`);
  });

  it("prefers the tenant's own variable, matching names case-insensitively", () => {
    const r = context(cdktfOut(), 'deployer', { AZURE_DEPLOYER_CLIENT_ID: CLIENT, azure_deployer_client_id_contoso: TENANT_CLIENT });
    expect(r.status).toBe(0);
    expect(r.output).toContain(`client-id=${TENANT_CLIENT}\n`);
  });

  it('refuses a stack whose state is in a local file, and a missing or malformed client id, one message each, writing nothing', () => {
    const r = context(cdktfOut({ local: { path: '../../../terraform.contoso-prod.tfstate' } }), 'reader', {});
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toEqual([
      '::error title=contoso-prod::contoso-prod keeps its Terraform state in a local backend, which a CI runner loses after the job: set backend: { type: azurerm, resourceGroupName, storageAccountName, containerName } for this environment in the configuration (docs/deployment.md#state)',
      '::error title=contoso-prod::no client id for the reader identity: set the GitHub variable AZURE_READER_CLIENT_ID (or AZURE_READER_CLIENT_ID_CONTOSO for this tenant only) to the application (client) id of its app registration (docs/ci-cd.md#identities)',
    ]);
    expect(r.output).toBe('');
    expect(r.env).toBe('');
    const bad = context(cdktfOut(), 'reader', { AZURE_READER_CLIENT_ID: 'my-app' });
    expect(bad.stderr).toContain('the GitHub variable AZURE_READER_CLIENT_ID is "my-app", expected an application (client) id (a GUID)');
  });

  it('says to synthesize first when the stack is missing, and checks the provider ids', () => {
    const missing = context(join(tmp('empty-'), 'cdktf.out'), 'planner', { AZURE_PLANNER_CLIENT_ID: CLIENT });
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('cannot be read (ENOENT): run `npm run synth`');
    const noTenant = context(cdktfOut(undefined, { subscription_id: SUB }), 'planner', { AZURE_PLANNER_CLIENT_ID: CLIENT });
    expect(noTenant.stderr).toContain('provider.azurerm[0].tenant_id is undefined, expected the tenant GUID');
  });

  it('exits 2 outside a workflow step or with a bad role', () => {
    const r = run('stack-context.js', ['--stack', 'contoso-prod', '--role', 'admin'], { VARS_JSON: '{}' });
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([
      'stack-context: --role must be one of reader, planner, deployer, got "admin"',
      'stack-context: GITHUB_OUTPUT is not set: this runs inside a GitHub Actions step',
      'stack-context: GITHUB_ENV is not set: this runs inside a GitHub Actions step',
    ]);
  });
});

describe('drift-issue.js (fake GitHub API)', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { driftIssue } = require(join(SCRIPTS, 'drift-issue.js'));
  let gh: FakeGitHub;
  beforeEach(async () => {
    gh = await new FakeGitHub().start();
  });
  afterEach(() => gh.stop());
  const dir = tmp('drift-');
  const summary = join(dir, 'plan-summary.md');
  writeFileSync(summary, '<!-- entra-audit-plan:contoso-prod -->\n### Terraform plan: <code>contoso-prod</code>\n\n**1 to create, 0 to update, 0 to replace, 0 to delete.**\n');
  const call = (status: string, extra: object = {}) => {
    const core = fakeCore();
    return driftIssue({ github: fakeOctokit(gh.baseUrl), context: prContext({ sha: SHA }), core }, { stack: 'contoso-prod', status, summaryFile: summary, log: join(dir, 'plan.log'), now: '2026-11-29T04:17:00Z', ...extra }).then((r: unknown) => ({ r, core }));
  };

  it('opens one issue per stack on drift, with the summary, commit and run', async () => {
    const { r } = await call('drift');
    expect(r).toEqual({ action: 'created', number: expect.any(Number) });
    expect(gh.issues).toHaveLength(1);
    const issue = gh.issues[0];
    expect(issue.title).toBe('Drift in contoso-prod');
    expect(issue.body.split('\n')[0]).toBe('<!-- entra-audit-drift:contoso-prod -->');
    expect(issue.body).toContain('**Stack:** <code>contoso-prod</code> · **checked:** 2026-11-29T04:17:00Z · **commit:** <code>a1b2c3d</code> · [workflow run](https://github.com/contoso/entra-audit/actions/runs/4242)');
    expect(issue.body).toContain('**1 to create, 0 to update, 0 to replace, 0 to delete.**');
    expect(issue.body).not.toContain('<!-- entra-audit-plan:contoso-prod -->');
  });

  it('updates the open issue of the stack the next night instead of opening another, ignoring other stacks and pull requests', async () => {
    const other = gh.addIssue({ title: 'Drift in contoso-dev', body: '<!-- entra-audit-drift:contoso-dev -->\nold' });
    gh.addIssue({ title: 'a PR quoting it', body: '<!-- entra-audit-drift:contoso-prod -->', pull_request: {} });
    const mine = gh.addIssue({ title: 'Drift in contoso-prod', body: '<!-- entra-audit-drift:contoso-prod -->\nold' });
    const { r } = await call('drift');
    expect(r).toEqual({ action: 'updated', number: mine.number });
    expect(mine.body).toContain('**1 to create');
    expect(other.body).toBe('<!-- entra-audit-drift:contoso-dev -->\nold');
    expect(gh.issues).toHaveLength(3);
  });

  it('reports a failed check with the first error lines, so that a broken check does not hide drift', async () => {
    writeFileSync(join(dir, 'plan.log'), 'Refreshing...\nError: listing keys for AuthorizationRule "diag": 403\n');
    await call('failed');
    expect(gh.issues[0].title).toBe('Drift check failing for contoso-prod');
    expect(gh.issues[0].body).toContain('```text\nError: listing keys for AuthorizationRule "diag": 403\n```');
  });

  it('closes the open issue with a comment once the stack is clean, and does nothing when there is none', async () => {
    const mine = gh.addIssue({ title: 'Drift in contoso-prod', body: '<!-- entra-audit-drift:contoso-prod -->\nold' });
    expect((await call('clean')).r).toEqual({ action: 'closed', number: mine.number });
    expect(mine.state).toBe('closed');
    expect(mine.state_reason).toBe('completed');
    expect(gh.commentsOn(mine.number)[0].body).toBe('No drift in <code>contoso-prod</code> as of 2026-11-29T04:17:00Z ([workflow run](https://github.com/contoso/entra-audit/actions/runs/4242)). Closing.');
    expect((await call('clean')).r).toEqual({ action: 'none' });
  });

  it('fails the step on a bad status, calling nothing', async () => {
    const { r, core } = await call('drifted');
    expect(r).toBeUndefined();
    expect(core.calls.failed).toEqual(['drift issue: expected a stack id and a status of drift, clean, failed, got {"stack":"contoso-prod","status":"drifted"}']);
    expect(gh.requests).toEqual([]);
  });
});
