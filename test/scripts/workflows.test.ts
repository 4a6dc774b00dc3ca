/**
 * Structure of the GitHub Actions workflows (.github/workflows/*.yml), loaded with the `yaml` package:
 * valid YAML, the permissions each job needs (and no more), the stack matrix fed from `stacks:list`,
 * pinned actions.
 */
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseDocument } from 'yaml';
import { REPO_ROOT, runScript } from '../support/run-script';

interface Step {
  readonly id?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly with?: Record<string, unknown>;
  readonly if?: string;
  readonly 'working-directory'?: string;
}
interface Job {
  readonly needs?: string | string[];
  readonly if?: string;
  readonly environment?: string | { name: string };
  readonly permissions?: Record<string, string>;
  readonly outputs?: Record<string, string>;
  readonly strategy?: { matrix?: Record<string, unknown> };
  readonly env?: Record<string, unknown>;
  readonly steps: Step[];
}
interface Workflow {
  readonly name: string;
  readonly on: Record<string, unknown>;
  readonly permissions?: Record<string, string>;
  readonly jobs: Record<string, Job>;
}

const DIR = join(REPO_ROOT, '.github', 'workflows');
const files = readdirSync(DIR).filter((f) => /\.ya?ml$/.test(f));

function load(file: string): Workflow {
  const doc = parseDocument(readFileSync(join(DIR, file), 'utf8'));
  if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors.map((e) => e.message).join('; ')}`);
  return doc.toJS() as Workflow;
}

const needsOf = (job: Job): string[] => (job.needs === undefined ? [] : Array.isArray(job.needs) ? job.needs : [job.needs]);
const runs = (job: Job): string => job.steps.map((s) => s.run ?? '').join('\n');
const uses = (job: Job, action: string): Step | undefined => job.steps.find((s) => s.uses?.startsWith(`${action}@`));
const usesOidc = (job: Job): boolean => uses(job, 'azure/login') !== undefined;

it('finds both workflows', () => {
  expect(files).toEqual(expect.arrayContaining(['pull-request.yml', 'deploy.yml']));
});

describe.each(files)('%s', (file) => {
  const wf = load(file);
  const jobs = Object.entries(wf.jobs);

  it('is valid YAML with jobs', () => {
    expect(jobs.length).toBeGreaterThan(0);
  });

  it('defaults to read-only contents at the workflow level', () => {
    expect(wf.permissions).toEqual({ contents: 'read' });
  });

  it('pins every action to a major version or a commit', () => {
    for (const [, job] of jobs) {
      for (const step of job.steps) {
        if (step.uses === undefined || step.uses.startsWith('./')) continue;
        expect(step.uses).toMatch(/^[\w.-]+\/[\w./-]+@(v\d+(\.\d+){0,2}|[0-9a-f]{40})$/);
      }
    }
  });

  it('grants id-token: write exactly to the jobs that log in to Azure with OIDC, with ARM_USE_OIDC', () => {
    for (const [name, job] of jobs) {
      if (usesOidc(job)) {
        expect({ name, permissions: job.permissions }).toEqual({ name, permissions: expect.objectContaining({ 'id-token': 'write', contents: 'read' }) });
        expect({ name, oidc: String(job.env?.ARM_USE_OIDC) }).toEqual({ name, oidc: 'true' });
        for (const key of ['client-id', 'tenant-id', 'subscription-id']) expect(uses(job, 'azure/login')?.with?.[key]).toBeTruthy();
      } else {
        expect({ name, idToken: job.permissions?.['id-token'] }).toEqual({ name, idToken: undefined });
      }
    }
  });

  it('grants pull-requests: write to the jobs that post comments, and only to them', () => {
    for (const [name, job] of jobs) {
      const comments = uses(job, 'actions/github-script') !== undefined;
      expect({ name, prWrite: job.permissions?.['pull-requests'] === 'write' }).toEqual({ name, prWrite: comments });
    }
  });

  it('runs each stack job from a matrix fed by the job that runs `npm run --silent stacks:list`', () => {
    const matrixJobs = jobs.filter(([, job]) => job.strategy?.matrix?.stack !== undefined);
    expect(matrixJobs.length).toBeGreaterThan(0);
    for (const [name, job] of matrixJobs) {
      const match = /^\$\{\{ fromJSON\(needs\.([\w-]+)\.outputs\.([\w-]+)\) \}\}$/.exec(String(job.strategy!.matrix!.stack));
      expect({ name, matrix: match ? 'fromJSON(needs.<job>.outputs.<name>)' : job.strategy!.matrix!.stack }).toEqual({
        name,
        matrix: 'fromJSON(needs.<job>.outputs.<name>)',
      });
      const [, source, output] = match!;
      expect(needsOf(job)).toContain(source);
      const producer = wf.jobs[source];
      const step = /^\$\{\{ steps\.([\w-]+)\.outputs\.([\w-]+) \}\}$/.exec(producer.outputs?.[output] ?? '');
      expect(step).not.toBeNull();
      const listStep = producer.steps.find((s) => s.id === step![1]);
      expect(listStep?.run).toContain('npm run --silent stacks:list');
      expect(listStep?.run).toContain(`${step![2]}=`);
      expect(listStep?.run).toContain('$GITHUB_OUTPUT');
      expect(job.if).toContain(`needs.${source}.outputs.${output} != '[]'`); // an empty matrix is an error in Actions
      expect(job.env?.STACK_DIR).toBe('cdktf.out/stacks/${{ matrix.stack }}');
      const terraformSteps = job.steps.filter((s) => /^terraform /m.test(s.run ?? ''));
      expect(terraformSteps.length).toBeGreaterThan(0);
      for (const s of terraformSteps) expect(s['working-directory']).toBe('${{ env.STACK_DIR }}');
    }
  });

  it('the stacks:list script the matrix relies on prints every stack of the example configuration', () => {
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8'));
    expect(pkg.scripts['stacks:list']).toContain('dist/scripts/list-stacks.js');
    const run = runScript('scripts/list-stacks.ts', []);
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual(['contoso-dev', 'contoso-prod', 'fabrikam-prod']);
  });

  it('installs with npm ci and tests before anything is synthesized', () => {
    const build = wf.jobs.build;
    const commands = runs(build);
    expect(commands.indexOf('npm ci')).toBeGreaterThanOrEqual(0);
    expect(commands.indexOf('npm ci')).toBeLessThan(commands.indexOf('npm test'));
    expect(commands.indexOf('npm test')).toBeLessThan(commands.indexOf('npm run synth'));
  });
});

describe('pull-request.yml', () => {
  const wf = load('pull-request.yml');

  it('runs on pull requests', () => {
    expect(Object.keys(wf.on)).toEqual(['pull_request']);
  });

  it('posts a synth diff against the base branch as a sticky comment', () => {
    const job = wf.jobs['synth-diff'];
    expect(job.steps.some((s) => s.uses?.startsWith('actions/checkout@') && s.with?.ref === '${{ github.event.pull_request.base.sha }}')).toBe(true);
    expect(runs(job)).toContain('npm run --silent synth:diff -- base/cdktf.out cdktf.out --out synth-diff.md');
    expect(uses(job, 'actions/github-script')?.with?.script).toContain("'synth-diff.md'");
    expect(runs(job)).toContain('$GITHUB_STEP_SUMMARY');
  });

  it('plans each stack: init, plan, show -json, summary, artifact, sticky comment, job summary', () => {
    const job = wf.jobs.plan;
    const commands = runs(job);
    for (const command of ['terraform init', 'terraform plan', 'terraform show -json tfplan > plan.json', 'npm run --silent plan:summary --', '$GITHUB_STEP_SUMMARY']) {
      expect(commands).toContain(command);
    }
    expect(commands).toContain('--stack "${{ matrix.stack }}"');
    expect(uses(job, 'actions/upload-artifact')?.with?.name).toBe('plan-${{ matrix.stack }}');
    expect(String(uses(job, 'actions/upload-artifact')?.with?.path)).not.toContain('plan.json'); // clear-text secrets stay on the runner
    expect(uses(job, 'actions/github-script')?.with?.script).toContain("'plan-summary.md'");
  });
});

describe('deploy.yml', () => {
  const wf = load('deploy.yml');

  it('runs on pushes to main', () => {
    expect(wf.on.push).toEqual({ branches: ['main'] });
  });

  it('deploys each stack through its GitHub environment, then verifies it', () => {
    const job = wf.jobs.deploy;
    expect(job.environment).toBe('${{ matrix.stack }}');
    const commands = runs(job);
    expect(commands).toMatch(/terraform apply .*tfplan/);
    expect(commands).toContain('npm run verify -- --stack "${{ matrix.stack }}"');
    expect(commands.indexOf('terraform apply')).toBeLessThan(commands.indexOf('npm run verify'));
  });
});

describe('sticky comment helper (.github/scripts/sticky-comment.js)', () => {
  // The plain CommonJS module actions/github-script loads with require().
  const stickyComment = require(join(REPO_ROOT, '.github', 'scripts', 'sticky-comment.js')) as (
    tools: { github: unknown; context: unknown; core: unknown },
    file: string,
  ) => Promise<void>;

  function fakes(existing: { id: number; body: string; user: { type: string } }[]) {
    const calls: { update: unknown[]; create: unknown[]; failed: string[] } = { update: [], create: [], failed: [] };
    const github = {
      paginate: async () => existing,
      rest: {
        issues: {
          listComments: () => undefined,
          updateComment: async (args: unknown) => {
            calls.update.push(args);
            return { data: { html_url: 'u' } };
          },
          createComment: async (args: unknown) => {
            calls.create.push(args);
            return { data: { html_url: 'c' } };
          },
        },
      },
    };
    const context = { repo: { owner: 'contoso', repo: 'entra-audit' }, issue: { number: 7 } };
    const core = { info: () => undefined, setFailed: (m: string) => calls.failed.push(m) };
    return { tools: { github, context, core }, calls };
  }

  const file = join(mkdtempSync(join(tmpdir(), 'sticky-')), 'body.md');
  writeFileSync(file, '<!-- entra-audit-plan:contoso-prod -->\n### Terraform plan\n');

  it('updates the bot comment that starts with the same marker', async () => {
    const { tools, calls } = fakes([
      { id: 1, body: '<!-- entra-audit-plan:contoso-dev -->\nold', user: { type: 'Bot' } },
      { id: 2, body: '<!-- entra-audit-plan:contoso-prod -->\nold', user: { type: 'Bot' } },
      { id: 3, body: '<!-- entra-audit-plan:contoso-prod -->\nquoted by a person', user: { type: 'User' } },
    ]);
    await stickyComment(tools, file);
    expect(calls.update).toEqual([expect.objectContaining({ comment_id: 2, owner: 'contoso', repo: 'entra-audit' })]);
    expect(calls.create).toEqual([]);
  });

  it('creates a comment when none carries the marker', async () => {
    const { tools, calls } = fakes([{ id: 1, body: '<!-- entra-audit-plan:contoso-dev -->\nold', user: { type: 'Bot' } }]);
    await stickyComment(tools, file);
    expect(calls.create).toEqual([expect.objectContaining({ issue_number: 7 })]);
    expect(calls.update).toEqual([]);
  });

  it('fails the step when the body has no marker', async () => {
    const plain = join(dirname(file), 'plain.md');
    writeFileSync(plain, 'no marker\n');
    const { tools, calls } = fakes([]);
    await stickyComment(tools, plain);
    expect(calls.failed).toEqual([expect.stringContaining('does not start with an entra-audit marker')]);
    expect(calls.create).toEqual([]);
  });
});
