import { DeadlineError, headerOf, statusCodeOf } from './errors';

/** Per-request deadline of every call but the Logs query. */
export const REQUEST_TIMEOUT_MS = 60_000;
/**
 * Deadline of a Log Analytics query: the service's own default query timeout of 3 minutes, after
 * which it answers 504 (learn.microsoft.com/azure/azure-monitor/logs/api/timeouts), plus 15 s.
 */
export const QUERY_TIMEOUT_MS = 195_000;
/** The longest wait between two attempts, a server's Retry-After included. */
export const MAX_RETRY_DELAY_MS = 60_000;

/**
 * The deadlines of a run: each request has its own (REQUEST_TIMEOUT_MS, QUERY_TIMEOUT_MS for Logs queries), and
 * none may run past the run's `--timeout` (`remainingMs` on the run's clock).
 */
export interface Deadlines {
  /** The own deadline of a request for `operation` (`query`: a Logs query). */
  ownMs(operation: string, query: boolean): number;
  /** Milliseconds left before `--timeout`. */
  remainingMs(): number;
  /** How the run's limit was given, for messages: `--timeout PT10S`. */
  readonly timeoutFlag: string;
}

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
  /** The largest wait between two attempts, `Retry-After` included. @default MAX_RETRY_DELAY_MS */
  readonly maxDelayMs?: number;
  /** Deadlines per request and for the run; without them a request has no deadline (unit tests). */
  readonly deadlines?: Deadlines;
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

const seconds = (ms: number): string => `${+(ms / 1000).toFixed(3)} s`;

/**
 * Runs one attempt under a deadline of `ms`: when it passes, the attempt's signal is aborted (the
 * transport destroys the socket) and the attempt is abandoned with `onTimeout()`, whatever the
 * operation does with the signal.
 */
async function attemptWithin<T>(ms: number, operation: (signal: AbortSignal) => Promise<T>, onTimeout: () => DeadlineError): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let expired: DeadlineError | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      expired = onTimeout();
      reject(expired);
      controller.abort(expired);
    }, ms);
  });
  const attempt = operation(controller.signal);
  attempt.catch(() => undefined); // its rejection after the deadline is expected and ignored
  try {
    return await Promise.race([attempt, deadline]);
  } catch (error) {
    // Whatever the operation threw on being aborted, the cause is the deadline.
    throw expired ?? error;
  } finally {
    clearTimeout(timer);
    deadline.catch(() => undefined);
  }
}

/**
 * Runs `operation`, retrying on 429 and 5xx with exponential backoff and full jitter
 * (delay = random × min(max, base × 2^retry)), except that a `Retry-After` from the server wins
 * (capped at `maxDelayMs`). Anything else is rethrown at once. With `deadlines`, each attempt gets
 * its own deadline (`query: true` for a Logs query), never past `--timeout`, and no retry waits past
 * `--timeout`; a request cut off is not retried.
 */
export async function withRetry<T>(name: string, operation: (signal: AbortSignal) => Promise<T>, ctx: RetryContext, options: { query?: boolean } = {}): Promise<T> {
  const maxAttempts = ctx.maxAttempts ?? 5;
  const base = ctx.baseDelayMs ?? 1000;
  const max = ctx.maxDelayMs ?? MAX_RETRY_DELAY_MS;
  const d = ctx.deadlines;
  for (let attempt = 1; ; attempt++) {
    try {
      if (!d) return await operation(new AbortController().signal);
      const own = d.ownMs(name, options.query === true);
      const remaining = d.remainingMs();
      if (remaining <= 0) throw new DeadlineError('run', `${d.timeoutFlag} ran out before the request to ${name}; raise --timeout`);
      return await attemptWithin(Math.min(own, remaining), operation, () =>
        own <= remaining
          ? new DeadlineError('request', `no answer to the request to ${name} within ${seconds(own)} (signing in included); check the endpoint flags, the network and any proxy, then run again`)
          : new DeadlineError('run', `${d.timeoutFlag} ran out while waiting for the answer to ${name}; raise --timeout`),
      );
    } catch (error) {
      const status = statusCodeOf(error);
      if (!isRetryableStatus(status) || attempt >= maxAttempts) throw error;
      const asked = retryAfterMs(error, ctx.now());
      const delayMs = Math.min(max, asked ?? Math.floor(ctx.random() * Math.min(max, base * 2 ** (attempt - 1))));
      if (d && delayMs >= d.remainingMs()) {
        throw new DeadlineError('run', `${d.timeoutFlag} would run out during the ${seconds(delayMs)} wait before retrying ${name} (HTTP ${status}); raise --timeout`);
      }
      ctx.onRetry?.({ attempt, delayMs, statusCode: status as number, operation: name });
      await ctx.sleep(delayMs);
    }
  }
}
