/**
 * `npm run synth` as a user runs it: the compiled app in a child process on the example, on a sharded
 * selection and on a broken file; the other broken configurations through the same synth in this
 * process (`stacks/synth.ts`, what `main.ts` runs), with the repository as the project folder.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { synth as runSynth } from '../../stacks/synth';
import { nodeArgs, REPO_ROOT } from '../support/run-script';

const work = mkdtempSync(join(tmpdir(), 'entra-synth-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The compiled app in a child process, working in the repository. */
function synth(config: string | undefined, outdir: string, extra: NodeJS.ProcessEnv = {}) {
  const env: NodeJS.ProcessEnv = { ...process.env, CDKTF_OUTDIR: outdir, CHECKPOINT_DISABLE: '1', ENTRA_AUDIT_STACKS: '', ...extra };
  if (config === undefined) delete env.ENTRA_AUDIT_CONFIG;
  else env.ENTRA_AUDIT_CONFIG = config;
  return spawnSync(process.execPath, nodeArgs('stacks/main.ts'), { cwd: REPO_ROOT, env, encoding: 'utf8', timeout: 60_000 });
}

/** The same synth in this process, with the repository as the project folder. */
async function synthHere(config: string, outdir: string): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const status = await runSynth({ projectDir: REPO_ROOT, env: { ENTRA_AUDIT_CONFIG: config, CDKTF_OUTDIR: outdir }, stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { status, stdout, stderr };
}

const stackFiles = (outdir: string) => (existsSync(join(outdir, 'stacks')) ? readdirSync(join(outdir, 'stacks')).filter((s) => existsSync(join(outdir, 'stacks', s, 'cdk.tf.json'))) : []);

test('the example configuration synthesizes every stack as plain Terraform JSON', () => {
  const outdir = join(work, 'example');
  const run = synth(undefined, outdir);
  // contoso-dev and contoso-prod share a tenant: the one warning is about the categories both receive.
  expect(run.stderr.split('\n').filter(Boolean)).toEqual([expect.stringMatching(/^Warning: tenant 00000000-0000-4000-8000-00000000c001: Entra diagnostic settings are tenant-wide/)]);
  expect(run.status).toBe(0);
  expect(run.stdout).toContain('Synthesized 3 stack(s) from stacks/environments.yaml');
  expect(run.stdout).toMatch(/\nCoverage reports: \S*example\/reports\/index\.md\n$/);
  expect(stackFiles(outdir).sort()).toEqual(['contoso-dev', 'contoso-prod', 'fabrikam-prod']);
  const json = JSON.parse(readFileSync(join(outdir, 'stacks', 'contoso-prod', 'cdk.tf.json'), 'utf8'));
  expect(json.terraform.required_providers.azurerm.version).toBe('4.55.0');
  expect(json.terraform.required_providers.azuread.version).toBe('3.7.0');
  expect(existsSync(`${outdir}.staging-${run.pid}`)).toBe(false);
  // The coverage report of every stack, and their index, next to the stacks.
  expect(readdirSync(join(outdir, 'reports')).sort()).toEqual(['contoso-dev.json', 'contoso-dev.md', 'contoso-prod.json', 'contoso-prod.md', 'fabrikam-prod.json', 'fabrikam-prod.md', 'index.md']);
});

test.each([
  ['a malformed GUID', 'tenants:\n  contoso:\n    tenantId: 1234\n    environments:\n      dev: { subscriptionId: 11111111-1111-4111-8111-111111111111, location: westeurope }\n', 'tenants.contoso.tenantId: got "1234"; expected a GUID'],
  ['an out-of-range retention', 'tenants:\n  contoso:\n    tenantId: 00000000-0000-4000-8000-00000000c001\n    environments:\n      dev:\n        subscriptionId: 11111111-1111-4111-8111-111111111111\n        location: westeurope\n        logAnalytics: { retentionInDays: 7 }\n', 'logAnalytics.retentionInDays: got 7; expected an integer from 30 to 730'],
  ['a misspelt category', 'tenants:\n  contoso:\n    tenantId: 00000000-0000-4000-8000-00000000c001\n    environments:\n      dev:\n        subscriptionId: 11111111-1111-4111-8111-111111111111\n        location: westeurope\n        routing: { Auditlogs: [storage] }\n', 'routing.Auditlogs: got "Auditlogs"; expected a known category (names are case-sensitive): did you mean "AuditLogs"?'],
  ['an unknown key', 'tenants:\n  contoso:\n    tenantId: 00000000-0000-4000-8000-00000000c001\n    environments:\n      dev:\n        subscriptionId: 11111111-1111-4111-8111-111111111111\n        location: westeurope\n        storrage: {}\n', 'environments.dev: unknown setting "storrage" (did you mean "storage"?); expected only'],
  ['malformed YAML', 'tenants:\n  contoso: [\n', 'YAML syntax'],
  ['an empty file', '', 'the file is empty'],
])('%s fails with a clear message and leaves no cdk.tf.json behind', async (name, text, message) => {
  const outdir = join(work, name.replace(/\W+/g, '-'));
  // A previous good run's output must not survive as if it were this one's.
  cpSync(join(work, 'example'), outdir, { recursive: true });
  expect(stackFiles(outdir)).toHaveLength(3);
  const file = join(work, `${name.replace(/\W+/g, '-')}.yaml`);
  writeFileSync(file, text);
  const run = await synthHere(file, outdir);
  expect(run.status).toBe(1);
  expect(run.stderr).toContain(message);
  expect(run.stderr).toContain('Nothing was synthesized.');
  expect(stackFiles(outdir)).toEqual([]);
  expect(readdirSync(join(outdir, 'reports'))).toEqual([]);
});

test('a missing configuration file is reported', async () => {
  const run = await synthHere(join(work, 'nope.yaml'), join(work, 'missing'));
  expect(run.status).toBe(1);
  expect(run.stderr).toContain('cannot read the file');
});

test('the three-mistake file of issue 10: exit 1, three problems, each at file:line:column, and nothing synthesized', () => {
  const file = 'test/fixtures/config/three-mistakes.yaml';
  const run = synth(file, join(work, 'three-mistakes'));
  expect(run.status).toBe(1);
  const problems = run.stderr.split('\n').filter((l) => l.startsWith('  - '));
  expect(run.stderr).toContain(`${file}: 3 problem(s) in the configuration:\n`);
  expect(problems).toHaveLength(3);
  expect(problems[0]).toBe(`  - ${file}:10:19: tenants.contoso.environments.prod.location: got "West Europe"; expected an Azure region name such as westeurope (did you mean "westeurope"?)`);
  expect(problems[1]).toMatch(new RegExp(`^  - ${file}:14:11: tenants\\.contoso\\.environments\\.prod\\.routing\\.SigninLogs: got "SigninLogs"; .*did you mean "SignInLogs"\\?.*; until it is fixed, table SigninLogs is not routed to Log Analytics, yet logAnalytics\\.tables\\.SigninLogs and 12 alert detections \\(.*\\) use it$`));
  expect(problems[2]).toBe(`  - ${file}:36:35: tenants.contoso.environments.prod.eventHub.messageRetentionInDays: got 9; expected an integer from 1 to 7 on the Standard tier`);
  expect(run.stderr).not.toContain('UnroutedTable');
  expect(run.stderr).toContain('Nothing was synthesized.');
  expect(stackFiles(join(work, 'three-mistakes'))).toEqual([]);
});

test('ENTRA_AUDIT_STACKS synthesizes only the matching stacks of the example', () => {
  const outdir = join(work, 'sharded');
  const run = synth(undefined, outdir, { ENTRA_AUDIT_STACKS: '*-prod' });
  expect(run.status).toBe(0);
  const shown = relative(REPO_ROOT, outdir);
  expect(run.stdout).toBe(`Synthesized 2 of 3 stack(s) (ENTRA_AUDIT_STACKS=*-prod) from stacks/environments.yaml into ${shown}/stacks: contoso-prod, fabrikam-prod\nCoverage reports: ${shown}/reports/index.md\n`);
  expect(stackFiles(outdir).sort()).toEqual(['contoso-prod', 'fabrikam-prod']);
  const index = () => readFileSync(join(outdir, 'reports', 'index.md'), 'utf8');
  expect(index()).toContain('[`contoso-prod`](contoso-prod.md)');
  expect(index()).not.toContain('contoso-dev');
  // The next shard adds its stack and keeps the others' stacks and reports; the index lists all three, in configuration order.
  const dev = synth(undefined, outdir, { ENTRA_AUDIT_STACKS: 'contoso-dev' });
  expect(dev.status).toBe(0);
  expect(stackFiles(outdir).sort()).toEqual(['contoso-dev', 'contoso-prod', 'fabrikam-prod']);
  expect(readdirSync(join(outdir, 'reports')).sort()).toEqual(['contoso-dev.json', 'contoso-dev.md', 'contoso-prod.json', 'contoso-prod.md', 'fabrikam-prod.json', 'fabrikam-prod.md', 'index.md']);
  expect([...index().matchAll(/^\| \[`([\w-]+)`\]/gm)].map((m) => m[1])).toEqual(['contoso-dev', 'contoso-prod', 'fabrikam-prod']);
  const unknown = synth(undefined, join(work, 'sharded-unknown'), { ENTRA_AUDIT_STACKS: 'contoso-prd' });
  expect(unknown.status).toBe(1);
  expect(unknown.stderr).toBe('ENTRA_AUDIT_STACKS: "contoso-prd" matches no configured stack (did you mean "contoso-prod"?); the configured stacks are contoso-dev, contoso-prod, fabrikam-prod\nNothing was synthesized.\n');
});
