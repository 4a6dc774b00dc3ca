/**
 * plan-summary on real plan JSON produced by Terraform itself: the built-in `terraform_data` resource
 * plans without any provider download, so this runs offline wherever a `terraform` binary exists.
 * Skipped, with the reason printed, when there is none.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runScript } from '../support/run-script';

const TERRAFORM = process.env.TERRAFORM_BINARY ?? 'terraform';
const probe = spawnSync(TERRAFORM, ['version'], { encoding: 'utf8' });
const hasTerraform = !probe.error && probe.status === 0;
if (!hasTerraform) {
  console.log(`Skipping real-plan tests: no usable \`${TERRAFORM}\` binary on PATH (${probe.error?.message ?? probe.stderr}).`);
}
const describeWithTerraform = hasTerraform ? describe : describe.skip;

const SECRET_OLD = 'tf-Secret-Before-8731';
const SECRET_NEW = 'tf-Secret-After-1905';
const NESTED_SECRET = 'tf-Nested-Sensitive-5512';

function config(version: 1 | 2): string {
  const secret = version === 1 ? SECRET_OLD : SECRET_NEW;
  return `
variable "reader_secret" {
  type      = string
  sensitive = true
  default   = "${secret}"
}
resource "terraform_data" "unchanged" { input = "same" }
resource "terraform_data" "retention" { input = { days = ${version === 1 ? 730 : 30}, table = "SigninLogs" } }
resource "terraform_data" "${version === 1 ? 'removed' : 'added'}" { input = "${version}" }
${version === 1 ? 'resource "terraform_data" "forgotten" { input = "kept" }' : 'removed {\n  from = terraform_data.forgotten\n  lifecycle {\n    destroy = false\n  }\n}'}
resource "terraform_data" "replaced" {
  input            = "r"
  triggers_replace = ["${version === 1 ? 'first' : 'second'}"]
}
resource "terraform_data" "secret" { input = var.reader_secret }
resource "terraform_data" "nested" {
  input = { public = "v${version}", private = sensitive("${NESTED_SECRET}-${version}") }
}
output "reader_secret" {
  value     = var.reader_secret
  sensitive = true
}
`;
}

function tf(dir: string, args: string[]): string {
  const result = spawnSync(TERRAFORM, args, {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1', TF_INPUT: '0' },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`terraform ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout;
}

describeWithTerraform('plan-summary on a real Terraform plan', () => {
  let dir: string;
  let planFile: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'plan-real-'));
    writeFileSync(join(dir, 'main.tf'), config(1));
    tf(dir, ['init', '-input=false', '-no-color']);
    tf(dir, ['apply', '-auto-approve', '-input=false', '-no-color']);
    writeFileSync(join(dir, 'main.tf'), config(2));
    tf(dir, ['plan', '-input=false', '-no-color', '-out=tfplan']);
    planFile = join(dir, 'plan.json');
    writeFileSync(planFile, tf(dir, ['show', '-json', 'tfplan']));
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('counts create, update, replace, delete and forget and lists them by action', () => {
    const result = runScript('scripts/plan-summary.ts', [planFile, '--stack', 'real']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('<!-- entra-audit-plan:real -->');
    expect(result.stdout).toContain('**1 to create, 3 to update, 1 to replace, 1 to delete, 1 to forget.**');
    const row = (action: string, name: string) => new RegExp(`\\| ${action} \\| <code>terraform_data\\.${name}</code>`);
    expect(result.stdout).toMatch(row('🗑️ delete', 'removed'));
    expect(result.stdout).toMatch(row('♻️ replace', 'replaced'));
    expect(result.stdout).toMatch(row('✏️ update', 'retention'));
    expect(result.stdout).toMatch(row('➕ create', 'added'));
    // A `removed` block with destroy = false (Terraform 1.7+) plans the action "forget".
    expect(result.stdout).toContain('| ⏏️ forget | <code>terraform_data.forgotten</code> |  | removed from the Terraform state, not destroyed: no longer managed |');
    expect(result.stdout).not.toContain('terraform_data.unchanged');
    expect(result.stdout).toContain('**Audit risk:** none.');
  });

  it('shows attribute-level before and after of an update', () => {
    const result = runScript('scripts/plan-summary.ts', [planFile, '--stack', 'real']);
    expect(result.stdout).toContain('| <code>input.days</code> | <code>730</code> | <code>30</code> |');
  });

  it('never prints a value from a sensitive variable, a sensitive output or sensitive()', () => {
    const result = runScript('scripts/plan-summary.ts', [planFile, '--stack', 'real']);
    for (const secret of [SECRET_OLD, SECRET_NEW, NESTED_SECRET]) expect(result.stdout).not.toContain(secret);
    expect(result.stdout).toContain('(sensitive)');
    expect(result.stdout).toContain('"v2"'); // the public half of the nested value is still shown
  });
});
