/**
 * Compares two synthesized cdktf outputs resource by resource, with the plan summary's counts, tables
 * and Audit risk section. Needs no Terraform, state or credentials (works on pull requests from forks).
 *
 *   npm run --silent synth:diff -- <base cdktf.out> <head cdktf.out> [--out <file>] [--fail-on-risk]
 *
 * Exit codes: 0 success (whatever the risks), 1 with --fail-on-risk when risks exist,
 * 2 usage error, unreadable input or unwritable --out.
 */
import { formatBytes } from './lib/io/read-input';
import { EXIT_OK, EXIT_RISK, UsageError, emit, exitCodeForError, fullPlanUrlOption, parseArgs, single } from './lib/review/cli';
import { MAX_LINK_URL_CHARS } from './lib/review/markdown-text';
import { summariseSynthDiff } from './lib/review/summarise';
import { MAX_STACK_FILE_BYTES, MAX_SYNTH_DEPTH, MAX_SYNTH_TOTAL_BYTES, ReadBudget, SynthFormatError, readSynthOutput } from './lib/review/synth-output';

export const HELP = `Usage: npm run --silent synth:diff -- <base cdktf.out> <head cdktf.out> [options]

Compares two synthesized cdktf outputs (<dir>/stacks/<stack>/cdk.tf.json) resource by resource and
writes GitHub markdown: an Audit risk section, then per stack the counts, a table of changed
resources and attribute-level details. Stacks added or removed are reported. An existing empty
base directory counts as "no stacks" (for a base branch that cannot be synthesized).
Each cdk.tf.json must be a regular UTF-8 file of at most ${formatBytes(MAX_STACK_FILE_BYTES)}, ${formatBytes(MAX_SYNTH_TOTAL_BYTES)} for all
stacks of both outputs together, nested at most ${MAX_SYNTH_DEPTH} levels. Sensitive values are masked.

Options:
  --out <file>           Write the markdown to <file> instead of stdout.
  --fail-on-risk         Exit 1 when the Audit risk section is not empty.
  --full-plan-url <url>  Link shown when details are trimmed (e.g. the workflow run).
                         An https URL without user name or password, at most ${MAX_LINK_URL_CHARS} characters.
  -h, --help             Show this help.

Exit codes: 0 success (whatever the risks), 1 risks found with --fail-on-risk,
            2 usage error, unreadable input or unwritable --out.
`;

export function main(argv: readonly string[]): number {
  try {
    const args = parseArgs(argv, { flags: ['--help', '--fail-on-risk'], options: ['--out', '--full-plan-url'] });
    if (args.flags.has('--help')) {
      process.stdout.write(HELP);
      return EXIT_OK;
    }
    if (args.positionals.length !== 2) {
      throw new UsageError(`expected two directories, <base cdktf.out> and <head cdktf.out>, got ${args.positionals.length} argument(s)`);
    }
    const [baseDir, headDir] = args.positionals;
    const fullPlanUrl = fullPlanUrlOption(args);
    const budget = new ReadBudget();
    const result = summariseSynthDiff(readSynthOutput(baseDir, budget), readSynthOutput(headDir, budget), { fullPlanUrl });
    emit(result.markdown, single(args, '--out'));
    return args.flags.has('--fail-on-risk') && result.findings.length > 0 ? EXIT_RISK : EXIT_OK;
  } catch (error) {
    return exitCodeForError('synth-diff', error, HELP, SynthFormatError);
  }
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
