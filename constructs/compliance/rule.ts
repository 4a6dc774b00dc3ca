/**
 * The shape of a compliance rule (the cdk-nag model): a small pure function over the facts of one
 * stack, with an id, a one-line description, why it matters, how to fix it and the controls it
 * supports. Rules live one per file in `rules/`; profiles (`packs/`) select them, with thresholds.
 */
import type { ControlId } from './controls';
import type { AuditFacts } from './facts';

/** One violation of a rule, with one cause. */
export interface Finding {
  /** The construct whose settings cause it. */
  readonly constructPath: string;
  /**
   * The setting to change, relative to the environment as the configuration file names it
   * (`storage.retentionInDays`, `routing.SignInLogs`); construct props use the same names.
   */
  readonly setting: string;
  /** The value found there (`undefined` when the setting is absent). */
  readonly got: unknown;
  /** What was found, as a sentence: `AuditLogs is kept at most 90 days by any destination`. */
  readonly found: string;
  /** What to change, as an instruction: `raise storage.retentionInDays to 365 or more`. */
  readonly fix: string;
}

/** A rule's numeric threshold, set by each profile that selects the rule. */
export interface RuleThreshold {
  /** What the number counts, for messages and docs: `days`. */
  readonly unit: string;
  /** Which of two thresholds is the stricter one, when two selected profiles set different ones. */
  readonly stricter: 'higher' | 'lower';
  /** What the threshold means, for the docs: `minimum retention`. */
  readonly meaning: string;
}

export interface ComplianceRule {
  /** `EAL<n>`: stable, never reused. */
  readonly id: string;
  /** PascalCase name, as in cdk-nag. */
  readonly name: string;
  /** One line: what the rule requires. */
  readonly description: string;
  /** Why it matters. */
  readonly why: string;
  /** How to fix a violation, in general (each finding says exactly what to change). */
  readonly fix: string;
  /** The controls the rule supports (ids of `CONTROLS`). */
  readonly controls: readonly ControlId[];
  /** Present when profiles set a figure (a minimum retention, a maximum lifetime). */
  readonly threshold?: RuleThreshold;
  /** The findings for one stack; empty when it complies. `threshold` is given iff the rule has one. */
  readonly check: (facts: AuditFacts, threshold?: number) => readonly Finding[];
}

/** `a`, `a and b`, `a, b and c`. */
export function listed(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** `1 category`, `2 categories`. */
export function counted(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}
