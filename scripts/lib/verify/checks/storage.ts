import type { BlobItem, ContainerClient } from '@azure/storage-blob';
import { insightsContainerName } from '../../../../constructs/internal/log-categories';
import type { CheckContext } from '../context';
import { categoriesFor } from '../expectations';
import { type CheckResult, result } from '../report';
import { withRetry } from '../retry';

/**
 * Check 4: for every category routed to storage, the container `insights-logs-<category>` exists
 * (Azure Monitor creates it with the first event) and holds a blob modified in the window.
 * Entra writes hourly append blobs under `tenantId=<tid>/y=YYYY/m=MM/d=DD/h=HH/m=00/PT1H.json`; with
 * the tenant known, only the days of the window are listed (one prefix per day), otherwise the whole
 * container, up to `MAX_BLOBS_LISTED`.
 */
export const MAX_BLOBS_LISTED = 20_000;
/** Days listed at most (one prefix each); a longer `--since` lists the newest ones. */
export const MAX_DAY_PREFIXES = 400;

const pad = (n: number): string => String(n).padStart(2, '0');

/**
 * Day prefixes covering `[start - 1h, end]` (a blob may hold records from outside its hour),
 * newest day first, at most `MAX_DAY_PREFIXES`: with a longer window the newest days are kept,
 * and listing them first means the blob cap, too, drops the oldest blobs.
 */
export function dayPrefixes(tenantId: string, start: Date, end: Date): string[] {
  const prefixes: string[] = [];
  const first = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), start.getUTCDate()));
  if (start.getTime() - 3_600_000 < first.getTime()) first.setUTCDate(first.getUTCDate() - 1);
  const day = new Date(Date.UTC(end.getUTCFullYear(), end.getUTCMonth(), end.getUTCDate()));
  while (day.getTime() >= first.getTime() && prefixes.length < MAX_DAY_PREFIXES) {
    prefixes.push(`tenantId=${tenantId}/y=${day.getUTCFullYear()}/m=${pad(day.getUTCMonth() + 1)}/d=${pad(day.getUTCDate())}/`);
    day.setUTCDate(day.getUTCDate() - 1);
  }
  return prefixes;
}

/** Blobs under the prefixes (or all), bounded. */
export async function listBlobs(container: ContainerClient, prefixes: readonly (string | undefined)[], ctx: CheckContext): Promise<BlobItem[]> {
  const items: BlobItem[] = [];
  for (const prefix of prefixes) {
    await withRetry(`list blobs in ${container.containerName}`, async (signal) => {
      const found: BlobItem[] = [];
      for await (const page of container.listBlobsFlat({ prefix, abortSignal: signal }).byPage({ maxPageSize: 1000 })) {
        found.push(...page.segment.blobItems);
        if (items.length + found.length >= MAX_BLOBS_LISTED) break;
      }
      items.push(...found);
    }, ctx.retry);
    if (items.length >= MAX_BLOBS_LISTED) break;
  }
  return items;
}

export async function checkStorage(ctx: CheckContext): Promise<CheckResult[]> {
  const categories = categoriesFor(ctx.expectations, 'storage');
  if (categories.length === 0) return [];
  const service = ctx.clients.blob(ctx.locations.storageAccountId);
  const results: CheckResult[] = [];
  for (const category of categories) {
    const name = insightsContainerName(category);
    const base = { check: 'storage', destination: 'storage', category, target: name } as const;
    const container = service.getContainerClient(name);
    const exists = await withRetry(`read container ${name}`, (signal) => container.exists({ abortSignal: signal }), ctx.retry);
    if (!exists) {
      results.push(result({ ...base, status: 'fail', count: 0, message: `container ${name} does not exist (Azure Monitor creates it with the first event)` }));
      continue;
    }
    const prefixes = ctx.locations.tenantId ? dayPrefixes(ctx.locations.tenantId, ctx.window.start, ctx.window.end) : [undefined];
    const blobs = await listBlobs(container, prefixes, ctx);
    const recent = blobs.filter((b) => b.properties.lastModified >= ctx.window.start);
    const newest = recent.reduce<Date | null>((n, b) => (n === null || b.properties.lastModified > n ? b.properties.lastModified : n), null);
    const bounded = prefixes.length === MAX_DAY_PREFIXES ? ` (only the newest ${MAX_DAY_PREFIXES} days of the window were listed)` : '';
    results.push(
      recent.length > 0
        ? result({ ...base, status: 'pass', count: recent.length, newest: newest?.toISOString() ?? null, message: `${recent.length} blob(s) modified in the window${bounded}` })
        : result({ ...base, status: 'fail', count: 0, message: `no blob in ${name} was modified in the window (${blobs.length} older blob(s))${bounded}` }),
    );
  }
  return results;
}
