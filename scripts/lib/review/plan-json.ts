/**
 * Reading and checking Terraform's machine-readable plan (`terraform show -json <planfile>`).
 *
 * Format reference: developer.hashicorp.com/terraform/internals/json-format. `format_version` is
 * "<major>.<minor>"; minor versions only add fields, so every 1.x is read and any other major refused.
 */

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

const KNOWN_ACTIONS = new Set(['no-op', 'create', 'read', 'update', 'delete']);

/**
 * Parses plan JSON text and checks the shape this tool depends on.
 * @param label names the input in error messages (usually the file path)
 */
export function parsePlanJson(text: string, label: string): PlanJson {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new PlanFormatError(`${label}: not valid JSON (${(error as Error).message}); expected the output of \`terraform show -json <planfile>\``);
  }
  return checkPlanJson(data, label);
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
    throw new PlanFormatError(`${label}: format_version ${JSON.stringify(version)} is not "<major>.<minor>"; expected 1.x`);
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
    throw new PlanFormatError(`${label}: "resource_changes" must be an array, got ${typeof changes}`);
  }
  changes.forEach((rc: unknown, i) => {
    const where = `${label}: resource_changes[${i}]`;
    if (typeof rc !== 'object' || rc === null) throw new PlanFormatError(`${where} must be an object`);
    const r = rc as Record<string, unknown>;
    if (typeof r.address !== 'string') throw new PlanFormatError(`${where} has no "address" string`);
    if (typeof r.type !== 'string') throw new PlanFormatError(`${where} (${r.address}) has no "type" string`);
    const change = r.change as Record<string, unknown> | undefined;
    if (typeof change !== 'object' || change === null || !Array.isArray(change.actions)) {
      throw new PlanFormatError(`${where} (${r.address}) has no "change.actions" array`);
    }
    for (const action of change.actions) {
      if (!KNOWN_ACTIONS.has(action as string)) {
        throw new PlanFormatError(`${where} (${r.address}) has unknown action ${JSON.stringify(action)}; expected one of ${[...KNOWN_ACTIONS].join(', ')}`);
      }
    }
  });
  return { ...plan, resource_changes: changes } as unknown as PlanJson;
}
