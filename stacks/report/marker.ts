/**
 * How a report file is recognised as written by this tool: by its first bytes. Synth replaces and
 * withdraws only such files, so nothing else in a `reports/` folder is ever touched.
 */
import { closeSync, lstatSync, openSync, readSync } from 'node:fs';

/** The folder of the reports, in the synth output. */
export const REPORTS_DIR = 'reports';
/** The index page of the reports. */
export const INDEX_FILE = 'index.md';
/** The first key of every JSON report. */
export const REPORT_GENERATED_BY = 'entra-audit-logging coverage report';
/** The first line of every markdown report. */
export const MARKDOWN_REPORT_MARKER = `<!-- ${REPORT_GENERATED_BY}: written by synth (npm run synth) and npm run report from the configuration; do not edit. -->`;
/** How every JSON report begins. */
export const JSON_REPORT_PREFIX = `{\n  "generatedBy": "${REPORT_GENERATED_BY}"`;

/** Whether `file` is a regular `.md` or `.json` file that begins like a report this tool writes. Reads only that prefix. */
export function isReportFile(file: string): boolean {
  const name = file.split(/[\\/]/).pop() ?? '';
  const prefix = name.endsWith('.md') ? MARKDOWN_REPORT_MARKER : name.endsWith('.json') ? JSON_REPORT_PREFIX : undefined;
  if (prefix === undefined) return false;
  let fd: number | undefined;
  try {
    if (!lstatSync(file).isFile()) return false;
    fd = openSync(file, 'r');
    const expected = Buffer.from(prefix, 'utf8');
    const head = Buffer.alloc(expected.length);
    const read = readSync(fd, head, 0, head.length, 0);
    return read === expected.length && head.equals(expected);
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
