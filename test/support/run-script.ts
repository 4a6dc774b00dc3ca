/**
 * Runs a script of this repository as a child process, the way npm runs it (`node --import tsx`).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export const REPO_ROOT = join(__dirname, '..', '..');
/** tsx's loader by absolute URL, so that scripts also run from a working folder outside the repository. */
export const TSX_IMPORT = pathToFileURL(require.resolve('tsx', { paths: [REPO_ROOT] })).href;

export interface ScriptResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * @param timeoutMs kills the script after this long; the call then throws (ETIMEDOUT), so a test of
 *   "never waits" fails instead of hanging. @default no limit
 */
export function runScript(script: string, args: readonly string[], cwd: string = REPO_ROOT, timeoutMs?: number): ScriptResult {
  const result = spawnSync(process.execPath, ['--import', TSX_IMPORT, join(REPO_ROOT, script), ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
    maxBuffer: 64 * 1024 * 1024,
    timeout: timeoutMs,
    killSignal: 'SIGKILL',
  });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
