/**
 * Reading and checking Terraform's machine-readable plan (`terraform show -json <planfile>`).
 *
 * Format reference: developer.hashicorp.com/terraform/internals/json-format. `format_version` is
 * "<major>.<minor>"; minor versions only add fields, so every 1.x is read and any other major refused.
 */

import { parseJsonInput } from '../io/json-input';

export const SUPPORTED_PLAN_MAJOR = 1;

export class PlanFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PlanFormatError';
  }
}

export interface PlanResourceChange {
  readonly address: string;
  readonly previous_address?: string;
  readonly mode?: string;
  readonly type: string;
  readonly name?: string;
  readonly deposed?: string;
  readonly action_reason?: string;
  readonly change: {
    readonly actions: readonly string[];
    readonly before?: unknown;
    readonly after?: unknown;
    readonly after_unknown?: unknown;
    readonly before_sensitive?: unknown;
    readonly after_sensitive?: unknown;
    readonly replace_paths?: readonly (readonly (string | number)[])[];
  };
}

export interface PlanOutputChange {
  readonly before?: unknown;
  readonly after?: unknown;
  readonly before_sensitive?: unknown;
  readonly after_sensitive?: unknown;
}

/** The parts of a plan this tool reads; everything else is ignored. */
export interface PlanJson {
  readonly format_version: string;
  readonly terraform_version?: string;
  readonly errored?: boolean;
  readonly variables?: Record<string, { readonly value?: unknown }>;
  readonly resource_changes: readonly PlanResourceChange[];
  readonly output_changes?: Record<string, PlanOutputChange>;
  readonly planned_values?: { readonly outputs?: Record<string, { readonly sensitive?: boolean; readonly value?: unknown }> };
  readonly prior_state?: { readonly values?: { readonly outputs?: Record<string, { readonly sensitive?: boolean; readonly value?: unknown }> } };
  readonly configuration?: { readonly root_module?: { readonly variables?: Record<string, { readonly sensitive?: boolean }> } };
}

/**
 * Every `actions` list Terraform writes (hashicorp/terraform internal/command/jsonplan/plan.go, `Change.Actions`;
 * developer.hashicorp.com/terraform/internals/json-format). `forget` comes with `removed` blocks
 * (`lifecycle { destroy = false }`, Terraform 1.7+). Any other list is refused rather than skipped.
 */
const KNOWN_ACTION_LISTS: readonly string[] = ['no-op', 'create', 'read', 'update', 'delete', 'delete,create', 'create,delete', 'forget', 'create,forget', 'forget,create'];

/** The deepest nesting accepted; Terraform plans of this toolkit's stacks stay far below it. */
export const MAX_PLAN_DEPTH = 256;

const EXPECTED = 'the output of `terraform show -json <planfile>`';

/**
 * Parses plan JSON text and checks the shape this tool depends on.
 * @param label names the input in error messages (usually the file path)
 */
export function parsePlanJson(text: string, label: string): PlanJson {
  return checkPlanJson(parseJsonInput(text, { label, maxDepth: MAX_PLAN_DEPTH, expected: EXPECTED }), label);
}

export function checkPlanJson(data: unknown, label: string): PlanJson {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new PlanFormatError(`${label}: expected a JSON object from \`terraform show -json <planfile>\`, got ${Array.isArray(data) ? 'an array' : typeof data}`);
  }
  const plan = data as Record<string, unknown>;
  const version = plan.format_version;
  if (typeof version !== 'string') {
    throw new PlanFormatError(`${label}: no "format_version" string; expected the output of \`terraform show -json <planfile>\``);
  }
  const match = /^(\d+)\.(\d+)$/.exec(version);
  if (!match) {
    throw new PlanFormatError(`${label}: format_version ${brief(JSON.stringify(version))} is not "<major>.<minor>"; expected 1.x`);
  }
  const major = Number(match[1]);
  if (major !== SUPPORTED_PLAN_MAJOR) {
    throw new PlanFormatError(
      `${label}: plan format_version ${version} is not supported: this tool reads format ${SUPPORTED_PLAN_MAJOR}.x ` +
        `(Terraform 1.x \`terraform show -json\`); a new major version may change the meaning of fields, so it is refused rather than misread`,
    );
  }
  if (!('resource_changes' in plan) && 'values' in plan && !('planned_values' in plan)) {
    throw new PlanFormatError(`${label}: this is a state, not a plan; run \`terraform show -json <planfile>\` on a saved plan (\`terraform plan -out=<planfile>\`)`);
  }
  const changes = plan.resource_changes ?? [];
  if (!Array.isArray(changes)) {
    throw new PlanFormatError(`${label}: "resource_changes" must be an array, got ${typeName(changes)}`);
  }
  changes.forEach((rc: unknown, i) => {
    const where = `${label}: resource_changes[${i}]`;
    if (typeof rc !== 'object' || rc === null) throw new PlanFormatError(`${where} must be an object`);
    const r = rc as Record<string, unknown>;
    if (typeof r.address !== 'string') throw new PlanFormatError(`${where} has no "address" string`);
    const address = brief(r.address);
    if (typeof r.type !== 'string') throw new PlanFormatError(`${where} (${address}) has no "type" string`);
    const change = r.change as Record<string, unknown> | undefined;
    if (typeof change !== 'object' || change === null || !Array.isArray(change.actions)) {
      throw new PlanFormatError(`${where} (${address}) has no "change.actions" array`);
    }
    const list = change.actions.map((action) => (typeof action === 'string' ? action : JSON.stringify(action))).join(',');
    if (!KNOWN_ACTION_LISTS.includes(list)) {
      throw new PlanFormatError(
        `${where} (${address}) has unknown actions ${brief(JSON.stringify(change.actions))}; expected one of ${KNOWN_ACTION_LISTS.map((l) => `[${l}]`).join(', ')}`,
      );
    }
  });
  // The sections secrets are read from: a malformed one would let a secret through unmasked.
  objectOfObjects(plan.variables, `${label}: "variables"`);
  objectOfObjects(plan.output_changes, `${label}: "output_changes"`);
  objectOfObjects(at(plan, 'configuration', 'root_module', 'variables'), `${label}: "configuration.root_module.variables"`);
  objectOfObjects(at(plan, 'planned_values', 'outputs'), `${label}: "planned_values.outputs"`);
  objectOfObjects(at(plan, 'prior_state', 'values', 'outputs'), `${label}: "prior_state.values.outputs"`);
  return { ...plan, resource_changes: changes } as unknown as PlanJson;
}

function at(value: unknown, ...keys: string[]): unknown {
  let current = value;
  for (const key of keys) {
    if (typeof current !== 'object' || current === null || Array.isArray(current)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** Input echoed in a message is cut short: a message is one line, never a copy of a huge value. */
function brief(text: string): string {
  return text.length > 120 ? `${text.slice(0, 119)}…` : text;
}

function typeName(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
}

/** Absent, or an object whose every entry is an object. */
function objectOfObjects(value: unknown, where: string): void {
  if (value === undefined) return;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new PlanFormatError(`${where} must be an object, got ${typeName(value)}`);
  for (const [key, entry] of Object.entries(value)) {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      throw new PlanFormatError(`${where} entry ${brief(JSON.stringify(key))} must be an object, got ${typeName(entry)}`);
    }
  }
}
