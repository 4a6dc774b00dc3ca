import type { VerifyReport } from '../report';

/** The `--json` output: the report as is (schema in ../report.schema.json), two-space indented. */
export function renderJson(report: VerifyReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
