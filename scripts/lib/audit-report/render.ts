/**
 * The report's files, from the collected KPIs: a markdown summary with headline figures and charts
 * next to it (`summary.md`, `charts/<kpi>.svg`), one CSV per KPI (`<kpi>.csv`) and, on request, the
 * whole report as JSON (`report.json`). Pure: the same report gives the same bytes.
 */
import type { Cell, KpiResult } from './collect';
import { type CsvValue, toCsv } from './csv';
import type { KpiDefinition } from './kpis';
import { barChart, type Bar, lineChart } from './svg';

export const REPORT_FORMATS = ['md', 'csv', 'json'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export const SCHEMA_VERSION = 1;
export const SUMMARY_FILE = 'summary.md';
export const JSON_FILE = 'report.json';
/** Rows of each KPI shown in the summary; the CSV has them all. */
export const SUMMARY_ROWS = 10;

export interface Headline {
  readonly kpi: string;
  readonly label: string;
  readonly value: string;
}

export interface AuditReport {
  readonly schemaVersion: typeof SCHEMA_VERSION;
  readonly tool: 'entra-audit-report';
  readonly stack: string;
  readonly generatedAt: string;
  readonly since: string;
  readonly windowStart: string;
  readonly windowEnd: string;
  readonly workspaceId: string;
  readonly headlines: readonly Headline[];
  readonly kpis: readonly KpiResult[];
}

export interface ReportFile {
  /** Relative to the output directory, `/`-separated. */
  readonly path: string;
  readonly content: string;
}

/** `12345` → `12,345`; other numbers with at most two decimals. */
export function formatNumber(n: number): string {
  const [whole, fraction] = (Number.isInteger(n) ? String(n) : n.toFixed(2).replace(/0+$/, '').replace(/\.$/, '')).split('.');
  const grouped = (whole as string).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return fraction ? `${grouped}.${fraction}` : grouped;
}

const column = (result: Extract<KpiResult, { status: 'ok' }>, name: string): number => result.columns.findIndex((c) => c.name === name);
const sum = (result: Extract<KpiResult, { status: 'ok' }>, name: string): number => {
  const i = column(result, name);
  return result.rows.reduce((total, row) => total + (typeof row[i] === 'number' ? (row[i] as number) : 0), 0);
};
const distinct = (result: Extract<KpiResult, { status: 'ok' }>, name: string): number => new Set(result.rows.map((row) => row[column(result, name)])).size;
const plural = (n: number, one: string, many: string): string => `${formatNumber(n)} ${n === 1 ? one : many}`;

/** The headline figure of each KPI (`not available` when it was skipped). */
export function headlines(kpis: readonly KpiDefinition[], results: readonly KpiResult[]): Headline[] {
  return kpis.map((kpi) => {
    const result = results.find((r) => r.key === kpi.key);
    if (!result || result.status !== 'ok') return { kpi: kpi.key, label: kpi.title, value: 'not available (see below)' };
    const more = result.truncated ? ' (at least: the list reached its limit)' : '';
    switch (kpi.key) {
      case 'sign-in-success-rate': {
        const total = sum(result, 'SignIns');
        const ok = sum(result, 'Succeeded');
        return { kpi: kpi.key, label: 'Sign-in success rate', value: total === 0 ? 'no interactive sign-ins' : `${(Math.round((10_000 * ok) / total) / 100).toFixed(2)} % of ${plural(total, 'interactive sign-in', 'interactive sign-ins')}` };
      }
      case 'failed-sign-ins-by-country':
        return { kpi: kpi.key, label: 'Failed sign-ins', value: `${formatNumber(sum(result, 'FailedSignIns'))} from ${plural(result.rows.length, 'country or region', 'countries or regions')}${more}` };
      case 'top-privileged-actions':
        return { kpi: kpi.key, label: 'Privileged actions', value: `${formatNumber(sum(result, 'Actions'))} by ${plural(distinct(result, 'Actor'), 'actor', 'actors')}${more}` };
      case 'risky-users': {
        const level = column(result, 'RiskLevel');
        const high = result.rows.filter((row) => row[level] === 'high').length;
        return { kpi: kpi.key, label: kpi.title, value: `${formatNumber(result.rows.length)} (${formatNumber(high)} at high risk)${more}` };
      }
      default:
        return { kpi: kpi.key, label: kpi.title, value: `${formatNumber(result.rows.length)}${more}` };
    }
  });
}

/**
 * Text from the logs in a markdown table cell: `&`, `<` and `>` as entities (no HTML gets through),
 * the characters that start markdown inline syntax backslash-escaped (CommonMark 0.31 §2.4: any ASCII
 * punctuation may be escaped), `|` escaped (GitHub tables), line breaks as spaces.
 */
export function markdownCell(value: Cell): string {
  if (value === null) return '';
  if (typeof value === 'number') return formatNumber(value);
  return value
    .replace(/\r\n|\r|\n/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]|~!])/g, '\\$1');
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((row) => `| ${row.join(' | ')} |`)];
}

function chartOf(kpi: KpiDefinition, result: Extract<KpiResult, { status: 'ok' }>): string | undefined {
  const chart = kpi.chart;
  if (!chart) return undefined;
  const label = column(result, chart.label);
  const value = column(result, chart.value);
  const labelText = (cell: Cell): string => (cell === null ? '(none)' : typeof cell === 'number' ? String(cell) : kpi.columns[label]?.kind === 'datetime' ? cell.slice(0, 10) : cell);
  if (chart.kind === 'line') {
    return lineChart(kpi.title, result.rows.map((row) => ({ label: labelText(row[label] ?? null), value: Number(row[value] ?? 0) })), chart.unit);
  }
  const totals = new Map<string, number>();
  for (const row of result.rows) {
    const key = labelText(row[label] ?? null);
    totals.set(key, (chart.sumByLabel ? (totals.get(key) ?? 0) : 0) + Number(row[value] ?? 0));
  }
  const bars: Bar[] = [...totals].map(([l, v]) => ({ label: l, value: v }));
  if (chart.sumByLabel) bars.sort((a, b) => b.value - a.value || a.label.localeCompare(b.label));
  return barChart(`${kpi.title} (top ${Math.min(chart.top ?? bars.length, bars.length)})`, bars.slice(0, chart.top ?? bars.length), chart.unit);
}

function summary(report: AuditReport, kpis: readonly KpiDefinition[], formats: readonly ReportFormat[], charts: ReadonlySet<string>): string {
  const lines: string[] = [
    `# Entra ID audit report: ${markdownCell(report.stack)}`,
    '',
    ...table(['', ''], [
      ['Window', `${report.windowStart} to ${report.windowEnd} (${report.since})`],
      ['Workspace', `\`${report.workspaceId}\``],
      ['Generated', `${report.generatedAt} by \`npm run audit-report\``],
    ]),
    '',
    '## Headline figures',
    '',
    ...table(['KPI', 'Figure'], report.headlines.map((h) => [h.label, markdownCell(h.value)])),
  ];
  const skipped: string[] = [];
  for (const kpi of kpis) {
    const result = report.kpis.find((r) => r.key === kpi.key);
    if (!result) continue;
    if (result.status === 'skipped') {
      skipped.push(`- ${kpi.title}: ${markdownCell(result.reason)}.`);
      continue;
    }
    lines.push('', `## ${kpi.title}`, '', kpi.description);
    if (result.partial) lines.push('', `> The query partly failed: ${markdownCell(result.partial)}`);
    if (charts.has(kpi.key)) lines.push('', `![${kpi.title}](charts/${kpi.key}.svg)`);
    const shown = result.rows.slice(0, SUMMARY_ROWS);
    const csv = formats.includes('csv') ? `; all of them in [${kpi.key}.csv](${kpi.key}.csv)` : '';
    lines.push('', result.rows.length === 0 ? 'No rows in the window.' : `${result.rows.length > shown.length ? `First ${shown.length} of ${formatNumber(result.rows.length)} rows` : `${plural(result.rows.length, 'row', 'rows')}`}${result.truncated ? ' (the query\'s limit: there may be more)' : ''}${csv}.`);
    if (shown.length > 0) lines.push('', ...table(result.columns.map((c) => c.name), shown.map((row) => row.map(markdownCell))));
  }
  if (skipped.length > 0) lines.push('', '## Not in this report', '', ...skipped);
  return `${lines.join('\n')}\n`;
}

/** Every file of the report for the requested formats. */
export function renderReport(report: AuditReport, kpis: readonly KpiDefinition[], formats: readonly ReportFormat[]): ReportFile[] {
  const files: ReportFile[] = [];
  const charts = new Set<string>();
  if (formats.includes('md')) {
    for (const kpi of kpis) {
      const result = report.kpis.find((r) => r.key === kpi.key);
      if (result?.status !== 'ok') continue;
      const svg = chartOf(kpi, result);
      if (svg) {
        charts.add(kpi.key);
        files.push({ path: `charts/${kpi.key}.svg`, content: svg });
      }
    }
    files.push({ path: SUMMARY_FILE, content: summary(report, kpis, formats, charts) });
  }
  if (formats.includes('csv')) {
    for (const result of report.kpis) {
      if (result.status !== 'ok') continue;
      files.push({ path: `${result.key}.csv`, content: toCsv(result.columns.map((c) => c.name), result.rows as readonly (readonly CsvValue[])[]) });
    }
  }
  if (formats.includes('json')) files.push({ path: JSON_FILE, content: `${JSON.stringify(report, null, 2)}\n` });
  return files;
}
