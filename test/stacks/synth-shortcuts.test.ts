/**
 * Guards what synth skips of cdktf's work: the pre-synth resolve (`EntraAuditStack.prepareStack`) and
 * the per-token stack traces (`token-stack-traces.ts`). Fails when cdktf's code they rely on changes,
 * and shows that the output of every example configuration is byte-identical with and without them.
 */
import { existsSync, readdirSync, readFileSync, rmSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { TerraformStack } from 'cdktf';
import { EntraAuditStack } from '../../stacks/entra-audit-stack';
import { synth } from '../../stacks/synth';
import { REPO_ROOT } from '../support/run-script';

const work = mkdtempSync(join(tmpdir(), 'entra-shortcuts-'));
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

async function synthInto(config: string, outdir: string, env: NodeJS.ProcessEnv = {}): Promise<void> {
  let stderr = '';
  const status = await synth({ projectDir: REPO_ROOT, env: { ENTRA_AUDIT_CONFIG: config, CDKTF_OUTDIR: outdir, ...env }, stdout: () => undefined, stderr: (t) => (stderr += t) });
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

test('cdktf reads captureStackTrace from its module at every call, so replacing the export takes effect', () => {
  // If this fails, cdktf changed how it takes token stack traces: token-stack-traces.ts would no longer
  // turn them off (or would break something). Re-read lib/tokens/private/stack-trace.js and its callers.
  const lib = dirname(require.resolve('cdktf/lib/index.js'));
  const callers: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.js') && relative(lib, path) !== join('tokens', 'private', 'stack-trace.js')) {
        const text = readFileSync(path, 'utf8').replace(/\/\/# sourceMappingURL=.*$/m, '');
        const uses = text.match(/[\w.]*captureStackTrace\b[^;\n]*/g) ?? [];
        if (uses.length > 0) callers.push(`${relative(lib, path)}: ${[...new Set(uses)].join(' | ')}`);
      }
    }
  };
  walk(lib);
  expect(callers.sort()).toEqual([
    'complex-computed-list.js: stack_trace_1.captureStackTrace)()',
    'terraform-dynamic-block.js: stack_trace_1.captureStackTrace)()',
    'terraform-dynamic-expression.js: stack_trace_1.captureStackTrace)()',
    'tokens/lazy.js: stack_trace_1.captureStackTrace)()',
    'tokens/private/intrinsic.js: stack_trace_1.captureStackTrace)()',
  ]);
  const source = readFileSync(join(lib, 'tokens', 'private', 'stack-trace.js'), 'utf8');
  expect(source).toContain('exports.captureStackTrace = captureStackTrace;');
});

// The configuration examples (examples/own-cdktf-app is an app using the packed library, without a configuration).
const configExamples = readdirSync(join(REPO_ROOT, 'examples')).filter((e) => existsSync(join(REPO_ROOT, 'examples', e, 'environments.yaml')));
test.each(['stacks/environments.yaml', ...configExamples.map((e) => `examples/${e}/environments.yaml`)])(
  '%s synthesizes byte-identically with and without the pre-synth resolve and the token stack traces',
  async (config) => {
    const name = config.replace(/\W+/g, '-');
    const fast = join(work, `${name}-fast`);
    const full = join(work, `${name}-full`);
    await synthInto(config, fast);
    const own = EntraAuditStack.prototype.prepareStack;
    EntraAuditStack.prototype.prepareStack = TerraformStack.prototype.prepareStack;
    try {
      await synthInto(config, full, { ENTRA_AUDIT_TOKEN_TRACES: '1' });
    } finally {
      EntraAuditStack.prototype.prepareStack = own;
    }
    const a = tree(fast);
    const b = tree(full);
    expect(Object.keys(a).filter((f) => f.endsWith('cdk.tf.json')).length).toBeGreaterThan(0);
    expect(a).toEqual(b);
  },
);
