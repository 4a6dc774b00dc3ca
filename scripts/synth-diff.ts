/**
 * Compares two synthesized cdktf outputs resource by resource, with the plan summary's counts, tables
 * and Audit risk section, and, given the two configuration files, the setting behind each change.
 * Needs no Terraform, state or credentials (works on pull requests from forks).
 *
 *   npm run --silent synth:diff -- <base cdktf.out> <head cdktf.out> [--base-config <file> --head-config <file>]
 *                                  [--out <file>] [--format text|markdown] [--commit <sha>] [--fail-on-risk]
 *
 * Exit codes: 0 success (whatever the risks), 1 with --fail-on-risk when risks exist,
 * 2 usage error, unreadable input or unwritable --out.
 */
import { ConfigError } from '../stacks/config-error';
import { readConfigFile } from '../stacks/config-input';
import { formatBytes } from './lib/io/read-input';
import {
  EXIT_OK,
  EXIT_RISK,
  PROCESS_CONTEXT,
  UsageError,
  commitOption,
  emit,
  exitCodeForError,
  formatOption,
  fullPlanUrlOption,
  outputPalette,
  parseArgs,
  single,
  type CommandContext,
} from './lib/review/cli';
import type { ConfigSource } from './lib/review/config-attribution';
import { MAX_LINK_URL_CHARS } from './lib/review/markdown-text';
import { summariseSynthDiff, type SynthDiffOptions } from './lib/review/summarise';
import { MAX_STACK_FILE_BYTES, MAX_SYNTH_DEPTH, MAX_SYNTH_TOTAL_BYTES, ReadBudget, SynthFormatError, readSynthOutput } from './lib/review/synth-output';

export const HELP = `Usage: npm run --silent synth:diff -- <base cdktf.out> <head cdktf.out> [options]

Compares two synthesized cdktf outputs (<dir>/stacks/<stack>/cdk.tf.json) resource by resource: an
Audit risk section with the next step, then per changed stack the counts, the changed resources (by
construct path, e.g. Storage/Lifecycle) and their attribute-level changes. Stacks without changes
are counted, not shown; stacks added or removed are reported. An existing empty base directory
counts as "no stacks" (for a base branch that cannot be synthesized).
With --base-config and --head-config, each change and risk is put under the configuration setting
that causes it (tenants.<tenant>.environments.<env>.<setting>: before → after), measured by
synthesizing the base configuration with each changed setting in memory.
Each cdk.tf.json must be a regular UTF-8 file of at most ${formatBytes(MAX_STACK_FILE_BYTES)}, ${formatBytes(MAX_SYNTH_TOTAL_BYTES)} for all
stacks of both outputs together, nested at most ${MAX_SYNTH_DEPTH} levels. Sensitive values are masked.

Options:
  --base-config <file>   The configuration file the base output was synthesized from.
  --head-config <file>   The configuration file the head output was synthesized from. Give both or neither.
  --out <file>           Write the output to <file> instead of stdout.
  --format <format>      text or markdown (default: text when stdout is a terminal and there is
                         no --out, markdown otherwise). Text is coloured on a terminal unless
                         NO_COLOR is set; FORCE_COLOR colours it anywhere.
  --commit <sha>         The commit of the head output (7–40 hexadecimal digits), shown at the top
                         (default: $GITHUB_SHA when set).
  --fail-on-risk         Exit 1 when the Audit risk section is not empty.
  --full-plan-url <url>  Link shown when details are trimmed (e.g. the workflow run).
                         An https URL without user name or password, at most ${MAX_LINK_URL_CHARS} characters.
  -h, --help             Show this help.

Exit codes: 0 success (whatever the risks), 1 risks found with --fail-on-risk,
            2 usage error, unreadable input or unwritable --out.
`;

/** Reads a configuration file within the configuration's own bounds; a problem is an input error naming the option. */
function readConfigOption(option: string, file: string): ConfigSource {
  try {
    return { file, text: readConfigFile(file, `give ${option} the configuration file (stacks/environments.yaml or ENTRA_AUDIT_CONFIG) the output was synthesized from`) };
  } catch (error) {
    if (error instanceof ConfigError) throw new SynthFormatError(`${option} ${error.message}`);
    throw error;
  }
}

/** The attribution step for --base-config/--head-config, with a progress line on a terminal's stderr. */
function attribution(args: ReturnType<typeof parseArgs>, head: ReturnType<typeof readSynthOutput>, context: CommandContext): SynthDiffOptions['attribute'] {
  const baseFile = single(args, '--base-config');
  const headFile = single(args, '--head-config');
  if (baseFile === undefined && headFile === undefined) return undefined;
  if (baseFile === undefined || headFile === undefined) {
    throw new UsageError(`--base-config and --head-config go together; only ${baseFile === undefined ? '--head-config' : '--base-config'} was given`);
  }
  const base = readConfigOption('--base-config', baseFile);
  const headConfig = readConfigOption('--head-config', headFile);
  // Loaded only when asked for: it synthesizes stacks, so it loads the constructs and the provider bindings.
  const { attributeToSettings } = require('./lib/review/config-attribution') as typeof import('./lib/review/config-attribution');
  const progress = context.stderrIsTTY ? (done: number, total: number) => context.stderr(`\r\x1b[2Ksynth-diff: relating changes to settings: ${done}/${total} in-memory syntheses`) : undefined;
  return (stacks, findings) => {
    try {
      return attributeToSettings(stacks, findings, { base, head: headConfig, headOutput: head, progress });
    } catch (error) {
      if (error instanceof ConfigError) throw new SynthFormatError(`--head-config ${error.message}`);
      throw error;
    } finally {
      if (progress) context.stderr('\r\x1b[2K');
    }
  };
}

export function main(argv: readonly string[], context: CommandContext = PROCESS_CONTEXT): number {
  try {
    const args = parseArgs(argv, {
      flags: ['--help', '--fail-on-risk'],
      options: ['--out', '--full-plan-url', '--format', '--commit', '--base-config', '--head-config'],
    });
    if (args.flags.has('--help')) {
      context.stdout(HELP);
      return EXIT_OK;
    }
    if (args.positionals.length !== 2) {
      throw new UsageError(`expected two directories, <base cdktf.out> and <head cdktf.out>, got ${args.positionals.length} argument(s)`);
    }
    const [baseDir, headDir] = args.positionals;
    const format = formatOption(args, context);
    const commit = commitOption(args, context);
    const fullPlanUrl = fullPlanUrlOption(args);
    const budget = new ReadBudget();
    const base = readSynthOutput(baseDir, budget);
    const head = readSynthOutput(headDir, budget);
    const attribute = attribution(args, head, context);
    const result = summariseSynthDiff(base, head, { fullPlanUrl, commit, palette: outputPalette(args, context), attribute });
    emit(format === 'text' ? result.text : result.markdown, single(args, '--out'), context);
    return args.flags.has('--fail-on-risk') && result.findings.length > 0 ? EXIT_RISK : EXIT_OK;
  } catch (error) {
    return exitCodeForError('synth-diff', error, HELP, SynthFormatError, context);
  }
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
