/**
 * Markdown for pull-request comments: per stack a hidden marker, the Audit risk section, one counts
 * line, a table of changed resources grouped by action and collapsible attribute-level details.
 *
 * GitHub rejects comment bodies over 65,536 characters. The body is assembled from segments; when they
 * do not all fit, details go first, then table rows, then risk lines (never the counts), and the
 * comment says what was left out and where the full plan is.
 *
 * Renderers receive masked data only (masking.ts): they escape, they never look for secrets.
 */
import { ACTION_ORDER, countChanges, type ChangeAction, type ResourceChange, type StackChanges } from './change-model';
import { code, escapeInline, linkUrlProblem, markdownUrl, marker, valueCell } from './markdown-text';
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

function riskSegments(findings: readonly Finding[], withStack: boolean): Segment[] {
  if (findings.length === 0) {
    return [{ text: '**Audit risk:** none. No change weakens audit coverage or protection.\n', priority: 0 }];
  }
  return [
    { text: `### ⚠️ Audit risk (${findings.length})\n\n`, priority: 0 },
    ...findings.map((f): Segment => ({
      text: `- ${SEVERITY_ICON[f.severity]} **${f.severity}** · ${f.ruleId} ${f.ruleName} · ${withStack ? `${code(f.stack)} ` : ''}${code(f.address)}: ${escapeInline(f.message)}\n`,
      priority: 1,
    })),
  ];
}

function sortedChanges(changes: readonly ResourceChange[]): ResourceChange[] {
  return ACTION_ORDER.flatMap((action) => changes.filter((c) => c.action === action).sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0)));
}

function whyText(change: ResourceChange): string {
  const parts: string[] = [];
  if (change.action === 'forget') parts.push('removed from the Terraform state, not destroyed: no longer managed');
  if (change.replacePaths?.length) parts.push(`forced by ${change.replacePaths.join(', ')}`);
  // A forgotten resource's reason is `delete_because_no_resource_config`, which would contradict "not destroyed".
  if (change.reason && change.action !== 'forget') parts.push(change.reason.replace(/_/g, ' '));
  if (change.previousAddress) parts.push(`moved from ${change.previousAddress}`);
  return parts.length ? escapeInline(parts.join('; ')) : '';
}

function stackSegments(stack: StackChanges, findings: readonly Finding[]): Segment[] {
  const segments: Segment[] = [];
  for (const note of stack.notes) segments.push({ text: `> ${note}\n\n`, priority: 0 });
  const changes = sortedChanges(stack.changes);
  segments.push({ text: `**${countsLine(stack.changes)}**\n\n`, priority: 0 });
  if (changes.length === 0) return segments;
  const risky = new Map<string, string[]>();
  for (const f of findings) if (f.stack === stack.stack) risky.set(f.address, [...new Set([...(risky.get(f.address) ?? []), f.ruleId])]);
  segments.push({ text: '| Action | Resource | Audit risk | Note |\n|---|---|---|---|\n', priority: 0 });
  for (const change of changes) {
    const rules = risky.get(change.address);
    segments.push({
      text: `| ${ACTION_LABEL[change.action]} | ${code(change.address)} | ${rules ? `⚠️ ${rules.join(', ')}` : ''} | ${whyText(change)} |\n`,
      priority: 2,
    });
  }
  segments.push({ text: '\n', priority: 0 });
  for (const change of changes) {
    if (change.attributes.length === 0) continue;
    const shown = change.attributes.slice(0, MAX_ATTRIBUTES_PER_RESOURCE);
    const rows = shown.map((a) => `| ${code(a.path)} | ${valueCell(a.before)} | ${valueCell(a.after)} |\n`).join('');
    const more = change.attributes.length - shown.length;
    segments.push({
      text:
        `<details><summary>${ACTION_LABEL[change.action]} ${code(change.address)}: ${change.attributes.length} attribute(s)</summary>\n\n` +
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
    { text: `${marker('plan', stack.stack)}\n### Terraform plan: ${code(stack.stack)}\n\n`, priority: 0 },
  ];
  const noteIndex = segments.length;
  segments.push({ text: '', priority: 0 });
  segments.push(...riskSegments(own, false), { text: '\n', priority: 0 });
  segments.push(...stackSegments(stack, own));
  return assemble(segments, noteIndex, options, 'plan');
}

/** One comment for a synth diff across all stacks. */
export function renderSynthDiffComment(stacks: readonly StackChanges[], findings: readonly Finding[], options: RenderOptions = {}): string {
  const added = stacks.filter((s) => s.notes.some((n) => n.includes('is new'))).length;
  const removed = stacks.filter((s) => s.notes.some((n) => n.includes('is removed'))).length;
  const changed = stacks.filter((s) => s.changes.length > 0).length;
  const summary =
    `${stacks.length} stack(s) compared: ${changed} with changes` +
    (added ? `, ${added} added` : '') +
    (removed ? `, ${removed} removed` : '') +
    '. Synthesized configuration compared with the base branch; no Terraform, state or credentials involved. ' +
    'Values with `${…}` references are compared as text; a replacement is shown only where an argument is known to force one. The per-stack plans are authoritative.';
  const segments: Segment[] = [
    { text: `${marker('synth-diff')}\n## cdktf synth diff\n\n${summary}\n\n`, priority: 0 },
  ];
  const noteIndex = segments.length;
  segments.push({ text: '', priority: 0 });
  segments.push(...riskSegments(findings, true), { text: '\n', priority: 0 });
  for (const stack of stacks) {
    segments.push({ text: `### ${code(stack.stack)}\n\n`, priority: 0 });
    segments.push(...stackSegments(stack, findings));
  }
  return assemble(segments, noteIndex, options, 'synth diff');
}
