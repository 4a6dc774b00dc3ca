/**
 * Estates for the synth benchmark: a configuration with N stacks made from the example
 * (`stacks/environments.yaml`). Stack i is a copy of the example's environment i mod 3 in a tenant of
 * its own, so an estate of N stacks holds the example's three stack shapes in turn, and grows by
 * whole stacks of known content.
 */
import { parse, stringify } from 'yaml';

/** One environment of the example, with the tenant it belongs to. */
interface Template {
  readonly tenantKey: string;
  readonly tenant: Record<string, unknown>;
  readonly environmentKey: string;
  readonly environment: unknown;
}

/** The largest estate generated: tenant keys and GUIDs are numbered with four digits. */
export const MAX_ESTATE_STACKS = 9999;

function templates(exampleYaml: string): Template[] {
  const doc = parse(exampleYaml) as { tenants?: Record<string, Record<string, unknown> & { environments?: Record<string, unknown> }> };
  const out: Template[] = [];
  for (const [tenantKey, tenant] of Object.entries(doc.tenants ?? {})) {
    for (const [environmentKey, environment] of Object.entries(tenant.environments ?? {})) out.push({ tenantKey, tenant, environmentKey, environment });
  }
  if (out.length === 0) throw new Error('the example configuration has no environment to copy');
  return out;
}

/**
 * The configuration of an estate of `stacks` stacks, as YAML: the example itself when `stacks` is the
 * example's own number of environments, else one tenant per stack (`<tenant><nnnn>`, a GUID of its own)
 * holding a copy of one of the example's environments, in turn.
 */
export function estateYaml(exampleYaml: string, stacks: number): string {
  const all = templates(exampleYaml);
  if (!Number.isInteger(stacks) || stacks < 1 || stacks > MAX_ESTATE_STACKS) {
    throw new Error(`an estate has 1 to ${MAX_ESTATE_STACKS} stacks; got ${stacks}`);
  }
  if (stacks === all.length) return exampleYaml;
  const tenants: Record<string, unknown> = {};
  for (let i = 0; i < stacks; i++) {
    const t = all[i % all.length];
    const number = String(i + 1).padStart(4, '0');
    const key = `${t.tenantKey.slice(0, 12)}${number}`;
    const { environments: _environments, ...tenant } = t.tenant;
    tenants[key] = {
      ...tenant,
      tenantId: `00000000-0000-4000-8000-${(i + 1).toString(16).padStart(12, '0')}`,
      // A copy each: shared objects would be written as YAML aliases, which a real estate does not have
      // (and the configuration loader limits).
      environments: { [t.environmentKey]: structuredClone(t.environment) },
    };
  }
  return stringify({ tenants }, { lineWidth: 0, aliasDuplicateObjects: false });
}

/** The stack ids of an estate, in configuration order (`<tenant>-<environment>`). */
export function estateStackIds(exampleYaml: string, stacks: number): string[] {
  const doc = parse(estateYaml(exampleYaml, stacks)) as { tenants: Record<string, { environments: Record<string, unknown> }> };
  return Object.entries(doc.tenants).flatMap(([tenant, t]) => Object.keys(t.environments).map((env) => `${tenant}-${env}`));
}

/** Which of the example's stacks (by index, in configuration order) stack i of an estate copies. */
export function templateIndex(exampleYaml: string, stacks: number, i: number): number {
  const count = templates(exampleYaml).length;
  return stacks === count ? i : i % count;
}
