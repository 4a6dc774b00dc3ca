/**
 * The normalised change model shared by Terraform plans and synth diffs.
 *
 * It carries real values, because the Audit-risk rules decide on them, together with what is secret:
 * Terraform's sensitivity mirrors for each value and the raw secret strings of the stack. Renderers
 * never see it: the masking step (masking.ts) turns it into a copy with every secret replaced, and
 * only that copy is rendered.
 */
import type { Value, ValueObject } from './values';

/**
 * What happens to a resource, in the vocabulary of a pull-request reviewer. `forget`: Terraform removes
 * the resource from its state without destroying it (a `removed` block with `destroy = false`, Terraform 1.7+).
 */
export type ChangeAction = 'create' | 'update' | 'replace' | 'delete' | 'forget' | 'move';

/** The order actions are listed in: the destructive ones first, then losing management. */
export const ACTION_ORDER: readonly ChangeAction[] = ['delete', 'replace', 'forget', 'update', 'create', 'move'];

/**
 * A sensitivity mirror as in Terraform's plan JSON (`before_sensitive`, `after_sensitive`): `true` marks
 * the value at that position, and everything under it, sensitive; objects and arrays follow the value's shape.
 */
export type SensitiveMirror = unknown;

/** One attribute that differs, addressed like `enabled_log[1].category`. */
export interface AttributeChange {
  readonly path: string;
  /** `undefined` when the attribute is absent on that side. Real values: mask before rendering. */
  readonly before: Value | undefined;
  readonly after: Value | undefined;
  /** What is sensitive in `before` and `after` at this path; absent when nothing is. */
  readonly beforeSensitive?: SensitiveMirror;
  readonly afterSensitive?: SensitiveMirror;
}

export interface ResourceChange {
  /** Terraform address, e.g. `azurerm_log_analytics_workspace.audit`. */
  readonly address: string;
  /**
   * A name a person recognises: the construct path inside the stack, from cdktf's `//` metadata
   * (`Storage/Lifecycle` for `azurerm_storage_management_policy.Storage_Lifecycle_EFD81F17`). Known
   * only in synth diffs: plans do not carry the metadata.
   */
  readonly name?: string;
  /** Where the resource was before a `moved` block, when Terraform reports one. */
  readonly previousAddress?: string;
  /** Resource type, e.g. `azurerm_log_analytics_workspace`. */
  readonly type: string;
  readonly action: ChangeAction;
  /** Attribute values before the change; `null` on create. */
  readonly before: ValueObject | null;
  /** Attribute values after the change (`UNKNOWN` where known only after apply); `null` on delete and forget. */
  readonly after: ValueObject | null;
  /** What is sensitive in `before` and `after`; absent when nothing is. */
  readonly beforeSensitive?: SensitiveMirror;
  readonly afterSensitive?: SensitiveMirror;
  /** The attributes that differ, for update and replace details. */
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

/** One configuration setting that differs between the base and the head configuration file. */
export interface SettingDiff {
  /** The setting as written in the file, e.g. `tenants.contoso.environments.prod.storage.retentionInDays`. */
  readonly path: string;
  /** `undefined` where the setting is absent on that side. Real values: mask before rendering. */
  readonly before: Value | undefined;
  readonly after: Value | undefined;
}

/** What one setting change (or a few that are valid only together) does to one stack. */
export interface SettingEffect {
  /** Usually one setting; several when none of them is a valid configuration change on its own. */
  readonly settings: readonly SettingDiff[];
  /** Addresses of the stack's resource changes the settings explain, wholly or in part. */
  readonly addresses: readonly string[];
  /** The Audit-risk findings the settings explain, by rule and address. */
  readonly findings: readonly { readonly ruleId: string; readonly address: string }[];
}

/** Which configuration settings explain a stack's changes (synth diffs given both configuration files). */
export interface SettingAttribution {
  /** In the order the settings appear in the file. */
  readonly effects: readonly SettingEffect[];
  /** Addresses of changes that no setting explains, wholly or in part: code, defaults or provider versions. */
  readonly unexplained: readonly string[];
  /** Why the attribution is incomplete, as plain text. */
  readonly notes: readonly string[];
}

/** The changes of one stack, from one plan or one pair of synthesized stacks. */
export interface StackChanges {
  readonly stack: string;
  readonly source: 'plan' | 'synth';
  readonly changes: readonly ResourceChange[];
  /** Notes for the reader (plan errored, stack added, …), as plain text: renderers escape them. */
  readonly notes: readonly string[];
  /** Set in synth diffs when the stack exists on one side only. */
  readonly presence?: 'added' | 'removed';
  /** Which configuration settings explain the changes; only when both configuration files were given. */
  readonly attribution?: SettingAttribution;
  /**
   * Raw strings known to be secret (sensitive variables and outputs, values at sensitive positions).
   * The masking step masks them wherever they occur; never rendered.
   */
  readonly secrets: readonly string[];
  /** CanNotDelete locks standing before the change, with what each protects. @default - none known */
  readonly locks?: readonly DeleteLock[];
}

/** A CanNotDelete management lock and the resources whose delete it refuses (the locked resource and its children). */
export interface DeleteLock {
  /** The lock's address. */
  readonly address: string;
  /** The locked resource: its address, or its ARM id when it is not managed here. */
  readonly parent: string;
  /** Addresses of the resources the lock blocks from being deleted or replaced. */
  readonly covers: readonly string[];
  /** Whether this change removes the lock (then it goes first: the lock depends on what it protects). */
  readonly removed: boolean;
}

export interface ChangeCounts {
  readonly create: number;
  readonly update: number;
  readonly replace: number;
  readonly delete: number;
  readonly forget: number;
}

export function countChanges(changes: readonly ResourceChange[]): ChangeCounts {
  const counts = { create: 0, update: 0, replace: 0, delete: 0, forget: 0 };
  for (const change of changes) {
    if (change.action !== 'move') counts[change.action] += 1;
  }
  return counts;
}
