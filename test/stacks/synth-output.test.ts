/** publish: what it moves into the output folder, and which stack folders it treats as orphaned. */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { publish } from '../../stacks/synth-output';

const work = mkdtempSync(join(tmpdir(), 'entra-publish-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function write(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
}

/** An output folder from an earlier synth of `ids`, with Terraform working files, and a staging folder holding `staged`. */
function setUp(name: string, ids: readonly string[], staged: readonly string[]): { outdir: string; staging: string } {
  const outdir = join(work, name, 'cdktf.out');
  const staging = join(outdir, '.staging-1');
  for (const id of ids) {
    write(join(outdir, 'stacks', id, 'cdk.tf.json'), `old ${id}`);
    write(join(outdir, 'stacks', id, '.terraform.lock.hcl'), `lock ${id}`);
  }
  write(join(outdir, 'manifest.json'), '{"version":"0.21.0","stacks":{}}');
  const stacks: Record<string, unknown> = {};
  for (const id of staged) {
    write(join(staging, 'stacks', id, 'cdk.tf.json'), `new ${id}`);
    stacks[id] = { name: id, workingDirectory: `stacks/${id}`, synthesizedStackPath: `stacks/${id}/cdk.tf.json` };
  }
  write(join(staging, 'manifest.json'), JSON.stringify({ version: '0.21.0', stacks }));
  return { outdir, staging };
}

const read = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8') : undefined);

test('a full synth replaces every stack file and keeps the working files', () => {
  const { outdir, staging } = setUp('full', ['a', 'b'], ['a', 'b']);
  expect(publish(staging, outdir, ['a', 'b'])).toEqual({ stacks: ['a', 'b'], reports: [], orphaned: [] });
  expect(['a', 'b'].map((id) => [read(join(outdir, 'stacks', id, 'cdk.tf.json')), read(join(outdir, 'stacks', id, '.terraform.lock.hcl'))])).toEqual([
    ['new a', 'lock a'],
    ['new b', 'lock b'],
  ]);
  expect(JSON.parse(read(join(outdir, 'manifest.json'))!).stacks).toEqual({ a: expect.anything(), b: expect.anything() });
});

test('a sharded synth leaves the configured stacks it did not build as they were, not orphaned', () => {
  const { outdir, staging } = setUp('sharded', ['a', 'b', 'c'], ['b']);
  expect(publish(staging, outdir, ['a', 'b', 'c'])).toEqual({ stacks: ['b'], reports: [], orphaned: [] });
  expect(['a', 'b', 'c'].map((id) => read(join(outdir, 'stacks', id, 'cdk.tf.json')))).toEqual(['old a', 'new b', 'old c']);
  expect(Object.keys(JSON.parse(read(join(outdir, 'manifest.json'))!).stacks)).toEqual(['b']);
});

test('a folder of a stack no longer configured loses its cdk.tf.json, keeps its working files and is reported', () => {
  const { outdir, staging } = setUp('orphan', ['a', 'gone'], ['a']);
  expect(publish(staging, outdir, ['a', 'other'])).toEqual({ stacks: ['a'], reports: [], orphaned: ['gone'] });
  expect(read(join(outdir, 'stacks', 'gone', 'cdk.tf.json'))).toBeUndefined();
  expect(read(join(outdir, 'stacks', 'gone', '.terraform.lock.hcl'))).toBe('lock gone');
});
