/**
 * Summarises Terraform plans for a pull-request comment, with an Audit risk section.
 *
 *   npm run --silent plan:summary -- <plan.json>... [--stack <name> for each file] [--out <file>]
 *                                     [--fail-on-risk] [--full-plan-url <url>]
 *
 * Exit codes: 0 success (whatever the risks), 1 with --fail-on-risk when risks exist,
 * 2 usage error, unreadable input or unwritable --out.
 */
import { formatBytes, readInputFile } from './lib/io/read-input';
import { EXIT_OK, EXIT_RISK, UsageError, emit, exitCodeForError, fullPlanUrlOption, parseArgs, single } from './lib/review/cli';
import { MAX_LINK_URL_CHARS } from './lib/review/markdown-text';
import { MAX_PLAN_DEPTH, PlanFormatError } from './lib/review/plan-json';
import { defaultStackName, summarisePlans, type PlanInput } from './lib/review/summarise';

/** The largest plan file read; a plan of one of this toolkit's stacks is well under 1 MiB. */
export const MAX_PLAN_BYTES = 32 * 1024 * 1024;
/** The most read from all plan files of one run together. */
export const MAX_PLANS_TOTAL_BYTES = 64 * 1024 * 1024;

export const HELP = `Usage: npm run --silent plan:summary -- <plan.json>... [options]

Summarises Terraform plans (\`terraform show -json <planfile>\`, format 1.x) as GitHub markdown:
per stack a hidden marker, an Audit risk section, the counts, a table of changed resources and
attribute-level details. Sensitive values are masked. The output stays under 65,536 characters.
Each plan file must be a regular UTF-8 file (a BOM is fine, UTF-16 is not) of at most ${formatBytes(MAX_PLAN_BYTES)},
${formatBytes(MAX_PLANS_TOTAL_BYTES)} for all files together, nested at most ${MAX_PLAN_DEPTH} levels.

Options:
  --stack <name>         Stack name for each plan file, in order (default: the file name, or its
                         folder for plan.json/tfplan.json). Give it once per file or not at all.
  --out <file>           Write the markdown to <file> instead of stdout.
  --fail-on-risk         Exit 1 when the Audit risk section is not empty.
  --full-plan-url <url>  Link to the full plan (e.g. the workflow run), shown when details are trimmed.
                         An https URL without user name or password, at most ${MAX_LINK_URL_CHARS} characters.
  -h, --help             Show this help.

Exit codes: 0 success (whatever the risks), 1 risks found with --fail-on-risk,
            2 usage error, unreadable input or unwritable --out.
`;

export function main(argv: readonly string[]): number {
  try {
    const args = parseArgs(argv, { flags: ['--help', '--fail-on-risk'], options: ['--stack', '--out', '--full-plan-url'] });
    if (args.flags.has('--help')) {
      process.stdout.write(HELP);
      return EXIT_OK;
    }
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
    const result = summarisePlans(inputs, { fullPlanUrl });
    emit(result.markdown, single(args, '--out'));
    return args.flags.has('--fail-on-risk') && result.findings.length > 0 ? EXIT_RISK : EXIT_OK;
  } catch (error) {
    return exitCodeForError('plan-summary', error, HELP, PlanFormatError);
  }
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
