/**
 * The compliance rules and profiles tables of docs/compliance.md and the README, generated from the
 * rule pack (constructs/compliance). Each table sits between two marker comments; `npm run docs:config`
 * rewrites what is between them, and a test fails when a page is stale. Pure.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'cdktf';
import { CONTROLS } from '../../../constructs/compliance/controls';
import { DEFAULT_CONFIG_PATH, loadConfig } from '../../../stacks/config';
import { EntraAuditStack } from '../../../stacks/entra-audit-stack';
import { renderReportMarkdown } from '../../../stacks/report/markdown';
import { coverageReport } from '../../../stacks/report/model';
import { profile, PROFILE_IDS } from '../../../constructs/compliance/packs';
import { COMPLIANCE_RULES } from '../../../constructs/compliance/rules';
import { cell } from './config-reference';

export const COMPLIANCE_PAGE_PATH = 'docs/compliance.md';
export const README_PATH = 'README.md';

/** The start and end markers of a generated block. */
export function markers(name: string): { start: string; end: string } {
  return { start: `<!-- generated:${name} (npm run docs:config); do not edit by hand -->`, end: `<!-- end generated:${name} -->` };
}

/** The profiles that select each rule, with the rule's figure there. */
function profilesOf(ruleId: string): string {
  return PROFILE_IDS.flatMap((id) => {
    const entry = profile(id).rules.find((r) => r.rule === ruleId);
    if (!entry) return [];
    return [`\`${id}\`${entry.threshold !== undefined ? ` (${entry.threshold})` : ''}`];
  }).join(', ');
}

/** The full rules table: id, name, what it requires, why, how to fix, controls, profiles. */
export function renderRulesTable(): string {
  const rows = COMPLIANCE_RULES.map((r) => {
    const controls = r.controls.map((id) => `[${CONTROLS[id].framework} ${CONTROLS[id].number}](${CONTROLS[id].source})`).join('; ') || '— (this toolkit\'s baseline)';
    const figure = r.threshold ? ` Figure: ${r.threshold.meaning}, in ${r.threshold.unit}, set by each profile.` : '';
    return `| ${r.id} | ${r.name} | ${cell(r.description)}${figure} | ${cell(r.why)} | ${cell(r.fix)} | ${controls} | ${profilesOf(r.id)} |`;
  });
  return ['| Rule | Name | Requires | Why | Fix | Supports | Profiles (figure) |', '|---|---|---|---|---|---|---|', ...rows].join('\n');
}

/** The profiles table: each profile's rules with their figures, and where each figure comes from. */
export function renderProfilesTable(): string {
  const rows = PROFILE_IDS.map((id) => {
    const p = profile(id);
    const rules = p.rules.map((r) => (r.threshold !== undefined ? `${r.rule} ${ruleBound(r.rule)} ${r.threshold}` : r.rule)).join(', ');
    const figures = p.rules.filter((r) => r.thresholdSource).map((r) => `${r.rule}: ${r.thresholdSource}`).join('; ') || '—';
    return `| \`${id}\` | ${cell(p.title)} | ${cell(p.description)} | ${rules} | ${cell(figures)} |`;
  });
  return ['| Profile | Title | What it checks | Rules | Where the figures come from |', '|---|---|---|---|---|', ...rows].join('\n');
}

function ruleBound(id: string): string {
  const rule = COMPLIANCE_RULES.find((r) => r.id === id)!;
  return rule.threshold?.stricter === 'lower' ? '≤' : '≥';
}

/** The README's short table: id, name and profiles. */
export function renderReadmeRulesTable(): string {
  const rows = COMPLIANCE_RULES.map((r) => `| ${r.id} | ${r.name} | ${profilesOf(r.id)} |`);
  return ['| Rule | Name | Profiles (figure) |', '|---|---|---|', ...rows].join('\n');
}

/** The stack of the example configuration the README quotes. */
export const EXCERPT_STACK = 'contoso-prod';

/**
 * An excerpt of the example configuration's report of {@link EXCERPT_STACK}: its compliance line and
 * the first rows of its retention matrix, in a fenced block so that it reads as a quotation.
 */
export function renderReportExcerpt(configFile = DEFAULT_CONFIG_PATH): string {
  const scratch = mkdtempSync(join(tmpdir(), 'entra-docs-'));
  try {
    const app = new App({ outdir: scratch });
    const plan = loadConfig(configFile).find((p) => p.id === EXCERPT_STACK);
    if (!plan) throw new Error(`${configFile} has no stack ${EXCERPT_STACK}, which the README quotes`);
    const lines = renderReportMarkdown(coverageReport(new EntraAuditStack(app, plan))).split('\n');
    const compliance = lines.find((l) => l.startsWith('Compliance: '))!;
    const matrix = lines.indexOf('## Retention by category and destination');
    return ['```markdown', `# Coverage report: \`${EXCERPT_STACK}\``, '', compliance, '', ...lines.slice(matrix, matrix + 7), '…', '```'].join('\n');
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** `text` with the block `name` replaced by `content`; throws when the markers are missing or out of order. */
export function replaceGenerated(text: string, name: string, content: string, file: string): string {
  const { start, end } = markers(name);
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < from) throw new Error(`${file}: the generated block "${name}" needs the lines ${start} and ${end}, in that order`);
  return `${text.slice(0, from + start.length)}\n${content}\n${text.slice(to)}`;
}

/** The generated blocks of each page, by file. */
export const GENERATED_BLOCKS: Readonly<Record<string, Readonly<Record<string, () => string>>>> = {
  [COMPLIANCE_PAGE_PATH]: { 'compliance-rules': renderRulesTable, 'compliance-profiles': renderProfilesTable },
  [README_PATH]: { 'compliance-rules-short': renderReadmeRulesTable, 'coverage-report-excerpt': () => renderReportExcerpt() },
};

/** A page with each of its generated blocks rewritten. */
export function regenerate(file: string, text: string): string {
  let out = text;
  for (const [name, render] of Object.entries(GENERATED_BLOCKS[file] ?? {})) out = replaceGenerated(out, name, render(), file);
  return out;
}
