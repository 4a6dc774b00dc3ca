/**
 * `npm run --silent kql:check -- <file.kql>...`: checks each file (one query per file) with
 * Microsoft's Kusto language service against the table schemas the project knows, and prints
 * `file:line:col: message (code)` per problem.
 *
 * Tables and functions outside the known schemas are declared with `--schema <Table.json>`,
 * `--external-table <Name>` and `--external-function <Name>`.
 *
 * Exit status: 0 when every file is clean, 1 when any file has an error, 2 on usage errors (no
 * file given, unknown option, unreadable file, a file that is not a regular UTF-8 file or is
 * larger than KQL_FILE_MAX_BYTES, a schema or external name that cannot be declared).
 */
import { externalsProblems, KQL_LIMITS, KqlExternals, knownTables, LogTableSchema, validateKql } from '../constructs/internal/kql-validator';
import { colourEnabled, NO_COLOUR, palette, type Palette } from './lib/io/colour';
import { InputError, readInputFile } from './lib/io/read-input';

/**
 * Largest file read: eight times the per-query limit, so an over-long query is still reported
 * with its position, while a file that is clearly not a query is not read at all.
 */
export const KQL_FILE_MAX_BYTES = 256 * 1024;

/** Largest schema file read with --schema (a table of a few hundred columns is about 20 KiB). */
export const SCHEMA_FILE_MAX_BYTES = 256 * 1024;

const USAGE = `Usage: npm run --silent kql:check -- [options] <file.kql>...

Checks each KQL file (one query per file) with Microsoft's Kusto language service against the
Log Analytics table schemas of this project, and prints file:line:col: message (code) per problem.
A function over table(name) is checked at each call with the table it is called with.

Options:
  --warnings                  also report the service's warnings (they do not change the exit status)
  --schema <Table.json>       declare a table with its columns ({"name", "source", "columns": [{"name", "type"}]},
                              the format of constructs/internal/log-table-schemas/): checked like the known ones
  --external-table <Name>     declare a table whose columns are not known: nothing read from it is checked
  --external-function <Name>  declare a function (_GetWatchlist, an ASIM parser) taking any arguments and
                              returning a table whose columns are not known: nothing read from it is checked
  -h, --help                  show this help
The three declaring options can be repeated.

Limits: a file is a regular UTF-8 file of at most ${KQL_FILE_MAX_BYTES / 1024} KiB (a UTF-8 BOM is fine); a query is at
most ${KQL_LIMITS.maxQueryChars} characters with brackets nested at most ${KQL_LIMITS.maxNestingDepth} deep, one query statement (let
statements before it are fine), no management command (.drop, .set, ...); checking one query stops
after ${KQL_LIMITS.maxAnalysisMs / 1000} s; at most ${KQL_LIMITS.maxDiagnostics} problems are listed per file.

Exit status: 0 all files clean, 1 an error in any file, 2 usage error (no files, unreadable file,
not a regular file, too large, not UTF-8, a schema or external name that cannot be declared).
Known tables: ${knownTables().join(', ')}.
`;

export interface KqlCheckIo {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  readonly readFile: (path: string) => string;
  /** Colours for `out` (a terminal); @default none */
  readonly palette?: Palette;
  /** Reads a --schema file. */
  readonly readSchema: (path: string) => string;
}

const VALUE_OPTIONS = ['--schema', '--external-table', '--external-function'] as const;

/** The command, as a function of its arguments; returns the exit status. */
export function runKqlCheck(args: readonly string[], io: KqlCheckIo): number {
  const files: string[] = [];
  const schemaFiles: string[] = [];
  const externalTables: string[] = [];
  const externalFunctions: string[] = [];
  let warnings = false;
  let endOfOptions = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (!endOfOptions && (arg === '-h' || arg === '--help')) {
      io.out(USAGE);
      return 0;
    }
    if (!endOfOptions && (VALUE_OPTIONS as readonly string[]).includes(arg)) {
      const value = args[i + 1];
      if (value === undefined || value.startsWith('-')) {
        io.err(`kql-check: ${arg} needs a value${arg === '--schema' ? ' (a JSON schema file)' : ' (a KQL name)'}\n\n${USAGE}`);
        return 2;
      }
      i++;
      if (arg === '--schema') schemaFiles.push(value);
      else if (arg === '--external-table') externalTables.push(value);
      else externalFunctions.push(value);
      continue;
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

  const schemas: LogTableSchema[] = [];
  let badSchema = false;
  for (const path of schemaFiles) {
    try {
      const parsed = JSON.parse(io.readSchema(path)) as unknown;
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new SyntaxError('not a JSON object');
      schemas.push(parsed as LogTableSchema);
    } catch (e) {
      io.err(
        e instanceof InputError
          ? e.message
          : e instanceof SyntaxError
            ? `${path}: is not a table schema (${e.message}); expected {"name": "Table", "source": "...", "columns": [{"name": "Column", "type": "string"}]}`
            : `${path}: cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
      );
      badSchema = true;
    }
  }
  if (badSchema) return 2;
  const externals: KqlExternals = { schemas, tables: externalTables, functions: externalFunctions };
  const declarationProblems = externalsProblems(externals);
  if (declarationProblems.length > 0) {
    for (const problem of declarationProblems) io.err(`kql-check: ${problem}`);
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

  const p = io.palette ?? NO_COLOUR;
  let errors = 0;
  for (const [file, text] of texts) {
    if (text.replace(/\/\/.*$/gm, '').trim() === '') {
      io.out(`${p.bold(`${file}:1:1:`)} ${p.red('the file holds no query')} ${p.dim('(KQLV002)')}`);
      errors++;
      continue;
    }
    for (const d of validateKql(text, { includeWarnings: warnings, externals })) {
      const error = d.severity === 'Error';
      const message = error ? p.red(d.message) : `${p.yellow(`${d.severity.toLowerCase()}:`)} ${d.message}`;
      io.out(`${p.bold(`${file}:${d.line}:${d.column}:`)} ${message} ${p.dim(`(${d.code})`)}`);
      if (error) errors++;
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
    palette: palette(colourEnabled(process.stdout)),
    readSchema: (path) => readInputFile(path, { maxBytes: SCHEMA_FILE_MAX_BYTES, expected: 'a table schema JSON file' }),
  };
}

if (require.main === module) {
  process.exitCode = runKqlCheck(
    process.argv.slice(2),
    commandIo((text) => process.stdout.write(text), (text) => process.stderr.write(text)),
  );
}
