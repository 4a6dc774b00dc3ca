import type { CheckResult, VerifyReport } from '../report';

/** The cells shared by the table and Markdown renderers, so both say the same thing. */
export const HEADERS = ['Check', 'Destination', 'Setting', 'Category', 'Target', 'Status', 'Count', 'Newest', 'Latency p50/p95', 'Detail'] as const;

const seconds = (s: number | null): string => (s === null ? '' : `${Math.round(s)}s`);

export function cells(c: CheckResult): string[] {
  const latency =
    c.endToEndSeconds !== null
      ? `${seconds(c.endToEndSeconds)} end-to-end`
      : c.latencyP50Seconds !== null || c.latencyP95Seconds !== null
        ? `${seconds(c.latencyP50Seconds)}/${seconds(c.latencyP95Seconds)}`
        : '';
  return [
    c.check,
    c.destination,
    c.setting ?? '',
    c.category ?? '',
    c.target ?? '',
    c.status.toUpperCase(),
    c.count === null ? '' : String(c.count),
    c.newest ?? '',
    latency,
    c.message,
  ];
}

/**
 * One line: the outcome, the counts, the stack and the window. A run that stopped before any check
 * (a usage or configuration error) says only what is known: no counts of nothing, no window it never
 * looked at, and no stack name when none was given.
 */
export function summary(report: VerifyReport): string {
  const count = (s: string): number => report.checks.filter((c) => c.status === s).length;
  const verdict = {
    passed: 'every expected category arrived',
    failed: 'something is missing or stale',
    error: 'could not verify (configuration, authentication or permission)',
    timeout: 'timed out waiting',
  }[report.outcome];
  const head = `${report.outcome.toUpperCase()} (exit ${report.exitCode}): ${verdict}.`;
  const stack = report.stack ? `stack ${report.stack}` : '';
  if (report.checks.length === 0) return `${head} ${report.problems.length} problem(s)${stack ? `; ${stack}` : ''}.`;
  const warnings = count('warn') > 0 ? `${count('warn')} warning(s), ` : '';
  return `${head} ${count('pass')} passed, ${count('fail')} failed, ${warnings}${count('skipped')} skipped, ${report.problems.length} problem(s); ${stack ? `${stack}, ` : ''}window ${report.windowStart} – ${report.windowEnd} (${report.since}), ${report.attempts} attempt(s).`;
}
