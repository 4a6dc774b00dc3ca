import { type CanaryState, canaryResults, pollCanary, startCanary } from './checks/canary';
import { checkDiagnosticSettings } from './checks/diagnostic-settings';
import { checkEventHub } from './checks/event-hub';
import { checkLogAnalytics } from './checks/log-analytics';
import { checkReaderApp } from './checks/reader-app';
import { checkStorage } from './checks/storage';
import type { VerifyClients } from './clients';
import type { CheckContext } from './context';
import { formatDuration } from './duration';
import type { Expectations } from './expectations';
import type { Locations } from './outputs';
import { RUN_TIMEOUT_CODE, toProblem } from './problems';
import type { SecretRegistry } from './redact';
import { type CheckKind, type CheckResult, type Destination, outcomeOf, type Problem, result, SCHEMA_VERSION, type VerifyReport } from './report';
import { type Deadlines, QUERY_TIMEOUT_MS, REQUEST_TIMEOUT_MS, type RetryContext } from './retry';

export interface RunSettings {
  readonly stack: string;
  /** `--since` as given, and in milliseconds. */
  readonly since: string;
  readonly sinceMs: number;
  readonly wait: boolean;
  /** `--timeout`: bounds the whole run, every request included. */
  readonly timeoutMs: number;
  /** `--timeout` as given, for messages. @default the duration in milliseconds */
  readonly timeout?: string;
  readonly pollIntervalMs: number;
  readonly canary: boolean;
  /** Checks not to run; each gets one `skipped` line. @default [] */
  readonly skip?: readonly CheckKind[];
}

/** The outside world, injected: tests pass a fake clock whose `sleep` moves time forward. */
export interface RunEnvironment {
  readonly now: () => Date;
  readonly sleep: (ms: number) => Promise<void>;
  readonly random: () => number;
  readonly randomId: () => string;
  /** Called with a one-line status while waiting; the CLI passes it only when stderr is a TTY. */
  readonly progress?: (line: string) => void;
  /** Strings that must never appear in the report (connection string, secrets from the environment, tokens sent). */
  readonly secrets?: SecretRegistry | readonly string[];
  /**
   * Every request's own deadline, instead of REQUEST_TIMEOUT_MS and QUERY_TIMEOUT_MS; a function
   * gets the operation's name (tests cut the one request they make misbehave after tens of ms).
   */
  readonly requestTimeoutMs?: number | ((operation: string) => number);
}

interface CheckEntry {
  readonly kind: CheckKind;
  readonly destination: Destination;
  readonly run: (ctx: CheckContext) => Promise<CheckResult[]>;
  /** Whether the check has anything to look at in this stack (else it gives no line, not even "skipped"). @default always */
  readonly applies?: (ctx: CheckContext) => boolean;
  /**
   * Whether `--wait` runs it again while it fails: arrival can still happen; a missing consent or an
   * expired secret does not fix itself while waiting. @default true
   */
  readonly waitable?: boolean;
}

const CHECKS: readonly CheckEntry[] = [
  { kind: 'diagnostic-settings', destination: 'tenant', run: checkDiagnosticSettings },
  { kind: 'log-analytics', destination: 'log-analytics', run: checkLogAnalytics },
  { kind: 'event-hub', destination: 'event-hub', run: checkEventHub },
  { kind: 'storage', destination: 'storage', run: checkStorage },
  {
    kind: 'reader-app', destination: 'graph', run: checkReaderApp, waitable: false,
    applies: (ctx) => ctx.expectations.readerApp === true,
  },
];

/** Lines of checks `--wait` does not run again. */
const notWaitable = (c: CheckResult): boolean => CHECKS.some((e) => e.kind === c.check && e.waitable === false);

/** Runs the checks (on a later `--wait` round only the waitable ones; `keep` holds the others' lines). */
async function runChecks(
  ctx: CheckContext, secrets: SecretRegistry | readonly string[], skip: readonly CheckKind[], keep?: readonly CheckResult[],
): Promise<{ checks: CheckResult[]; problems: Problem[] }> {
  const checks: CheckResult[] = [];
  const problems: Problem[] = [];
  let outOfTime = false;
  for (const { kind, destination, run: check, applies, waitable } of CHECKS) {
    if (applies && !applies(ctx)) continue;
    if (keep && waitable === false) {
      checks.push(...keep.filter((c) => c.check === kind));
      continue;
    }
    if (skip.includes(kind) || outOfTime) {
      checks.push(result({ check: kind, destination, status: 'skipped', message: outOfTime ? 'not run: --timeout ran out' : 'skipped (--skip)' }));
      continue;
    }
    try {
      checks.push(...(await check(ctx)));
    } catch (error) {
      const problem = toProblem(kind, error, secrets);
      problems.push(problem);
      // Once --timeout has run out, the checks left would only fail the same way.
      outOfTime = problem.code === RUN_TIMEOUT_CODE;
    }
  }
  return { checks, problems };
}

/**
 * Runs the checks once, or with `--wait` until everything has arrived or `--timeout` has passed;
 * with `--canary` it first makes the canary change, then polls the destinations for it until seen or timed out.
 * A problem (exit 2) ends the run at once: waiting does not fix a missing role.
 */
export async function runVerification(input: {
  readonly settings: RunSettings;
  readonly expectations: Expectations;
  readonly locations: Locations;
  readonly clients: VerifyClients;
  readonly env: RunEnvironment;
}): Promise<VerifyReport> {
  const { settings, env } = input;
  const secrets = env.secrets ?? [];
  const startedAt = env.now();
  const deadline = startedAt.getTime() + settings.timeoutMs;
  const deadlines: Deadlines = {
    ownMs: (operation, query) => {
      const injected = env.requestTimeoutMs;
      if (injected === undefined) return query ? QUERY_TIMEOUT_MS : REQUEST_TIMEOUT_MS;
      return typeof injected === 'number' ? injected : injected(operation);
    },
    remainingMs: () => deadline - env.now().getTime(),
    timeoutFlag: `--timeout ${settings.timeout ?? `${settings.timeoutMs} ms`}`,
  };
  const retry: RetryContext = { sleep: env.sleep, random: env.random, now: env.now, deadlines };
  const contextAt = (end: Date): CheckContext => ({
    stack: settings.stack,
    clients: input.clients,
    expectations: input.expectations,
    locations: input.locations,
    window: { start: new Date(end.getTime() - settings.sinceMs), end },
    retry,
  });

  let ctx = contextAt(startedAt);
  let canary: CanaryState | undefined;
  const canaryProblems: Problem[] = [];
  if (settings.canary) {
    try {
      canary = await startCanary(ctx, env.now, env.randomId);
    } catch (error) {
      canaryProblems.push(toProblem('canary', error, secrets));
    }
  }

  let attempts = 0;
  let timedOut = false;
  let checks: CheckResult[] = [];
  let problems: Problem[] = [];
  for (;;) {
    const pending = (c: CheckResult): boolean => c.status === 'fail' && !notWaitable(c);
    const rerun = attempts === 0 || (settings.wait && checks.some(pending));
    ctx = contextAt(env.now());
    if (rerun) ({ checks, problems } = await runChecks(ctx, secrets, settings.skip ?? [], attempts === 0 ? undefined : checks));
    attempts++;
    if (canary && canary.pending.size > 0 && canaryProblems.length === 0) {
      try {
        await pollCanary(ctx, canary, env.now());
      } catch (error) {
        canaryProblems.push(toProblem('canary', error, secrets));
      }
    }
    if (problems.length > 0 || canaryProblems.length > 0) break;
    const regularPending = settings.wait ? checks.filter(pending).length : 0;
    const canaryPending = canary?.pending.size ?? 0;
    if (regularPending === 0 && canaryPending === 0) break;
    const now = env.now().getTime();
    // A poll at the deadline would have no time left for its requests: stop before it.
    if (now + settings.pollIntervalMs >= deadline) {
      timedOut = true;
      break;
    }
    env.progress?.(
      `waiting: ${checks.length - regularPending}/${checks.length} checks passing` +
        (canary ? `, canary pending in ${[...canary.pending].join(', ') || 'none'}` : '') +
        `; ${formatDuration(now - startedAt.getTime())} elapsed, timeout in ${formatDuration(deadline - now)}`,
    );
    await env.sleep(settings.pollIntervalMs);
  }

  const end = env.now();
  const allChecks = canary ? [...checks, ...canaryResults(canary, end.getTime() - canary.changedAt.getTime())] : checks;
  const allProblems = [...canaryProblems, ...problems];
  if (allProblems.length === 0 && allChecks.every((c) => c.status === 'skipped')) {
    // A run that looked at nothing must not pass.
    allProblems.push({
      code: 'NothingVerified',
      check: null,
      message: `nothing was verified: ${allChecks.length === 0 ? 'the checks left have nothing to check in this stack' : 'every check was skipped'}${settings.skip?.length ? ` (--skip ${settings.skip.join(',')})` : ''}; run at least one check that applies (remove it from --skip, or add --canary)`,
      requiredPermission: null,
    });
  }
  const { outcome, exitCode } = outcomeOf(allChecks, allProblems, timedOut);
  return {
    schemaVersion: SCHEMA_VERSION,
    tool: 'entra-audit-verify',
    stack: settings.stack,
    generatedAt: end.toISOString(),
    since: settings.since,
    windowStart: ctx.window.start.toISOString(),
    windowEnd: ctx.window.end.toISOString(),
    outcome,
    exitCode,
    attempts,
    checks: allChecks,
    problems: allProblems,
    canary: canary?.info ?? null,
  };
}
