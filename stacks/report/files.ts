/**
 * The report files synth writes (`reports/<stack>.md`, `reports/<stack>.json`, `reports/index.md`);
 * `marker.ts` says how they are recognised.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'cdktf';
import { ComplianceError } from '../../constructs/compliance/entra-compliance';
import { EntraAuditStack } from '../entra-audit-stack';
import { renderIndexMarkdown, renderReportMarkdown } from './markdown';
import { INDEX_FILE, isReportFile, REPORTS_DIR } from './marker';
import { coverageReport, CoverageReport } from './model';

export { INDEX_FILE, isReportFile, REPORTS_DIR } from './marker';

/** A report as JSON: `generatedBy` first, two-space indent, a final newline. */
export function renderReportJson(report: CoverageReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

/**
 * Every file of the reports, by file name. The index lists `indexed` (default: `reports`); a sharded
 * synth adds the reports an earlier synth wrote for the stacks it did not build ({@link previousReports}).
 */
export function reportFiles(reports: readonly CoverageReport[], indexed: readonly CoverageReport[] = reports): Record<string, string> {
  const files: Record<string, string> = {};
  for (const report of reports) {
    files[`${report.stack}.md`] = renderReportMarkdown(report);
    files[`${report.stack}.json`] = renderReportJson(report);
  }
  files[INDEX_FILE] = renderIndexMarkdown(indexed);
  return files;
}

/** Writes the report files into `<dir>/reports/` (a fresh staging folder); returns the file names. */
export function writeReports(dir: string, reports: readonly CoverageReport[], indexed: readonly CoverageReport[] = reports): string[] {
  const out = join(dir, REPORTS_DIR);
  mkdirSync(out, { recursive: true });
  const files = reportFiles(reports, indexed);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(out, name), text);
  return Object.keys(files);
}

/**
 * The JSON reports an earlier synth left in `<outdir>/reports/` for the given stacks, for the index of
 * a sharded synth (ENTRA_AUDIT_STACKS). A stack without one, or whose file synth did not write or
 * cannot be read as a report, is left out.
 */
export function previousReports(outdir: string, stackIds: readonly string[]): CoverageReport[] {
  const found: CoverageReport[] = [];
  for (const id of stackIds) {
    const file = join(outdir, REPORTS_DIR, `${id}.json`);
    if (!isReportFile(file)) continue;
    try {
      const report = JSON.parse(readFileSync(file, 'utf8')) as CoverageReport;
      if (report.stack === id) found.push(report);
    } catch {
      // Not a readable report: the index leaves it out, as it would a stack never synthesized.
    }
  }
  return found;
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
