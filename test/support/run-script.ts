/**
 * Runs a script of this repository as a child process, the way npm runs it: the compiled JavaScript
 * in dist/, with the build check preloaded (`node -r scripts/build/ensure-built.js dist/<script>.js`).
 * `test/support/global-setup.ts` brings dist/ up to date once before the tests start.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export const REPO_ROOT = join(__dirname, '..', '..');
/** tsx's loader by absolute URL: only for comparing the compiled app with the TypeScript sources run directly. */
export const TSX_IMPORT = pathToFileURL(require.resolve('tsx', { paths: [REPO_ROOT] })).href;
/** The build check the npm scripts preload, by absolute path so that scripts also run from another working folder. */
export const ENSURE_BUILT = join(REPO_ROOT, 'scripts', 'build', 'ensure-built.js');

/** The compiled file of a source file: `stacks/main.ts` → `<repo>/dist/stacks/main.js`. */
export function compiled(script: string): string {
  return join(REPO_ROOT, 'dist', script.replace(/\.ts$/, '.js'));
}

/** Node's arguments for running a source file (`stacks/main.ts`, `scripts/plan-summary.ts`) as its npm script does. */
export function nodeArgs(script: string, args: readonly string[] = []): string[] {
  return ['--disable-warning=DEP0044', '-r', ENSURE_BUILT, compiled(script), ...args];
}

export interface ScriptResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The environment scripts run in: the test's own, without what would change their output (CI sets GITHUB_SHA). */
function scriptEnv(extra: Readonly<Record<string, string>>): NodeJS.ProcessEnv {
  const { GITHUB_SHA: _sha, FORCE_COLOR: _force, ...env } = process.env;
  return { ...env, NO_COLOR: '1', ...extra };
}

/**
 * @param timeoutMs kills the script after this long; the call then throws (ETIMEDOUT), so a test of
 *   "never waits" fails instead of hanging. @default no limit
 * @param env variables added to (or replacing) the test's environment, which has NO_COLOR set and
 *   GITHUB_SHA and FORCE_COLOR removed.
 */
export function runScript(script: string, args: readonly string[], cwd: string = REPO_ROOT, timeoutMs?: number, env: Readonly<Record<string, string>> = {}): ScriptResult {
  const result = spawnSync(process.execPath, nodeArgs(script, args), {
    cwd,
    encoding: 'utf8',
    env: scriptEnv(env),
    maxBuffer: 64 * 1024 * 1024,
    timeout: timeoutMs,
    killSignal: 'SIGKILL',
  });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
