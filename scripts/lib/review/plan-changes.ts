/**
 * Terraform plan JSON → the normalised change model, masking every sensitive value on the way.
 */
import { applyMirrors, collectStrings, diffAttributes, sensitiveStrings } from './attribute-diff';
import type { ChangeAction, ResourceChange, StackChanges } from './change-model';
import type { PlanJson, PlanResourceChange } from './plan-json';
import { isObject, type ValueObject } from './values';

/** Maps Terraform's `actions` list to one reviewer action, or undefined for no-op and read. */
export function actionOf(actions: readonly string[], previousAddress?: string): ChangeAction | undefined {
  const key = actions.join(',');
  switch (key) {
    case 'create':
      return 'create';
    case 'update':
      return 'update';
    case 'delete':
      return 'delete';
    case 'delete,create':
    case 'create,delete':
      return 'replace';
    case 'no-op':
      return previousAddress ? 'move' : undefined;
    default:
      return undefined;
  }
}

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
  return { stack, source: 'plan', changes, notes, secrets: [...secrets] };
}

function toResourceChange(rc: PlanResourceChange, secrets: Set<string>): ResourceChange | undefined {
  const { change } = rc;
  const action = actionOf(change.actions, rc.previous_address);
  if (!action) return undefined;
  sensitiveStrings(change.before, change.before_sensitive, secrets);
  sensitiveStrings(change.after, change.after_sensitive, secrets);
  const before = applyMirrors(change.before, change.before_sensitive, undefined);
  const after = applyMirrors(change.after, change.after_sensitive, change.after_unknown);
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
    attributes,
    replacePaths: change.replace_paths?.map((path) => path.map((p) => (typeof p === 'number' ? `[${p}]` : p)).join('.').replace(/\.\[/g, '[')),
    reason: rc.action_reason,
  };
}

/** Sensitive variables and outputs: their raw values are scrubbed from the output text. */
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
