/**
 * Structure of the GitHub Actions workflows (.github/workflows/*.yml), loaded with the `yaml` package: the job
 * graph (plan before gate, gate before apply, apply of the downloaded plan, dev before prod), the audit-risk
 * gate, comments on failure, the drift schedule, timeouts, concurrency that never cancels a running plan or
 * apply, the permissions each job needs and no more, actions at their current majors, and that every flag
 * passed to a project script is one that script accepts.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { REPO_ROOT, runScript } from '../support/run-script';

interface Step {
  readonly id?: string;
  readonly name?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly with?: Record<string, unknown>;
  readonly env?: Record<string, unknown>;
  readonly if?: string;
  readonly 'working-directory'?: string;
  readonly 'continue-on-error'?: boolean;
}
interface Job {
  readonly name?: string;
  readonly needs?: string | string[];
  readonly if?: string;
  readonly uses?: string;
  readonly with?: Record<string, unknown>;
  readonly secrets?: unknown;
  readonly environment?: string | { name: string };
  readonly permissions?: Record<string, string>;
  readonly outputs?: Record<string, string>;
  readonly concurrency?: { group: string; 'cancel-in-progress': boolean };
  readonly strategy?: { 'fail-fast'?: boolean; matrix?: Record<string, unknown> };
  readonly env?: Record<string, unknown>;
  readonly 'timeout-minutes'?: number;
  readonly steps?: Step[];
}
interface Workflow {
  readonly name: string;
  readonly on: Record<string, any>;
  readonly permissions?: Record<string, string>;
  readonly concurrency?: { group: string; 'cancel-in-progress': boolean };
  readonly env?: Record<string, unknown>;
  readonly defaults?: { run?: { shell?: string } };
  readonly jobs: Record<string, Job>;
}

/**
 * The current major of each action, checked with the release notes cited in each workflow's header comment.
 * A new major is adopted on purpose: update this table, the workflows and their comments together.
 */
const CURRENT_MAJORS: Record<string, string> = {
  'actions/checkout': 'v7',
  'actions/setup-node': 'v7',
  'actions/upload-artifact': 'v7',
  'actions/download-artifact': 'v8',
  'actions/github-script': 'v9',
  'azure/login': 'v3',
  'hashicorp/setup-terraform': 'v4',
};

const DIR = join(REPO_ROOT, '.github', 'workflows');
const files = readdirSync(DIR).filter((f) => /\.ya?ml$/.test(f)).sort();

function load(file: string): Workflow {
  const doc = parseDocument(readFileSync(join(DIR, file), 'utf8'));
  if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors.map((e) => e.message).join('; ')}`);
  return doc.toJS() as Workflow;
}
const workflows = new Map(files.map((f) => [f, load(f)]));
const wf = (file: string) => workflows.get(file)!;

const needsOf = (job: Job): string[] => (job.needs === undefined ? [] : Array.isArray(job.needs) ? job.needs : [job.needs]);
const stepsOf = (job: Job): Step[] => job.steps ?? [];
const runs = (job: Job): string => stepsOf(job).map((s) => s.run ?? '').join('\n');
const uses = (job: Job, action: string): Step[] => stepsOf(job).filter((s) => s.uses?.startsWith(`${action}@`));
const script = (step: Step): string => String(step.with?.script ?? '');
const stepRunning = (job: Job, text: string): Step => {
  const found = stepsOf(job).filter((s) => (s.run ?? '').includes(text));
  expect({ text, count: found.length }).toEqual({ text, count: 1 });
  return found[0];
};
const indexOfStep = (job: Job, step: Step) => stepsOf(job).indexOf(step);
/** The jobs that run on a runner (not calls of reusable workflows). */
const runnerJobs = (w: Workflow) => Object.entries(w.jobs).filter(([, j]) => j.uses === undefined);

it('finds the review, deploy and drift workflows and the reusable per-stack deploy', () => {
  expect(files).toEqual(['deploy-stacks.yml', 'deploy.yml', 'drift.yml', 'pull-request.yml']);
});

describe.each(files)('%s', (file) => {
  const w = wf(file);
  const jobs = Object.entries(w.jobs);

  it('defaults to read-only contents, runs bash with pipefail and disables the HashiCorp checkpoint', () => {
    expect(w.permissions).toEqual({ contents: 'read' });
    expect(w.defaults?.run?.shell).toBe('bash');
    expect(w.env?.CHECKPOINT_DISABLE).toBe('1');
  });

  it('bounds every job on a runner with timeout-minutes', () => {
    for (const [name, job] of runnerJobs(w)) {
      expect({ name, timeout: typeof job['timeout-minutes'] }).toEqual({ name, timeout: 'number' });
      expect(job['timeout-minutes']).toBeGreaterThan(0);
      expect(job['timeout-minutes']).toBeLessThanOrEqual(60);
    }
  });

  it('never cancels a running job through concurrency', () => {
    const groups = [w.concurrency, ...jobs.map(([, j]) => j.concurrency)].filter((c) => c !== undefined);
    for (const c of groups) expect({ group: c!.group, cancel: c!['cancel-in-progress'] }).toEqual({ group: c!.group, cancel: false });
  });

  it('uses every action at its current major', () => {
    for (const [name, job] of runnerJobs(w)) {
      for (const step of stepsOf(job)) {
        if (step.uses === undefined) continue;
        const [action, version] = step.uses.split('@');
        expect({ name, action, version }).toEqual({ name, action, version: CURRENT_MAJORS[action] ?? '(not in CURRENT_MAJORS)' });
      }
    }
  });

  it('cites the release of each action it uses in its header comment', () => {
    const text = readFileSync(join(DIR, file), 'utf8');
    const used = new Set(runnerJobs(w).flatMap(([, j]) => stepsOf(j).filter((s) => s.uses).map((s) => s.uses!)));
    for (const ref of used) {
      const [action, version] = ref.split('@');
      expect(text).toContain(`https://github.com/${action.replace(/^azure\//, 'Azure/')}/releases/tag/${version}.`);
    }
  });

  it('checks out without persisting the token in the git config', () => {
    for (const [name, job] of runnerJobs(w)) {
      for (const step of uses(job, 'actions/checkout')) expect({ name, persist: step.with?.['persist-credentials'] }).toEqual({ name, persist: false });
    }
  });

  it('grants id-token: write exactly to the jobs that sign in to Azure with OIDC, and passes no expression into a shell or script', () => {
    for (const [name, job] of runnerJobs(w)) {
      const oidc = String(job.env?.ARM_USE_OIDC) === 'true';
      expect({ name, idToken: job.permissions?.['id-token'] === 'write' }).toEqual({ name, idToken: oidc });
      for (const step of stepsOf(job)) {
        // Values reach shells and scripts through env:, never spliced into the code (script injection).
        expect({ name, step: step.name ?? step.uses, run: /\$\{\{/.test(step.run ?? '') || /\$\{\{/.test(script(step)) }).toEqual({ name, step: step.name ?? step.uses, run: false });
      }
    }
  });

  it('grants pull-requests or issues access only to the jobs that talk to the GitHub API', () => {
    for (const [name, job] of runnerJobs(w)) {
      const api = uses(job, 'actions/github-script').length > 0;
      const granted = ['pull-requests', 'issues'].filter((p) => job.permissions?.[p] !== undefined);
      expect({ name, granted: granted.length > 0 }).toEqual({ name, granted: api });
    }
  });

  it('runs Terraform only in the stack folder, with the stack matrix fed by a job output or an input', () => {
    for (const [name, job] of runnerJobs(w)) {
      const terraformSteps = stepsOf(job).filter((s) => /^\s*terraform (init|plan|show|apply)/m.test(s.run ?? ''));
      for (const s of terraformSteps) expect({ name, dir: s['working-directory'] }).toEqual({ name, dir: '${{ env.STACK_DIR }}' });
      if (job.strategy?.matrix?.stack !== undefined) {
        expect(String(job.strategy.matrix.stack)).toMatch(/^\$\{\{ fromJSON\((needs\.[\w-]+\.outputs\.[\w-]+|inputs\.stacks)\) \}\}$/);
        expect(job.strategy['fail-fast']).toBe(false);
        expect(job.env?.STACK_DIR).toBe('cdktf.out/stacks/${{ matrix.stack }}');
      }
    }
  });

  it('has each stack job synthesize its own stack only (sharded synth), before any Terraform step', () => {
    for (const [name, job] of runnerJobs(w).filter(([, j]) => j.strategy?.matrix?.stack !== undefined)) {
      const steps = stepsOf(job);
      const synth = steps.findIndex((s) => s.run === 'ENTRA_AUDIT_STACKS="$STACK" npm run synth');
      const firstTerraform = steps.findIndex((s) => /^\s*terraform /m.test(s.run ?? ''));
      expect({ name, synth: synth >= 0 }).toEqual({ name, synth: true });
      expect(job.env?.STACK).toBe('${{ matrix.stack }}');
      if (firstTerraform >= 0) expect(synth).toBeLessThan(firstTerraform);
      // Not the whole synthesized output of the build job.
      expect(uses(job, 'actions/download-artifact').filter((s) => s.with?.name === 'cdktf-out')).toEqual([]);
    }
  });

  it('loads only scripts that exist, and calls only functions they export', () => {
    for (const [, job] of runnerJobs(w)) {
      for (const step of stepsOf(job)) {
        for (const [, rel] of (step.run ?? '').matchAll(/node (\.github\/scripts\/[\w-]+\.js)/g)) expect(existsSync(join(REPO_ROOT, rel))).toBe(true);
        for (const [, names, rel] of script(step).matchAll(/const \{ ([\w, ]+) \} = require\(`\$\{process\.env\.GITHUB_WORKSPACE\}\/(\.github\/scripts\/[\w-]+\.js)`\)/g)) {
          // eslint-disable-next-line @typescript-eslint/no-require-imports
          const mod = require(join(REPO_ROOT, rel));
          for (const fn of names.split(',').map((n) => n.trim())) expect({ rel, fn, type: typeof mod[fn] }).toEqual({ rel, fn, type: 'function' });
        }
      }
    }
  });
});

describe('project scripts called by the workflows', () => {
  const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8'));
  /** `npm run --silent <script> -- <args>` with its continuation lines, from every run step. */
  const calls = [...workflows.values()].flatMap((w) =>
    runnerJobs(w).flatMap(([, j]) => [...runs(j).replace(/\\\n\s*/g, ' ').matchAll(/npm run --silent ([\w:]+)(?: -- ([^\n]*))?/g)].map(([, name, args]) => ({ name, args: args ?? '' }))),
  );
  const helps = new Map<string, string>();
  const helpOf = (name: string) => {
    if (!helps.has(name)) {
      const entry = `${/dist\/(scripts\/[\w-]+)\.js/.exec(pkg.scripts[name])![1]}.ts`;
      helps.set(name, runScript(entry, ['--help']).stdout);
    }
    return helps.get(name)!;
  };

  it('calls each through package.json', () => {
    expect(new Set(calls.map((c) => c.name))).toEqual(new Set(['stacks:list', 'synth:diff', 'plan:summary', 'verify']));
    for (const { name } of calls) expect(pkg.scripts[name]).toBeDefined();
  });

  it.each(['synth:diff', 'plan:summary', 'verify'])('passes %s only flags its --help documents', (name) => {
    const flags = new Set(calls.filter((c) => c.name === name).flatMap((c) => [...c.args.matchAll(/(?<![\w-])(--[a-z][a-z-]*)/g)].map((m) => m[1])));
    expect(flags.size).toBeGreaterThan(0);
    const help = helpOf(name);
    for (const flag of flags) expect({ flag, documented: help.includes(flag) }).toEqual({ flag, documented: true });
  });

  it('stacks:list prints all stacks, the production ones and the others of the example configuration', () => {
    expect(JSON.parse(runScript('scripts/list-stacks.ts', []).stdout)).toEqual(['contoso-dev', 'contoso-prod', 'fabrikam-prod']);
    expect(JSON.parse(runScript('scripts/list-stacks.ts', ['--production']).stdout)).toEqual(['contoso-prod', 'fabrikam-prod']);
    expect(JSON.parse(runScript('scripts/list-stacks.ts', ['--non-production']).stdout)).toEqual(['contoso-dev']);
  });

  it('stacks:list refuses unknown and contradictory options with exit 2', () => {
    expect(runScript('scripts/list-stacks.ts', ['--prod'])).toMatchObject({ status: 2, stdout: '', stderr: expect.stringContaining('unknown option "--prod"') });
    expect(runScript('scripts/list-stacks.ts', ['--production', '--non-production'])).toMatchObject({ status: 2, stderr: expect.stringContaining('--production and --non-production exclude each other') });
  });
});

describe('build jobs', () => {
  it.each(['pull-request.yml', 'deploy.yml'])('%s installs with npm ci and tests before anything is synthesized', (file) => {
    const commands = runs(wf(file).jobs.build);
    expect(commands.indexOf('npm ci')).toBeGreaterThanOrEqual(0);
    expect(commands.indexOf('npm ci')).toBeLessThan(commands.indexOf('npm test'));
    expect(commands.indexOf('npm test')).toBeLessThan(commands.indexOf('npm run synth'));
  });
});

describe('pull-request.yml', () => {
  const w = wf('pull-request.yml');
  const { plan, 'synth-diff': synthDiff, 'risk-gate': gate, 'mark-outdated': outdated, build } = w.jobs;

  it('runs on pull requests, again when a label is added or removed', () => {
    expect(Object.keys(w.on)).toEqual(['pull_request']);
    expect(w.on.pull_request.types).toEqual(expect.arrayContaining(['opened', 'synchronize', 'reopened', 'labeled', 'unlabeled']));
  });

  it('marks the earlier summaries outdated before any plan or synth diff writes a new one', () => {
    expect(script(uses(outdated, 'actions/github-script')[0])).toContain('await markOutdated({ github, context, core })');
    expect(needsOf(plan)).toEqual(['build', 'mark-outdated']);
    expect(needsOf(synthDiff)).toEqual(['build', 'mark-outdated']);
    // A failed marking must not stop the review.
    expect(plan.if).toContain("needs.build.result == 'success'");
    expect(plan.if).toContain('!cancelled()');
  });

  it('plans each stack with the read-only identity, without refresh or lock', () => {
    expect(stepRunning(plan, 'stack-context.js').run).toContain('--role reader');
    const planStep = stepRunning(plan, 'terraform plan ');
    expect(planStep.run).toMatch(/terraform plan -input=false -no-color -refresh=false -lock=false -out=tfplan/);
    expect(planStep.run).toContain('echo "exit=${PIPESTATUS[0]}" >> "$GITHUB_OUTPUT"');
    expect(plan.environment).toBeUndefined();
    expect(uses(plan, 'azure/login')).toEqual([]);
  });

  it('summarises with --fail-on-risk and posts the comment on success and on failure, with the step that failed', () => {
    const summary = stepRunning(plan, 'npm run --silent plan:summary');
    expect(summary.run).toContain('--stack "$STACK" --out plan-summary.md --fail-on-risk');
    expect(summary.run).toContain('$GITHUB_STEP_SUMMARY');
    const comment = uses(plan, 'actions/github-script')[0];
    expect(comment.if).toBe('${{ !cancelled() }}');
    expect(indexOfStep(plan, comment)).toBeGreaterThan(indexOfStep(plan, summary));
    const code = script(comment);
    expect(code).toContain('marker: `entra-audit-plan:${env.STACK}`');
    for (const step of ["'terraform init'", "'terraform plan'", "'terraform show'", "'npm run plan:summary'"]) expect(code).toContain(step);
    expect(code).toContain("failure: failedStep && { title: `Terraform plan failed: ${env.STACK}`, step: failedStep, log: 'plan.log' }");
    expect(code).toContain("risk: env.SUMMARY_EXIT === '1'");
    expect(comment.env).toMatchObject({ INIT_EXIT: '${{ steps.init.outputs.exit }}', PLAN_EXIT: '${{ steps.plan.outputs.exit }}', SUMMARY_EXIT: '${{ steps.summary.outputs.exit }}' });
  });

  it('uploads Terraform’s redacted text rendering, never plan.json or the plan file', () => {
    const paths = uses(plan, 'actions/upload-artifact').map((s) => String(s.with?.path));
    expect(paths).toEqual(['${{ env.STACK_DIR }}/plan.txt', 'gate/']);
  });

  it('diffs the synthesized base branch with --fail-on-risk and comments on failure too', () => {
    expect(synthDiff.steps!.some((s) => s.uses?.startsWith('actions/checkout@') && s.with?.ref === '${{ github.event.pull_request.base.sha }}')).toBe(true);
    expect(runs(synthDiff)).toContain('npm run --silent synth:diff -- base/cdktf.out cdktf.out --out synth-diff.md --fail-on-risk "${configs[@]}"');
    // Changes are put under the setting that causes them: both configuration files, when the base has one.
    expect(runs(synthDiff)).toContain('configs=(--base-config base/stacks/environments.yaml --head-config stacks/environments.yaml)');
    const comment = uses(synthDiff, 'actions/github-script')[0];
    expect(comment.if).toContain('!cancelled()');
    expect(script(comment)).toContain("failure: exit === '0' || exit === '1' ? undefined : { title: 'Synth diff failed'");
  });

  it('has an Audit risk gate that always runs after every review and accepts risks only with the label', () => {
    expect(gate.name).toBe('Audit risk gate');
    expect(needsOf(gate)).toEqual(['build', 'synth-diff', 'plan']);
    expect(gate.if).toBe('${{ always() }}');
    const evaluate = stepRunning(gate, 'review-gate.js evaluate');
    expect(evaluate.run).toContain('--accepted "$accepted" --label "$RISK_LABEL"');
    expect(evaluate.env?.LABELS).toBe('${{ toJSON(github.event.pull_request.labels.*.name) }}');
    expect(w.env?.RISK_LABEL).toBe('audit-risk-accepted');
    // Each review records its result for the gate, also when it failed.
    for (const job of [plan, synthDiff]) {
      const record = stepRunning(job, 'review-gate.js record');
      expect(record.if).toBe('${{ !cancelled() }}');
      expect(uses(job, 'actions/upload-artifact').some((s) => String(s.with?.name).startsWith('gate-') && s.if === '${{ !cancelled() }}')).toBe(true);
    }
    expect(uses(gate, 'actions/download-artifact')[0].with).toMatchObject({ pattern: 'gate-*', 'merge-multiple': true });
  });

  it('plans only same-repository pull requests (no OIDC token for forks), and keeps the build free of Azure access', () => {
    expect(plan.if).toContain('github.event.pull_request.head.repo.full_name == github.repository');
    expect(build.permissions).toEqual({ contents: 'read' });
  });
});

describe('deploy.yml and deploy-stacks.yml', () => {
  const deploy = wf('deploy.yml');
  const stage = wf('deploy-stacks.yml');
  const { plan, gate, apply } = stage.jobs;

  it('runs on pushes to main and on demand, with an explicit risk acceptance input', () => {
    expect(deploy.on.push).toEqual({ branches: ['main'] });
    expect(deploy.on.workflow_dispatch.inputs['accept-audit-risk']).toMatchObject({ type: 'boolean', default: false });
  });

  it('deploys the non-production stacks first, then the production ones, each stage through deploy-stacks.yml', () => {
    const { build, 'non-production': nonProd, production: prod } = deploy.jobs;
    expect(runs(build)).toContain('list --non-production');
    expect(runs(build)).toContain('list --production');
    expect(nonProd.uses).toBe('./.github/workflows/deploy-stacks.yml');
    expect(nonProd.with?.stacks).toBe('${{ needs.build.outputs.non-production }}');
    expect(prod.uses).toBe('./.github/workflows/deploy-stacks.yml');
    expect(needsOf(prod)).toEqual(['build', 'non-production']);
    expect(prod.with).toMatchObject({ stacks: '${{ needs.build.outputs.production }}', after: '${{ needs.build.outputs.non-production }}' });
    // Production of one tenant must not be held by another tenant's failure: per-stack check instead.
    expect(prod.if).toContain('!cancelled()');
    for (const job of [nonProd, prod]) expect(job.permissions).toEqual({ contents: 'read', 'id-token': 'write', 'pull-requests': 'read' });
  });

  it('holds each production stack until its tenant’s non-production stacks applied this commit or had nothing to change', () => {
    const order = stepRunning(plan, 'deploy-order.js');
    expect(order.if).toBe("inputs.after != '[]'");
    expect(order.run).toContain('--non-production "$AFTER" --applied applied --sha "$GITHUB_SHA"');
    expect(indexOfStep(plan, order)).toBeLessThan(indexOfStep(plan, stepRunning(plan, 'terraform init')));
    const marker = stepRunning(apply, 'applied/$STACK');
    expect(indexOfStep(apply, marker)).toBeGreaterThan(indexOfStep(apply, stepRunning(apply, 'terraform apply')));
    expect(uses(apply, 'actions/upload-artifact').map((s) => s.with?.name)).toContain('applied-${{ matrix.stack }}');
    // A stack with nothing to change never reaches the apply job: its plan job marks it current instead.
    const unchanged = stepRunning(plan, 'applied/$STACK');
    expect(unchanged.if).toBe("steps.plan.outputs.exit == '0' && steps.summary.outputs.exit == '0'");
    const upload = uses(plan, 'actions/upload-artifact').find((s) => s.with?.name === 'applied-${{ matrix.stack }}')!;
    expect(upload.if).toBe(unchanged.if);
  });

  it('plans before the gate and the gate before the apply; only the apply is in the stack’s environment', () => {
    expect(needsOf(plan)).toEqual([]);
    expect(needsOf(gate)).toEqual(['plan']);
    expect(needsOf(apply)).toEqual(['gate']);
    expect(plan.environment).toBeUndefined();
    expect(gate.environment).toBeUndefined();
    expect(apply.environment).toBe('${{ matrix.stack }}');
    expect(apply.strategy?.matrix?.stack).toBe('${{ fromJSON(needs.gate.outputs.apply) }}');
    expect(gate.outputs?.apply).toBe('${{ steps.evaluate.outputs.apply }}');
  });

  it('plans with the planner identity and -detailed-exitcode, summarises with --fail-on-risk into the job summary', () => {
    expect(stepRunning(plan, 'stack-context.js').run).toContain('--role planner');
    expect(stepRunning(plan, 'terraform plan ').run).toContain('terraform plan -input=false -no-color -detailed-exitcode -lock=false -out=tfplan');
    const summary = stepRunning(plan, 'npm run --silent plan:summary');
    expect(summary.run).toContain('--fail-on-risk');
    expect(summary.run).toContain('$GITHUB_STEP_SUMMARY');
  });

  it('applies exactly the downloaded plan file, encrypted in transit, and never plans again', () => {
    const upload = uses(plan, 'actions/upload-artifact').find((s) => s.with?.name === 'tfplan-${{ matrix.stack }}')!;
    expect(upload.with).toMatchObject({ path: 'plan-artifact/', 'retention-days': 1 });
    expect(stepRunning(plan, 'openssl enc').run).toContain('-pass env:TF_PLAN_ENCRYPTION_KEY -in plan.tar -out plan-artifact/tfplan.tar.enc');
    const download = uses(apply, 'actions/download-artifact').find((s) => s.with?.name === 'tfplan-${{ matrix.stack }}')!;
    const decrypt = stepRunning(apply, 'openssl enc -d');
    expect(decrypt.run).toContain('if [ "$planned" != "$GITHUB_SHA" ]');
    const applyStep = stepRunning(apply, 'terraform apply');
    expect(applyStep.run).toBe('terraform apply -input=false -no-color -lock-timeout=5m tfplan');
    expect(indexOfStep(apply, download)).toBeLessThan(indexOfStep(apply, decrypt));
    expect(indexOfStep(apply, decrypt)).toBeLessThan(indexOfStep(apply, applyStep));
    expect(runs(apply)).not.toMatch(/terraform plan/);
    expect(stepRunning(apply, 'stack-context.js').run).toContain('--role deployer');
  });

  it('gates on recorded results, labels of the merged pull request or the manual acceptance, and shows the summaries to approvers', () => {
    const record = stepRunning(plan, 'review-gate.js record');
    expect(record.run).toContain('--detailed');
    expect(record.if).toBe('${{ !cancelled() }}');
    expect(script(uses(gate, 'actions/github-script')[0])).toContain('mergedPullRequestLabels');
    const evaluate = stepRunning(gate, 'review-gate.js evaluate');
    expect(evaluate.run).toContain('--apply-out apply.json');
    expect(evaluate.run).toContain('cat "review/$stack.md" >> "$GITHUB_STEP_SUMMARY"');
    expect(evaluate.env?.ACCEPT_INPUT).toBe('${{ inputs.accept-audit-risk }}');
    expect(gate.name).toBe('Audit risk gate');
  });

  it('shares one concurrency group per stack between plan and apply, separate from the drift check', () => {
    expect(plan.concurrency).toEqual({ group: 'entra-audit-deploy-${{ matrix.stack }}', 'cancel-in-progress': false });
    expect(apply.concurrency).toEqual(plan.concurrency);
    expect(deploy.concurrency).toBeUndefined();
    expect(wf('drift.yml').jobs.drift.concurrency!.group).not.toBe(plan.concurrency!.group);
    expect(wf('pull-request.yml').jobs.plan.concurrency).toBeUndefined();
  });

  it('verifies after the apply with --wait and a bound, treating a timeout (exit 3) as a warning', () => {
    const verify = stepRunning(apply, 'npm run --silent verify');
    expect(verify.run).toContain('verify -- --stack "$STACK" --wait --timeout PT20M --credential azure-cli');
    expect(verify.run).toMatch(/3\) echo "::warning/);
    expect(indexOfStep(apply, verify)).toBeGreaterThan(indexOfStep(apply, stepRunning(apply, 'terraform apply')));
    expect(uses(apply, 'azure/login')[0].with).toEqual({
      'client-id': '${{ steps.identity.outputs.client-id }}',
      'tenant-id': '${{ steps.identity.outputs.tenant-id }}',
      'subscription-id': '${{ steps.identity.outputs.subscription-id }}',
    });
  });
});

describe('drift.yml', () => {
  const w = wf('drift.yml');
  const drift = w.jobs.drift;

  it('runs every day and on demand', () => {
    expect(w.on.schedule).toEqual([{ cron: '17 4 * * *' }]);
    expect(w.on).toHaveProperty('workflow_dispatch');
  });

  it('plans each stack with -detailed-exitcode and the planner identity', () => {
    expect(stepRunning(drift, 'stack-context.js').run).toContain('--role planner');
    expect(stepRunning(drift, 'terraform plan ').run).toContain('-detailed-exitcode');
    expect(drift.permissions).toEqual({ contents: 'read', 'id-token': 'write', issues: 'write' });
  });

  it('opens, updates or closes one issue per stack, then fails on drift or a failed check', () => {
    const issue = uses(drift, 'actions/github-script')[0];
    expect(issue.if).toBe('${{ !cancelled() }}');
    expect(script(issue)).toContain("const status = PLAN_EXIT === '0' ? 'clean' : PLAN_EXIT === '2' && SUMMARY_EXIT === '0' ? 'drift' : 'failed';");
    const fail = stepRunning(drift, 'case "$PLAN_EXIT" in');
    expect(fail.run).toMatch(/2\) echo "::error title=Drift in \$\{STACK\}::.*"; exit 1 ;;/);
    expect(fail.run).toMatch(/\*\) echo "::error title=Drift check failed.*"; exit 1 ;;/);
    expect(indexOfStep(drift, fail)).toBeGreaterThan(indexOfStep(drift, issue));
  });
});
