/**
 * The report files synth writes (`reports/<stack>.md`, `reports/<stack>.json`, `reports/index.md`);
 * `marker.ts` says how they are recognised.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'cdktf';
import { ComplianceError } from '../../constructs/compliance/entra-compliance';
import { EntraAuditStack } from '../entra-audit-stack';
import { renderIndexMarkdown, renderReportMarkdown } from './markdown';
import { INDEX_FILE, REPORTS_DIR } from './marker';
import { coverageReport, CoverageReport } from './model';

export { INDEX_FILE, isReportFile, REPORTS_DIR } from './marker';

/** A report as JSON: `generatedBy` first, two-space indent, a final newline. */
export function renderReportJson(report: CoverageReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

/** Every file of the reports, by file name. */
export function reportFiles(reports: readonly CoverageReport[]): Record<string, string> {
  const files: Record<string, string> = {};
  for (const report of reports) {
    files[`${report.stack}.md`] = renderReportMarkdown(report);
    files[`${report.stack}.json`] = renderReportJson(report);
  }
  files[INDEX_FILE] = renderIndexMarkdown(reports);
  return files;
}

/** Writes the report files into `<dir>/reports/` (a fresh staging folder); returns the file names. */
export function writeReports(dir: string, reports: readonly CoverageReport[]): string[] {
  const out = join(dir, REPORTS_DIR);
  mkdirSync(out, { recursive: true });
  const files = reportFiles(reports);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(out, name), text);
  return Object.keys(files);
}

/**
 * Checks the compliance of every stack of `app` and returns their reports. Throws one
 * {@link ComplianceError} listing the violations of all stacks together.
 */
export function complianceReports(app: App): CoverageReport[] {
  const stacks = app.node.children.filter((c): c is EntraAuditStack => c instanceof EntraAuditStack);
  const violations = stacks.flatMap((stack) => (stack.compliance.options.enforce === false ? [] : stack.compliance.evaluate(stack).result.violations));
  if (violations.length > 0) throw new ComplianceError(violations);
  return stacks.map(coverageReport);
}
