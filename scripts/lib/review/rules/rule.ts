/**
 * The shape of an Audit-risk rule: a small pure function over one normalised resource change,
 * with a stable id (cdk-nag style). Ids are public API: CI logs, docs and suppressions refer to them.
 */
import type { DeleteLock, ResourceChange } from '../change-model';

/** `critical` first: the Audit risk section lists findings in this order. */
export type Severity = 'critical' | 'high' | 'medium';
export const SEVERITY_ORDER: readonly Severity[] = ['critical', 'high', 'medium'];

export interface AuditRiskRule {
  /** Stable id, `AR<n>`; never reused for another meaning. */
  readonly id: string;
  /** PascalCase name, as in cdk-nag. */
  readonly name: string;
  readonly severity: Severity;
  /** One sentence for the rules table in the docs. */
  readonly description: string;
  /** The reasons this change weakens audit coverage or protection (or cannot apply); empty when it does not. */
  check(change: ResourceChange, context?: RuleContext): string[];
}

/** What a rule may know about the change's stack beyond the one resource. */
export interface RuleContext {
  /** CanNotDelete locks standing before the change. */
  readonly locks: readonly DeleteLock[];
}

export interface Finding {
  readonly ruleId: string;
  readonly ruleName: string;
  readonly severity: Severity;
  readonly stack: string;
  readonly address: string;
  readonly message: string;
}
