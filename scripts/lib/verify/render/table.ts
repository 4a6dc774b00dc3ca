import type { VerifyReport } from '../report';
import { cells, HEADERS, summary } from './cells';

/** A plain-text table for a terminal. */
export function renderTable(report: VerifyReport): string {
  const out: string[] = [];
  // No checks ran (a usage or configuration error): no table, the problems come first.
  if (report.checks.length > 0) {
    const rows = [HEADERS.slice() as string[], ...report.checks.map(cells)];
    const widths = HEADERS.map((_, i) => Math.min(i === HEADERS.length - 1 ? 200 : 40, Math.max(...rows.map((r) => (r[i] ?? '').length))));
    const line = (r: string[]): string => r.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
    out.push(line(rows[0] as string[]), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line));
  }
  if (report.canary) out.push('', `Canary: application ${report.canary.applicationObjectId} changed at ${report.canary.changedAt} (marker "${report.canary.marker}")`);
  if (report.problems.length > 0) {
    if (out.length > 0) out.push('');
    out.push('Problems:');
    for (const p of report.problems) {
      out.push(`  - [${p.code}]${p.check ? ` ${p.check}:` : ''} ${p.message}`);
      if (p.requiredPermission) out.push(`    needs: ${p.requiredPermission}`);
    }
  }
  if (out.length > 0) out.push('');
  out.push(summary(report));
  return `${out.join('\n')}\n`;
}
