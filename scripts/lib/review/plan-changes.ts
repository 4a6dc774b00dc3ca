/**
 * Terraform plan JSON → the normalised change model: real values with their sensitivity mirrors, and
 * every secret the plan reveals (the masking step masks them before rendering).
 */
import { applyMirrors, collectStrings, diffAttributes, hasTrue, sensitiveStrings } from './attribute-diff';
import type { ChangeAction, DeleteLock, ResourceChange, StackChanges } from './change-model';
import { planLocks } from './delete-locks';
import type { PlanJson, PlanResourceChange } from './plan-json';
import { isObject, type ValueObject } from './values';

/**
 * Maps Terraform's `actions` list to one reviewer action, or undefined for no-op and read.
 * `["forget"]` removes the object from state without destroying it; `["create","forget"]` replaces it
 * but leaves the old object in place, which Terraform's own JSON views also call a replacement
 * (hashicorp/terraform internal/command/jsonplan/plan.go, `Change.Actions`; checkPlanJson lists all combinations).
 */
export function actionOf(actions: readonly string[], previousAddress?: string): ChangeAction | undefined {
  const key = actions.join(',');
  switch (key) {
    case 'create':
      return 'create';
    case 'update':
      return 'update';
    case 'delete':
      return 'delete';
    case 'forget':
      return 'forget';
    case 'delete,create':
    case 'create,delete':
    case 'create,forget':
    case 'forget,create':
      return 'replace';
    case 'no-op':
      return previousAddress ? 'move' : undefined;
    default:
      return undefined;
  }
}

/** The note on a replacement that leaves the old object in place (Terraform's own plan output says the same). */
const KEPT_OLD_OBJECT = 'the existing object is not destroyed, only removed from the state (destroy = false)';

export function planToStackChanges(plan: PlanJson, stack: string): StackChanges {
  const secrets = new Set<string>();
  collectPlanSecrets(plan, secrets);
  const changes: ResourceChange[] = [];
  for (const rc of plan.resource_changes) {
    if (rc.mode !== undefined && rc.mode !== 'managed') continue;
    const change = toResourceChange(rc, secrets);
    if (change) changes.push(change);
  }
  const notes: string[] = [];
  if (plan.errored) notes.push('Terraform reported errors while planning: this plan is incomplete.');
  return { stack, source: 'plan', changes, notes, secrets: [...secrets], locks: locksOfPlan(plan, changes) };
}

/** The CanNotDelete locks in the plan's prior state, from every managed resource (no-op ones included). */
function locksOfPlan(plan: PlanJson, changes: readonly ResourceChange[]): DeleteLock[] {
  const resources = plan.resource_changes
    .filter((rc) => (rc.mode === undefined || rc.mode === 'managed') && !rc.deposed && isObject(rc.change.before))
    .map((rc) => ({ address: rc.address, type: rc.type, values: rc.change.before as Record<string, unknown> }));
  const removed = new Set(changes.filter((c) => c.action === 'delete' || c.action === 'replace').map((c) => c.address));
  return planLocks(resources, removed);
}

function toResourceChange(rc: PlanResourceChange, secrets: Set<string>): ResourceChange | undefined {
  const { change } = rc;
  const action = actionOf(change.actions, rc.previous_address);
  if (!action) return undefined;
  sensitiveStrings(change.before, change.before_sensitive, secrets);
  sensitiveStrings(change.after, change.after_sensitive, secrets);
  const before = applyMirrors(change.before, undefined, undefined);
  const after = applyMirrors(change.after, undefined, change.after_unknown);
  const attributes =
    action === 'update' || action === 'replace'
      ? diffAttributes(change.before, change.after, {
          beforeSensitive: change.before_sensitive,
          afterSensitive: change.after_sensitive,
          afterUnknown: change.after_unknown,
        })
      : [];
  return {
    address: rc.deposed ? `${rc.address} (deposed object ${rc.deposed})` : rc.address,
    previousAddress: rc.previous_address,
    type: rc.type,
    action,
    before: isObject(before) ? (before as ValueObject) : null,
    after: isObject(after) ? (after as ValueObject) : null,
    ...(hasTrue(change.before_sensitive) ? { beforeSensitive: change.before_sensitive } : {}),
    ...(hasTrue(change.after_sensitive) ? { afterSensitive: change.after_sensitive } : {}),
    attributes,
    replacePaths: change.replace_paths?.map((path) => path.map((p) => (typeof p === 'number' ? `[${p}]` : p)).join('.').replace(/\.\[/g, '[')),
    reason: change.actions.includes('forget') && action === 'replace' ? [rc.action_reason, KEPT_OLD_OBJECT].filter(Boolean).join('; ') : rc.action_reason,
  };
}

/** Sensitive variables and outputs: their raw values are masked wherever they occur. */
function collectPlanSecrets(plan: PlanJson, secrets: Set<string>): void {
  const declared = plan.configuration?.root_module?.variables ?? {};
  for (const [name, variable] of Object.entries(plan.variables ?? {})) {
    if (declared[name]?.sensitive) collectStrings(variable.value, secrets);
  }
  for (const output of Object.values(plan.output_changes ?? {})) {
    sensitiveStrings(output.before, output.before_sensitive, secrets);
    sensitiveStrings(output.after, output.after_sensitive, secrets);
  }
  for (const outputs of [plan.planned_values?.outputs, plan.prior_state?.values?.outputs]) {
    for (const output of Object.values(outputs ?? {})) {
      if (output.sensitive) collectStrings(output.value, secrets);
    }
  }
}
