/**
 * Runs plan-summary or synth-diff in this process, through the same `main` and argument handling as
 * `npm run plan:summary` / `npm run synth:diff`, with stdout and stderr captured: for the cases where
 * nothing depends on being a process (exit codes and output are the command's own). The tests that
 * need a process (a FIFO that must not block, the compiled entry point) use `runScript`.
 */
import type { CommandContext } from '../../scripts/lib/review/cli';
import { main as planSummary } from '../../scripts/plan-summary';
import { main as synthDiff } from '../../scripts/synth-diff';
import type { ScriptResult } from './run-script';

const COMMANDS: Record<string, (argv: readonly string[], context: CommandContext) => number> = {
  'scripts/plan-summary.ts': planSummary,
  'scripts/synth-diff.ts': synthDiff,
};

/**
 * `script` is the source path as `runScript` takes it. The environment is empty but for NO_COLOR (as
 * runScript's is for colour) and `env`; stdout is a pipe, stderr a terminal only with `stderrIsTTY`.
 */
export function runCommand(script: string, args: readonly string[], options: { readonly env?: Readonly<Record<string, string>>; readonly stderrIsTTY?: boolean } = {}): ScriptResult {
  const command = COMMANDS[script];
  if (!command) throw new Error(`runCommand: no in-process entry for ${script}; known: ${Object.keys(COMMANDS).join(', ')}`);
  let stdout = '';
  let stderr = '';
  const context: CommandContext = {
    isTTY: false,
    env: { NO_COLOR: '1', ...options.env },
    stdout: (t) => (stdout += t),
    stderrIsTTY: options.stderrIsTTY ?? false,
    stderr: (t) => (stderr += t),
  };
  const status = command(args, context);
  return { status, stdout, stderr };
}
