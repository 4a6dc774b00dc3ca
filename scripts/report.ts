/**
 * Writes the coverage report of each stack without synthesizing: the same report `npm run synth`
 * writes into `cdktf.out/reports/`, and also for a configuration that violates its compliance profiles.
 *
 *   npm run --silent report                              # every stack's report, markdown, on stdout
 *   npm run --silent report -- --stack contoso-prod --json
 *   npm run --silent report -- --out review/reports      # <stack>.md, <stack>.json and index.md
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'cdktf';
import { SUPPRESSION_HINT } from '../constructs/compliance/entra-compliance';
import { closest } from '../constructs/internal/validation';
import { ConfigError, CONFIG_ENV_VAR, DEFAULT_CONFIG_PATH, loadConfig } from '../stacks/config';
import { EntraAuditStack } from '../stacks/entra-audit-stack';
import { isReportFile, reportFiles } from '../stacks/report/files';
import { renderReportMarkdown } from '../stacks/report/markdown';
import { coverageReport } from '../stacks/report/model';

export const HELP = `Usage: npm run --silent report -- [--stack <id>]... [--json] [--out <folder>]

Writes the coverage report of each stack of the configuration (${DEFAULT_CONFIG_PATH}, or the file
named by ${CONFIG_ENV_VAR}) without synthesizing: what is collected, where and for how long, the
detections, the reader app and the compliance results. npm run synth writes the same reports into
cdktf.out/reports/; unlike synth, this also reports a configuration that violates its profiles.

Options:
  --stack <id>     Only this stack; give it once per stack. Default: every stack.
  --json           On stdout, JSON (one array) instead of markdown.
  --out <folder>   Write <stack>.md, <stack>.json and index.md into <folder> (created if missing)
                   instead of stdout. A file there that is not such a report is never overwritten.
  -h, --help       Show this help.

Exit codes: 0 every reported stack meets its profiles, 1 a compliance violation (the reports are
            still written) or an invalid configuration, 2 usage error or an unwritable --out.
`;

class UsageError extends Error {}

interface Options {
  readonly stacks: string[];
  readonly json: boolean;
  readonly out?: string;
  readonly help: boolean;
}

function parse(argv: readonly string[]): Options {
  const stacks: string[] = [];
  let json = false;
  let out: string | undefined;
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') help = true;
    else if (arg === '--json') json = true;
    else if (arg === '--stack' || arg === '--out') {
      const value = argv[i + 1];
      if (value === undefined || value.startsWith('-')) throw new UsageError(`${arg} needs a value`);
      i++;
      if (arg === '--stack') stacks.push(value);
      else if (out !== undefined) throw new UsageError('--out given twice');
      else out = value;
    } else throw new UsageError(`unknown argument ${JSON.stringify(arg)}`);
  }
  return { stacks, json, out, help };
}

/** Where the command reads its configuration path and writes its output; the process by default. */
export interface ReportIo {
  /** ENTRA_AUDIT_CONFIG is read from it. */
  readonly env: NodeJS.ProcessEnv;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

const PROCESS_IO: ReportIo = {
  env: process.env,
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

export function main(argv: readonly string[], io: ReportIo = PROCESS_IO): number {
  let options: Options;
  try {
    options = parse(argv);
  } catch (e) {
    io.stderr(`report: ${(e as Error).message}\n\n${HELP}`);
    return 2;
  }
  if (options.help) {
    io.stdout(HELP);
    return 0;
  }
  const file = io.env[CONFIG_ENV_VAR] || DEFAULT_CONFIG_PATH;
  let plans;
  try {
    plans = loadConfig(file);
  } catch (e) {
    io.stderr(`${e instanceof ConfigError ? e.message : String((e as Error).message ?? e)}\n`);
    return 1;
  }
  const ids = plans.map((p) => p.id);
  for (const id of options.stacks) {
    if (!ids.includes(id)) {
      const hint = closest(id, ids);
      io.stderr(`report: --stack ${JSON.stringify(id)} is not a stack of ${file}${hint ? ` (did you mean ${JSON.stringify(hint)}?)` : ''}; its stacks: ${ids.join(', ')}\n`);
      return 2;
    }
  }
  // The app needs a folder; nothing is synthesized into it, and it is removed again.
  const scratch = mkdtempSync(join(tmpdir(), 'entra-report-'));
  try {
    const app = new App({ outdir: scratch });
    const selected = plans.filter((p) => options.stacks.length === 0 || options.stacks.includes(p.id));
    const stacks = selected.map((plan) => new EntraAuditStack(app, plan, { enforceCompliance: false }));
    const reports = stacks.map(coverageReport);
    const violations = stacks.flatMap((s) => s.compliance.evaluate(s).result.violations);
    if (options.out !== undefined) {
      const error = writeInto(options.out, reportFiles(reports));
      if (error) {
        io.stderr(`report: ${error}\n`);
        return 2;
      }
      io.stdout(`Wrote the coverage reports of ${reports.map((r) => r.stack).join(', ')} into ${options.out}\n`);
    } else if (options.json) {
      io.stdout(`${JSON.stringify(reports, null, 2)}\n`);
    } else {
      io.stdout(reports.map(renderReportMarkdown).join('\n'));
    }
    if (violations.length > 0) {
      io.stderr(`${violations.length} compliance violation(s); npm run synth fails on them:\n${violations.map((v) => `  - ${v}`).join('\n')}\n${SUPPRESSION_HINT}\n`);
      return 1;
    }
    return 0;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Writes the files into `folder`; refuses (before writing anything) to replace a file that is not a report. */
function writeInto(folder: string, files: Record<string, string>): string | undefined {
  const names = Object.keys(files);
  if (existsSync(folder) && !statSync(folder).isDirectory()) return `--out ${folder} is not a folder; give a folder to write the reports into`;
  for (const name of names) {
    const target = join(folder, name);
    if (existsSync(target) && !isReportFile(target)) return `${target} exists and is not a coverage report; it is not overwritten. Move it, or choose another --out folder`;
  }
  try {
    mkdirSync(folder, { recursive: true });
    for (const name of names) writeFileSync(join(folder, name), files[name]);
  } catch (e) {
    return `cannot write into ${folder}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`;
  }
  return undefined;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
