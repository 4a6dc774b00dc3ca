/**
 * Renders the detection catalog table of docs/alerts.md from the catalog itself
 * (constructs/entra-alert-rules/catalog.ts) and the log category data (which category fills each
 * table, and the licence it needs). Pure: the command-line entry is scripts/alert-catalog.ts.
 */
import type { Detection } from '../../../constructs/entra-alert-rules/detection';
import { kqlLiteral } from '../../../constructs/entra-alert-rules/detection';
import type { LogCategoryInfo } from '../../../constructs/internal/log-categories';

export const PAGE_PATH = 'docs/alerts.md';
export const REGENERATE_COMMAND = 'npm run docs:alerts';
export const START_MARKER = '<!-- alert-catalog:start (generated from constructs/entra-alert-rules/catalog.ts; do not edit by hand) -->';
export const END_MARKER = '<!-- alert-catalog:end -->';

const SEVERITY_NAMES = ['critical', 'error', 'warning', 'info', 'verbose'] as const;
/** Longest literal shown for a parameter default before it is cut with `…`. */
const MAX_DEFAULT_CHARS = 40;

/** Text safe inside a Markdown table cell. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** `SigninLogs (SignInLogs: Entra ID P1/P2)`, from the category that fills the table. */
export function tableNeed(table: string, categories: readonly LogCategoryInfo[]): string {
  const category = categories.find((c) => c.table === table);
  if (category) return `${table} (${category.category}: ${category.licence})`;
  if (table === 'AzureActivity') return 'AzureActivity (the subscription Activity Log)';
  return table;
}

function parameterText(d: Detection): string {
  const entries = Object.entries(d.parameters);
  if (entries.length === 0) return '';
  const shown = entries.map(([name, p]) => {
    const literal = kqlLiteral(p.type, p.default);
    return `\`${name}\`: \`${literal.length > MAX_DEFAULT_CHARS ? `${literal.slice(0, MAX_DEFAULT_CHARS - 1)}…` : literal}\``;
  });
  return ` Parameters: ${shown.join('; ')}.`;
}

/** One table row per detection, in catalog order. */
export function renderCatalogTable(detections: readonly Detection[], categories: readonly LogCategoryInfo[]): string {
  const header = [
    '| Key | Title | Severity | MITRE ATT&CK | Needs (table: category and licence) | Default | Frequency / window | What it detects | Expected volume | How to tune (parameters: default) |',
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  const rows = detections.map((d) => {
    const needs = [...d.tables.map((t) => tableNeed(t, categories)), ...(d.requires ? [d.requires] : [])].join('; ');
    const onByDefault = d.disabledByDefault ? `off: ${d.disabledByDefault}` : 'on';
    return `| \`${d.key}\` | ${cell(d.displayName)} | ${d.severity} ${SEVERITY_NAMES[d.severity]} | ${[...d.tactics, ...d.techniques].join(', ')} | ${cell(needs)} | ${cell(onByDefault)} | ${d.evaluationFrequency} / ${d.windowDuration} | ${cell(d.description)} | ${cell(d.expectedVolume)} | ${cell(`${d.tuning}${parameterText(d)}`)} |`;
  });
  return [...header, ...rows].join('\n');
}

/**
 * `page` with the text between the catalog markers replaced by `table`. Throws when the markers
 * are missing or out of order (the page was edited by hand).
 */
export function withCatalogTable(page: string, table: string): string {
  const start = page.indexOf(START_MARKER);
  const end = page.indexOf(END_MARKER);
  if (start < 0 || end < 0 || end < start) {
    throw new Error(`${PAGE_PATH} has no catalog section: put the lines ${START_MARKER} and ${END_MARKER} where the table goes, then run ${REGENERATE_COMMAND}`);
  }
  return `${page.slice(0, start + START_MARKER.length)}\n${table}\n${page.slice(end)}`;
}
