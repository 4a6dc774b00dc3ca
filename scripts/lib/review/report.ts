/**
 * What the markdown and the text renderers both say, decided once: which findings go together, under
 * which configuration setting, which stacks are shown, and what the reviewer does next. Everything
 * here reads the masked model (masking.ts) only.
 */
import { ACTION_ORDER, type ResourceChange, type SettingDiff, type SettingEffect, type StackChanges } from './change-model';
import type { Finding, Severity } from './rules';
import { formatValue } from './values';

/** The pull-request label with which a reviewer accepts the Audit risks of a change. */
export const ACCEPT_LABEL = 'audit-risk-accepted';

/** Why `sha` is not a commit SHA (7–40 hexadecimal digits), or undefined when it is. */
export function commitProblem(sha: string): string | undefined {
  return /^[0-9a-f]{7,40}$/i.test(sha) ? undefined : 'must be a commit SHA of 7–40 hexadecimal digits';
}

/** The next step, as plain text with the label in backquotes: renderers style it. */
export function nextStep(findings: readonly Finding[], stacks: readonly StackChanges[]): { readonly risk: boolean; readonly text: string } {
  if (findings.length === 0) {
    const changed = stacks.some((s) => s.changes.length > 0 || s.presence !== undefined);
    return { risk: false, text: changed ? 'no risk. Review the changes below as usual.' : 'no risk and no change: nothing to review.' };
  }
  return {
    risk: true,
    text:
      `check each Audit risk above against the intent of this change. If every one is intended, label the pull request \`${ACCEPT_LABEL}\` to accept them; ` +
      'otherwise change the configuration and push again.',
  };
}

/** A resource a risk line names. */
export interface RiskResource {
  readonly stack: string;
  readonly address: string;
  /** The resource as a person names it (construct path), or the address. */
  readonly name: string;
}

/**
 * One risk line: the findings of one rule that say the same about one or more resources (a
 * retention cut that shortens ten immutability policies is one line with ten resources), or the
 * several findings of one rule on one resource.
 */
export interface RiskItem {
  readonly severity: Severity;
  readonly ruleId: string;
  readonly ruleName: string;
  readonly resources: readonly RiskResource[];
  readonly messages: readonly string[];
}

/** Findings grouped by stack, resource and rule (one resource per item), most severe first. */
function resourceItems(findings: readonly Finding[], stacks: readonly StackChanges[]): RiskItem[] {
  const names = new Map<string, string>();
  for (const stack of stacks) for (const change of stack.changes) names.set(`${stack.stack}\u0000${change.address}`, resourceName(change));
  const items = new Map<string, { item: RiskItem; messages: string[] }>();
  for (const f of findings) {
    const key = `${f.stack}\u0000${f.address}\u0000${f.ruleId}`;
    const entry = items.get(key);
    if (entry) {
      entry.messages.push(f.message);
      continue;
    }
    const messages = [f.message];
    const resource = { stack: f.stack, address: f.address, name: names.get(`${f.stack}\u0000${f.address}`) ?? f.address };
    items.set(key, { item: { severity: f.severity, ruleId: f.ruleId, ruleName: f.ruleName, resources: [resource], messages }, messages });
  }
  return [...items.values()].map((e) => e.item);
}

/** Items of the same rule with the same messages become one item naming all their resources. */
function mergeItems(items: readonly RiskItem[]): RiskItem[] {
  const merged = new Map<string, { item: RiskItem; resources: RiskResource[] }>();
  for (const item of items) {
    const key = `${item.ruleId}\u0000${item.messages.join('\u0000')}`;
    const entry = merged.get(key);
    if (entry) entry.resources.push(...item.resources);
    else {
      const resources = [...item.resources];
      merged.set(key, { item: { ...item, resources }, resources });
    }
  }
  return [...merged.values()].map((e) => e.item);
}

/** The risk lines of findings, most severe first, each rule's identical findings on several resources merged. */
export function riskItems(findings: readonly Finding[], stacks: readonly StackChanges[]): RiskItem[] {
  return mergeItems(resourceItems(findings, stacks));
}

/** Changes in the order they are listed: destructive actions first, then by address. */
export function sortedChanges(changes: readonly ResourceChange[]): ResourceChange[] {
  return ACTION_ORDER.flatMap((action) => changes.filter((c) => c.action === action).sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0)));
}

/** Why a change happens, as plain text ('' when there is nothing to add): forced replacement, forget, move. */
export function changeNote(change: ResourceChange): string {
  const parts: string[] = [];
  if (change.action === 'forget') parts.push('removed from the Terraform state, not destroyed: no longer managed');
  if (change.replacePaths?.length) parts.push(`forced by ${change.replacePaths.join(', ')}`);
  // A forgotten resource's reason is `delete_because_no_resource_config`, which would contradict "not destroyed".
  if (change.reason && change.action !== 'forget') parts.push(change.reason.replace(/_/g, ' '));
  if (change.previousAddress) parts.push(`moved from ${change.previousAddress}`);
  return parts.join('; ');
}

/** A resource change as a person names it: its construct path when known, else its Terraform address. */
export function resourceName(change: ResourceChange): string {
  return change.name ?? change.address;
}

/** The settings that explain a group of risks, or none for "not explained by a setting". */
export interface RiskGroup {
  /** Empty for the risks no setting explains. */
  readonly settings: readonly SettingDiff[];
  readonly items: readonly RiskItem[];
}

/** Whether any stack carries a setting attribution (synth diff given both configuration files). */
export function hasAttribution(stacks: readonly StackChanges[]): boolean {
  return stacks.some((s) => s.attribution !== undefined);
}

/** One text per set of settings, so that the same tenant-wide change in two stacks is one group. */
function settingsKey(settings: readonly SettingDiff[]): string {
  return settings.map((s) => `${s.path}\u0000${formatValue(s.before)}\u0000${formatValue(s.after)}`).join('\u0001');
}

/**
 * Risk lines grouped by the configuration settings that explain them: a finding several settings
 * explain (each alone, or only together) goes under all of them at once. Groups come in the order of
 * their most severe finding; the group of findings no setting explains comes last.
 */
export function riskGroups(findings: readonly Finding[], stacks: readonly StackChanges[]): RiskGroup[] {
  const effectsOf = new Map<string, SettingEffect[]>();
  for (const stack of stacks) {
    for (const effect of stack.attribution?.effects ?? []) {
      for (const f of effect.findings) {
        const key = `${stack.stack}\u0000${f.address}\u0000${f.ruleId}`;
        effectsOf.set(key, [...(effectsOf.get(key) ?? []), effect]);
      }
    }
  }
  const groups = new Map<string, { settings: SettingDiff[]; items: RiskItem[] }>();
  const other: RiskItem[] = [];
  for (const item of resourceItems(findings, stacks)) {
    const { stack, address } = item.resources[0];
    const effects = effectsOf.get(`${stack}\u0000${address}\u0000${item.ruleId}`) ?? [];
    if (effects.length === 0) {
      other.push(item);
      continue;
    }
    const settings: SettingDiff[] = [];
    const seen = new Set<string>();
    for (const s of effects.flatMap((e) => e.settings)) {
      const key = settingsKey([s]);
      if (!seen.has(key)) {
        seen.add(key);
        settings.push(s);
      }
    }
    const key = settingsKey(settings);
    const group = groups.get(key) ?? { settings, items: [] };
    group.items.push(item);
    groups.set(key, group);
  }
  return [...groups.values(), ...(other.length > 0 ? [{ settings: [], items: other }] : [])].map((g) => ({ settings: g.settings, items: mergeItems(g.items) }));
}

/** `path: before → after`, values as JSON-like text cut to `maxChars`; absent sides read `(absent)`. */
export function settingText(setting: SettingDiff, maxChars = 120): { readonly path: string; readonly before: string; readonly after: string } {
  return { path: setting.path, before: formatValue(setting.before, maxChars), after: formatValue(setting.after, maxChars) };
}

/**
 * A setting's path without the `tenants.<tenant>.environments.<environment>.` of its own stack
 * (`storage.retentionInDays` in the contoso-prod table); settings of the tenant keep their full path.
 */
export function settingPathInStack(path: string, stack: string): string {
  const dash = stack.indexOf('-');
  if (dash <= 0) return path;
  const prefix = `tenants.${stack.slice(0, dash)}.environments.${stack.slice(dash + 1)}.`;
  return path.startsWith(prefix) && path.length > prefix.length ? path.slice(prefix.length) : path;
}

/** Per address, the settings (paths within the stack) that explain its change. */
export function settingsByAddress(stack: StackChanges): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const effect of stack.attribution?.effects ?? []) {
    const paths = effect.settings.map((s) => settingPathInStack(s.path, stack.stack));
    for (const address of effect.addresses) out.set(address, [...new Set([...(out.get(address) ?? []), ...paths])]);
  }
  return out;
}

/**
 * The settings that changed but explain no resource change in any stack (a display name, the
 * backend), once each, in the order of the stacks.
 */
export function settingsWithoutEffect(stacks: readonly StackChanges[]): SettingDiff[] {
  const effective = new Set<string>();
  for (const stack of stacks) for (const e of stack.attribution?.effects ?? []) if (e.addresses.length > 0) for (const s of e.settings) effective.add(settingsKey([s]));
  const out = new Map<string, SettingDiff>();
  for (const stack of stacks) {
    for (const e of stack.attribution?.effects ?? []) {
      if (e.addresses.length > 0) continue;
      for (const s of e.settings) if (!effective.has(settingsKey([s]))) out.set(settingsKey([s]), s);
    }
  }
  return [...out.values()];
}

/**
 * Attribution notes said by more than one stack (a base configuration this version cannot read) are
 * one cause: shown once, at the top, and not again per stack.
 */
export function sharedNotes(stacks: readonly StackChanges[]): string[] {
  const count = new Map<string, number>();
  for (const stack of stacks) for (const note of new Set(stack.attribution?.notes ?? [])) count.set(note, (count.get(note) ?? 0) + 1);
  return [...count].filter(([, n]) => n > 1).map(([note]) => note);
}

/** The notes of one stack: its own, and its attribution notes that no other stack shares. */
export function stackNotes(stack: StackChanges, shared: readonly string[]): string[] {
  return [...stack.notes, ...(stack.attribution?.notes ?? []).filter((n) => !shared.includes(n))];
}

/**
 * The stacks a synth diff shows: those with resource changes or notes (added, removed, attribution
 * notes). The others are counted, not listed.
 */
export function shownStacks(stacks: readonly StackChanges[]): { readonly shown: StackChanges[]; readonly unchanged: string[] } {
  const shown: StackChanges[] = [];
  const unchanged: string[] = [];
  const shared = sharedNotes(stacks);
  for (const stack of stacks) {
    if (stack.changes.length > 0 || stackNotes(stack, shared).length > 0) shown.push(stack);
    else unchanged.push(stack.stack);
  }
  return { shown, unchanged };
}

/** At most `max` names, then how many more. */
export function listNames(names: readonly string[], max = 10): string {
  return names.length <= max ? names.join(', ') : `${names.slice(0, max).join(', ')} and ${names.length - max} more`;
}
