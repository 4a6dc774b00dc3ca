/**
 * Guards `EntraAuditStack.prepareStack`, which skips cdktf's pre-synth resolve (see its comment):
 * fails when cdktf's own method changes, and shows that the output of every example configuration is
 * byte-identical with and without the skip.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { TerraformStack } from 'cdktf';
import { EntraAuditStack } from '../../stacks/entra-audit-stack';
import { synth } from '../../stacks/synth';
import { REPO_ROOT } from '../support/run-script';

const work = mkdtempSync(join(tmpdir(), 'entra-prepare-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Every file under `dir`, relative, with its content. */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else out[relative(dir, path)] = readFileSync(path, 'utf8');
    }
  };
  walk(dir);
  return out;
}

async function synthInto(config: string, outdir: string): Promise<void> {
  let stderr = '';
  const status = await synth({ projectDir: REPO_ROOT, env: { ENTRA_AUDIT_CONFIG: config, CDKTF_OUTDIR: outdir }, stdout: () => undefined, stderr: (t) => (stderr += t) });
  expect([status, stderr.split('\n').filter((l) => l && !l.startsWith('Warning: '))]).toEqual([0, []]);
}

test("cdktf's prepareStack is still: ensure a backend, then a resolve pass that only cross-stack references use", () => {
  // If this fails, cdktf changed: read its new TerraformStack.prepareStack and the resolve context's
  // `preparing` uses (lib/tfExpression.js), and keep EntraAuditStack.prepareStack only if that pass
  // still does nothing for stacks without cross-stack references.
  const normalised = TerraformStack.prototype.prepareStack.toString().replace(/\s+/g, ' ');
  expect(normalised).toBe(
    'prepareStack() { // Ensure we have a backend configured this.ensureBackendExists(); ' +
      '// A preparing resolve run might add new resources to the stack, e.g. for cross stack references. ' +
      'terraformElements(this).forEach((e) => (0, _tokens_1.resolve)(this, e.toTerraform(), true)); }',
  );
  expect(Object.prototype.hasOwnProperty.call(EntraAuditStack.prototype, 'prepareStack')).toBe(true);
});

test.each(['stacks/environments.yaml', ...readdirSync(join(REPO_ROOT, 'examples')).map((e) => `examples/${e}/environments.yaml`)])(
  '%s synthesizes byte-identically with and without the pre-synth resolve',
  async (config) => {
    const name = config.replace(/\W+/g, '-');
    const skipped = join(work, `${name}-skipped`);
    const resolved = join(work, `${name}-resolved`);
    await synthInto(config, skipped);
    const own = EntraAuditStack.prototype.prepareStack;
    EntraAuditStack.prototype.prepareStack = TerraformStack.prototype.prepareStack;
    try {
      await synthInto(config, resolved);
    } finally {
      EntraAuditStack.prototype.prepareStack = own;
    }
    const a = tree(skipped);
    const b = tree(resolved);
    expect(Object.keys(a).filter((f) => f.endsWith('cdk.tf.json')).length).toBeGreaterThan(0);
    expect(a).toEqual(b);
  },
);
