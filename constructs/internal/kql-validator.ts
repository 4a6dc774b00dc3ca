/**
 * KQL validation with Microsoft's Kusto language service (`@kusto/language-service-next`, the
 * JavaScript build of `Kusto.Language`, the parser and binder behind the Log Analytics editor).
 *
 * The service knows the tables in `./log-table-schemas/*.json` (copies of the Azure Monitor table
 * reference, each file citing its source in `source`), so it reports syntax errors and semantic
 * errors: unknown table (KS204), unknown column or name (KS142), unknown function (KS211), wrong
 * argument count or types (KS119, KS106, ...).
 *
 * `let` functions are checked at each call: the service binds a function's body again for every
 * call site with the call's arguments (its "call site expansion"), so `table(tableName)` inside
 * `let f = (tableName: string) { table(tableName) | ... }` reads SigninLogs in `f("SigninLogs")`
 * and every column after it is checked against that table. Problems found in an expansion are
 * reported at their place in the function's body, naming the call(s) they come from.
 *
 * One cause, one message: a table or function the validator does not know (KS204, KS211) and a
 * `table()` whose name cannot be known when checking ({@link UNKNOWN_TABLE_NAME_CODE}) each get one
 * diagnostic; the columns read from them, which the service binds to the `unknown` type, are then
 * not reported one by one. Only when nothing else explains them are such columns reported
 * ({@link UNKNOWN_TYPE_CODE}). Tables and functions outside the schema set (IdentityInfo,
 * `_GetWatchlist`, ASIM parsers) can be declared with {@link ValidateKqlOptions.externals}: as a
 * schema (checked like the built-in ones) or by name only (open: nothing read from it is checked).
 *
 * Before the service sees a query, a linear pre-check refuses what the service must not be given
 * (see {@link KQL_LIMITS}): text longer than `maxQueryChars`, brackets nested deeper than
 * `maxNestingDepth` (the service's parser and binder take time quadratic in the nesting: 5,000 `(`
 * took 10 s, 20,000 took 130 s), management commands (`.drop table T`, `.set T <| ...`: text
 * starting with `.`) and several tabular expression statements separated by `;` (an alert runs
 * one query; `let` and `set` statements before it are fine). A query refused there is not analysed.
 *
 * Cost: about 1.5 s for the first query in a process (script load, global state, lazy
 * initialisation), then a few to a few tens of milliseconds per query, growing with its size and
 * its function calls (docs/alerts.md, "Cost", gives the measured figures and the command).
 * Everything is loaded lazily on the first call.
 *
 * The service is an optional peer dependency of the published library (`entra-audit-logging`): this
 * repository always has it, an app that installs the library may not. {@link kustoServiceAvailable}
 * says whether it can be loaded; without it, validateKql and the functions that bind a query throw a
 * {@link KustoServiceMissingError} naming the package and version to install. Results are memoised
 * per query and options (see {@link MAX_MEMOISED_ANALYSES}): 200 stacks with the same workbook
 * analyse each of its queries once.
 *
 * All Kusto objects are typed `any` on purpose: the bundled typings are 1.7 MB and name methods
 * that differ from the runtime (`Bridge.ToArray` vs `Bridge.toArray`); this module is the only
 * place that touches them.
 */
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { runInThisContext } from 'vm';
import { PRECHECK_CODES, precheckKql } from './kql-precheck';
import { closest } from './validation';

/** One problem found in a query. Line and column are 1-based. */
export interface KqlDiagnostic {
  /** 1-based line of the start of the problem. */
  readonly line: number;
  /** 1-based column (in UTF-16 code units) of the start of the problem. */
  readonly column: number;
  /** The service's diagnostic code (`KS142`, ...) or {@link UNKNOWN_TYPE_CODE}. */
  readonly code: string;
  /** `Error` or `Warning` (as the service names them). */
  readonly severity: string;
  /** The service's message. */
  readonly message: string;
  /** 0-based offset of the problem in the query text. */
  readonly offset: number;
  /** Length of the offending text (may be 0, e.g. for a missing expression). */
  readonly length: number;
}

export interface ValidateKqlOptions {
  /**
   * Also report the service's warnings (e.g. performance hints). Errors are always reported.
   * @default false
   */
  readonly includeWarnings?: boolean;
  /**
   * Milliseconds the analysis may take (tests lower it).
   * @default KQL_LIMITS.maxAnalysisMs
   */
  readonly maxAnalysisMs?: number;
  /**
   * Tables and functions the query may use beyond the built-in schemas.
   * @default - none: only the tables in `log-table-schemas/` are known
   */
  readonly externals?: KqlExternals;
  /**
   * Which tables the query runs against: a Log Analytics workspace, or Azure Resource Graph (for
   * workbook items that read `alertsmanagementresources`). Externals apply to Log Analytics only.
   * @default 'logAnalytics'
   */
  readonly database?: KqlDatabase;
}

/** The table sets the validator knows: Log Analytics (`log-table-schemas/`) or Azure Resource Graph (`resource-graph-schemas/`). */
export type KqlDatabase = 'logAnalytics' | 'resourceGraph';

/**
 * Declarations of tables and functions outside the built-in schema set (Microsoft Sentinel's
 * IdentityInfo or `_GetWatchlist`, ASIM parsers, tables of other solutions).
 */
export interface KqlExternals {
  /**
   * Tables with their columns, in the format of `log-table-schemas/*.json`: checked like the built-in ones.
   * @default - none
   */
  readonly schemas?: readonly LogTableSchema[];
  /**
   * Table names whose columns are not known: the query may read them, nothing read from them is checked.
   * @default - none
   */
  readonly tables?: readonly string[];
  /**
   * Function names (`_GetWatchlist`, `_Im_Authentication`) taking any arguments and returning a
   * table whose columns are not known: nothing read from them is checked.
   * @default - none
   */
  readonly functions?: readonly string[];
}

/**
 * Code of the diagnostic raised for a column reference whose type the service could not determine,
 * when no unknown table, function or table name explains it.
 */
export const UNKNOWN_TYPE_CODE = 'KQLV001';
/**
 * `table(name)` where `name` has no value when checking (a parameter of a function called with a
 * non-literal, a computed string): nothing read from that table can be checked.
 */
export const UNKNOWN_TABLE_NAME_CODE = 'KQLV009';
/** The query is longer than {@link KQL_LIMITS}.maxQueryChars. */
export const QUERY_TOO_LONG_CODE = PRECHECK_CODES.tooLong;
/** The text is (or holds) a management command such as `.drop table T`. */
export const MANAGEMENT_COMMAND_CODE = PRECHECK_CODES.managementCommand;
/** The text holds more than one tabular expression statement. */
export const SEVERAL_QUERIES_CODE = PRECHECK_CODES.severalQueries;
/** Brackets are nested deeper than {@link KQL_LIMITS}.maxNestingDepth. */
export const NESTING_TOO_DEEP_CODE = PRECHECK_CODES.nestingTooDeep;
/** Stands for the problems beyond {@link KQL_LIMITS}.maxDiagnostics. */
export const MORE_PROBLEMS_CODE = 'KQLV007';

/**
 * Bounds on what is given to the Kusto service. The largest catalog query is about 3,000
 * characters (`constructs/entra-alert-rules/queries/*.kql`, rendered) and nests brackets 4 deep;
 * the limits sit an order of magnitude above. Worst cases measured at these limits stay within
 * seconds (see docs/security-verify-kql.md for the figures and the command).
 */
export const KQL_LIMITS = {
  /** Characters (UTF-16 code units) in one query. */
  maxQueryChars: 32_768,
  /** Depth of nested `(`, `[` and `{` outside strings and comments. */
  maxNestingDepth: 64,
  /** Problems reported per query; the rest are counted in one last diagnostic. */
  maxDiagnostics: 50,
  /**
   * Milliseconds the service may spend binding and diagnosing one query (it takes 10-15 ms for a
   * catalog query once loaded; `let t1 = union t0, t0; let t2 = union t1, t1; ...` doubles with each
   * line). Parsing cannot be interrupted: the size and nesting limits bound it.
   */
  maxAnalysisMs: 5_000,
} as const;

/** The analysis of a query ran out of {@link KQL_LIMITS}.maxAnalysisMs. */
export const ANALYSIS_TIMEOUT_CODE = 'KQLV008';

/** One table schema as stored in `log-table-schemas/<Table>.json`. */
export interface LogTableSchema {
  readonly name: string;
  readonly source: string;
  readonly columns: readonly { readonly name: string; readonly type: string }[];
}

const SCHEMA_DIRS: Readonly<Record<KqlDatabase, string>> = {
  logAnalytics: join(__dirname, 'log-table-schemas'),
  resourceGraph: join(__dirname, 'resource-graph-schemas'),
};

const schemaCache = new Map<KqlDatabase, ReadonlyMap<string, LogTableSchema>>();

/** Every table schema of `database` (default: Log Analytics), by table name (read once from the JSON files). */
export function logTableSchemas(database: KqlDatabase = 'logAnalytics'): ReadonlyMap<string, LogTableSchema> {
  let schemas = schemaCache.get(database);
  if (!schemas) {
    const map = new Map<string, LogTableSchema>();
    const dir = SCHEMA_DIRS[database];
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
      const schema = JSON.parse(readFileSync(join(dir, file), 'utf8')) as LogTableSchema;
      map.set(schema.name, schema);
    }
    schemas = map;
    schemaCache.set(database, schemas);
  }
  return schemas;
}

/** Names of the tables known to the validator in `database` (default: Log Analytics), sorted. */
export function knownTables(database: KqlDatabase = 'logAnalytics'): string[] {
  return [...logTableSchemas(database).keys()].sort();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

interface KustoRuntime {
  readonly Kusto: Any;
  readonly Bridge: Any;
  readonly globals: Any;
}

let runtime: KustoRuntime | undefined;

/** The npm package of the Kusto language service. */
export const KUSTO_SERVICE_PACKAGE = '@kusto/language-service-next';
/**
 * The version of {@link KUSTO_SERVICE_PACKAGE} the queries are checked with: the one the repository's
 * package.json pins (a test keeps the two equal, and the library's optional peer range around it).
 */
export const KUSTO_SERVICE_VERSION = '12.4.1';
/** The scripts of the service, loaded in this order (they define the globals Bridge, System and Kusto). */
const KUSTO_SCRIPTS = ['bridge.min.js', 'Kusto.Language.Bridge.min.js'] as const;

/** The command that installs the service in an app that uses the library. */
export const KUSTO_INSTALL_COMMAND = `npm install --save-dev ${KUSTO_SERVICE_PACKAGE}@${KUSTO_SERVICE_VERSION}`;

/** Thrown when a query has to be analysed and the Kusto language service is not installed. */
export class KustoServiceMissingError extends Error {
  constructor(readonly reason: string) {
    super(
      `Checking KQL needs the Kusto language service (${KUSTO_SERVICE_PACKAGE}), which is not installed (${reason}); ` +
        `install it in the app: ${KUSTO_INSTALL_COMMAND}`,
    );
    this.name = 'KustoServiceMissingError';
  }
}

/** Finds a file of the service package: `require.resolve` by default. */
export type KustoServiceResolver = (request: string) => string;

const defaultResolver: KustoServiceResolver = (request) => require.resolve(request);
let resolveService: KustoServiceResolver = defaultResolver;
/** Where the service's scripts are, or why they cannot be found (looked up once per resolver). */
let serviceLookup: { readonly paths: readonly string[] } | { readonly missing: string } | undefined;

/**
 * Replaces how the service's scripts are found; `undefined` restores `require.resolve`. A seam for
 * tests, which simulate an app without the service with a resolver that throws.
 */
export function setKustoServiceResolver(resolver: KustoServiceResolver | undefined): void {
  resolveService = resolver ?? defaultResolver;
  serviceLookup = undefined;
}

function lookUpService(): { readonly paths: readonly string[] } | { readonly missing: string } {
  if (!serviceLookup) {
    try {
      serviceLookup = { paths: KUSTO_SCRIPTS.map((script) => resolveService(`${KUSTO_SERVICE_PACKAGE}/${script}`)) };
    } catch (error) {
      const text = error instanceof Error ? error.message : String(error);
      serviceLookup = { missing: text.split('\n')[0] };
    }
  }
  return serviceLookup;
}

/**
 * Whether the Kusto language service can be loaded. Constructs check their built-in queries only when
 * it can (the test suite checks them against the same service), and refuse user KQL when it cannot.
 */
export function kustoServiceAvailable(): boolean {
  return 'paths' in lookUpService();
}

/** Throws {@link KustoServiceMissingError} unless the service can be loaded; returns its scripts. */
function servicePaths(): readonly string[] {
  const found = lookUpService();
  if ('missing' in found) throw new KustoServiceMissingError(found.missing);
  return found.paths;
}

/** A table symbol from a schema; throws on a column type the service does not know. */
function tableSymbol(Kusto: Any, schema: LogTableSchema, where: string): Any {
  const Symbols = Kusto.Language.Symbols;
  const columns = schema.columns.map((c) => {
    const type = Symbols.ScalarTypes.GetSymbol(c.type);
    if (!type) throw new Error(`${where}: column ${c.name} has unknown type ${c.type}`);
    return new Symbols.ColumnSymbol(c.name, type, null, null, null, null);
  });
  return new Symbols.TableSymbol.$ctor4(schema.name, columns);
}

function loadRuntime(): KustoRuntime {
  // Asked every time (it is memoised): a test that replaces the resolver sees the service as missing
  // even after an earlier test loaded it.
  const paths = servicePaths();
  if (runtime) return runtime;
  // Side-effect scripts, in this order; they define the globals Bridge, System and Kusto
  // (reference/kusto-language-service.md "Loading"). They are run with vm.runInThisContext, i.e.
  // in Node's main context even when this module itself runs inside a sandbox such as a jest test
  // environment: the Bridge.NET runtime reads globals constantly, which is about twice as slow
  // through a sandbox's global proxy, and a process then loads the service only once.
  const realm = (code: string): Any => runInThisContext(code);
  if (realm('typeof Kusto') === 'undefined' || realm('typeof Bridge') === 'undefined') {
    for (const path of paths) runInThisContext(readFileSync(path, 'utf8'), { filename: path });
  }
  const Kusto = realm('Kusto');
  const Bridge = realm('Bridge');
  const tables = [...logTableSchemas().values()].map((schema) => tableSymbol(Kusto, schema, `log-table-schemas/${schema.name}.json`));
  const database = new Kusto.Language.Symbols.DatabaseSymbol.ctor('workspace', tables);
  const globals = Kusto.Language.GlobalState.Default.WithDatabase(database);
  // The service initialises itself lazily on its first analysis (about 1 s): do that here, so that
  // it is not counted against the first query's maxAnalysisMs.
  Kusto.Language.KustoCode.ParseAndAnalyze('let f = (t: string) { table(t) | take 1 }; f("SigninLogs") | where TimeGenerated > ago(1h)', globals).GetDiagnostics();
  runtime = { Kusto, Bridge, globals };
  return runtime;
}

const NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Why `externals` cannot be declared (a name that is not a KQL identifier, a name declared twice
 * or already built in, a schema with a bad column), or undefined when it can. One line per problem.
 */
export function externalsProblems(externals: KqlExternals): string[] {
  const problems: string[] = [];
  const seen = new Set<string>(logTableSchemas().keys());
  const claim = (name: unknown, what: string) => {
    if (typeof name !== 'string' || !NAME_PATTERN.test(name)) {
      problems.push(`${what} ${JSON.stringify(name)} is not a KQL name (letters, digits and _, not starting with a digit)`);
    } else if (seen.has(name)) {
      problems.push(`${what} ${name} is ${logTableSchemas().has(name) ? 'a built-in table already' : 'declared twice'}`);
    }
    if (typeof name === 'string') seen.add(name);
  };
  const types = new Set(['string', 'datetime', 'int', 'long', 'real', 'bool', 'dynamic', 'guid', 'timespan', 'decimal']);
  for (const schema of externals.schemas ?? []) {
    claim(schema?.name, 'table schema');
    if (!Array.isArray(schema?.columns) || schema.columns.length === 0) {
      problems.push(`table schema ${String(schema?.name)} has no columns: give "columns": [{"name": ..., "type": ...}]`);
      continue;
    }
    for (const c of schema.columns) {
      if (typeof c?.name !== 'string' || c.name === '') problems.push(`table schema ${schema.name} has a column without a name`);
      else if (!types.has(c.type)) problems.push(`table schema ${schema.name} column ${c.name} has type ${JSON.stringify(c.type)}; expected one of ${[...types].join(', ')}`);
    }
  }
  for (const name of externals.tables ?? []) claim(name, 'external table');
  for (const name of externals.functions ?? []) claim(name, 'external function');
  return problems;
}

const globalsCache = new Map<string, Any>();
let resourceGraph: Any;

/** The global state with the Azure Resource Graph tables of `resource-graph-schemas/` (built once). */
function resourceGraphGlobals(Kusto: Any, globals: Any): Any {
  if (resourceGraph) return resourceGraph;
  const tables = [...logTableSchemas('resourceGraph').values()].map((schema) => tableSymbol(Kusto, schema, `resource-graph-schemas/${schema.name}.json`));
  resourceGraph = globals.WithDatabase(new Kusto.Language.Symbols.DatabaseSymbol.ctor('resourcegraph', tables));
  return resourceGraph;
}

/** The global state with `externals` declared (cached: a process checks many files with the same set). */
function globalsFor(externals: KqlExternals | undefined, database: KqlDatabase = 'logAnalytics'): Any {
  const { Kusto, globals } = loadRuntime();
  if (database === 'resourceGraph') return resourceGraphGlobals(Kusto, globals);
  if (!externals || ((externals.schemas ?? []).length + (externals.tables ?? []).length + (externals.functions ?? []).length) === 0) return globals;
  const key = JSON.stringify([externals.schemas ?? [], externals.tables ?? [], externals.functions ?? []]);
  const cached = globalsCache.get(key);
  if (cached) return cached;
  const problems = externalsProblems(externals);
  if (problems.length > 0) throw new Error(`Cannot declare the external tables and functions: ${problems.join('; ')}`);
  const Symbols = Kusto.Language.Symbols;
  const members: Any[] = [];
  for (const schema of externals.schemas ?? []) members.push(tableSymbol(Kusto, schema, `table schema ${schema.name}`));
  for (const name of externals.tables ?? []) members.push(new Symbols.TableSymbol.$ctor4(name, []).WithIsOpen(true));
  const anyArguments = new Symbols.Parameter.ctor('arguments', Symbols.ParameterTypeKind.Scalar, Symbols.ArgumentKind.Expression, null, null, false, null, 0, 64, null, null);
  for (const name of externals.functions ?? []) {
    members.push(new Symbols.FunctionSymbol.$ctor5(name, new Symbols.TableSymbol.ctor([]).WithIsOpen(true), [anyArguments]));
  }
  const declared = globals.WithDatabase(globals.Database.AddMembers(members));
  if (globalsCache.size >= 8) globalsCache.delete(globalsCache.keys().next().value as string);
  globalsCache.set(key, declared);
  return declared;
}

/**
 * Offsets of the start of every line, for offset → line:column. A line ends at `\n`, `\r\n` or a
 * lone `\r`; a UTF-8 byte order mark at the start is not a column.
 */
function lineStarts(text: string): number[] {
  const starts = [text.charCodeAt(0) === 0xfeff ? 1 : 0];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) starts.push(i + 1);
  }
  return starts;
}

function position(starts: readonly number[], offset: number): { line: number; column: number } {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: Math.max(0, offset - starts[lo]) + 1 };
}

type Analysis = { readonly collected: Collected; readonly timedOut: false } | { readonly collected: undefined; readonly timedOut: true };

/**
 * Analyses kept per process, least recently used dropped first. A stack checks about 20 workbook
 * queries and its custom detections; 200 stacks with the same workbook repeat the same texts, which
 * are then analysed once. Each entry holds the query text (at most {@link KQL_LIMITS}.maxQueryChars)
 * and what was found in it.
 */
export const MAX_MEMOISED_ANALYSES = 512;

const analyses = new Map<string, Analysis>();
let analysesRun = 0;

/** How many queries the service has analysed in this process (memoised results are not counted). */
export function kqlAnalysisCount(): number {
  return analysesRun;
}

/**
 * Parses and binds `query` and collects its problems, giving up after `maxAnalysisMs`.
 * `KustoCode.ParseAndAnalyze` drops its cancellation token in this build (it passes a default one
 * on to `KustoCode.Create`), so the steps are spelled out here with the token passed through; the
 * binder checks it at every node. Results are memoised per query and options (a time-out too: the
 * same query would run out of time again), so validateKql, referencedTables and queryResultColumns
 * on the same query, in any number of stacks, analyse it once.
 */
function analyse(query: string, maxAnalysisMs: number, externals: KqlExternals | undefined, includeWarnings: boolean, database: KqlDatabase = 'logAnalytics'): Analysis {
  const key = JSON.stringify([query, maxAnalysisMs, externals ?? null, includeWarnings, database]);
  const { Kusto } = loadRuntime();
  const memoised = analyses.get(key);
  if (memoised) {
    analyses.delete(key);
    analyses.set(key, memoised);
    return memoised;
  }
  const globals = globalsFor(externals, database);
  const deadline = Date.now() + maxAnalysisMs;
  const token = new Kusto.Language.Utils.CancellationToken.$ctor1(() => Date.now() > deadline);
  let result: Analysis;
  try {
    const options = globals.ParseOptions.WithAlwaysProduceEndTokens(true);
    const g = globals.WithParseOptions(options);
    const tokens = Kusto.Language.Parsing.TokenParser.ParseTokens(query, options);
    const code = Kusto.Language.KustoCode.Create(query, g, tokens, Kusto.Language.KustoCode.GetTokenStarts(tokens), true, token);
    // Diagnostics are computed lazily: compute them (and the call-site expansions) now, under the same deadline.
    const openExternals = new Set([...(externals?.tables ?? []), ...(externals?.functions ?? [])]);
    result = { collected: collect(query, code, includeWarnings, token, openExternals, database), timedOut: false };
  } catch (error) {
    // Bridge.NET exceptions render as `System.OperationCanceledException: The operation was canceled.`
    if (!String(error).startsWith('System.OperationCanceledException')) throw error;
    result = { collected: undefined, timedOut: true };
  }
  analysesRun++;
  if (analyses.size >= MAX_MEMOISED_ANALYSES) analyses.delete(analyses.keys().next().value as string);
  analyses.set(key, result);
  return result;
}

/** At most this many call-site expansions are examined per query (each is one function body bound again). */
const MAX_EXPANSIONS = 256;
/** Calls nested deeper than this inside function bodies are not examined. */
const MAX_EXPANSION_DEPTH = 16;

/** A problem found in the main query or in a function body expanded at a call site (offsets in the query text). */
interface Finding {
  readonly code: string;
  readonly severity: string;
  readonly message: string;
  readonly offset: number;
  readonly length: number;
  /** The expansions that showed it; empty when only the query's own binding did. */
  readonly paths: Path[];
  direct: boolean;
}

/** How a tree was reached: through which calls (offsets) into which declarations (start offsets). */
interface Path {
  /** The outermost call, as `f("SigninLogs"), line 6`; undefined for the query's own tree. */
  readonly call: string | undefined;
  /** Offsets (in the query text) of the calls along the way. */
  readonly points: readonly number[];
  /** Start offsets of the declarations expanded along the way. */
  readonly chain: readonly number[];
}

/** Something bound to the unknown type or an unknown table name, with the expanded declarations it was seen through. */
interface Unresolved {
  readonly offset: number;
  readonly length: number;
  readonly text: string;
  readonly path: Path;
}

/** What one walk over a bound query (and its call-site expansions) found. */
interface Collected {
  readonly findings: Finding[];
  readonly unknownColumns: Unresolved[];
  readonly unknownTableNames: Unresolved[];
  /** Declarations (function bodies) bound at some call site: start offset → end offset. */
  readonly expanded: Map<number, number>;
  /** Known tables read, directly or through table("Name") in an expansion. */
  readonly tables: Set<string>;
  /** Whether the query uses an external declared by name only (its columns are not known). */
  usesOpenExternal: boolean;
  /** Columns of the query's result, when it is tabular. */
  readonly resultColumns: { readonly name: string; readonly type: string }[];
}

function collect(query: string, code: Any, includeWarnings: boolean, token: Any, openExternals: ReadonlySet<string>, database: KqlDatabase): Collected {
  const { Kusto, Bridge } = loadRuntime();
  const Syntax = Kusto.Language.Syntax;
  const Symbols = Kusto.Language.Symbols;
  const TableFunction = Kusto.Language.Functions.Table;
  const known = logTableSchemas(database);
  const starts = lineStarts(query);
  const out: Collected = { findings: [], unknownColumns: [], unknownTableNames: [], expanded: new Map(), tables: new Set(), usesOpenExternal: false, resultColumns: [] };
  const result = code.ResultType;
  if (result && result.Columns) {
    for (const c of Bridge.toArray(result.Columns) as Any[]) out.resultColumns.push({ name: String(c.Name), type: String(c.Type?.Name ?? 'unknown') });
  }
  const byKey = new Map<string, Finding>();
  /** How offsets of each tree map to offsets of the query text. */
  const maps = new Map<Any, (offset: number) => number>([[code.Syntax, (o: number) => o]]);
  let budget = MAX_EXPANSIONS;

  const callLabel = (start: number, end: number): string => {
    const text = query.slice(start, end).replace(/\s+/g, ' ').trim();
    return `${text.length > 80 ? `${text.slice(0, 77)}...` : text}, line ${position(starts, start).line}`;
  };

  const visit = (root: Any, map: (o: number) => number, path: Path, depth: number): void => {
    const { call } = path;
    const diagnostics = call === undefined
      ? code.GetDiagnostics(token)
      : root.GetContainedDiagnostics(Syntax.DiagnosticsInclude.Syntactic | Syntax.DiagnosticsInclude.Semantic, token);
    for (const d of Bridge.toArray(diagnostics) as Any[]) {
      const severity = String(d.Severity);
      if (severity !== 'Error' && !(includeWarnings && severity === 'Warning')) continue;
      const offset = map(d.Start);
      const key = `${d.Code}@${offset}:${d.Length}:${d.Message}`;
      let finding = byKey.get(key);
      if (!finding) {
        finding = { code: String(d.Code), severity, message: String(d.Message), offset, length: d.Length, paths: [], direct: false };
        byKey.set(key, finding);
        out.findings.push(finding);
      }
      if (call === undefined) finding.direct = true;
      else finding.paths.push(path);
    }
    Syntax.SyntaxElement.WalkNodes(
      root,
      (node: Any) => {
        if (node instanceof Syntax.NameReference) {
          const symbol = node.ReferencedSymbol;
          if (!symbol) return;
          if (openExternals.has(String(symbol.Name)) && symbol.Kind !== Symbols.SymbolKind.Column) out.usesOpenExternal = true;
          if (symbol.Kind === Symbols.SymbolKind.Column && symbol.Type === Symbols.ScalarTypes.Unknown) {
            out.unknownColumns.push({ offset: map(node.TextStart), length: node.Width, text: String(node.SimpleName), path });
          } else if (symbol.Kind === Symbols.SymbolKind.Table && known.has(String(symbol.Name))) {
            out.tables.add(String(symbol.Name));
          }
          return;
        }
        if (!(node instanceof Syntax.FunctionCallExpression)) return;
        const result = node.ResultType;
        if (node.ReferencedSymbol === TableFunction) {
          const name = result ? String(result.Name ?? '') : '';
          if (name === '') {
            const offset = map(node.TextStart);
            out.unknownTableNames.push({ offset, length: node.Width, text: query.slice(offset, offset + node.Width), path });
          } else if (known.has(name)) {
            out.tables.add(name);
          }
          return;
        }
        const declaration = node.ReferencedSignature?.Declaration;
        const body = declaration ? node.GetCalledFunctionBody() : null;
        if (!body || depth >= MAX_EXPANSION_DEPTH || budget <= 0) return;
        const declarationMap = maps.get(declaration.Root);
        if (!declarationMap) return;
        budget--;
        const declarationStart = declarationMap(declaration.TextStart);
        out.expanded.set(declarationStart, declarationMap(declaration.End));
        const bodyMap = (o: number) => declarationMap(o - body.TextStart + declaration.TextStart);
        maps.set(body, bodyMap);
        const at = map(node.TextStart);
        visit(body, bodyMap, { call: call ?? callLabel(at, map(node.End)), points: [...path.points, at], chain: [...path.chain, declarationStart] }, depth + 1);
      },
      null,
    );
  };
  visit(code.Syntax, (o) => o, { call: undefined, points: [], chain: [] }, 0);
  return out;
}

/**
 * Whether something at `offset`, reached through `path`, was seen in the unexpanded form of a
 * function body (its own or a caller's) that is also bound at a call site: its problems are then
 * the call sites' to report, with the real arguments.
 */
function seenThroughExpansion(offset: number, path: Path, expanded: ReadonlyMap<number, number>): boolean {
  for (const point of [...path.points, offset]) {
    for (const [start, end] of expanded) {
      if (point >= start && point < end && !path.chain.includes(start)) return true;
    }
  }
  return false;
}

const UNKNOWN_NAME_CODES = new Set(['KS204', 'KS211']);
const DECLARE_HINT =
  'add its schema to constructs/internal/log-table-schemas/ (with its source), or declare it: kql:check --schema <Table.json> (columns checked), --external-table <Name> or --external-function <Name> (nothing read from it checked); see docs/alerts.md, "Checking KQL"';

function render(starts: readonly number[], f: Pick<Finding, 'code' | 'severity' | 'message' | 'offset' | 'length'>): KqlDiagnostic {
  return { ...position(starts, f.offset), code: f.code, severity: f.severity, message: f.message, offset: f.offset, length: f.length };
}

function calledAs(calls: readonly string[]): string {
  const shown = calls.slice(0, 3).join('; ');
  return calls.length > 3 ? `${shown}; and ${calls.length - 3} more call(s)` : shown;
}

/**
 * Parses and binds `query` against the known table schemas (and `externals`) and returns its
 * problems, sorted by position (empty when the query is valid). Errors only, unless
 * `includeWarnings` is set. One cause gets one diagnostic (see the module comment).
 */
export function validateKql(query: string, options: ValidateKqlOptions = {}): KqlDiagnostic[] {
  const starts = lineStarts(query);
  const refused = precheckKql(query, KQL_LIMITS);
  if (refused.length > 0) {
    return refused.map((p) => render(starts, { ...p, severity: 'Error' }));
  }
  const budget = options.maxAnalysisMs ?? KQL_LIMITS.maxAnalysisMs;
  const analysis = analyse(query, budget, options.externals, options.includeWarnings ?? false, options.database);
  if (analysis.timedOut) {
    return [render(starts, {
      code: ANALYSIS_TIMEOUT_CODE, severity: 'Error', offset: 0, length: 0,
      message: `Checking the query took longer than ${budget / 1000} s and was stopped; simplify it (e.g. let statements that each union the previous one twice grow exponentially)`,
    })];
  }
  const found = analysis.collected;
  const out: KqlDiagnostic[] = [];
  for (const f of found.findings) {
    const calls = [...new Set(f.paths.filter((p) => !seenThroughExpansion(f.offset, p, found.expanded)).map((p) => p.call as string))];
    if (!f.direct && calls.length === 0) continue;
    let message = f.message;
    if (UNKNOWN_NAME_CODES.has(f.code)) {
      const name = /'([^']+)'/.exec(message)?.[1] ?? '';
      const typo = f.code === 'KS204' ? closest(name, [...knownTables(), ...(options.externals?.schemas ?? []).map((t) => t.name), ...(options.externals?.tables ?? [])]) : undefined;
      message = `${message.replace(/\.$/, '')}${typo ? ` (did you mean '${typo}'?)` : `: ${DECLARE_HINT}`}`;
    }
    if (!f.direct) message = `${message} (in ${calledAs(calls)})`;
    out.push(render(starts, { ...f, message }));
  }
  const tableNames = new Map<number, Unresolved & { calls: string[] }>();
  for (const t of found.unknownTableNames) {
    if (seenThroughExpansion(t.offset, t.path, found.expanded)) continue;
    const entry = tableNames.get(t.offset) ?? { ...t, calls: [] };
    if (t.path.call && !entry.calls.includes(t.path.call)) entry.calls.push(t.path.call);
    tableNames.set(t.offset, entry);
  }
  for (const t of tableNames.values()) {
    out.push(render(starts, {
      code: UNKNOWN_TABLE_NAME_CODE, severity: 'Error', offset: t.offset, length: t.length,
      message: `${t.text} names a table that is not known when the query is checked${t.calls.length ? ` (in ${calledAs(t.calls)})` : ''}, so nothing read from it can be checked: pass a literal table name (f("SigninLogs")), or write union SigninLogs, AADNonInteractiveUserSignInLogs`,
    }));
  }
  // Columns of the unknown type follow from a cause reported above, or from an external declared
  // by name; only when there is neither are they reported, once per place.
  const explained = out.some((d) => d.severity === 'Error') || found.usesOpenExternal;
  if (!explained) {
    const seen = new Set<number>();
    for (const c of found.unknownColumns) {
      if (seenThroughExpansion(c.offset, c.path, found.expanded) || seen.has(c.offset)) continue;
      seen.add(c.offset);
      out.push(render(starts, {
        code: UNKNOWN_TYPE_CODE, severity: 'Error', offset: c.offset, length: c.length,
        message: `The column '${c.text}' has an unknown type, so it cannot be checked${c.path.call ? ` (in ${c.path.call})` : ''}: give its source known columns (e.g. evaluate bag_unpack(d) : (Name: string, ...)), or project it with a type`,
      }));
    }
  }

  out.sort((a, b) => a.offset - b.offset || a.code.localeCompare(b.code));
  if (out.length <= KQL_LIMITS.maxDiagnostics) return out;
  const next = out[KQL_LIMITS.maxDiagnostics] as KqlDiagnostic;
  const more = out.length - KQL_LIMITS.maxDiagnostics;
  return [
    ...out.slice(0, KQL_LIMITS.maxDiagnostics),
    { ...next, code: MORE_PROBLEMS_CODE, severity: 'Error', length: 0, message: `${more} more problem(s) from here on are not shown; fix the ones above first` },
  ];
}

/**
 * Names of the known tables a query reads (sorted, without duplicates), found by binding it: the
 * table references of the syntax tree, wherever they appear (union legs, joins, `let` bodies), and
 * the tables `table("Name")` reads in the function bodies bound at each call.
 */
export function referencedTables(query: string, options: Pick<ValidateKqlOptions, 'externals' | 'database'> = {}): string[] {
  // A query the pre-check refuses is never analysed (validateKql reports why).
  if (precheckKql(query, KQL_LIMITS).length > 0) return [];
  const analysis = analyse(query, KQL_LIMITS.maxAnalysisMs, options.externals, false, options.database);
  if (analysis.timedOut) return [];
  return [...analysis.collected.tables].sort();
}

/**
 * Columns of the query's result (name and scalar type name, e.g. `string`, `long`, `dynamic`), in
 * order; empty when the query is refused, times out or is not tabular.
 */
export function queryResultColumns(query: string, options: Pick<ValidateKqlOptions, 'externals' | 'database'> = {}): { name: string; type: string }[] {
  if (precheckKql(query, KQL_LIMITS).length > 0) return [];
  const analysis = analyse(query, KQL_LIMITS.maxAnalysisMs, options.externals, false, options.database);
  if (analysis.timedOut) return [];
  return analysis.collected.resultColumns.map((c) => ({ ...c }));
}

/** `line:column: message (code)` for one diagnostic. */
export function formatKqlDiagnostic(d: KqlDiagnostic): string {
  return `${d.line}:${d.column}: ${d.message} (${d.code})`;
}
