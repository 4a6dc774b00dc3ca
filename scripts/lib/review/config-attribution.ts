/**
 * Which configuration setting caused which change of a synth diff.
 *
 * Given the configuration files the base and head outputs were synthesized from, the settings that
 * differ are listed as written in the file (`tenants.contoso.environments.prod.storage.retentionInDays`).
 * Each setting's effect is then measured, not guessed: per stack, the base configuration and the base
 * configuration with that one setting changed are both synthesized in memory with the current code,
 * and compared like the real outputs. A resource change (or an Audit-risk finding) of the real diff is
 * explained by the settings whose own change reproduces it; what no setting explains is reported as
 * "other changes" (the code, a default or a provider changed between base and head).
 *
 * Settings that are not a valid change on their own (two settings that must change together) are
 * measured together. All values are real here; the masking step masks them before rendering.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Testing } from 'cdktf';
import { joinPath } from '../../../constructs/internal/validation';
import { validateConfig, type StackPlan } from '../../../stacks/config';
import { ConfigError } from '../../../stacks/config-error';
import type { ConfigProblem } from '../../../stacks/config-error';
import { parseConfigSource } from '../../../stacks/config-input';
import { EntraAuditStack } from '../../../stacks/entra-audit-stack';
import { findAuditRisks } from './audit-risk';
import type { ResourceChange, SettingAttribution, SettingDiff, SettingEffect, StackChanges } from './change-model';
import type { AuditRiskRule, Finding } from './rules';
import { AUDIT_RISK_RULES } from './rules';
import { diffSynthStacks } from './synth-changes';
import { parseTerraformJson, type TerraformJson } from './synth-output';
import { deepEqual, isObject, type Value } from './values';

/** The most in-memory syntheses (one stack each) one synth diff runs; settings beyond are not measured, and a note says so. */
export const MAX_ATTRIBUTION_SYNTHS = 200;

/** A configuration file's text and the name it is reported under. */
export interface ConfigSource {
  readonly file: string;
  readonly text: string;
}

export interface AttributionInput {
  readonly base: ConfigSource;
  readonly head: ConfigSource;
  /** The head output as read (to check that the head configuration is the one it was synthesized from). */
  readonly headOutput: ReadonlyMap<string, TerraformJson>;
  /** Told after each synthesis: done of at most total. */
  readonly progress?: (done: number, total: number) => void;
  /** @default MAX_ATTRIBUTION_SYNTHS */
  readonly maxSynths?: number;
  /** @default AUDIT_RISK_RULES */
  readonly rules?: readonly AuditRiskRule[];
  /** Synthesizes one stack; throws when its constructs refuse the plan. @default in memory, with EntraAuditStack */
  readonly synthesize?: (plan: StackPlan) => TerraformJson;
}

/** A setting that differs, with where it sits in the parsed document. */
export interface RawSetting extends SettingDiff {
  readonly segments: readonly (string | number)[];
}

/**
 * The settings that differ between two parsed configuration documents, in document order. Maps are
 * compared key by key; lists of maps of the same length item by item; any other list as a whole
 * (`routing.AuditLogs: [logAnalytics, storage] → [logAnalytics]`). A map added or removed is one setting.
 */
export function settingDiffs(base: unknown, head: unknown): RawSetting[] {
  const out: RawSetting[] = [];
  const walk = (segments: (string | number)[], path: string, before: unknown, after: unknown): void => {
    if (deepEqual(before, after)) return;
    if (isObject(before) && isObject(after)) {
      const keys = [...Object.keys(before), ...Object.keys(after).filter((k) => !Object.prototype.hasOwnProperty.call(before, k))];
      for (const key of keys) walk([...segments, key], joinPath(path, key), before[key], after[key]);
      return;
    }
    if (Array.isArray(before) && Array.isArray(after) && before.length === after.length && [...before, ...after].every(isObject)) {
      before.forEach((item, i) => walk([...segments, i], joinPath(path, i), item, after[i]));
      return;
    }
    out.push({ segments, path: path || '(the whole file)', before: before as Value | undefined, after: after as Value | undefined });
  };
  walk([], '', base, head);
  return out;
}

/** `base` with the given settings set to their head values (absent ones removed). */
export function applySettings(base: unknown, settings: readonly RawSetting[]): unknown {
  let doc = structuredClone(base);
  for (const setting of settings) {
    if (setting.segments.length === 0) {
      doc = structuredClone(setting.after);
      continue;
    }
    let parent = doc as Record<string | number, unknown>;
    for (const segment of setting.segments.slice(0, -1)) parent = parent[segment] as Record<string | number, unknown>;
    const last = setting.segments[setting.segments.length - 1];
    if (setting.after === undefined) delete parent[last];
    else parent[last] = structuredClone(setting.after);
  }
  return doc;
}

/** Whether a setting can change the stack of `tenant` and `environment`. */
function concerns(setting: RawSetting, tenant: string, environment: string): boolean {
  const [top, t, environments, e] = setting.segments;
  if (top !== 'tenants' || t === undefined) return true;
  if (t !== tenant) return false;
  if (environments !== 'environments' || e === undefined) return true;
  return e === environment;
}

/** Whether a setting adds or removes the whole stack (its environment, its tenant or all tenants). */
function createsOrRemoves(setting: RawSetting, tenant: string, environment: string): boolean {
  const own = ['tenants', tenant, 'environments', environment];
  return setting.segments.length <= own.length && setting.segments.every((s, i) => s === own[i]);
}

/** The plans of a parsed document, or the problems that stop it from being a configuration. */
function plansOf(raw: unknown): { plans?: StackPlan[]; problems: string[] } {
  const found: ConfigProblem[] = [];
  let plans: StackPlan[];
  try {
    plans = validateConfig(raw, found);
  } catch (error) {
    return { problems: [`validation failed: ${(error as Error).message}`] };
  }
  const problems = found.map((p) => p.text);
  return problems.length > 0 ? { problems } : { plans, problems };
}

/** In-memory synthesis of one stack, in a scratch folder of its own (cdktf's App creates one), removed afterwards. */
class Synthesizer {
  private dir: string | undefined;
  count = 0;

  constructor(
    readonly budget: number,
    private readonly progress: ((done: number, total: number) => void) | undefined,
    private readonly total: number,
    private readonly custom?: (plan: StackPlan) => TerraformJson,
  ) {}

  get exhausted(): boolean {
    return this.count >= this.budget;
  }

  /** The stack's Terraform JSON, or undefined when its constructs refuse the plan. */
  synth(plan: StackPlan): TerraformJson | undefined {
    this.count += 1;
    try {
      if (this.custom) return this.custom(plan);
      this.dir ??= mkdtempSync(join(tmpdir(), 'entra-synth-diff-attribution-'));
      const app = new App({ outdir: this.dir, skipValidation: true });
      const stack = new EntraAuditStack(app, plan);
      return parseTerraformJson(Testing.synth(stack), `${plan.id} (synthesized in memory)`);
    } catch {
      return undefined;
    } finally {
      this.progress?.(this.count, Math.max(this.count, Math.min(this.total, this.budget)));
    }
  }

  dispose(): void {
    if (this.dir !== undefined) rmSync(this.dir, { recursive: true, force: true });
  }
}

/** What one setting (or group) does to a stack, measured from the base configuration. */
interface Measured {
  readonly settings: readonly RawSetting[];
  readonly changes: ReadonlyMap<string, ResourceChange>;
  readonly findings: ReadonlySet<string>;
}

const findingKey = (ruleId: string, address: string) => `${ruleId}\u0000${address}`;

/**
 * The changes from one configuration document to another for one stack, with the findings they
 * raise; undefined when either side is not a valid configuration or does not synthesize.
 */
function measure(
  stack: string,
  settings: readonly RawSetting[],
  from: { raw: unknown } | { tf: TerraformJson },
  to: { raw: unknown } | { tf: TerraformJson },
  synthesizer: Synthesizer,
  rules: readonly AuditRiskRule[],
): Measured | undefined {
  const tfOf = (side: { raw: unknown } | { tf: TerraformJson }): TerraformJson | undefined => {
    if ('tf' in side) return side.tf;
    const plan = plansOf(side.raw).plans?.find((p) => p.id === stack);
    return plan ? synthesizer.synth(plan) : undefined;
  };
  const before = tfOf(from);
  const after = before ? tfOf(to) : undefined;
  if (!before || !after) return undefined;
  const diff = diffSynthStacks(stack, before, after);
  return {
    settings,
    changes: new Map(diff.changes.map((c) => [c.address, c])),
    findings: new Set(findAuditRisks([diff], rules).map((f) => findingKey(f.ruleId, f.address))),
  };
}

/** The setting undone: head value back to base value. */
function reverted(setting: RawSetting): RawSetting {
  return { ...setting, before: setting.after, after: setting.before };
}

const modifies = (action: ResourceChange['action']) => action === 'update' || action === 'replace';

/**
 * Whether a measured change reproduces (part of) a real one: the same resource created or deleted, or
 * the same resource modified in at least one of the same attributes.
 */
function reproduces(measured: ResourceChange | undefined, real: ResourceChange): boolean {
  if (!measured) return false;
  if (!modifies(real.action)) return measured.action === real.action;
  if (!modifies(measured.action)) return false;
  const paths = new Set(measured.attributes.map((a) => a.path));
  return real.attributes.some((a) => paths.has(a.path));
}

function publicSetting(s: RawSetting): SettingDiff {
  return { path: s.path, before: s.before, after: s.after };
}

/** The attribution of one stack whose changes are all explained, or none, by settings that add or remove it. */
function wholeStack(stack: StackChanges, findings: readonly Finding[], settings: readonly RawSetting[], notes: string[]): SettingAttribution {
  if (settings.length === 0) return { effects: [], unexplained: stack.changes.map((c) => c.address), notes };
  return {
    effects: [
      {
        settings: settings.map(publicSetting),
        addresses: stack.changes.map((c) => c.address),
        findings: findings.filter((f) => f.stack === stack.stack).map((f) => ({ ruleId: f.ruleId, address: f.address })),
      },
    ],
    unexplained: [],
    notes,
  };
}

function attributeStack(
  stack: StackChanges,
  findings: readonly Finding[],
  concerning: readonly RawSetting[],
  baseRaw: unknown,
  headRaw: unknown,
  basePlan: StackPlan,
  headPlan: StackPlan,
  headOutput: TerraformJson | undefined,
  synthesizer: Synthesizer,
  rules: readonly AuditRiskRule[],
  headFile: string,
): SettingAttribution {
  const notes: string[] = [];
  const baseTf = synthesizer.synth(basePlan);
  const headTf = synthesizer.synth(headPlan);
  if (!baseTf || !headTf) {
    notes.push('The configuration of this stack could not be synthesized in memory, so its changes are not related to settings.');
    return { effects: [], unexplained: stack.changes.map((c) => c.address), notes };
  }
  if (headOutput) {
    const drift = diffSynthStacks(stack.stack, headTf, headOutput).changes.length;
    if (drift > 0) {
      notes.push(
        `The head configuration ${headFile} synthesizes to something else than the head output for this stack (${drift} resource(s) differ): ` +
          'was the head output synthesized from this file with this version? Settings are related to changes as far as they match.',
      );
    }
  }
  // Each setting alone on the base configuration; when that is not a valid configuration, the head
  // configuration without it (its effect given the other changes); what neither measures, together.
  const measured: Measured[] = [];
  const invalid: RawSetting[] = [];
  let unmeasured = 0;
  for (const setting of concerning) {
    if (synthesizer.exhausted) {
      unmeasured += 1;
      continue;
    }
    const result =
      measure(stack.stack, [setting], { tf: baseTf }, { raw: applySettings(baseRaw, [setting]) }, synthesizer, rules) ??
      (synthesizer.exhausted ? undefined : measure(stack.stack, [setting], { raw: applySettings(headRaw, [reverted(setting)]) }, { tf: headTf }, synthesizer, rules));
    if (result) measured.push(result);
    else invalid.push(setting);
  }
  if (invalid.length > 0) {
    const together = invalid.length > 1 && !synthesizer.exhausted ? measure(stack.stack, invalid, { tf: baseTf }, { raw: applySettings(baseRaw, invalid) }, synthesizer, rules) : undefined;
    if (together) {
      measured.push(together);
    } else {
      const they = invalid.length > 1;
      notes.push(
        `${invalid.map((s) => s.path).join(', ')}: ${they ? 'not valid changes' : 'not a valid change'} of the base configuration on ${they ? 'their own or together' : 'its own'}, ` +
          `nor ${they ? 'are they' : 'is it'} valid to undo alone, so what ${they ? 'they change' : 'it changes'} could not be measured; ${they ? 'their' : 'its'} effects are listed as other changes.`,
      );
    }
  }
  if (unmeasured > 0) {
    notes.push(`${unmeasured} setting(s) not measured: a synth diff runs at most ${synthesizer.budget} in-memory syntheses; their effects are listed as other changes.`);
  }

  const unexplained: string[] = [];
  const explainedBy = new Map<string, Measured[]>();
  for (const change of stack.changes) {
    const by = measured.filter((m) => reproduces(m.changes.get(change.address), change));
    explainedBy.set(change.address, by);
    const covered = new Set(by.flatMap((m) => m.changes.get(change.address)?.attributes.map((a) => a.path) ?? []));
    const partly = modifies(change.action) && change.attributes.some((a) => !covered.has(a.path));
    if (by.length === 0 || partly) unexplained.push(change.address);
  }
  const effects: SettingEffect[] = measured.map((m) => ({
    settings: m.settings.map(publicSetting),
    addresses: stack.changes.filter((c) => explainedBy.get(c.address)?.includes(m)).map((c) => c.address),
    findings: findings
      .filter((f) => {
        if (f.stack !== stack.stack) return false;
        const by = explainedBy.get(f.address) ?? [];
        if (!by.includes(m)) return false;
        // The settings that reproduce this very finding. When none does alone: the settings that change its
        // resource, if together they explain all of that change; otherwise the finding may come from the part
        // no setting explains, and it stays with the other changes.
        const reproducing = by.filter((x) => x.findings.has(findingKey(f.ruleId, f.address)));
        return reproducing.length > 0 ? reproducing.includes(m) : !unexplained.includes(f.address);
      })
      .map((f) => ({ ruleId: f.ruleId, address: f.address }))
      .filter((f, i, all) => all.findIndex((g) => g.ruleId === f.ruleId && g.address === f.address) === i),
  }));
  return { effects, unexplained, notes };
}

/**
 * Each stack with its `attribution`: which settings explain its changes and findings. Throws a
 * ConfigError when the head configuration is not valid (it must be: the head output was synthesized
 * from it). A base configuration this version cannot read is not an error: the changes are then
 * reported as not related to settings, with a note saying why.
 */
export function attributeToSettings(stacks: readonly StackChanges[], findings: readonly Finding[], input: AttributionInput): StackChanges[] {
  const rules = input.rules ?? AUDIT_RISK_RULES;
  const headRaw = parseConfigSource(input.head.text, input.head.file).raw;
  const head = plansOf(headRaw);
  if (!head.plans) throw new ConfigError(input.head.file, head.problems);
  const headPlans = head.plans;

  let baseRaw: unknown;
  let basePlans: StackPlan[] | undefined;
  let baseNote: string | undefined;
  try {
    baseRaw = parseConfigSource(input.base.text, input.base.file).raw;
    const base = plansOf(baseRaw);
    basePlans = base.plans;
    if (!basePlans) baseNote = `The base configuration ${input.base.file} is not valid for this version of the toolkit (${base.problems.length} problem(s), first: ${base.problems[0]}), so changes are not related to settings.`;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    baseNote = `The base configuration ${input.base.file} cannot be read (${error.problems[0] ?? error.message}), so changes are not related to settings.`;
  }
  const settings = baseNote === undefined ? settingDiffs(baseRaw, headRaw) : [];

  const keysOf = (id: string) => headPlans.find((p) => p.id === id) ?? basePlans?.find((p) => p.id === id);
  const changed = stacks.filter((s) => s.changes.length > 0 && s.presence === undefined && keysOf(s.stack));
  const total = changed.reduce((n, s) => {
    const plan = keysOf(s.stack)!;
    return n + 2 + settings.filter((x) => concerns(x, plan.tenantKey, plan.environmentKey)).length;
  }, 0);
  const synthesizer = new Synthesizer(input.maxSynths ?? MAX_ATTRIBUTION_SYNTHS, input.progress, total, input.synthesize);
  try {
    return stacks.map((stack): StackChanges => {
      const plan = keysOf(stack.stack);
      const unchanged = stack.changes.length === 0 && stack.presence === undefined;
      // Nothing to relate, and nothing worth a note: such a stack stays out of the report.
      if (unchanged && (!plan || baseNote !== undefined)) return stack;
      if (!plan) {
        const notes = [`Stack ${stack.stack} is in neither configuration file given, so its changes are not related to settings.`];
        return { ...stack, attribution: { effects: [], unexplained: stack.changes.map((c) => c.address), notes } };
      }
      if (baseNote !== undefined) return { ...stack, attribution: { effects: [], unexplained: stack.changes.map((c) => c.address), notes: [baseNote] } };
      const concerning = settings.filter((s) => concerns(s, plan.tenantKey, plan.environmentKey));
      const basePlan = basePlans!.find((p) => p.id === stack.stack);
      const headPlan = headPlans.find((p) => p.id === stack.stack);
      if (stack.presence !== undefined || !basePlan || !headPlan) {
        const inConfig = stack.presence === 'added' ? !basePlan && headPlan : stack.presence === 'removed' ? basePlan && !headPlan : false;
        const notes = inConfig
          ? []
          : [
              stack.presence === 'added'
                ? 'The stack is new in the synthesized output but already in the base configuration: the base output was probably not synthesized, so its changes are not related to settings.'
                : `The stack is ${!basePlan ? 'missing from the base' : 'missing from the head'} configuration but not from that output, so its changes are not related to settings.`,
            ];
        return { ...stack, attribution: wholeStack(stack, findings, inConfig ? concerning.filter((s) => createsOrRemoves(s, plan.tenantKey, plan.environmentKey)) : [], notes) };
      }
      if (stack.changes.length === 0) {
        // No resource changed: the settings of this stack that did change are shown as such, without synthesizing.
        return { ...stack, attribution: { effects: concerning.map((s) => ({ settings: [publicSetting(s)], addresses: [], findings: [] })), unexplained: [], notes: [] } };
      }
      const attribution = attributeStack(stack, findings, concerning, baseRaw, headRaw, basePlan, headPlan, input.headOutput.get(stack.stack), synthesizer, rules, input.head.file);
      return { ...stack, attribution };
    });
  } finally {
    synthesizer.dispose();
  }
}
