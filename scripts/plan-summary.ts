/**
 * Summarises Terraform plans for a pull-request comment (markdown) or a terminal (text), with an
 * Audit risk section and the reviewer's next step.
 *
 *   npm run --silent plan:summary -- <plan.json>... [--stack <name> for each file] [--out <file>]
 *                                     [--format text|markdown] [--commit <sha>]
 *                                     [--fail-on-risk] [--full-plan-url <url>]
 *
 * Exit codes: 0 success (whatever the risks), 1 with --fail-on-risk when risks exist,
 * 2 usage error, unreadable input or unwritable --out.
 */
import { formatBytes, readInputFile } from './lib/io/read-input';
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
import { MAX_LINK_URL_CHARS } from './lib/review/markdown-text';
import { MAX_PLAN_DEPTH, PlanFormatError } from './lib/review/plan-json';
import { defaultStackName, summarisePlans, type PlanInput } from './lib/review/summarise';

/** The largest plan file read; a plan of one of this toolkit's stacks is well under 1 MiB. */
export const MAX_PLAN_BYTES = 32 * 1024 * 1024;
/** The most read from all plan files of one run together. */
export const MAX_PLANS_TOTAL_BYTES = 64 * 1024 * 1024;

export const HELP = `Usage: npm run --silent plan:summary -- <plan.json>... [options]

Summarises Terraform plans (\`terraform show -json <planfile>\`, format 1.x) for a reviewer: per stack
an Audit risk section, the next step, the counts, the changed resources and their attribute-level
changes. Markdown for a pull-request comment (a hidden marker per stack; stays under 65,536
characters) or plain text for a terminal. Sensitive values are masked in both.
Each plan file must be a regular UTF-8 file (a BOM is fine, UTF-16 is not) of at most ${formatBytes(MAX_PLAN_BYTES)},
${formatBytes(MAX_PLANS_TOTAL_BYTES)} for all files together, nested at most ${MAX_PLAN_DEPTH} levels.

Options:
  --stack <name>         Stack name for each plan file, in order (default: the file name, or its
                         folder for plan.json/tfplan.json). Give it once per file or not at all.
  --out <file>           Write the output to <file> instead of stdout.
  --format <format>      text or markdown (default: text when stdout is a terminal and there is
                         no --out, markdown otherwise). Text is coloured on a terminal unless
                         NO_COLOR is set; FORCE_COLOR colours it anywhere.
  --commit <sha>         The commit the plans were made from (7–40 hexadecimal digits), shown at
                         the top (default: $GITHUB_SHA when set).
  --fail-on-risk         Exit 1 when the Audit risk section is not empty.
  --full-plan-url <url>  Link to the full plan (e.g. the workflow run), shown when details are trimmed.
                         An https URL without user name or password, at most ${MAX_LINK_URL_CHARS} characters.
  -h, --help             Show this help.

Exit codes: 0 success (whatever the risks), 1 risks found with --fail-on-risk,
            2 usage error, unreadable input or unwritable --out.
`;

export function main(argv: readonly string[], context: CommandContext = PROCESS_CONTEXT): number {
  try {
    const args = parseArgs(argv, { flags: ['--help', '--fail-on-risk'], options: ['--stack', '--out', '--full-plan-url', '--format', '--commit'] });
    if (args.flags.has('--help')) {
      context.stdout(HELP);
      return EXIT_OK;
    }
    const format = formatOption(args, context);
    const commit = commitOption(args, context);
    if (args.positionals.length === 0) throw new UsageError('no plan file given');
    const stacks = args.options.get('--stack') ?? [];
    if (stacks.length > 0 && stacks.length !== args.positionals.length) {
      throw new UsageError(`--stack must be given once per plan file: ${args.positionals.length} file(s), ${stacks.length} --stack`);
    }
    const names = args.positionals.map((file, i) => stacks[i] ?? defaultStackName(file));
    const duplicate = names.find((name, i) => names.indexOf(name) !== i);
    if (duplicate) throw new UsageError(`stack name ${JSON.stringify(duplicate)} is used twice; give each plan file its own --stack`);
    const fullPlanUrl = fullPlanUrlOption(args);
    let total = 0;
    const inputs: PlanInput[] = args.positionals.map((file, i) => {
      const text = readInputFile(file, { maxBytes: MAX_PLAN_BYTES, expected: 'the output of `terraform show -json <planfile>`' });
      total += Buffer.byteLength(text, 'utf8');
      if (total > MAX_PLANS_TOTAL_BYTES) {
        throw new PlanFormatError(`${file}: the plan files read so far add up to more than ${formatBytes(MAX_PLANS_TOTAL_BYTES)}, the limit for one run; summarise fewer plans per run`);
      }
      return { text, label: file, stack: names[i] };
    });
    const result = summarisePlans(inputs, { fullPlanUrl, commit, palette: outputPalette(args, context) });
    emit(format === 'text' ? result.text : result.markdown, single(args, '--out'), context);
    return args.flags.has('--fail-on-risk') && result.findings.length > 0 ? EXIT_RISK : EXIT_OK;
  } catch (error) {
    return exitCodeForError('plan-summary', error, HELP, PlanFormatError, context);
  }
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
