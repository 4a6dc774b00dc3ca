/**
 * Types and pure helpers of the alert catalog: the Azure value sets of
 * `azurerm_monitor_scheduled_query_rules_alert_v2`, the detection shape, and the parameter prelude
 * that turns a `.kql` file plus typed parameter values into the query sent to Azure.
 *
 * Value sets: the provider's schema,
 * https://github.com/hashicorp/terraform-provider-azurerm/blob/v4.55.0/internal/services/monitor/monitor_scheduled_query_rules_alert_v2_resource.go
 */
import { readFileSync } from 'fs';
import { join } from 'path';

/** `evaluation_frequency` values the provider accepts. */
export const EVALUATION_FREQUENCIES = [
  'PT1M', 'PT5M', 'PT10M', 'PT15M', 'PT30M', 'PT45M',
  'PT1H', 'PT2H', 'PT3H', 'PT4H', 'PT5H', 'PT6H', 'P1D',
] as const;
export type EvaluationFrequency = (typeof EVALUATION_FREQUENCIES)[number];

/** `window_duration` values the provider accepts: the frequencies plus `P2D`. */
export const WINDOW_DURATIONS = [...EVALUATION_FREQUENCIES, 'P2D'] as const;
export type WindowDuration = (typeof WINDOW_DURATIONS)[number];

/** `mute_actions_after_alert_duration` values the provider accepts. */
export const MUTE_DURATIONS = [
  'PT5M', 'PT10M', 'PT15M', 'PT30M', 'PT45M',
  'PT1H', 'PT2H', 'PT3H', 'PT4H', 'PT5H', 'PT6H', 'P1D', 'P2D',
] as const;
export type MuteDuration = (typeof MUTE_DURATIONS)[number];

/** `criteria.operator` values (the provider accepts `Equal`, see azure-rest-api-specs#21794). */
export const OPERATORS = ['Equal', 'GreaterThan', 'GreaterThanOrEqual', 'LessThan', 'LessThanOrEqual'] as const;
export type AlertOperator = (typeof OPERATORS)[number];

/** `criteria.time_aggregation_method` values. `metric_measure_column` is required for all but `Count`. */
export const AGGREGATIONS = ['Count', 'Average', 'Minimum', 'Maximum', 'Total'] as const;
export type AlertAggregation = (typeof AGGREGATIONS)[number];

/** `criteria.dimension.operator` values. */
export const DIMENSION_OPERATORS = ['Include', 'Exclude'] as const;

/** Alert severity: 0 critical, 1 error, 2 warning, 3 informational, 4 verbose. */
export type AlertSeverity = 0 | 1 | 2 | 3 | 4;

/** Azure's cross-field limit: window_duration × number_of_evaluation_periods ≤ 48 h (azure-facts.md §3). */
export const MAX_LOOKBACK_MS = 48 * 3600_000;

/** Milliseconds of one of the ISO 8601 durations above (`PT15M`, `PT6H`, `P1D`, ...). */
export function isoDurationMs(duration: string): number {
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?)?$/.exec(duration);
  if (!m) return NaN;
  const [, d, h, min] = m;
  return ((Number(d ?? 0) * 24 + Number(h ?? 0)) * 60 + Number(min ?? 0)) * 60_000;
}

/** A dimension splitting the alert by the values of one result column. */
export interface AlertDimension {
  /** Column of the query result. */
  readonly name: string;
  /** `Include` or `Exclude` the values. */
  readonly operator: 'Include' | 'Exclude';
  /** Values to include or exclude. */
  readonly values: readonly string[];
}

/** `failing_periods`: how many of the last evaluation periods must breach the threshold. */
export interface FailingPeriods {
  /** 1–6, at most `numberOfEvaluationPeriods`. */
  readonly minimumFailingPeriodsToTriggerAlert: number;
  /** 1–6. Must be 1 if the query result has no timestamp column. */
  readonly numberOfEvaluationPeriods: number;
}

/** The KQL types a detection parameter can have, and how each is written in the prelude. */
export type ParameterType = 'string' | 'stringList' | 'cidrList' | 'int' | 'real' | 'bool' | 'timespan';
export type ParameterValue = string | number | boolean | readonly string[];

/** A named, typed value of a detection's query, declared with a default in the `.kql` file. */
export interface DetectionParameter {
  readonly type: ParameterType;
  readonly default: ParameterValue;
  /** What the parameter controls, for the docs. */
  readonly description: string;
  /** For `timespan` parameters: must not exceed the rule's window (the data Azure hands the query). */
  readonly atMostWindow?: boolean;
}

/** One entry of the detection catalog. */
export interface Detection {
  /** Stable key: lower-case words joined by hyphens. Used for the rule name and construct id. */
  readonly key: string;
  readonly displayName: string;
  /** What the detection finds and why it matters. */
  readonly description: string;
  /** How to tune it (parameters, thresholds, when to disable). */
  readonly tuning: string;
  readonly severity: AlertSeverity;
  /** MITRE ATT&CK tactic ids (`TA0006`). */
  readonly tactics: readonly string[];
  /** MITRE ATT&CK technique ids (`T1110.003`). */
  readonly techniques: readonly string[];
  /** Log Analytics tables the query reads (checked against the query in the tests). */
  readonly tables: readonly string[];
  /**
   * What the tenant needs beyond the tables' own licences (docs/alerts.md lists both), e.g.
   * Privileged Identity Management for the PIM detections.
   * @default - nothing beyond the tables
   */
  readonly requires?: string;
  /**
   * Why the detection is off unless an environment enables it: it reads data or needs a licence
   * many tenants do not have, so enabling it blindly would fail synth or alert on nothing. The
   * stack configuration's default `disabled` list is made of these.
   * @default - on by default
   */
  readonly disabledByDefault?: string;
  /** How often it fires in a typical tenant at the default settings, and what drives it up. */
  readonly expectedVolume: string;
  /**
   * Result columns that name the entities of a finding, mapped to Microsoft Sentinel entities when
   * the rules are deployed to Sentinel (a test checks that each is a string column of the query's result).
   * @default - no entities
   */
  readonly entities?: DetectionEntities;
  readonly evaluationFrequency: EvaluationFrequency;
  readonly windowDuration: WindowDuration;
  readonly aggregation: AlertAggregation;
  /** Required iff `aggregation` is not `Count`. */
  readonly metricMeasureColumn?: string;
  readonly operator: AlertOperator;
  readonly threshold: number;
  readonly dimensions?: readonly AlertDimension[];
  readonly failingPeriods?: FailingPeriods;
  /** Named parameters, in the order the `.kql` file declares them. */
  readonly parameters: Readonly<Record<string, DetectionParameter>>;
}

/** Result columns holding the entities of a finding (Microsoft Sentinel entity types Account, IP, CloudApplication). */
export interface DetectionEntities {
  /** A user principal name (Sentinel Account, identifier FullName). */
  readonly accountUpn?: string;
  /** An Entra object id of a user (Sentinel Account, identifier AadUserId). */
  readonly accountObjectId?: string;
  /** An IPv4 or IPv6 address (Sentinel IP, identifier Address). */
  readonly ipAddress?: string;
  /** An application's display name (Sentinel CloudApplication, identifier Name). */
  readonly applicationName?: string;
}

export const QUERIES_DIR = join(__dirname, 'queries');

/** The `.kql` file of a catalog detection: `queries/<key>.kql`. */
export function queryFilePath(key: string): string {
  return join(QUERIES_DIR, `${key}.kql`);
}

const queryCache = new Map<string, string>();

/** The text of `queries/<key>.kql` (read once). */
export function readQueryFile(key: string): string {
  let text = queryCache.get(key);
  if (text === undefined) {
    text = readFileSync(queryFilePath(key), 'utf8');
    queryCache.set(key, text);
  }
  return text;
}

const KUSTO_TIMESPAN = /^(\d+(\.\d+)?)(d|h|m|s|ms)$/;
const TIMESPAN_UNIT_MS: Record<string, number> = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000, ms: 1 };

/** Milliseconds of a Kusto timespan literal (`30m`, `6h`, `1d`), or NaN. */
export function kustoTimespanMs(value: string): number {
  const m = KUSTO_TIMESPAN.exec(value);
  return m ? Number(m[1]) * TIMESPAN_UNIT_MS[m[3]] : NaN;
}

/** A KQL string literal: double-quoted, with backslash, quote and control characters escaped. */
export function kqlString(value: string): string {
  const escaped = value.replace(/[\\"\u0000-\u001f\u007f]/g, (c) => {
    switch (c) {
      case '\\': return '\\\\';
      case '"': return '\\"';
      case '\n': return '\\n';
      case '\r': return '\\r';
      case '\t': return '\\t';
      default: return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
    }
  });
  return `"${escaped}"`;
}

/** Whether `value` is an IPv4 or IPv6 address or CIDR range (`10.0.0.0/8`, `2001:db8::/32`). */
export function isCidr(value: string): boolean {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:\/(\d{1,2}))?$/.exec(value);
  if (v4) {
    return v4.slice(1, 5).every((o) => Number(o) <= 255) && (v4[5] === undefined || Number(v4[5]) <= 32);
  }
  const v6 = /^([0-9A-Fa-f:]+)(?:\/(\d{1,3}))?$/.exec(value);
  if (!v6 || !v6[1].includes(':') || (v6[2] !== undefined && Number(v6[2]) > 128)) return false;
  const doubleColons = v6[1].split('::').length - 1;
  const groups = v6[1].split(':').filter((g) => g !== '');
  return doubleColons <= 1 && groups.every((g) => g.length <= 4) && (doubleColons === 1 ? groups.length < 8 : groups.length === 8);
}

/**
 * Why `value` is not a valid value of a parameter of type `type`, or undefined when it is.
 * The text is phrased as the "expected" part of an error message.
 */
export function parameterTypeProblem(type: ParameterType, value: unknown): string | undefined {
  switch (type) {
    case 'string':
      return typeof value === 'string' ? undefined : 'a string';
    case 'stringList':
      return Array.isArray(value) && value.every((v) => typeof v === 'string')
        ? undefined
        : 'a list of strings, e.g. ["a", "b"]';
    case 'cidrList':
      return Array.isArray(value) && value.every((v) => typeof v === 'string' && isCidr(v))
        ? undefined
        : 'a list of IPv4 or IPv6 addresses or CIDR ranges, e.g. ["203.0.113.0/24", "2001:db8::/32"]';
    case 'int':
      return typeof value === 'number' && Number.isSafeInteger(value) ? undefined : 'a whole number';
    case 'real':
      return typeof value === 'number' && Number.isFinite(value) ? undefined : 'a finite number';
    case 'bool':
      return typeof value === 'boolean' ? undefined : 'true or false';
    case 'timespan':
      return typeof value === 'string' && KUSTO_TIMESPAN.test(value)
        ? undefined
        : 'a Kusto timespan such as "30m", "6h" or "1d" (units d, h, m, s, ms)';
  }
}

/** The KQL literal of a parameter value (the value must be valid for its type). */
export function kqlLiteral(type: ParameterType, value: ParameterValue): string {
  switch (type) {
    case 'string':
      return kqlString(value as string);
    case 'stringList':
    case 'cidrList':
      return `dynamic([${(value as readonly string[]).map(kqlString).join(', ')}])`;
    case 'int':
      return String(value);
    case 'real': {
      const n = value as number;
      return Number.isInteger(n) ? `${n}.0` : String(n);
    }
    case 'bool':
      return value ? 'true' : 'false';
    case 'timespan':
      return value as string;
  }
}

/** `let <name> = <literal>;` */
export function parameterLine(name: string, type: ParameterType, value: ParameterValue): string {
  return `let ${name} = ${kqlLiteral(type, value)};`;
}

const LET_LINE = /^let\s+([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*);\s*$/;

/** A `.kql` file split into its leading comments, its parameter `let` lines and the rest. */
export interface ParsedQueryFile {
  /** Comment and blank lines before the first `let` parameter line. */
  readonly header: readonly string[];
  /** The parameter declarations, in file order: name and the literal text of the default. */
  readonly parameters: readonly { readonly name: string; readonly literal: string; readonly line: number }[];
  /** Everything after the parameter block. */
  readonly body: readonly string[];
}

/**
 * Splits a catalog `.kql` file. Its parameter block is the run of single-line `let name = value;`
 * statements (comment and blank lines allowed between them) at the top of the file, before the
 * first other line. Parameters are replaced line by line, so the file stays valid KQL on its own.
 */
export function parseQueryFile(text: string): ParsedQueryFile {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const header: string[] = [];
  const parameters: { name: string; literal: string; line: number }[] = [];
  let i = 0;
  for (; i < lines.length; i++) {
    const line = lines[i];
    const trimmed = line.trim();
    const m = LET_LINE.exec(trimmed);
    if (m && m[2].startsWith('(')) break; // `let f = (...) {...};` declares a function, not a parameter
    if (m) {
      parameters.push({ name: m[1], literal: m[2], line: i + 1 });
      continue;
    }
    if (trimmed === '' || trimmed.startsWith('//')) {
      if (parameters.length === 0) header.push(line);
      else if (trimmed !== '') header.push(line);
      continue;
    }
    break;
  }
  return { header, parameters, body: lines.slice(i) };
}

/**
 * The query sent to Azure: a one-line comment naming the detection, then one generated `let` line
 * per parameter with the configured value (in the file's order), then the file's body. Throws when the file's
 * parameter block and `parameters` do not name the same parameters (a catalog bug).
 */
export function renderQuery(
  key: string,
  text: string,
  parameters: Readonly<Record<string, DetectionParameter>>,
  values: Readonly<Record<string, ParameterValue>>,
): string {
  const parsed = parseQueryFile(text);
  const declared = parsed.parameters.map((p) => p.name);
  const expected = Object.keys(parameters);
  if (declared.length !== expected.length || declared.some((n) => !(n in parameters))) {
    throw new Error(
      `queries/${key}.kql declares parameters [${declared.join(', ')}] but the catalog lists [${expected.join(', ')}]`,
    );
  }
  const prelude = parsed.parameters.map((p) => {
    const def = parameters[p.name];
    return parameterLine(p.name, def.type, values[p.name] ?? def.default);
  });
  // The header comments (sources, explanations) stay in the repository; Azure gets a one-line marker.
  const marker = `// ${key}: Entra ID alert catalog (EntraAlertRules), parameters set by configuration`;
  return [marker, ...prelude, ...parsed.body].join('\n').trim() + '\n';
}

/**
 * Escapes Terraform template sequences so that a string reaches Azure literally: in Terraform
 * strings `${` and `%{` start interpolations and directives, `$${` and `%%{` are their literal
 * forms (developer.hashicorp.com/terraform/language/expressions/strings, "Escape sequences").
 * cdktf does not escape plain strings, so a KQL literal such as "${x}" would otherwise be interpolated.
 */
export function escapeTerraformTemplate(text: string): string {
  return text.replace(/\$\{/g, '$$${').replace(/%\{/g, '%%{');
}
