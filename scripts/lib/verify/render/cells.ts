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

export function summary(report: VerifyReport): string {
  const count = (s: string): number => report.checks.filter((c) => c.status === s).length;
  const verdict = {
    passed: 'every expected category arrived',
    failed: 'something is missing or stale',
    error: 'could not verify (configuration, authentication or permission)',
    timeout: 'timed out waiting',
  }[report.outcome];
  return `${report.outcome.toUpperCase()} (exit ${report.exitCode}): ${verdict}. ${count('pass')} passed, ${count('fail')} failed, ${count('skipped')} skipped, ${report.problems.length} problem(s); stack ${report.stack}, window ${report.windowStart} – ${report.windowEnd} (${report.since}), ${report.attempts} attempt(s).`;
}
