/**
 * `npm run --silent kql:check -- <file.kql>...`: checks each file (one query per file) with
 * Microsoft's Kusto language service against the table schemas the project knows, and prints
 * `file:line:col: message (code)` per problem.
 *
 * Exit status: 0 when every file is clean, 1 when any file has an error, 2 on usage errors (no
 * file given, unknown option, unreadable file, a file that is not a regular UTF-8 file or is
 * larger than KQL_FILE_MAX_BYTES).
 */
import { KQL_LIMITS, knownTables, validateKql } from '../constructs/internal/kql-validator';
import { InputError, readInputFile } from './lib/io/read-input';

/**
 * Largest file read: eight times the per-query limit, so an over-long query is still reported
 * with its position, while a file that is clearly not a query is not read at all.
 */
export const KQL_FILE_MAX_BYTES = 256 * 1024;

const USAGE = `Usage: npm run --silent kql:check -- [--warnings] <file.kql>...

Checks each KQL file (one query per file) with Microsoft's Kusto language service against the
Log Analytics table schemas of this project, and prints file:line:col: message (code) per problem.

Options:
  --warnings   also report the service's warnings (they do not change the exit status)
  -h, --help   show this help

Limits: a file is a regular UTF-8 file of at most ${KQL_FILE_MAX_BYTES / 1024} KiB (a UTF-8 BOM is fine); a query is at
most ${KQL_LIMITS.maxQueryChars} characters with brackets nested at most ${KQL_LIMITS.maxNestingDepth} deep, one query statement (let
statements before it are fine), no management command (.drop, .set, ...); checking one query stops
after ${KQL_LIMITS.maxAnalysisMs / 1000} s; at most ${KQL_LIMITS.maxDiagnostics} problems are listed per file.

Exit status: 0 all files clean, 1 an error in any file, 2 usage error (no files, unreadable file,
not a regular file, too large, not UTF-8).
Known tables: ${knownTables().join(', ')}.
`;

export interface KqlCheckIo {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  readonly readFile: (path: string) => string;
}

/** The command, as a function of its arguments; returns the exit status. */
export function runKqlCheck(args: readonly string[], io: KqlCheckIo): number {
  const files: string[] = [];
  let warnings = false;
  let endOfOptions = false;
  for (const arg of args) {
    if (!endOfOptions && (arg === '-h' || arg === '--help')) {
      io.out(USAGE);
      return 0;
    }
    if (!endOfOptions && arg === '--') {
      endOfOptions = true;
      continue;
    }
    if (!endOfOptions && arg === '--warnings') {
      warnings = true;
      continue;
    }
    if (!endOfOptions && arg.startsWith('-')) {
      io.err(`kql-check: unknown option ${arg}\n\n${USAGE}`);
      return 2;
    }
    files.push(arg);
  }
  if (files.length === 0) {
    io.err(`kql-check: no file given\n\n${USAGE}`);
    return 2;
  }

  const texts = new Map<string, string>();
  let unreadable = false;
  for (const file of files) {
    try {
      texts.set(file, io.readFile(file));
    } catch (e) {
      io.err(e instanceof InputError ? e.message : `${file}: cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      unreadable = true;
    }
  }
  if (unreadable) return 2;

  let errors = 0;
  for (const [file, text] of texts) {
    if (text.replace(/\/\/.*$/gm, '').trim() === '') {
      io.out(`${file}:1:1: the file holds no query (KQLV002)`);
      errors++;
      continue;
    }
    for (const d of validateKql(text, { includeWarnings: warnings })) {
      const label = d.severity === 'Error' ? '' : `${d.severity.toLowerCase()}: `;
      io.out(`${file}:${d.line}:${d.column}: ${label}${d.message} (${d.code})`);
      if (d.severity === 'Error') errors++;
    }
  }
  return errors > 0 ? 1 : 0;
}

/** The command's input and output: files read within the limits, lines written to the given streams. */
export function commandIo(stdout: (text: string) => void, stderr: (text: string) => void): KqlCheckIo {
  const line = (text: string) => (text.endsWith('\n') ? text : `${text}\n`);
  return {
    out: (text) => stdout(line(text)),
    err: (text) => stderr(line(text)),
    readFile: (path) => readInputFile(path, { maxBytes: KQL_FILE_MAX_BYTES, expected: 'a KQL query file' }),
  };
}

if (require.main === module) {
  process.exitCode = runKqlCheck(
    process.argv.slice(2),
    commandIo((text) => process.stdout.write(text), (text) => process.stderr.write(text)),
  );
}
