import { headerOf, statusCodeOf } from './errors';

/** What `withRetry` needs from the outside world; tests pass a fake sleep and a fixed random. */
export interface RetryContext {
  /** Waits `ms` milliseconds. */
  readonly sleep: (ms: number) => Promise<void>;
  /** A number in [0, 1), as `Math.random`. */
  readonly random: () => number;
  /** The current time, to read a `Retry-After` given as an HTTP date. */
  readonly now: () => Date;
  /** Attempts in total, the first included. @default 5 */
  readonly maxAttempts?: number;
  /** The first backoff ceiling in milliseconds; doubles on each retry. @default 1000 */
  readonly baseDelayMs?: number;
  /** The largest wait between two attempts, `Retry-After` included. @default 60000 */
  readonly maxDelayMs?: number;
  /** Told about each retry (for a progress line); never given a secret. */
  readonly onRetry?: (info: { attempt: number; delayMs: number; statusCode: number; operation: string }) => void;
}

/** 429 (throttled) and every 5xx are worth another try; 4xx otherwise are the caller's problem. */
export function isRetryableStatus(status: number | undefined): boolean {
  return status === 429 || (status !== undefined && status >= 500 && status <= 599);
}

/**
 * The wait a `Retry-After` header asks for (RFC 9110 §10.2.3: delay-seconds or an HTTP date),
 * or the `x-ms-retry-after-ms` / `retry-after-ms` headers Azure services also send.
 */
export function retryAfterMs(error: unknown, now: Date): number | undefined {
  for (const name of ['retry-after-ms', 'x-ms-retry-after-ms']) {
    const value = headerOf(error, name);
    if (value !== undefined && /^\d+(\.\d+)?$/.test(value.trim())) return Number(value.trim());
  }
  const value = headerOf(error, 'retry-after');
  if (value === undefined) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now.getTime());
}

/**
 * Runs `operation`, retrying on 429 and 5xx with exponential backoff and full jitter
 * (delay = random × min(max, base × 2^retry)), except that a `Retry-After` from the server wins
 * (capped at `maxDelayMs`). Anything else is rethrown at once.
 */
export async function withRetry<T>(name: string, operation: () => Promise<T>, ctx: RetryContext): Promise<T> {
  const maxAttempts = ctx.maxAttempts ?? 5;
  const base = ctx.baseDelayMs ?? 1000;
  const max = ctx.maxDelayMs ?? 60_000;
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      const status = statusCodeOf(error);
      if (!isRetryableStatus(status) || attempt >= maxAttempts) throw error;
      const asked = retryAfterMs(error, ctx.now());
      const delayMs = Math.min(max, asked ?? Math.floor(ctx.random() * Math.min(max, base * 2 ** (attempt - 1))));
      ctx.onRetry?.({ attempt, delayMs, statusCode: status as number, operation: name });
      await ctx.sleep(delayMs);
    }
  }
}
