import { insightsContainerName, tableOfCategory } from '../../../../constructs/internal/log-categories';
import type { CheckContext } from '../context';
import { ConfigError, MalformedResponseError } from '../errors';
import { routesTo } from '../expectations';
import { type CanaryInfo, type CheckResult, result } from '../report';
import { withRetry } from '../retry';
import { hubTargets, incomingMessages, namespaceId } from './event-hub';
import { SERVER_TIMEOUT_SECONDS, tablesOf } from './log-analytics';
import { dayPrefixes, listBlobs } from './storage';

/**
 * Check 5 (`--canary`): a benign, recognisable change made on purpose, then followed to every
 * destination. The change is a Microsoft Graph `PATCH /v1.0/applications/{objectId}` of the dedicated
 * canary application's `notes`, which Entra records in AuditLogs as activity "Update application"
 * (category ApplicationManagement). The caller needs Application.ReadWrite.OwnedBy and must own the app.
 *
 * Matching "that exact event": an AuditLogs record with operation "Update application" whose target
 * resources contain the canary's object id, dated no earlier than the change minus `CLOCK_SKEW_MS`.
 * The canary app exists for nothing else, so such a record is ours; the marker written to `notes`
 * lets a human find it too.
 *
 * End-to-end latency per destination: Log Analytics gives it exactly (`ingestion_time()` minus the
 * change); for Storage and Event Hub it is the time of the poll that first saw the event, an upper
 * bound that is as fine as the poll interval. Event Hub arrival is inferred from `IncomingMessages`
 * on the AuditLogs hub after the change (reading events would need a data-plane receiver role).
 */
export const CANARY_CATEGORY = 'AuditLogs';
/** Tolerated clock difference between this machine and Entra; two canary runs closer than this can see each other's event. */
export const CLOCK_SKEW_MS = 60_000;
const MAX_BLOBS_READ = 20;
/** Bytes read from the end of each blob (hourly blobs of a busy tenant run to tens of MiB). */
const MAX_BLOB_BYTES_READ = 4 * 1024 * 1024;

export type CanaryDestination = 'log-analytics' | 'event-hub' | 'storage';

export interface CanaryState {
  readonly info: CanaryInfo;
  readonly changedAt: Date;
  /** Destinations still waited for. */
  readonly pending: Set<CanaryDestination>;
  readonly found: Map<CanaryDestination, CheckResult>;
  readonly targets: ReadonlyMap<CanaryDestination, string>;
}

/** The destinations AuditLogs is routed to, with the table, hub or container the canary will be looked for in. */
export function canaryTargets(ctx: CheckContext): Map<CanaryDestination, string> {
  const targets = new Map<CanaryDestination, string>();
  const routing = ctx.expectations.settings.filter((s) => s.categories.includes(CANARY_CATEGORY));
  if (routing.some((s) => routesTo(s, 'log-analytics'))) targets.set('log-analytics', tableOfCategory(CANARY_CATEGORY) as string);
  if (routing.some((s) => routesTo(s, 'event-hub'))) {
    const hub = hubTargets(ctx).find((t) => t.categories.includes(CANARY_CATEGORY));
    if (hub) targets.set('event-hub', hub.hub);
  }
  if (routing.some((s) => routesTo(s, 'storage'))) targets.set('storage', insightsContainerName(CANARY_CATEGORY));
  return targets;
}

export async function startCanary(ctx: CheckContext, now: () => Date, randomId: () => string): Promise<CanaryState> {
  const objectId = ctx.locations.canaryApplicationObjectId;
  if (!objectId) {
    throw new ConfigError('MissingLocation', '--canary needs the canary application: the output canary_application_object_id is missing (enable the canary in the stack, see docs/verification.md) or pass --canary-app-object-id <object id>');
  }
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(objectId)) {
    throw new ConfigError('InvalidCanaryApp', `the canary application object id must be a GUID, got ${JSON.stringify(objectId)}`);
  }
  const targets = canaryTargets(ctx);
  if (targets.size === 0) throw new ConfigError('CanaryNotRouted', `--canary follows an AuditLogs event, but the stack routes ${CANARY_CATEGORY} nowhere`);
  const changedAt = now();
  const marker = `entra-audit-verify canary ${ctx.stack} ${randomId()}`;
  const notes = `${marker} at ${changedAt.toISOString()}. Changed on purpose by \`npm run verify -- --canary\`; safe to ignore.`;
  await withRetry(
    'update the canary application',
    (signal) => ctx.clients.graph.request('PATCH', `${ctx.clients.graphEndpoint}/v1.0/applications/${objectId}`, { notes }, signal),
    ctx.retry,
  );
  return {
    info: { applicationObjectId: objectId, marker, changedAt: changedAt.toISOString() },
    changedAt,
    pending: new Set(targets.keys()),
    found: new Map(),
    targets,
  };
}

async function seenInLogAnalytics(ctx: CheckContext, state: CanaryState, now: Date): Promise<number | undefined> {
  const workspaceId = ctx.locations.workspaceId;
  if (!workspaceId) throw new ConfigError('MissingLocation', 'the canary needs the workspace GUID; pass --workspace-id <guid>');
  const since = new Date(state.changedAt.getTime() - CLOCK_SKEW_MS);
  const query = [
    'AuditLogs',
    `| where TimeGenerated >= datetime(${since.toISOString()})`,
    '| where OperationName == "Update application"',
    `| where tostring(TargetResources) has "${state.info.applicationObjectId}"`,
    '| summarize Events = count(), FirstIngested = min(ingestion_time())',
  ].join('\n');
  const answer = await withRetry(
    'look for the canary in Log Analytics',
    (signal) => ctx.clients.logs.queryWorkspace(workspaceId, query, { startTime: since, endTime: now }, { abortSignal: signal, serverTimeoutInSeconds: SERVER_TIMEOUT_SECONDS }),
    ctx.retry,
    { query: true },
  );
  const table = answer ? tablesOf(answer)[0] : undefined;
  if (!answer || !table || !Array.isArray(table.rows) || !Array.isArray(table.columnDescriptors)) {
    throw new MalformedResponseError('Log Analytics', 'the canary query answer holds no table');
  }
  const events = table.columnDescriptors.findIndex((c) => c.name === 'Events');
  const ingested = table.columnDescriptors.findIndex((c) => c.name === 'FirstIngested');
  if (events < 0 || ingested < 0) throw new MalformedResponseError('Log Analytics', 'the canary query answer lacks the Events or FirstIngested column');
  const row = table.rows[0];
  if (!row || Number(row[events]) <= 0) return undefined;
  const at = row[ingested] instanceof Date ? (row[ingested] as Date) : new Date(String(row[ingested]));
  if (Number.isNaN(at.getTime())) throw new MalformedResponseError('Log Analytics', 'FirstIngested is not a date');
  return Math.max(0, (at.getTime() - state.changedAt.getTime()) / 1000);
}

async function seenInEventHub(ctx: CheckContext, state: CanaryState, hub: string, now: Date): Promise<number | undefined> {
  const namespace = namespaceId(ctx);
  const from = new Date(Math.floor(state.changedAt.getTime() / 60_000) * 60_000);
  const end = new Date(Math.max(now.getTime(), from.getTime() + 60_000));
  const traffic = (await incomingMessages(ctx, namespace, [hub], from, end, 'PT1M')).get(hub.toLowerCase());
  const after = traffic?.bins.some((b) => b.time >= from && b.total > 0);
  return after ? Math.max(0, (now.getTime() - state.changedAt.getTime()) / 1000) : undefined;
}

async function seenInStorage(ctx: CheckContext, state: CanaryState, containerName: string, now: Date): Promise<number | undefined> {
  const container = ctx.clients.blob(ctx.locations.storageAccountId).getContainerClient(containerName);
  const exists = await withRetry(`read container ${containerName}`, (signal) => container.exists({ abortSignal: signal }), ctx.retry);
  if (!exists) return undefined;
  const since = state.changedAt.getTime() - CLOCK_SKEW_MS;
  const prefixes = ctx.locations.tenantId ? dayPrefixes(ctx.locations.tenantId, new Date(since), now) : [undefined];
  const candidates = (await listBlobs(container, prefixes, ctx))
    .filter((b) => b.properties.lastModified.getTime() >= since)
    .sort((a, b) => b.properties.lastModified.getTime() - a.properties.lastModified.getTime())
    .slice(0, MAX_BLOBS_READ);
  for (const blob of candidates) {
    // The newest records are at the end of an append blob: read its tail only.
    const size = blob.properties.contentLength ?? 0;
    const offset = Math.max(0, size - MAX_BLOB_BYTES_READ);
    const buffer = await withRetry(
      `read blob ${blob.name}`,
      (signal) => container.getBlobClient(blob.name).downloadToBuffer(offset, size - offset || undefined, { abortSignal: signal }),
      ctx.retry,
    );
    for (const line of buffer.toString('utf8').split(/\r?\n/)) {
      if (!line.includes(state.info.applicationObjectId) || !line.includes('Update application')) continue;
      let record: { time?: unknown; operationName?: unknown };
      try {
        record = JSON.parse(line) as typeof record;
      } catch {
        continue;
      }
      const time = Date.parse(String(record.time));
      if (record.operationName === 'Update application' && !Number.isNaN(time) && time >= since) {
        return Math.max(0, (now.getTime() - state.changedAt.getTime()) / 1000);
      }
    }
  }
  return undefined;
}

/** One round: looks in every destination not yet seen. */
export async function pollCanary(ctx: CheckContext, state: CanaryState, now: Date): Promise<void> {
  for (const destination of [...state.pending]) {
    const target = state.targets.get(destination) as string;
    const seconds =
      destination === 'log-analytics'
        ? await seenInLogAnalytics(ctx, state, now)
        : destination === 'event-hub'
          ? await seenInEventHub(ctx, state, target, now)
          : await seenInStorage(ctx, state, target, now);
    if (seconds === undefined) continue;
    state.pending.delete(destination);
    const s = Math.round(seconds);
    const message =
      destination === 'log-analytics'
        ? `canary event ingested ${s}s after the change`
        : destination === 'event-hub'
          ? `messages on ${target} after the change (inferred from IncomingMessages), seen at the poll ${s}s after it`
          : `canary record found in ${target} at the poll ${s}s after the change`;
    state.found.set(destination, result({
      check: 'canary',
      destination,
      category: CANARY_CATEGORY,
      target,
      status: 'pass',
      endToEndSeconds: s,
      message,
    }));
  }
}

/** Final lines: found destinations pass, the others fail ("not arrived"). */
export function canaryResults(state: CanaryState, waitedMs: number): CheckResult[] {
  return [...state.targets].map(([destination, target]) =>
    state.found.get(destination) ??
    result({
      check: 'canary',
      destination,
      category: CANARY_CATEGORY,
      target,
      status: 'fail',
      message: `canary not seen ${Math.round(waitedMs / 1000)}s after the change`,
    }),
  );
}
