/**
 * The verification report: the one data structure every renderer reads. Its JSON form is a stable,
 * documented interface (`report.schema.json`, `schemaVersion` 1): fields are only ever added.
 */
export const SCHEMA_VERSION = 1 as const;

export type CheckKind = 'diagnostic-settings' | 'log-analytics' | 'event-hub' | 'storage' | 'reader-app' | 'canary';
/** Where a line looked: `graph` is Microsoft Graph, the API a SIEM reads the audit logs through (reader-app). */
export type Destination = 'tenant' | 'log-analytics' | 'event-hub' | 'storage' | 'graph';
/** `warn`: passes, with something to act on soon (a reader-app secret about to expire); it does not change the exit code. */
export type CheckStatus = 'pass' | 'warn' | 'fail' | 'error' | 'skipped';
export type Outcome = 'passed' | 'failed' | 'error' | 'timeout';

/** One line of the report: one check, for one category (or setting) and one destination. */
export interface CheckResult {
  readonly check: CheckKind;
  readonly destination: Destination;
  /** The diagnostic setting name, where the line is about one. */
  readonly setting: string | null;
  readonly category: string | null;
  /** Table, event hub, container, or destination type, depending on the check. */
  readonly target: string | null;
  readonly status: CheckStatus;
  readonly message: string;
  /** Rows (Log Analytics), messages (Event Hub) or blobs modified in the window (Storage). */
  readonly count: number | null;
  /** Newest event (Log Analytics `TimeGenerated`, last metric bin with messages, newest blob change). */
  readonly newest: string | null;
  /** Ingestion latency percentiles of `ingestion_time() - TimeGenerated`, Log Analytics only. */
  readonly latencyP50Seconds: number | null;
  readonly latencyP95Seconds: number | null;
  /** Canary only: seconds from the Graph change to its arrival in this destination. */
  readonly endToEndSeconds: number | null;
}

/** Why the command could not verify something (exit code 2). */
export interface Problem {
  /**
   * `ConfigError` codes, `PermissionDenied`, `AuthenticationFailed`, `MalformedResponse`, `RequestFailed`,
   * `RequestTimeout` (a request's own deadline), `Timeout` (`--timeout` ran out: exit 3),
   * `UnexpectedAnswer` (HTML or a redirect), `ResponseTooLarge`, `NothingVerified`.
   */
  readonly code: string;
  readonly check: CheckKind | null;
  readonly message: string;
  /** The Azure role or Graph permission that is missing, on 401/403. */
  readonly requiredPermission: string | null;
}

export interface CanaryInfo {
  readonly applicationObjectId: string;
  readonly marker: string;
  readonly changedAt: string;
}

export interface VerifyReport {
  readonly schemaVersion: typeof SCHEMA_VERSION;
  readonly tool: 'entra-audit-verify';
  readonly stack: string;
  readonly generatedAt: string;
  /** The look-back as given (`--since`). */
  readonly since: string;
  readonly windowStart: string;
  readonly windowEnd: string;
  readonly outcome: Outcome;
  readonly exitCode: 0 | 1 | 2 | 3;
  /** How many times the checks ran (more than 1 with `--wait`). */
  readonly attempts: number;
  readonly checks: readonly CheckResult[];
  readonly problems: readonly Problem[];
  readonly canary: CanaryInfo | null;
}

/** A result line with the optional figures left empty; keys always in the documented order. */
export function result(
  fields: Pick<CheckResult, 'check' | 'destination' | 'status' | 'message'> & Partial<CheckResult>,
): CheckResult {
  return {
    check: fields.check,
    destination: fields.destination,
    setting: fields.setting ?? null,
    category: fields.category ?? null,
    target: fields.target ?? null,
    status: fields.status,
    message: fields.message,
    count: fields.count ?? null,
    newest: fields.newest ?? null,
    latencyP50Seconds: fields.latencyP50Seconds ?? null,
    latencyP95Seconds: fields.latencyP95Seconds ?? null,
    endToEndSeconds: fields.endToEndSeconds ?? null,
  };
}

/**
 * 2 beats 3 beats 1: an unverifiable run says so before it says anything is missing. A problem
 * with code `Timeout` (a request cut off by `--timeout`) counts as a timeout, not an error.
 */
export function outcomeOf(checks: readonly CheckResult[], problems: readonly Problem[], timedOut: boolean): { outcome: Outcome; exitCode: 0 | 1 | 2 | 3 } {
  if (problems.some((p) => p.code !== 'Timeout') || checks.some((c) => c.status === 'error')) return { outcome: 'error', exitCode: 2 };
  if (timedOut || problems.length > 0) return { outcome: 'timeout', exitCode: 3 };
  if (checks.some((c) => c.status === 'fail')) return { outcome: 'failed', exitCode: 1 };
  return { outcome: 'passed', exitCode: 0 };
}
