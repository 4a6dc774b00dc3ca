/**
 * Plain text for a terminal: the same report as the markdown comment (markdown.ts), from the same
 * masked model, without markup or entities, optionally coloured, and never trimmed (a terminal has no
 * comment limit).
 *
 * Renderers receive masked data only (masking.ts). Input can still hold characters a terminal acts on
 * (escape sequences, bidirectional overrides, line breaks): every control, format and line-separator
 * character is written as a `\uXXXX` escape instead.
 */
import { NO_COLOUR, type Palette } from '../io/colour';
import { type ChangeAction, type ResourceChange, type SettingDiff, type StackChanges } from './change-model';
import { countsLine } from './markdown';
import {
  changeNote,
  hasAttribution,
  listNames,
  nextStep,
  riskGroups,
  riskItems,
  settingsByAddress,
  settingsWithoutEffect,
  settingText,
  sharedNotes,
  shownStacks,
  sortedChanges,
  stackNotes,
  type RiskItem,
  type RiskResource,
} from './report';
import type { Finding, Severity } from './rules';
import { formatValue } from './values';

export interface TextOptions {
  /** @default no colour */
  readonly palette?: Palette;
  /** The commit the plan or synth was made from (already checked). */
  readonly commit?: string;
}

/** Attribute lines shown per resource before the rest is counted (as in the markdown details). */
const MAX_ATTRIBUTES_PER_RESOURCE = 60;

/** One line of input, safe to print: control, format and separator characters become `\uXXXX`. */
export function terminalSafe(text: string): string {
  return text.replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, (c) => {
    let out = ''; // one escape per UTF-16 unit, as JSON writes them
    for (let i = 0; i < c.length; i += 1) out += `\\u${c.charCodeAt(i).toString(16).padStart(4, '0')}`;
    return out;
  });
}

function severityStyle(p: Palette, severity: Severity): (text: string) => string {
  return severity === 'critical' ? (t) => p.bold(p.red(t)) : severity === 'high' ? p.yellow : p.cyan;
}

function actionStyle(p: Palette, action: ChangeAction): (text: string) => string {
  return action === 'delete' || action === 'replace' ? p.red : action === 'forget' ? p.magenta : action === 'update' ? p.yellow : action === 'create' ? p.green : p.cyan;
}

/** Text with `backquoted` parts: the quotes dropped, the quoted parts highlighted. */
function withHighlights(p: Palette, text: string): string {
  return text
    .split('`')
    .map((part, i) => (i % 2 === 1 ? p.cyan(terminalSafe(part)) : terminalSafe(part)))
    .join('');
}

function settingLine(p: Palette, setting: SettingDiff): string {
  const t = settingText(setting);
  return `${p.bold(terminalSafe(t.path))}: ${terminalSafe(t.before)} → ${terminalSafe(t.after)}`;
}

function riskItemLines(p: Palette, item: RiskItem, withStack: boolean, indent: string): string[] {
  const where = (r: RiskResource) => `${withStack ? `${terminalSafe(r.stack)} ` : ''}${p.bold(terminalSafe(r.name))}`;
  const head = `${indent}${severityStyle(p, item.severity)(item.severity.padEnd(8))}  ${item.ruleId} ${item.ruleName}`;
  const sub = `${indent}          - `;
  const [first] = item.resources;
  const [message] = item.messages;
  if (item.resources.length === 1) {
    if (item.messages.length === 1) return [`${head}  ${where(first)}: ${terminalSafe(message)}`];
    return [`${head}  ${where(first)}, ${item.messages.length} findings:`, ...item.messages.map((m) => `${sub}${terminalSafe(m)}`)];
  }
  if (item.messages.length === 1) return [`${head}: ${terminalSafe(message)}, on ${item.resources.length} resources:`, ...item.resources.map((r) => `${sub}${where(r)}`)];
  return [
    `${head}, ${item.messages.length} findings on each of ${item.resources.length} resources:`,
    ...item.messages.map((m) => `${sub}${terminalSafe(m)}`),
    ...item.resources.map((r) => `${sub}on ${where(r)}`),
  ];
}

function riskLines(p: Palette, findings: readonly Finding[], stacks: readonly StackChanges[], withStack: boolean): string[] {
  const next = nextStep(findings, stacks);
  const nextLine = `${p.bold('Next step:')} ${withHighlights(p, next.text)}`;
  if (findings.length === 0) return [`${p.bold('Audit risk:')} ${p.green('none')}. No change weakens audit coverage or protection.`, nextLine];
  const lines = [p.bold(p.red(`Audit risk (${findings.length})`))];
  if (!hasAttribution(stacks)) {
    lines.push(...riskItems(findings, stacks).flatMap((item) => riskItemLines(p, item, withStack, '  ')));
  } else {
    for (const group of riskGroups(findings, stacks)) {
      lines.push(
        group.settings.length === 0
          ? `  ${p.bold('Not explained by a configuration setting')} (code, defaults or provider versions)`
          : `  ${group.settings.length === 1 ? 'Setting' : 'Settings'} ${group.settings.map((s) => settingLine(p, s)).join(', ')}`,
      );
      lines.push(...group.items.flatMap((item) => riskItemLines(p, item, withStack, '    ')));
    }
  }
  lines.push(nextLine);
  return lines;
}

function why(change: ResourceChange): string {
  return terminalSafe(changeNote(change));
}

function stackLines(p: Palette, stack: StackChanges, findings: readonly Finding[], title: string, shared: readonly string[] = []): string[] {
  const lines = [`${title}${countsLine(stack.changes)}`];
  for (const note of stackNotes(stack, shared)) lines.push(`  ${p.yellow('Note:')} ${terminalSafe(note)}`);
  const risky = new Map<string, string[]>();
  for (const f of findings) if (f.stack === stack.stack) risky.set(f.address, [...new Set([...(risky.get(f.address) ?? []), f.ruleId])]);
  const settings = settingsByAddress(stack);
  const unexplained = new Set(stack.attribution?.unexplained ?? []);
  for (const change of sortedChanges(stack.changes)) {
    const name = change.name === undefined ? p.bold(terminalSafe(change.address)) : `${p.bold(terminalSafe(change.name))} (${terminalSafe(change.address)})`;
    const rules = risky.get(change.address);
    const causes = [...(settings.get(change.address) ?? []).map((s) => p.bold(terminalSafe(s))), ...(unexplained.has(change.address) ? ['other changes'] : [])];
    const reason = why(change);
    lines.push(
      `  ${actionStyle(p, change.action)(change.action.padEnd(7))}  ${name}` +
        (rules ? `  ${p.red(`⚠ ${rules.join(', ')}`)}` : '') +
        (stack.attribution !== undefined && causes.length > 0 ? `  ${p.dim('from')} ${causes.join(', ')}` : '') +
        (reason ? `  (${reason})` : ''),
    );
    for (const a of change.attributes.slice(0, MAX_ATTRIBUTES_PER_RESOURCE)) {
      lines.push(`           ${terminalSafe(a.path)}: ${terminalSafe(formatValue(a.before))} → ${terminalSafe(formatValue(a.after))}`);
    }
    if (change.attributes.length > MAX_ATTRIBUTES_PER_RESOURCE) lines.push(`           ${change.attributes.length - MAX_ATTRIBUTES_PER_RESOURCE} more attribute(s) not shown.`);
  }
  return lines;
}

/** One stack's Terraform plan, as text. */
export function renderPlanText(stack: StackChanges, findings: readonly Finding[], options: TextOptions = {}): string {
  const p = options.palette ?? NO_COLOUR;
  const own = findings.filter((f) => f.stack === stack.stack);
  const lines = [p.bold(`Terraform plan: ${terminalSafe(stack.stack)}`)];
  if (options.commit !== undefined) lines.push(`Commit: ${terminalSafe(options.commit)}`);
  lines.push('', ...riskLines(p, own, [stack], false), '', ...stackLines(p, stack, own, ''));
  return `${lines.join('\n')}\n`;
}

/** A synth diff across all stacks, as text; stacks without changes are counted, not shown. */
export function renderSynthDiffText(stacks: readonly StackChanges[], findings: readonly Finding[], options: TextOptions = {}): string {
  const p = options.palette ?? NO_COLOUR;
  const added = stacks.filter((s) => s.presence === 'added').length;
  const removed = stacks.filter((s) => s.presence === 'removed').length;
  const changed = stacks.filter((s) => s.changes.length > 0).length;
  const { shown, unchanged } = shownStacks(stacks);
  const quiet = settingsWithoutEffect(stacks);
  const shared = sharedNotes(stacks);
  const lines = [p.bold('cdktf synth diff')];
  if (options.commit !== undefined) lines.push(`Commit: ${terminalSafe(options.commit)}`);
  lines.push(
    `${stacks.length} stack(s) compared: ${changed} with changes${added ? `, ${added} added` : ''}${removed ? `, ${removed} removed` : ''}.` +
      (unchanged.length > 0 ? ` Unchanged, so not shown: ${terminalSafe(listNames(unchanged))}.` : ''),
    ...(quiet.length > 0 ? [`Changed without a resource change: ${quiet.map((s) => settingLine(p, s)).join('; ')}`] : []),
    ...shared.map((note) => `${p.yellow('Note:')} ${terminalSafe(note)}`),
    p.dim('Synthesized configuration compared with the base branch; the per-stack plans are authoritative.'),
    '',
    ...riskLines(p, findings, stacks, true),
  );
  for (const stack of shown) lines.push('', ...stackLines(p, stack, findings, `${p.bold(terminalSafe(stack.stack))}: `, shared));
  return `${lines.join('\n')}\n`;
}
