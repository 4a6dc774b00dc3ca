/**
 * The compiled app (`dist/stacks/main.js`, what `npm run synth` and `cdktf.json` run) writes exactly
 * what the TypeScript sources write when run directly with tsx: every file of the output folder, byte
 * for byte, on the example (whose alert rules read the catalog's `.kql` files next to the compiled
 * code). That the compiled code finds the table schemas is shown by `kql:check` end to end
 * (test/scripts/kql-check.test.ts); `test/stacks/synth-shortcuts.test.ts` synthesizes every example.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { nodeArgs, REPO_ROOT, TSX_IMPORT } from '../support/run-script';

const work = mkdtempSync(join(tmpdir(), 'entra-compiled-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function tree(dir: string): Record<string, Buffer> {
  const out: Record<string, Buffer> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else out[relative(dir, path)] = readFileSync(path);
    }
  };
  walk(dir);
  return out;
}

/** Runs the app in its own project folder (the same relative layout for both runs, so local state paths agree). */
function run(how: 'compiled' | 'tsx', config: string): Record<string, Buffer> {
  const project = join(work, `${how}-${config.replace(/\W+/g, '-')}`);
  mkdirSync(project);
  const args = how === 'compiled' ? nodeArgs('stacks/main.ts') : ['--disable-warning=DEP0044', '--import', TSX_IMPORT, join(REPO_ROOT, 'stacks', 'main.ts')];
  const result = spawnSync(process.execPath, args, {
    cwd: project,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, CHECKPOINT_DISABLE: '1', ENTRA_AUDIT_CONFIG: join(REPO_ROOT, config), CDKTF_OUTDIR: 'cdktf.out', ENTRA_AUDIT_STACKS: '' },
  });
  expect([how, result.status, result.stderr.split('\n').filter((l) => l && !l.startsWith('Warning: '))]).toEqual([how, 0, []]);
  return tree(join(project, 'cdktf.out'));
}

test.each(['stacks/environments.yaml'])('%s: the compiled app writes what tsx running the sources writes', (config) => {
  const compiled = run('compiled', config);
  const direct = run('tsx', config);
  expect(Object.keys(compiled).filter((f) => f.endsWith('cdk.tf.json')).length).toBeGreaterThan(0);
  expect(Object.keys(compiled)).toEqual(Object.keys(direct));
  for (const file of Object.keys(compiled)) expect([file, compiled[file].equals(direct[file])]).toEqual([file, true]);
});

test('cdktf.json runs the app as `npm run synth` does, and `npm ci` builds it', () => {
  const app = (JSON.parse(readFileSync(join(REPO_ROOT, 'cdktf.json'), 'utf8')) as { app: string }).app;
  const scripts = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  expect(app).toBe(scripts.synth);
  expect(app).toBe(`node ${nodeArgs('stacks/main.ts').map((a) => (a.startsWith(REPO_ROOT) ? `./${relative(REPO_ROOT, a)}` : a)).join(' ').replace('./dist/', 'dist/')}`);
  // The build first; then, on a Node the cdktf CLI cannot run on, a note (never a failure).
  expect(scripts.prepare).toBe('node scripts/build/build.js && node scripts/cdktf-cli.js --notice');
});
