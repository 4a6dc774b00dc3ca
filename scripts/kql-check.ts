/**
 * `npm run --silent kql:check -- <file.kql>...`: checks each file (one query per file) with
 * Microsoft's Kusto language service against the table schemas the project knows, and prints
 * `file:line:col: message (code)` per problem.
 *
 * Exit status: 0 when every file is clean, 1 when any file has an error, 2 on usage errors (no
 * file given, unknown option, unreadable file).
 */
import { readFileSync } from 'fs';
import { knownTables, validateKql } from '../constructs/internal/kql-validator';
import { colourEnabled, NO_COLOUR, palette, type Palette } from './lib/io/colour';

const USAGE = `Usage: npm run --silent kql:check -- [--warnings] <file.kql>...

Checks each KQL file (one query per file) with Microsoft's Kusto language service against the
Log Analytics table schemas of this project, and prints file:line:col: message (code) per problem.

Options:
  --warnings   also report the service's warnings (they do not change the exit status)
  -h, --help   show this help

Exit status: 0 all files clean, 1 an error in any file, 2 usage error (no files, unreadable file).
Known tables: ${knownTables().join(', ')}.
`;

export interface KqlCheckIo {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  readonly readFile: (path: string) => string;
  /** Colours for `out` (a terminal); @default none */
  readonly palette?: Palette;
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
      io.err(`${file}: cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      unreadable = true;
    }
  }
  if (unreadable) return 2;

  const p = io.palette ?? NO_COLOUR;
  let errors = 0;
  for (const [file, text] of texts) {
    if (text.replace(/\/\/.*$/gm, '').trim() === '') {
      io.out(`${p.bold(`${file}:1:1:`)} ${p.red('the file holds no query')} ${p.dim('(KQLV002)')}`);
      errors++;
      continue;
    }
    for (const d of validateKql(text, { includeWarnings: warnings })) {
      const error = d.severity === 'Error';
      const message = error ? p.red(d.message) : `${p.yellow(`${d.severity.toLowerCase()}:`)} ${d.message}`;
      io.out(`${p.bold(`${file}:${d.line}:${d.column}:`)} ${message} ${p.dim(`(${d.code})`)}`);
      if (error) errors++;
    }
  }
  return errors > 0 ? 1 : 0;
}

if (require.main === module) {
  process.exitCode = runKqlCheck(process.argv.slice(2), {
    out: (line) => process.stdout.write(line.endsWith('\n') ? line : `${line}\n`),
    err: (line) => process.stderr.write(line.endsWith('\n') ? line : `${line}\n`),
    readFile: (path) => readFileSync(path, 'utf8'),
    palette: palette(colourEnabled(process.stdout)),
  });
}
