/**
 * The normalised change model shared by Terraform plans and synth diffs. Everything in it is already
 * masked: values Terraform marked sensitive are `MASKED`, so renderers and rules cannot leak them.
 */
import type { Value, ValueObject } from './values';

/** What happens to a resource, in the vocabulary of a pull-request reviewer. */
export type ChangeAction = 'create' | 'update' | 'replace' | 'delete' | 'move';

/** The order actions are listed in: the destructive ones first. */
export const ACTION_ORDER: readonly ChangeAction[] = ['delete', 'replace', 'update', 'create', 'move'];

/** One attribute that differs, addressed like `enabled_log[1].category`. */
export interface AttributeChange {
  readonly path: string;
  /** `undefined` when the attribute is absent on that side. */
  readonly before: Value | undefined;
  readonly after: Value | undefined;
}

export interface ResourceChange {
  /** Terraform address, e.g. `azurerm_log_analytics_workspace.audit`. */
  readonly address: string;
  /** Where the resource was before a `moved` block, when Terraform reports one. */
  readonly previousAddress?: string;
  /** Resource type, e.g. `azurerm_log_analytics_workspace`. */
  readonly type: string;
  readonly action: ChangeAction;
  /** Attribute values before the change (masked); `null` on create. */
  readonly before: ValueObject | null;
  /** Attribute values after the change (masked); `null` on delete. */
  readonly after: ValueObject | null;
  /** The attributes that differ (masked), for update and replace details. */
  readonly attributes: readonly AttributeChange[];
  /** Attributes that force the replacement, when known. */
  readonly replacePaths?: readonly string[];
  /** Terraform's `action_reason`, when given. */
  readonly reason?: string;
  /**
   * `lifecycle.prevent_destroy` on each side. Known only in synth diffs: plans do not carry it.
   */
  readonly preventDestroy?: { readonly before: boolean; readonly after: boolean };
}

/** The changes of one stack, from one plan or one pair of synthesized stacks. */
export interface StackChanges {
  readonly stack: string;
  readonly source: 'plan' | 'synth';
  readonly changes: readonly ResourceChange[];
  /** Notes for the reader (plan errored, stack added, …), as markdown with any input already escaped. */
  readonly notes: readonly string[];
  /**
   * Raw strings known to be secret (sensitive variables and outputs, values at sensitive paths).
   * Used only to scrub the rendered text as a last line of defence; never rendered.
   */
  readonly secrets: readonly string[];
}

export interface ChangeCounts {
  readonly create: number;
  readonly update: number;
  readonly replace: number;
  readonly delete: number;
}

export function countChanges(changes: readonly ResourceChange[]): ChangeCounts {
  const counts = { create: 0, update: 0, replace: 0, delete: 0 };
  for (const change of changes) {
    if (change.action !== 'move') counts[change.action] += 1;
  }
  return counts;
}
