/**
 * Command-line plumbing shared by plan-summary and synth-diff: argument parsing, exit codes, output.
 */
import { colourEnabled, palette, type Palette } from '../io/colour';
import { InputError } from '../io/read-input';
import { OutputError, writeOutputFile } from '../io/write-output';
import { linkUrlProblem } from './markdown-text';
import { commitProblem } from './report';

/** Exit codes: 0 success (whatever the risks), 1 risks found with --fail-on-risk, 2 usage error, unreadable input or unwritable --out. */
export const EXIT_OK = 0;
export const EXIT_RISK = 1;
export const EXIT_USAGE = 2;

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface ArgSpec {
  /** Options without a value, e.g. `--fail-on-risk`. */
  readonly flags: readonly string[];
  /** Options with a value, e.g. `--out <file>`; may be repeated. */
  readonly options: readonly string[];
}

export interface ParsedArgs {
  readonly positionals: string[];
  readonly flags: Set<string>;
  readonly options: Map<string, string[]>;
}

/** Parses `--name value`, `--name=value` and flags; `--` ends options. Unknown options are usage errors. */
export function parseArgs(argv: readonly string[], spec: ArgSpec): ParsedArgs {
  const parsed: ParsedArgs = { positionals: [], flags: new Set(), options: new Map() };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--') {
      parsed.positionals.push(...argv.slice(i + 1));
      break;
    }
    if (arg === '-h') {
      parsed.flags.add('--help');
      continue;
    }
    if (!arg.startsWith('--') || arg === '-') {
      parsed.positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq >= 0 ? arg.slice(0, eq) : arg;
    if (spec.flags.includes(name)) {
      if (eq >= 0) throw new UsageError(`${name} takes no value, got ${JSON.stringify(arg)}`);
      parsed.flags.add(name);
    } else if (spec.options.includes(name)) {
      const value = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
      if (value === undefined || value === '') throw new UsageError(`${name} needs a value`);
      parsed.options.set(name, [...(parsed.options.get(name) ?? []), value]);
    } else {
      throw new UsageError(`unknown option ${name}; expected one of ${[...spec.flags, ...spec.options].join(', ')}`);
    }
  }
  return parsed;
}

/** The single value of an option, or undefined; a repeated single-valued option is a usage error. */
export function single(args: ParsedArgs, name: string): string | undefined {
  const values = args.options.get(name) ?? [];
  if (values.length > 1) throw new UsageError(`${name} may be given once, got ${values.length} times`);
  return values[0];
}

/** The value of `--full-plan-url`, checked: an https link that is safe to put into a comment. */
export function fullPlanUrlOption(args: ParsedArgs): string | undefined {
  const url = single(args, '--full-plan-url');
  if (url === undefined) return undefined;
  const problem = linkUrlProblem(url);
  if (problem) throw new UsageError(`--full-plan-url ${problem}; got ${JSON.stringify(url.length > 80 ? `${url.slice(0, 79)}…` : url)}`);
  return url;
}

/** What a command needs of its process: where stdout goes and the environment. Tests pass their own. */
export interface CommandContext {
  /** Whether stdout is a terminal. */
  readonly isTTY: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdout: (text: string) => void;
  /** Whether stderr is a terminal: progress lines are written only then. */
  readonly stderrIsTTY: boolean;
  readonly stderr: (text: string) => void;
}

export const PROCESS_CONTEXT: CommandContext = {
  get isTTY() {
    return process.stdout.isTTY === true;
  },
  get env() {
    return process.env;
  },
  stdout: (text) => process.stdout.write(text),
  get stderrIsTTY() {
    return process.stderr.isTTY === true;
  },
  stderr: (text) => process.stderr.write(text),
};

export type OutputFormat = 'text' | 'markdown';

/**
 * `--format text|markdown`; by default text when the output goes to a terminal (stdout is a TTY and
 * there is no `--out`), markdown otherwise (a pipe, a file, CI).
 */
export function formatOption(args: ParsedArgs, context: CommandContext): OutputFormat {
  const format = single(args, '--format');
  if (format === undefined) return context.isTTY && single(args, '--out') === undefined ? 'text' : 'markdown';
  if (format !== 'text' && format !== 'markdown') throw new UsageError(`--format must be text or markdown, got ${JSON.stringify(format.slice(0, 40))}`);
  return format;
}

/** The colours of text output: on for a terminal (see colourEnabled), off for `--out` unless FORCE_COLOR says otherwise. */
export function outputPalette(args: ParsedArgs, context: CommandContext): Palette {
  const toTerminal = context.isTTY && single(args, '--out') === undefined;
  return palette(colourEnabled({ isTTY: toTerminal }, context.env));
}

/** `--commit <sha>`, else GITHUB_SHA when set (GitHub Actions sets it to the commit the run checked out); lowercased. */
export function commitOption(args: ParsedArgs, context: CommandContext): string | undefined {
  const given = single(args, '--commit');
  if (given !== undefined) {
    if (commitProblem(given)) throw new UsageError(`--commit ${commitProblem(given)}, got ${JSON.stringify(given.slice(0, 80))}`);
    return given.toLowerCase();
  }
  const env = context.env.GITHUB_SHA;
  if (env === undefined || env === '') return undefined;
  if (commitProblem(env)) {
    throw new UsageError(`GITHUB_SHA ${commitProblem(env)}, got ${JSON.stringify(env.slice(0, 80))}; unset it or pass --commit <sha>`);
  }
  return env.toLowerCase();
}

/** Writes to `--out` when given (failures are OutputErrors), else to stdout. */
export function emit(text: string, out: string | undefined, context: CommandContext = PROCESS_CONTEXT): void {
  const body = text.endsWith('\n') ? text : `${text}\n`;
  if (out) writeOutputFile(out, body, { label: `--out ${out}` });
  else context.stdout(body);
}

/**
 * The exit code for an error a command could not recover from, after printing it: usage errors
 * with the help text, unreadable input and unwritable output with their one-line message, anything
 * else with its stack. Never EXIT_RISK, so that a crash cannot look like "risks found".
 */
export function exitCodeForError(tool: string, error: unknown, help: string, inputError: new (...args: never[]) => Error, context: CommandContext = PROCESS_CONTEXT): number {
  if (error instanceof UsageError) {
    context.stderr(`${tool}: ${error.message}\n\n${help}`);
  } else if (error instanceof inputError || error instanceof InputError || error instanceof OutputError) {
    context.stderr(`${tool}: ${error.message}\n`);
  } else {
    context.stderr(`${tool}: could not process the input: ${(error as Error).stack ?? String(error)}\n`);
  }
  return EXIT_USAGE;
}
