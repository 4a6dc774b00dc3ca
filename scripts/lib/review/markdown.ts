/**
 * Markdown for pull-request comments: per stack a hidden marker, the commit, the Audit risk section
 * (grouped by the configuration setting that causes each risk when a synth diff knows it) and the
 * next step, one counts line, a table of changed resources grouped by action and collapsible
 * attribute-level details. text.ts says the same for a terminal; report.ts holds what both decide.
 *
 * GitHub rejects comment bodies over 65,536 characters. The body is assembled from segments; when they
 * do not all fit, details go first, then table rows, then risk lines (never the counts), and the
 * comment says what was left out and where the full plan is.
 *
 * Renderers receive masked data only (masking.ts): they escape, they never look for secrets.
 */
import { countChanges, type ChangeAction, type ResourceChange, type SettingDiff, type StackChanges } from './change-model';
import { code, escapeInline, linkUrlProblem, markdownUrl, marker, valueCell } from './markdown-text';
import {
  changeNote,
  commitProblem,
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

/** GitHub's limit on a comment body. */
export const GITHUB_COMMENT_LIMIT = 65_536;
/** What the renderer aims for by default: the limit less a margin for what CI may append. */
export const DEFAULT_BODY_LIMIT = 65_000;
/** Attribute rows shown per resource before the rest is summarised. */
const MAX_ATTRIBUTES_PER_RESOURCE = 60;

export interface RenderOptions {
  /** Maximum body length in UTF-16 code units (never more than GitHub counts). @default 65000 */
  readonly limit?: number;
  /** Where the complete plan can be read (workflow run or artifact): an https URL (see linkUrlProblem). */
  readonly fullPlanUrl?: string;
  /** The commit the plan or synth was made from: 7–40 hexadecimal digits (see commitProblem). */
  readonly commit?: string;
}

type Priority = 0 | 1 | 2 | 3; // 0 always, 1 risk line, 2 table row, 3 details
interface Segment {
  readonly text: string;
  readonly priority: Priority;
}

const SEVERITY_ICON: Readonly<Record<Severity, string>> = { critical: '🔴', high: '🟠', medium: '🟡' };
const ACTION_LABEL: Readonly<Record<ChangeAction, string>> = {
  delete: '🗑️ delete',
  replace: '♻️ replace',
  forget: '⏏️ forget',
  update: '✏️ update',
  create: '➕ create',
  move: '↪️ move',
};

export function countsLine(changes: readonly ResourceChange[]): string {
  const c = countChanges(changes);
  const moved = changes.filter((x) => x.action === 'move').length;
  const forget = c.forget ? `, ${c.forget} to forget` : '';
  return `${c.create} to create, ${c.update} to update, ${c.replace} to replace, ${c.delete} to delete${forget}${moved ? `, ${moved} moved` : ''}.`;
}

/** Text with `backquoted` parts, as markdown: the text escaped, the quoted parts in monospace. */
export function inlineWithCode(text: string): string {
  return text
    .split('`')
    .map((part, i) => (i % 2 === 1 ? code(part) : escapeInline(part)))
    .join('');
}

function settingMarkdown(setting: SettingDiff): string {
  const t = settingText(setting);
  return `${code(t.path)}: ${code(t.before)} → ${code(t.after)}`;
}

/**
 * One risk line, with its findings or resources as sub-items when there are several; each its own
 * segment, so that trimming drops them one by one.
 */
function riskItemSegments(item: RiskItem, withStack: boolean): Segment[] {
  const where = (r: RiskResource) => `${withStack ? `${code(r.stack)} ` : ''}${code(r.name)}`;
  const head = `- ${SEVERITY_ICON[item.severity]} **${item.severity}** · ${item.ruleId} ${item.ruleName}`;
  const line = (text: string): Segment => ({ text, priority: 1 });
  const [first] = item.resources;
  const [message] = item.messages;
  if (item.resources.length === 1) {
    if (item.messages.length === 1) return [line(`${head} · ${where(first)}: ${escapeInline(message)}\n`)];
    return [line(`${head} · ${where(first)}, ${item.messages.length} findings:\n`), ...item.messages.map((m) => line(`  - ${escapeInline(m)}\n`))];
  }
  if (item.messages.length === 1) {
    return [line(`${head}: ${escapeInline(message)}, on ${item.resources.length} resources:\n`), ...item.resources.map((r) => line(`  - ${where(r)}\n`))];
  }
  return [
    line(`${head}, ${item.messages.length} findings on each of ${item.resources.length} resources:\n`),
    ...item.messages.map((m) => line(`  - ${escapeInline(m)}\n`)),
    ...item.resources.map((r) => line(`  - on ${where(r)}\n`)),
  ];
}

function riskSegments(findings: readonly Finding[], stacks: readonly StackChanges[], withStack: boolean): Segment[] {
  const next = nextStep(findings, stacks);
  const nextLine: Segment = { text: `\n**Next step:** ${inlineWithCode(next.text)}\n`, priority: 0 };
  if (findings.length === 0) {
    return [{ text: '**Audit risk:** none. No change weakens audit coverage or protection.\n', priority: 0 }, nextLine];
  }
  const segments: Segment[] = [{ text: `### ⚠️ Audit risk (${findings.length})\n\n`, priority: 0 }];
  if (!hasAttribution(stacks)) {
    segments.push(...riskItems(findings, stacks).flatMap((item) => riskItemSegments(item, withStack)));
  } else {
    riskGroups(findings, stacks).forEach((group, i) => {
      const heading =
        group.settings.length === 0
          ? 'Not explained by a configuration setting (code, defaults or provider versions)'
          : `${group.settings.length === 1 ? 'Setting' : 'Settings'} ${group.settings.map((s) => settingMarkdown(s)).join(', ')}`;
      segments.push({ text: `${i > 0 ? '\n' : ''}#### ${heading}\n\n`, priority: 1 });
      segments.push(...group.items.flatMap((item) => riskItemSegments(item, withStack)));
    });
  }
  segments.push(nextLine);
  return segments;
}

function whyText(change: ResourceChange): string {
  return escapeInline(changeNote(change));
}

function resourceCell(change: ResourceChange): string {
  return change.name === undefined ? code(change.address) : `${code(change.name)} (${escapeInline(change.type)})`;
}

function stackSegments(stack: StackChanges, findings: readonly Finding[], shared: readonly string[] = []): Segment[] {
  const segments: Segment[] = [];
  for (const note of stackNotes(stack, shared)) segments.push({ text: `> ${escapeInline(note)}\n\n`, priority: 0 });
  const changes = sortedChanges(stack.changes);
  segments.push({ text: `**${countsLine(stack.changes)}**\n\n`, priority: 0 });
  if (changes.length === 0) return segments;
  const risky = new Map<string, string[]>();
  for (const f of findings) if (f.stack === stack.stack) risky.set(f.address, [...new Set([...(risky.get(f.address) ?? []), f.ruleId])]);
  const attributed = stack.attribution !== undefined;
  const settings = settingsByAddress(stack);
  const unexplained = new Set(stack.attribution?.unexplained ?? []);
  segments.push({
    text: attributed ? '| Action | Resource | Setting | Audit risk | Note |\n|---|---|---|---|---|\n' : '| Action | Resource | Audit risk | Note |\n|---|---|---|---|\n',
    priority: 0,
  });
  for (const change of changes) {
    const rules = risky.get(change.address);
    const causes = [...(settings.get(change.address) ?? []).map(code), ...(unexplained.has(change.address) ? ['other changes'] : [])];
    const settingCell = attributed ? ` ${causes.join(', ')} |` : '';
    segments.push({
      text: `| ${ACTION_LABEL[change.action]} | ${resourceCell(change)} |${settingCell} ${rules ? `⚠️ ${rules.join(', ')}` : ''} | ${whyText(change)} |\n`,
      priority: 2,
    });
  }
  segments.push({ text: '\n', priority: 0 });
  for (const change of changes) {
    if (change.attributes.length === 0) continue;
    const shown = change.attributes.slice(0, MAX_ATTRIBUTES_PER_RESOURCE);
    const rows = shown.map((a) => `| ${code(a.path)} | ${valueCell(a.before)} | ${valueCell(a.after)} |\n`).join('');
    const more = change.attributes.length - shown.length;
    const what = change.name === undefined ? code(change.address) : `${code(change.name)} (${code(change.address)})`;
    segments.push({
      text:
        `<details><summary>${ACTION_LABEL[change.action]} ${what}: ${change.attributes.length} attribute(s)</summary>\n\n` +
        `| Attribute | Before | After |\n|---|---|---|\n${rows}` +
        (more > 0 ? `\n${more} more attribute(s) not shown.\n` : '') +
        '\n</details>\n\n',
      priority: 3,
    });
  }
  return segments;
}

interface Trimmed {
  risks: number;
  rows: number;
  details: number;
}

/** The link to the full plan, as markdown-safe destination; a URL that is not safe is a programming error (the commands check it first). */
function linkUrl(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  const problem = linkUrlProblem(url);
  if (problem) throw new RangeError(`fullPlanUrl ${problem}`);
  return markdownUrl(url);
}

function assemble(segments: readonly Segment[], noteIndex: number, options: RenderOptions, what: string): string {
  const limit = Math.min(options.limit ?? DEFAULT_BODY_LIMIT, GITHUB_COMMENT_LIMIT);
  const url = linkUrl(options.fullPlanUrl);
  const texts = segments.map((s) => s.text);
  const footer = url ? `\n[Full ${what}](${url})\n` : '';
  const fixed = texts.reduce((n, t, i) => (segments[i].priority === 0 ? n + t.length : n), 0) + footer.length;
  const keep = segments.map((s) => s.priority === 0);
  const totals: Trimmed = { risks: 0, rows: 0, details: 0 };
  segments.forEach((s) => {
    const key = s.priority === 1 ? 'risks' : s.priority === 2 ? 'rows' : s.priority === 3 ? 'details' : undefined;
    if (key) totals[key] += 1;
  });
  // Room for the longest note this comment could need: everything trimmed.
  let budget = limit - fixed - trimNote(totals, totals, url, what).length;
  let blockedFrom: Priority | undefined;
  for (const priority of [1, 2, 3] as const) {
    if (blockedFrom !== undefined) break;
    segments.forEach((s, i) => {
      if (s.priority !== priority || blockedFrom !== undefined) return;
      if (texts[i].length <= budget) {
        keep[i] = true;
        budget -= texts[i].length;
      } else {
        blockedFrom = priority;
      }
    });
  }
  const trimmed: Trimmed = { risks: 0, rows: 0, details: 0 };
  segments.forEach((s, i) => {
    const key = s.priority === 1 ? 'risks' : s.priority === 2 ? 'rows' : s.priority === 3 ? 'details' : undefined;
    if (key && !keep[i]) trimmed[key] += 1;
  });
  const note = trimNote(trimmed, totals, url, what);
  const out = texts.map((t, i) => (i === noteIndex ? note + t : keep[i] ? t : '')).join('') + footer;
  if (out.length > limit) {
    // Only reachable when the fixed parts alone exceed the limit (pathological notes); cut hard but say so.
    const tail = `\n\n… cut at ${limit} characters.${url ? ` [Full ${what}](${url})` : ''}\n`;
    return out.slice(0, limit - tail.length) + tail;
  }
  return out;
}

/** `url` is already markdown-safe (markdownUrl). */
function trimNote(trimmed: Trimmed, totals: Trimmed, url: string | undefined, what: string): string {
  const parts: string[] = [];
  if (trimmed.details) parts.push(`attribute details of ${trimmed.details} of ${totals.details} changed resources`);
  if (trimmed.rows) parts.push(`${trimmed.rows} of ${totals.rows} table rows`);
  if (trimmed.risks) parts.push(`${trimmed.risks} of ${totals.risks} Audit risk lines`);
  if (parts.length === 0) return '';
  const where = url ? `The full ${what} is [here](${url}).` : `The full ${what} is in the workflow run (uploaded artifact and job log).`;
  return `> **Trimmed** to stay under GitHub's ${GITHUB_COMMENT_LIMIT.toLocaleString('en-US')}-character comment limit: ${parts.join('; ')} not shown. ${where}\n\n`;
}

/** One comment for one stack's Terraform plan. */
export function renderPlanComment(stack: StackChanges, findings: readonly Finding[], options: RenderOptions = {}): string {
  const own = findings.filter((f) => f.stack === stack.stack);
  const segments: Segment[] = [
    { text: `${marker('plan', stack.stack)}\n### Terraform plan: ${code(stack.stack)}\n\n${commitLine(options.commit)}`, priority: 0 },
  ];
  const noteIndex = segments.length;
  segments.push({ text: '', priority: 0 });
  segments.push(...riskSegments(own, [stack], false), { text: '\n', priority: 0 });
  segments.push(...stackSegments(stack, own));
  return assemble(segments, noteIndex, options, 'plan');
}

/** `Commit: <sha>` (GitHub links a SHA in a comment to its commit), or nothing. */
function commitLine(commit: string | undefined): string {
  if (commit === undefined) return '';
  const problem = commitProblem(commit);
  if (problem) throw new RangeError(`commit ${problem}`); // the commands check it first
  return `Commit: ${commit}\n\n`;
}

/** One comment for a synth diff across all stacks; stacks without changes are counted, not shown. */
export function renderSynthDiffComment(stacks: readonly StackChanges[], findings: readonly Finding[], options: RenderOptions = {}): string {
  const added = stacks.filter((s) => s.presence === 'added').length;
  const removed = stacks.filter((s) => s.presence === 'removed').length;
  const changed = stacks.filter((s) => s.changes.length > 0).length;
  const { shown, unchanged } = shownStacks(stacks);
  const quiet = settingsWithoutEffect(stacks);
  const shared = sharedNotes(stacks);
  const summary =
    `${stacks.length} stack(s) compared: ${changed} with changes` +
    (added ? `, ${added} added` : '') +
    (removed ? `, ${removed} removed` : '') +
    '.' +
    (unchanged.length > 0 ? ` Unchanged, so not shown: ${escapeInline(listNames(unchanged))}.` : '') +
    (quiet.length > 0 ? `\n\nChanged without a resource change: ${quiet.map((s) => settingMarkdown(s)).join('; ')}.` : '') +
    shared.map((note) => `\n\n> ${escapeInline(note)}`).join('') +
    '\n\nSynthesized configuration compared with the base branch; no Terraform, state or credentials involved. ' +
    'Values with `${…}` references are compared as text; a replacement is shown only where an argument is known to force one. The per-stack plans are authoritative.';
  const segments: Segment[] = [
    { text: `${marker('synth-diff')}\n## cdktf synth diff\n\n${commitLine(options.commit)}${summary}\n\n`, priority: 0 },
  ];
  const noteIndex = segments.length;
  segments.push({ text: '', priority: 0 });
  segments.push(...riskSegments(findings, stacks, true), { text: '\n', priority: 0 });
  for (const stack of shown) {
    segments.push({ text: `### ${code(stack.stack)}\n\n`, priority: 0 });
    segments.push(...stackSegments(stack, findings, shared));
  }
  return assemble(segments, noteIndex, options, 'synth diff');
}
