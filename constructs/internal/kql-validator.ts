/**
 * KQL validation with Microsoft's Kusto language service (`@kusto/language-service-next`, the
 * JavaScript build of `Kusto.Language`, the parser and binder behind the Log Analytics editor).
 *
 * The service knows the tables in `./log-table-schemas/*.json` (copies of the Azure Monitor table
 * reference, each file citing its source in `source`), so it reports syntax errors and semantic
 * errors: unknown table (KS204), unknown column or name (KS142), unknown function (KS211), wrong
 * argument count or types (KS119, KS106, ...). On top of the service's own diagnostics, a column
 * reference that binds to the `unknown` type (e.g. inside `table(someParameter)`, which the service
 * never checks) is reported as {@link UNKNOWN_TYPE_CODE}: write literal table names or `union A, B`.
 *
 * Before the service sees a query, a linear pre-check refuses what the service must not be given
 * (see {@link KQL_LIMITS}): text longer than `maxQueryChars`, brackets nested deeper than
 * `maxNestingDepth` (the service's parser and binder take time quadratic in the nesting: 5,000 `(`
 * took 10 s, 20,000 took 130 s), management commands (`.drop table T`, `.set T <| ...`: text
 * starting with `.`) and several tabular expression statements separated by `;` (an alert runs
 * one query; `let` and `set` statements before it are fine). A query refused there is not analysed.
 *
 * Cost: about 1.5 s for the first query in a process (script load, global state, lazy
 * initialisation), then 10-15 ms per query. Everything is loaded lazily on the first call.
 *
 * All Kusto objects are typed `any` on purpose: the bundled typings are 1.7 MB and name methods
 * that differ from the runtime (`Bridge.ToArray` vs `Bridge.toArray`); this module is the only
 * place that touches them.
 */
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { runInThisContext } from 'vm';
import { PRECHECK_CODES, precheckKql } from './kql-precheck';

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
}

/** Code of the diagnostic raised for a column reference whose type the service could not determine. */
export const UNKNOWN_TYPE_CODE = 'KQLV001';
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

const SCHEMA_DIR = join(__dirname, 'log-table-schemas');

let schemaCache: ReadonlyMap<string, LogTableSchema> | undefined;

/** Every table schema the validator knows, by table name (read once from the JSON files). */
export function logTableSchemas(): ReadonlyMap<string, LogTableSchema> {
  if (!schemaCache) {
    const map = new Map<string, LogTableSchema>();
    for (const file of readdirSync(SCHEMA_DIR).filter((f) => f.endsWith('.json')).sort()) {
      const schema = JSON.parse(readFileSync(join(SCHEMA_DIR, file), 'utf8')) as LogTableSchema;
      map.set(schema.name, schema);
    }
    schemaCache = map;
  }
  return schemaCache;
}

/** Names of the tables known to the validator, sorted. */
export function knownTables(): string[] {
  return [...logTableSchemas().keys()].sort();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

interface KustoRuntime {
  readonly Kusto: Any;
  readonly Bridge: Any;
  readonly globals: Any;
}

let runtime: KustoRuntime | undefined;

/** Analysed once when the service is loaded (see loadRuntime): a table, an operator, functions. */
const WARM_UP_QUERY = 'AuditLogs | where TimeGenerated > ago(1h) and OperationName has "x" | summarize count() by bin(TimeGenerated, 5m), tostring(Result)';

function loadRuntime(): KustoRuntime {
  if (runtime) return runtime;
  // Side-effect scripts, in this order; they define the globals Bridge, System and Kusto
  // (reference/kusto-language-service.md "Loading"). They are run with vm.runInThisContext, i.e.
  // in Node's main context even when this module itself runs inside a sandbox such as a jest test
  // environment: the Bridge.NET runtime reads globals constantly, which is about twice as slow
  // through a sandbox's global proxy, and a process then loads the service only once.
  const realm = (code: string): Any => runInThisContext(code);
  if (realm('typeof Kusto') === 'undefined' || realm('typeof Bridge') === 'undefined') {
    for (const script of ['bridge.min.js', 'Kusto.Language.Bridge.min.js']) {
      const path = require.resolve(`@kusto/language-service-next/${script}`);
      runInThisContext(readFileSync(path, 'utf8'), { filename: path });
    }
  }
  const Kusto = realm('Kusto');
  const Bridge = realm('Bridge');
  const Symbols = Kusto.Language.Symbols;
  const tables: Any[] = [];
  for (const schema of logTableSchemas().values()) {
    const columns = schema.columns.map((c) => {
      const type = Symbols.ScalarTypes.GetSymbol(c.type);
      if (!type) throw new Error(`log-table-schemas/${schema.name}.json: column ${c.name} has unknown type ${c.type}`);
      return new Symbols.ColumnSymbol(c.name, type, null, null, null, null);
    });
    tables.push(new Symbols.TableSymbol.$ctor4(schema.name, columns));
  }
  const database = new Symbols.DatabaseSymbol.ctor('workspace', tables);
  const globals = Kusto.Language.GlobalState.Default.WithDatabase(database);
  // The first analysis in a process builds the service's lazily made tables of functions, operators
  // and types: seconds on a busy machine, most of it JIT compilation. Done here, outside every
  // query's deadline, so that maxAnalysisMs measures the query rather than the service's start-up
  // (otherwise the first query of a process could time out on a loaded CI machine).
  Kusto.Language.KustoCode.ParseAndAnalyze(WARM_UP_QUERY, globals).GetDiagnostics();
  runtime = { Kusto, Bridge, globals };
  return runtime;
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

type Analysis = { readonly code: Any; readonly timedOut: false } | { readonly code: undefined; readonly timedOut: true };

let lastAnalysis: { readonly query: string; readonly maxAnalysisMs: number; readonly result: Analysis } | undefined;

/**
 * Parses and binds `query`, giving up on the binding and diagnostics after `maxAnalysisMs`.
 * `KustoCode.ParseAndAnalyze` drops its cancellation token in this build (it passes a default one
 * on to `KustoCode.Create`), so the steps are spelled out here with the token passed through; the
 * binder checks it at every node. The last analysis is kept: validateKql and referencedTables on
 * the same query analyse it once.
 */
function analyse(query: string, maxAnalysisMs: number = KQL_LIMITS.maxAnalysisMs): Analysis {
  if (lastAnalysis?.query === query && lastAnalysis.maxAnalysisMs === maxAnalysisMs) return lastAnalysis.result;
  const { Kusto, globals } = loadRuntime();
  const deadline = Date.now() + maxAnalysisMs;
  const token = new Kusto.Language.Utils.CancellationToken.$ctor1(() => Date.now() > deadline);
  let result: Analysis;
  try {
    const options = globals.ParseOptions.WithAlwaysProduceEndTokens(true);
    const g = globals.WithParseOptions(options);
    const tokens = Kusto.Language.Parsing.TokenParser.ParseTokens(query, options);
    const code = Kusto.Language.KustoCode.Create(query, g, tokens, Kusto.Language.KustoCode.GetTokenStarts(tokens), true, token);
    // Diagnostics are computed lazily: compute them now, under the same deadline.
    code.GetDiagnostics(token);
    result = { code, timedOut: false };
  } catch (error) {
    // Bridge.NET exceptions render as `System.OperationCanceledException: The operation was canceled.`
    if (!String(error).startsWith('System.OperationCanceledException')) throw error;
    result = { code: undefined, timedOut: true };
  }
  lastAnalysis = { query, maxAnalysisMs, result };
  return result;
}

/**
 * Parses and binds `query` against the known table schemas and returns its problems, sorted by
 * position (empty when the query is valid). Errors only, unless `includeWarnings` is set.
 */
export function validateKql(query: string, options: ValidateKqlOptions = {}): KqlDiagnostic[] {
  const starts = lineStarts(query);
  const refused = precheckKql(query, KQL_LIMITS);
  if (refused.length > 0) {
    return refused.map((p) => ({ ...position(starts, p.offset), code: p.code, severity: 'Error', message: p.message, offset: p.offset, length: p.length }));
  }
  const budget = options.maxAnalysisMs ?? KQL_LIMITS.maxAnalysisMs;
  const analysis = analyse(query, budget);
  if (analysis.timedOut) {
    return [{
      ...position(starts, 0), code: ANALYSIS_TIMEOUT_CODE, severity: 'Error', offset: 0, length: 0,
      message: `Checking the query took longer than ${budget / 1000} s and was stopped; simplify it (e.g. let statements that each union the previous one twice grow exponentially)`,
    }];
  }
  const { Kusto, Bridge } = loadRuntime();
  const code = analysis.code;
  const out: KqlDiagnostic[] = [];
  const seen = new Set<string>();
  const push = (codeName: string, severity: string, message: string, offset: number, length: number) => {
    const key = `${codeName}@${offset}:${length}:${message}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ ...position(starts, offset), code: codeName, severity, message, offset, length });
  };

  for (const d of Bridge.toArray(code.GetDiagnostics()) as Any[]) {
    const severity = String(d.Severity);
    if (severity !== 'Error' && !(options.includeWarnings && severity === 'Warning')) continue;
    push(String(d.Code), severity, String(d.Message), d.Start, d.Length);
  }

  // Column references bound to the unknown type are not diagnosed by the service (for example
  // columns of `table(name)` where `name` is a parameter); report them so they cannot hide typos.
  const Syntax = Kusto.Language.Syntax;
  const Symbols = Kusto.Language.Symbols;
  Syntax.SyntaxElement.WalkNodes(
    code.Syntax,
    (node: Any) => {
      if (!(node instanceof Syntax.NameReference)) return;
      const symbol = node.ReferencedSymbol;
      if (!symbol || symbol.Kind !== Symbols.SymbolKind.Column) return;
      if (symbol.Type !== Symbols.ScalarTypes.Unknown) return;
      push(
        UNKNOWN_TYPE_CODE,
        'Error',
        `The column '${node.SimpleName}' has an unknown type, so it cannot be checked; read literal table names (e.g. union A, B) instead of table(name)`,
        node.TextStart,
        node.Width,
      );
    },
    null,
  );

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
 * table references of the syntax tree, wherever they appear (union legs, joins, `let` bodies).
 */
export function referencedTables(query: string): string[] {
  // A query the pre-check refuses is never analysed (validateKql reports why).
  if (precheckKql(query, KQL_LIMITS).length > 0) return [];
  const analysis = analyse(query);
  if (analysis.timedOut) return [];
  const { Kusto } = loadRuntime();
  const code = analysis.code;
  const Syntax = Kusto.Language.Syntax;
  const Symbols = Kusto.Language.Symbols;
  const names = new Set<string>();
  Syntax.SyntaxElement.WalkNodes(
    code.Syntax,
    (node: Any) => {
      if (!(node instanceof Syntax.NameReference)) return;
      const symbol = node.ReferencedSymbol;
      if (symbol && symbol.Kind === Symbols.SymbolKind.Table && logTableSchemas().has(String(symbol.Name))) {
        names.add(String(symbol.Name));
      }
    },
    null,
  );
  return [...names].sort();
}

/** `line:column: message (code)` for one diagnostic. */
export function formatKqlDiagnostic(d: KqlDiagnostic): string {
  return `${d.line}:${d.column}: ${d.message} (${d.code})`;
}
