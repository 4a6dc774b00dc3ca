import { NO_COLOUR, type Palette } from '../../io/colour';
import type { VerifyReport } from '../report';
import { cells, HEADERS, summary } from './cells';

const STATUS_COLUMN = HEADERS.indexOf('Status');

/** A status as it reads at a glance: green passes, red failures, yellow what could not be decided. */
function statusColour(p: Palette, status: string): (text: string) => string {
  return status === 'PASS' || status === 'PASSED' ? p.green : status === 'FAIL' || status === 'FAILED' ? p.red : status === 'SKIPPED' ? p.dim : p.yellow;
}

/** A plain-text table for a terminal; with a palette, statuses are coloured (after padding, so columns stay aligned). */
export function renderTable(report: VerifyReport, p: Palette = NO_COLOUR): string {
  const out: string[] = [];
  // No checks ran (a usage or configuration error): no table, the problems come first.
  if (report.checks.length > 0) {
    const rows = [HEADERS.slice() as string[], ...report.checks.map(cells)];
    const widths = HEADERS.map((_, i) => Math.min(i === HEADERS.length - 1 ? 200 : 40, Math.max(...rows.map((r) => (r[i] ?? '').length))));
    const line = (r: string[], header = false): string =>
      r
        .map((cell, i) => {
          const style = header ? p.bold : i === STATUS_COLUMN ? statusColour(p, cell) : undefined;
          return `${style && cell !== '' ? style(cell) : cell}${' '.repeat(Math.max(0, (widths[i] ?? 0) - cell.length))}`;
        })
        .join('  ')
        .trimEnd();
    out.push(line(rows[0] as string[], true), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map((r) => line(r)));
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
  const verdict = summary(report);
  const word = report.outcome.toUpperCase();
  if (out.length > 0) out.push('');
  out.push(verdict.startsWith(word) ? `${p.bold(statusColour(p, word)(word))}${verdict.slice(word.length)}` : verdict);
  return `${out.join('\n')}\n`;
}
