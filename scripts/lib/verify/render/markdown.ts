import type { VerifyReport } from '../report';
import { cells, HEADERS, summary } from './cells';

const escape = (text: string): string => text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

const ICON: Readonly<Record<string, string>> = { PASS: '✅ pass', WARN: '⚠️ warn', FAIL: '❌ fail', ERROR: '⛔ error', SKIPPED: '➖ skipped' };

/** GitHub-flavoured Markdown for a job summary (`>> $GITHUB_STEP_SUMMARY`). */
export function renderMarkdown(report: VerifyReport): string {
  const out = [`## Entra log arrival${report.stack ? `: ${escape(report.stack)}` : ''}`, '', `**${escape(summary(report))}**`];
  // No checks ran (a usage or configuration error): no empty table before the problems.
  if (report.checks.length > 0) {
    out.push('', `| ${HEADERS.join(' | ')} |`, `|${HEADERS.map(() => '---').join('|')}|`);
    for (const c of report.checks) {
      const row = cells(c);
      row[5] = ICON[row[5] as string] ?? (row[5] as string);
      out.push(`| ${row.map(escape).join(' | ')} |`);
    }
  }
  if (report.canary) {
    out.push('', `Canary: application \`${report.canary.applicationObjectId}\` changed at ${report.canary.changedAt} (marker \`${escape(report.canary.marker)}\`).`);
  }
  if (report.problems.length > 0) {
    out.push('', '### Problems', '');
    for (const p of report.problems) {
      out.push(`- **${p.code}**${p.check ? ` (${p.check})` : ''}: ${escape(p.message)}${p.requiredPermission ? `\n  - needs: ${escape(p.requiredPermission)}` : ''}`);
    }
  }
  return `${out.join('\n')}\n`;
}
