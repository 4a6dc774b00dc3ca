import type { LogsQueryResult, LogsTable } from '@azure/monitor-query-logs';
import { tableOfCategory } from '../../../../constructs/internal/log-categories';
import type { CheckContext } from '../context';
import { ConfigError, MalformedResponseError } from '../errors';
import { categoriesFor } from '../expectations';
import { type CheckResult, result } from '../report';
import { withRetry } from '../retry';

/**
 * Check 2: rows arrive in every routed table. One query for all tables:
 * `union withsource=… isfuzzy=true` tolerates tables that do not exist yet (a table is created by its
 * first record), and the summarize gives, per table, the row count, the newest `TimeGenerated`
 * and the p50/p95 of `ingestion_time() - TimeGenerated`.
 */
export function buildArrivalQuery(tables: readonly string[]): string {
  for (const t of tables) if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(t)) throw new ConfigError('InvalidTable', `not a Log Analytics table name: ${JSON.stringify(t)}`);
  return [
    `union withsource=SourceTable isfuzzy=true ${tables.join(', ')}`,
    '| extend IngestionDelaySeconds = (ingestion_time() - TimeGenerated) / 1s',
    '| summarize Rows = count(), NewestTimeGenerated = max(TimeGenerated), P50Seconds = percentile(IngestionDelaySeconds, 50), P95Seconds = percentile(IngestionDelaySeconds, 95) by SourceTable',
  ].join('\n');
}

/** The service's default query timeout, asked for explicitly (learn.microsoft.com/azure/azure-monitor/logs/api/timeouts). */
export const SERVER_TIMEOUT_SECONDS = 180;

export interface TableArrival {
  readonly rows: number;
  readonly newest: string | null;
  readonly p50Seconds: number | null;
  readonly p95Seconds: number | null;
}

/** The tables of a Logs query answer, whether it fully or partly succeeded. */
export function tablesOf(answer: LogsQueryResult): LogsTable[] {
  return answer.status === 'Success' ? answer.tables : answer.partialTables;
}

function column(table: LogsTable, name: string): number {
  const index = table.columnDescriptors.findIndex((c) => c.name === name);
  if (index < 0) throw new MalformedResponseError('Log Analytics', `the arrival query answer has no column ${name} (columns: ${table.columnDescriptors.map((c) => c.name).join(', ') || 'none'})`);
  return index;
}

const toIso = (value: unknown): string | null => {
  if (value === null || value === undefined || value === '') return null;
  const date = value instanceof Date ? value : new Date(String(value));
  if (Number.isNaN(date.getTime())) throw new MalformedResponseError('Log Analytics', `not a date: ${JSON.stringify(value)}`);
  return date.toISOString();
};

const toNumber = (value: unknown, nullable: boolean): number | null => {
  if ((value === null || value === undefined || value === '') && nullable) return null;
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(n)) throw new MalformedResponseError('Log Analytics', `not a number: ${JSON.stringify(value)}`);
  return n;
};

/** Reads the summarize rows, keyed by table name. */
export function parseArrivals(answer: LogsQueryResult): Map<string, TableArrival> {
  const tables = tablesOf(answer);
  if (!Array.isArray(tables)) throw new MalformedResponseError('Log Analytics', 'the query answer holds no tables');
  const out = new Map<string, TableArrival>();
  const table = tables[0];
  if (!table) return out;
  if (!Array.isArray(table.columnDescriptors) || !Array.isArray(table.rows)) throw new MalformedResponseError('Log Analytics', 'the query answer table has no columns or rows');
  const [source, rows, newest, p50, p95] = ['SourceTable', 'Rows', 'NewestTimeGenerated', 'P50Seconds', 'P95Seconds'].map((n) => column(table, n)) as [number, number, number, number, number];
  for (const row of table.rows) {
    if (!Array.isArray(row)) throw new MalformedResponseError('Log Analytics', 'a row of the query answer is not an array');
    const name = row[source];
    if (typeof name !== 'string') throw new MalformedResponseError('Log Analytics', `SourceTable is not a string: ${JSON.stringify(name)}`);
    out.set(name, {
      rows: toNumber(row[rows], false) as number,
      newest: toIso(row[newest]),
      p50Seconds: toNumber(row[p50], true),
      p95Seconds: toNumber(row[p95], true),
    });
  }
  return out;
}

export async function checkLogAnalytics(ctx: CheckContext): Promise<CheckResult[]> {
  const categories = categoriesFor(ctx.expectations, 'log-analytics');
  if (categories.length === 0) return [];
  const workspaceId = ctx.locations.workspaceId;
  if (!workspaceId) {
    throw new ConfigError('MissingLocation', 'the stack routes to Log Analytics but the workspace GUID is unknown: the output log_analytics_workspace_id is missing; pass --workspace-id <guid>');
  }
  const results: CheckResult[] = [];
  const known = categories.filter((c) => tableOfCategory(c) !== undefined);
  for (const category of categories.filter((c) => tableOfCategory(c) === undefined)) {
    results.push(result({ check: 'log-analytics', destination: 'log-analytics', category, status: 'skipped', message: `the Log Analytics table of ${category} is unknown to this toolkit` }));
  }
  if (known.length === 0) return results;
  const tables = [...new Set(known.map((c) => tableOfCategory(c) as string))];
  const answer = await withRetry(
    'query Log Analytics',
    (signal) => ctx.clients.logs.queryWorkspace(workspaceId, buildArrivalQuery(tables), { startTime: ctx.window.start, endTime: ctx.window.end }, { abortSignal: signal, serverTimeoutInSeconds: SERVER_TIMEOUT_SECONDS }),
    ctx.retry,
    { query: true },
  );
  if (!answer || (answer.status !== 'Success' && answer.status !== 'PartialFailure')) {
    throw new MalformedResponseError('Log Analytics', 'the query answer has no recognised status');
  }
  const arrivals = parseArrivals(answer);
  for (const category of known) {
    const table = tableOfCategory(category) as string;
    const arrival = arrivals.get(table);
    const base = { check: 'log-analytics', destination: 'log-analytics', category, target: table } as const;
    if (!arrival || arrival.rows === 0) {
      results.push(result({ ...base, status: 'fail', count: 0, message: `no rows in ${table} in the window${answer.status === 'PartialFailure' ? ' (the table may not exist yet: it is created by its first record)' : ''}` }));
    } else {
      results.push(result({
        ...base,
        status: 'pass',
        count: arrival.rows,
        newest: arrival.newest,
        latencyP50Seconds: arrival.p50Seconds,
        latencyP95Seconds: arrival.p95Seconds,
        message: `${arrival.rows} row(s)`,
      }));
    }
  }
  return results;
}
