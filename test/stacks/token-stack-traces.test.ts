/** withoutTokenStackTraces: tokens created meanwhile carry no creation stack; restoring brings them back. */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import { DefaultTokenResolver, IResolvable, Lazy, StringConcat, TerraformStack, Testing, Tokenization } from 'cdktf';
import { synth } from '../../stacks/synth';
import { withoutTokenStackTraces } from '../../stacks/token-stack-traces';
import { REPO_ROOT } from '../support/run-script';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const traceModule = require('cdktf/lib/tokens/private/stack-trace') as { captureStackTrace: unknown };

const creationStack = (token: IResolvable) => token.creationStack;
const lazy = () => Lazy.anyValue({ produce: () => 'x' });
const reference = () => {
  const stack = new TerraformStack(Testing.app(), 'stack');
  const id = new ResourceGroup(stack, 'rg', { name: 'rg', location: 'westeurope' }).id;
  return Tokenization.reverseString(id).firstToken!;
};

test('tokens made while traces are off have an empty creation stack; after restoring they have one again', () => {
  const original = traceModule.captureStackTrace;
  const restore = withoutTokenStackTraces();
  try {
    expect(creationStack(lazy())).toEqual([]);
    expect(creationStack(reference())).toEqual([]);
  } finally {
    restore();
  }
  expect(traceModule.captureStackTrace).toBe(original);
  expect(creationStack(lazy()).length).toBeGreaterThan(0);
  expect(creationStack(reference()).length).toBeGreaterThan(0);
  // Restoring twice changes nothing.
  restore();
  expect(traceModule.captureStackTrace).toBe(original);
});

test('a token that fails to resolve still fails with its message, without the creation stack', () => {
  const failing = () => Lazy.stringValue({ produce: () => { throw new Error('boom'); } });
  const stack = new TerraformStack(Testing.app(), 'stack');
  const restore = withoutTokenStackTraces();
  let withoutTrace: unknown;
  try {
    withoutTrace = failing();
  } finally {
    restore();
  }
  const resolve = (value: unknown) => Tokenization.resolve(value, { scope: stack, resolver: new DefaultTokenResolver(new StringConcat()) });
  expect(() => resolve(withoutTrace)).toThrow(/^Resolution error: boom\.$/);
  expect(() => resolve(failing())).toThrow(/^Resolution error: boom\.\nObject creation stack:\n {2}at /);
});

test.each([
  ['a synth', {}, 0],
  ['a synth that fails', { ENTRA_AUDIT_CONFIG: 'does/not/exist.yaml' }, 1],
  ['a synth with ENTRA_AUDIT_TOKEN_TRACES=1', { ENTRA_AUDIT_TOKEN_TRACES: '1' }, 0],
])('%s leaves cdktf as it found it', async (name, env, code) => {
  const original = traceModule.captureStackTrace;
  const status = await synth({
    projectDir: REPO_ROOT,
    env: { ENTRA_AUDIT_CONFIG: 'examples/minimal-dev/environments.yaml', CDKTF_OUTDIR: join(tmpdir(), `entra-traces-${process.pid}-${name.length}`), ...env },
    stdout: () => undefined,
    stderr: () => undefined,
  });
  expect(status).toBe(code);
  expect(traceModule.captureStackTrace).toBe(original);
});
