/**
 * Summarises Terraform plans for a pull-request comment, with an Audit risk section.
 *
 *   npm run --silent plan:summary -- <plan.json>... [--stack <name> for each file] [--out <file>]
 *                                     [--fail-on-risk] [--full-plan-url <url>]
 *
 * Exit codes: 0 success (whatever the risks), 1 with --fail-on-risk when risks exist,
 * 2 usage error or unreadable input.
 */
import { readFileSync } from 'node:fs';
import { EXIT_OK, EXIT_RISK, UsageError, emit, exitCodeForError, parseArgs, single } from './lib/review/cli';
import { PlanFormatError } from './lib/review/plan-json';
import { defaultStackName, summarisePlans, type PlanInput } from './lib/review/summarise';

export const HELP = `Usage: npm run --silent plan:summary -- <plan.json>... [options]

Summarises Terraform plans (\`terraform show -json <planfile>\`, format 1.x) as GitHub markdown:
per stack a hidden marker, an Audit risk section, the counts, a table of changed resources and
attribute-level details. Sensitive values are masked. The output stays under 65,536 characters.

Options:
  --stack <name>         Stack name for each plan file, in order (default: the file name, or its
                         folder for plan.json/tfplan.json). Give it once per file or not at all.
  --out <file>           Write the markdown to <file> instead of stdout.
  --fail-on-risk         Exit 1 when the Audit risk section is not empty.
  --full-plan-url <url>  Link to the full plan (e.g. the workflow run), shown when details are trimmed.
  -h, --help             Show this help.

Exit codes: 0 success (whatever the risks), 1 risks found with --fail-on-risk,
            2 usage error or unreadable input.
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
    const inputs: PlanInput[] = args.positionals.map((file, i) => {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (error) {
        throw new PlanFormatError(`${file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
      }
      return { text, label: file, stack: stacks[i] ?? defaultStackName(file) };
    });
    const names = inputs.map((input) => input.stack);
    const duplicate = names.find((name, i) => names.indexOf(name) !== i);
    if (duplicate) throw new UsageError(`stack name ${JSON.stringify(duplicate)} is used twice; give each plan file its own --stack`);
    const result = summarisePlans(inputs, { fullPlanUrl: single(args, '--full-plan-url') });
    emit(result.markdown, single(args, '--out'));
    return args.flags.has('--fail-on-risk') && result.findings.length > 0 ? EXIT_RISK : EXIT_OK;
  } catch (error) {
    return exitCodeForError('plan-summary', error, HELP, PlanFormatError);
  }
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
