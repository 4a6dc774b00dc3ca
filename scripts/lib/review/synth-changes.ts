/**
 * Two synthesized stacks → the normalised change model, resource by resource.
 *
 * Synthesized values are configuration, not state: `${...}` references are unknown until apply and
 * are compared as text. A replacement is reported only for arguments known to force a new resource
 * (force-new.ts); Terraform's plan remains the authority.
 */
import { applyMirrors, collectStrings, diffAttributes, sensitiveStrings } from './attribute-diff';
import type { ResourceChange, StackChanges } from './change-model';
import { synthLocks } from './delete-locks';
import { forceNewPaths } from './force-new';
import type { TerraformJson } from './synth-output';
import { isObject, type ValueObject } from './values';

interface SynthResource {
  readonly address: string;
  readonly type: string;
  readonly config: Record<string, unknown>;
  readonly preventDestroy: boolean;
  readonly name?: string;
}

/** The longest readable name kept; construct paths of this toolkit are under 100 characters. */
const MAX_NAME_CHARS = 200;

/**
 * The construct path inside the stack, from cdktf's `//` metadata: the stack's own id (the first
 * segment) and a trailing `Resource` (the id of a construct's main resource) are dropped, so
 * `contoso-prod/Storage/Lock/Resource` reads `Storage/Lock`.
 */
export function constructName(raw: unknown): string | undefined {
  const metadata = isObject(raw) && isObject(raw['//']) ? raw['//'].metadata : undefined;
  const path = isObject(metadata) ? metadata.path : undefined;
  if (typeof path !== 'string') return undefined;
  const segments = path.split('/').slice(1);
  if (segments.length > 1 && segments[segments.length - 1] === 'Resource') segments.pop();
  const name = segments.join('/');
  if (name === '') return undefined;
  return name.length > MAX_NAME_CHARS ? `${name.slice(0, MAX_NAME_CHARS - 1)}…` : name;
}

function resourcesOf(tf: TerraformJson | undefined): Map<string, SynthResource> {
  const out = new Map<string, SynthResource>();
  for (const [type, byName] of Object.entries(tf?.resource ?? {})) {
    for (const [name, raw] of Object.entries(byName)) {
      const config: Record<string, unknown> = { ...(isObject(raw) ? raw : {}) };
      delete config['//']; // cdktf metadata (construct path), not configuration
      const lifecycle = config.lifecycle;
      const preventDestroy = isObject(lifecycle) && (lifecycle.prevent_destroy === true || lifecycle.prevent_destroy === 'true');
      out.set(`${type}.${name}`, { address: `${type}.${name}`, type, config, preventDestroy, name: constructName(raw) });
    }
  }
  return out;
}

/** Marks strings built with Terraform's `sensitive()` function as sensitive. */
function sensitiveMirror(value: unknown): unknown {
  if (typeof value === 'string') return /\bsensitive\(/.test(value) ? true : false;
  if (Array.isArray(value)) return value.map(sensitiveMirror);
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, sensitiveMirror(v)]));
  return false;
}

/** A resource's configuration as a model value (real values; its mirror says what is sensitive). */
function value(config: Record<string, unknown>): ValueObject {
  return applyMirrors(config, undefined, undefined) as ValueObject;
}

function synthSecrets(tfs: readonly (TerraformJson | undefined)[], resources: readonly SynthResource[]): string[] {
  const secrets = new Set<string>();
  for (const tf of tfs) {
    for (const variable of Object.values(tf?.variable ?? {})) if (variable.sensitive) collectStrings(variable.default, secrets);
    for (const output of Object.values(tf?.output ?? {})) if (output.sensitive) collectStrings(output.value, secrets);
  }
  for (const resource of resources) sensitiveStrings(resource.config, sensitiveMirror(resource.config), secrets);
  // A reference like ${var.secret} names a secret but is not one; never scrub reference text.
  return [...secrets].filter((s) => !/^\$\{[^}]*\}$/.test(s));
}

/** Compares one stack's base and head; `undefined` on a side means the stack is absent there. */
export function diffSynthStacks(stack: string, base: TerraformJson | undefined, head: TerraformJson | undefined): StackChanges {
  const before = resourcesOf(base);
  const after = resourcesOf(head);
  const changes: ResourceChange[] = [];
  const addresses = [...new Set([...before.keys(), ...after.keys()])].sort();
  for (const address of addresses) {
    const b = before.get(address);
    const a = after.get(address);
    const type = (a ?? b)!.type;
    const name = (a ?? b)!.name;
    const named = name !== undefined ? { name } : {};
    const preventDestroy = b?.preventDestroy || a?.preventDestroy ? { before: b?.preventDestroy ?? false, after: a?.preventDestroy ?? false } : undefined;
    if (b && !a) {
      changes.push({ address, ...named, type, action: 'delete', before: value(b.config), after: null, beforeSensitive: sensitiveMirror(b.config), attributes: [], preventDestroy });
    } else if (a && !b) {
      changes.push({ address, ...named, type, action: 'create', before: null, after: value(a.config), afterSensitive: sensitiveMirror(a.config), attributes: [], preventDestroy });
    } else if (a && b) {
      const attributes = diffAttributes(b.config, a.config, {
        beforeSensitive: sensitiveMirror(b.config),
        afterSensitive: sensitiveMirror(a.config),
      });
      if (attributes.length === 0) continue;
      const replacePaths = forceNewPaths(type, attributes.map((attr) => attr.path));
      changes.push({
        address,
        ...named,
        type,
        action: replacePaths.length > 0 ? 'replace' : 'update',
        before: value(b.config),
        after: value(a.config),
        beforeSensitive: sensitiveMirror(b.config),
        afterSensitive: sensitiveMirror(a.config),
        attributes,
        replacePaths: replacePaths.length > 0 ? replacePaths : undefined,
        preventDestroy,
      });
    }
  }
  const notes: string[] = [];
  if (!base) notes.push(`Stack ${stack} is new in this change.`);
  if (!head) notes.push(`Stack ${stack} is removed by this change: all its resources would be destroyed.`);
  const presence = !base ? { presence: 'added' as const } : !head ? { presence: 'removed' as const } : {};
  const removed = new Set(changes.filter((c) => c.action === 'delete' || c.action === 'replace').map((c) => c.address));
  const locks = synthLocks([...before.values()].map((r) => ({ address: r.address, type: r.type, values: r.config })), removed);
  return { stack, source: 'synth', changes, notes, ...presence, secrets: synthSecrets([base, head], [...before.values(), ...after.values()]), locks };
}

/** Compares every stack present in either output, in name order. */
export function diffSynthOutputs(base: Map<string, TerraformJson>, head: Map<string, TerraformJson>): StackChanges[] {
  const stacks = [...new Set([...base.keys(), ...head.keys()])].sort();
  return stacks.map((stack) => diffSynthStacks(stack, base.get(stack), head.get(stack)));
}
