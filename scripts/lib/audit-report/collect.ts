/**
 * Runs the KPI queries against the workspace and reads their answers into plain rows.
 *
 * Every request goes through `withRetry` with the verify command's deadlines: each query has its
 * own (the service's 3-minute query timeout plus 15 s), none runs past `--timeout`, and 429/5xx are
 * retried with backoff. Answers are read through the bounded transport (16 MiB at most). A query
 * that partly failed (a table not created yet: `union isfuzzy=true` reports it as a partial
 * error) keeps its rows and says so.
 */
import type { LogsQueryClient, LogsQueryResult, LogsTable } from '@azure/monitor-query-logs';
import { SERVER_TIMEOUT_SECONDS } from '../verify/checks/log-analytics';
import { MalformedResponseError } from '../verify/errors';
import { type RetryContext, withRetry } from '../verify/retry';
import type { ColumnKind, KpiColumn, KpiDefinition } from './kpis';

/** A cell as read: datetimes as ISO-8601 text, numbers as numbers, everything else as text. */
export type Cell = string | number | null;

export type KpiResult =
  | {
      readonly key: string;
      readonly status: 'ok';
      readonly columns: readonly KpiColumn[];
      readonly rows: readonly (readonly Cell[])[];
      /** As many rows as the query's limit: there may be more. */
      readonly truncated: boolean;
      /** The service's message when the query partly failed. */
      readonly partial?: string;
    }
  | { readonly key: string; readonly status: 'skipped'; readonly reason: string };

export interface CollectInput {
  readonly kpis: readonly KpiDefinition[];
  /** Tables the stack routes to the workspace. */
  readonly routedTables: readonly string[];
  readonly workspaceId: string;
  readonly logs: Pick<LogsQueryClient, 'queryWorkspace'>;
  readonly window: { readonly start: Date; readonly end: Date };
  readonly retry: RetryContext;
}

const MAX_MESSAGE = 300;

function toCell(value: unknown, kind: ColumnKind, where: string): Cell {
  if (value === null || value === undefined) return null;
  if (value === '' && kind !== 'text') return null;
  switch (kind) {
    case 'datetime': {
      const date = value instanceof Date ? value : new Date(String(value));
      if (Number.isNaN(date.getTime())) throw new MalformedResponseError('Log Analytics', `${where}: not a date: ${JSON.stringify(value).slice(0, MAX_MESSAGE)}`);
      return date.toISOString();
    }
    case 'number': {
      const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
      if (!Number.isFinite(n)) throw new MalformedResponseError('Log Analytics', `${where}: not a number: ${JSON.stringify(value).slice(0, MAX_MESSAGE)}`);
      return n;
    }
    case 'text':
      return typeof value === 'string' ? value : JSON.stringify(value);
  }
}

/** The rows of one answer, in the KPI's column order, checked against its columns and row limit. */
export function readKpiAnswer(kpi: KpiDefinition, answer: LogsQueryResult): { rows: Cell[][]; truncated: boolean; partial?: string } {
  if (!answer || (answer.status !== 'Success' && answer.status !== 'PartialFailure')) {
    throw new MalformedResponseError('Log Analytics', `the answer to KPI ${kpi.key} has no recognised status`);
  }
  const tables: LogsTable[] = answer.status === 'Success' ? answer.tables : answer.partialTables;
  const partial = answer.status === 'PartialFailure' ? (answer.partialError?.message ?? 'the query partly failed').slice(0, MAX_MESSAGE) : undefined;
  const table = Array.isArray(tables) ? tables[0] : undefined;
  if (!table) {
    if (answer.status === 'PartialFailure') return { rows: [], truncated: false, partial };
    throw new MalformedResponseError('Log Analytics', `the answer to KPI ${kpi.key} holds no table`);
  }
  if (!Array.isArray(table.columnDescriptors) || !Array.isArray(table.rows)) {
    throw new MalformedResponseError('Log Analytics', `the answer to KPI ${kpi.key} has a table without columns or rows`);
  }
  const names = table.columnDescriptors.map((c) => c.name);
  const indexes = kpi.columns.map((c) => {
    const i = names.indexOf(c.name);
    if (i < 0) throw new MalformedResponseError('Log Analytics', `the answer to KPI ${kpi.key} has no column ${c.name} (columns: ${names.join(', ').slice(0, MAX_MESSAGE) || 'none'})`);
    return i;
  });
  if (table.rows.length > kpi.maxRows) {
    throw new MalformedResponseError('Log Analytics', `the answer to KPI ${kpi.key} has ${table.rows.length} rows; its query takes at most ${kpi.maxRows}`);
  }
  const rows = table.rows.map((row, r) => {
    if (!Array.isArray(row)) throw new MalformedResponseError('Log Analytics', `row ${r + 1} of KPI ${kpi.key} is not an array`);
    return kpi.columns.map((c, k) => toCell(row[indexes[k] as number], c.kind, `KPI ${kpi.key}, row ${r + 1}, column ${c.name}`));
  });
  return { rows, truncated: rows.length === kpi.maxRows, ...(partial ? { partial } : {}) };
}

/** The reason a KPI is not run, or undefined when every table it reads is routed. */
export function skipReason(kpi: KpiDefinition, routedTables: readonly string[]): string | undefined {
  const missing = kpi.tables.filter((t) => !routedTables.includes(t));
  return missing.length === 0 ? undefined : `the stack does not route ${missing.join(', ')} to the workspace`;
}

/** Runs every KPI whose tables are routed, one after the other; the first error ends the run. */
export async function collectKpis(input: CollectInput): Promise<KpiResult[]> {
  const results: KpiResult[] = [];
  for (const kpi of input.kpis) {
    const reason = skipReason(kpi, input.routedTables);
    if (reason) {
      results.push({ key: kpi.key, status: 'skipped', reason });
      continue;
    }
    const answer = await withRetry(
      `query KPI ${kpi.key}`,
      (signal) => input.logs.queryWorkspace(input.workspaceId, kpi.query, { startTime: input.window.start, endTime: input.window.end }, { abortSignal: signal, serverTimeoutInSeconds: SERVER_TIMEOUT_SECONDS }),
      input.retry,
      { query: true },
    );
    const read = readKpiAnswer(kpi, answer);
    results.push({ key: kpi.key, status: 'ok', columns: kpi.columns, rows: read.rows, truncated: read.truncated, ...(read.partial ? { partial: read.partial } : {}) });
  }
  return results;
}
