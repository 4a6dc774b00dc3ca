import { insightsContainerName } from '../../../../constructs/internal/log-categories';
import type { CheckContext } from '../context';
import { ConfigError, MalformedResponseError } from '../errors';
import { isTerraformReference } from '../expectations';
import { type CheckResult, result } from '../report';
import { withRetry } from '../retry';

/**
 * Check 3: messages arrive in the event hubs, read from the Azure Monitor platform metric
 * `IncomingMessages` of the namespace, split by its `EntityName` dimension (one time series per hub).
 * Reading metrics needs only Monitoring Reader, not a data-plane receiver role; the price is that a
 * hub shared by several categories cannot tell them apart.
 */
export interface HubTarget {
  readonly hub: string;
  readonly categories: readonly string[];
  /** True when one hub named by the setting carries several categories. */
  readonly shared: boolean;
}

export interface HubTraffic {
  readonly total: number;
  /** Start of the newest bin with messages. */
  readonly newest: Date | null;
  readonly bins: ReadonlyArray<{ readonly time: Date; readonly total: number }>;
}

/** Metric intervals Azure Monitor accepts; the smallest giving at most ~1,500 points over the window. */
const INTERVALS: ReadonlyArray<[string, number]> = [
  ['PT1M', 60_000], ['PT5M', 300_000], ['PT15M', 900_000], ['PT30M', 1_800_000], ['PT1H', 3_600_000], ['PT6H', 21_600_000], ['PT12H', 43_200_000], ['P1D', 86_400_000],
];

export function metricInterval(windowMs: number): string {
  return (INTERVALS.find(([, ms]) => windowMs / ms <= 1_500) ?? INTERVALS[INTERVALS.length - 1]!)[0];
}

/** The hubs the stack's settings write to, with their categories. */
export function hubTargets(ctx: CheckContext): HubTarget[] {
  const byHub = new Map<string, { categories: Set<string>; shared: boolean }>();
  for (const s of ctx.expectations.settings) {
    if (s.eventHubAuthorizationRuleId === undefined) continue;
    const named = s.eventHubName === undefined ? undefined : isTerraformReference(s.eventHubName) ? ctx.locations.eventHubName : s.eventHubName;
    if (s.eventHubName !== undefined && named === undefined) {
      throw new ConfigError('MissingLocation', `${s.address} writes to a named event hub but its name is unknown: the output eventhub_name is missing; pass --eventhub-name <name>`);
    }
    for (const category of s.categories) {
      const hub = named ?? insightsContainerName(category);
      const entry = byHub.get(hub) ?? { categories: new Set<string>(), shared: named !== undefined };
      entry.categories.add(category);
      byHub.set(hub, entry);
    }
  }
  return [...byHub].map(([hub, e]) => ({ hub, categories: [...e.categories], shared: e.shared && e.categories.size > 1 }));
}

/** The Event Hubs namespace: the output (or flag), else the prefix of a literal authorization rule id. */
export function namespaceId(ctx: CheckContext): string {
  if (ctx.locations.eventHubNamespaceId) return ctx.locations.eventHubNamespaceId;
  for (const s of ctx.expectations.settings) {
    const rule = s.eventHubAuthorizationRuleId;
    if (rule && !isTerraformReference(rule)) return rule.replace(/\/authorizationRules\/[^/]+\/?$/i, '');
  }
  throw new ConfigError('MissingLocation', 'the stack routes to Event Hubs but the namespace is unknown: the output eventhub_namespace_id is missing; pass --eventhub-namespace-id <arm id>');
}

/**
 * The `resourceUri` `@azure/arm-monitor` `metrics.list` takes: the ARM id without its leading slash.
 * The SDK neither encodes it nor strips the slash, and its path template starts with `/`
 * (`/{resourceUri}/providers/Microsoft.Insights/metrics`), so an id as ARM writes it would send the
 * request to `https://management.azure.com//subscriptions/...`; Microsoft's `GetMetric` sample for the
 * SDK passes it without the slash.
 */
export function metricsResourceUri(armId: string): string {
  return armId.replace(/^\/+/, '');
}

/** `IncomingMessages` totals per hub (keys in lower case) over `[start, end]`. */
export async function incomingMessages(ctx: CheckContext, namespace: string, hubs: readonly string[], start: Date, end: Date, interval: string): Promise<Map<string, HubTraffic>> {
  for (const hub of hubs) if (!/^[A-Za-z0-9][-._A-Za-z0-9]*$/.test(hub)) throw new ConfigError('InvalidEventHubName', `not an event hub name: ${JSON.stringify(hub)}`);
  const filter = hubs.map((h) => `EntityName eq '${h}'`).join(' or ');
  const response = await withRetry(
    'read Event Hubs IncomingMessages',
    (signal) => ctx.clients.metrics(namespace).metrics.list(metricsResourceUri(namespace), {
      abortSignal: signal,
      timespan: `${start.toISOString()}/${end.toISOString()}`,
      interval,
      metricnames: 'IncomingMessages',
      aggregation: 'Total',
      filter,
      top: Math.max(10, hubs.length),
    }),
    ctx.retry,
  );
  if (!response || !Array.isArray(response.value)) throw new MalformedResponseError('Azure Monitor metrics', 'the metrics answer has no value array');
  const out = new Map<string, HubTraffic>();
  for (const metric of response.value) {
    if (!Array.isArray(metric.timeseries)) throw new MalformedResponseError('Azure Monitor metrics', 'a metric has no timeseries array');
    for (const series of metric.timeseries) {
      const entity = (series.metadatavalues ?? []).find((m) => m.name?.value?.toLowerCase() === 'entityname')?.value;
      if (entity === undefined) continue;
      const bins = (series.data ?? []).map((d) => {
        const time = d.timeStamp instanceof Date ? d.timeStamp : new Date(d.timeStamp as unknown as string);
        if (Number.isNaN(time.getTime())) throw new MalformedResponseError('Azure Monitor metrics', `a data point has no valid timeStamp`);
        return { time, total: d.total ?? 0 };
      });
      const withMessages = bins.filter((b) => b.total > 0);
      const previous = out.get(entity.toLowerCase());
      const allBins = [...(previous?.bins ?? []), ...bins];
      const total = (previous?.total ?? 0) + withMessages.reduce((sum, b) => sum + b.total, 0);
      const newest = allBins.filter((b) => b.total > 0).reduce<Date | null>((n, b) => (n === null || b.time > n ? b.time : n), null);
      out.set(entity.toLowerCase(), { total, newest, bins: allBins });
    }
  }
  return out;
}

export async function checkEventHub(ctx: CheckContext): Promise<CheckResult[]> {
  const targets = hubTargets(ctx);
  if (targets.length === 0) return [];
  const namespace = namespaceId(ctx);
  const traffic = await incomingMessages(ctx, namespace, targets.map((t) => t.hub), ctx.window.start, ctx.window.end, metricInterval(ctx.window.end.getTime() - ctx.window.start.getTime()));
  const results: CheckResult[] = [];
  for (const target of targets) {
    const t = traffic.get(target.hub.toLowerCase());
    for (const category of target.categories) {
      const base = { check: 'event-hub', destination: 'event-hub', category, target: target.hub } as const;
      const shared = target.shared ? ` (hub shared by ${target.categories.length} categories: the metric cannot tell them apart)` : '';
      results.push(
        t && t.total > 0
          ? result({ ...base, status: 'pass', count: t.total, newest: t.newest?.toISOString() ?? null, message: `${t.total} incoming message(s)${shared}` })
          : result({ ...base, status: 'fail', count: 0, message: `no incoming messages on hub ${target.hub} in the window${shared}` }),
      );
    }
  }
  return results;
}
