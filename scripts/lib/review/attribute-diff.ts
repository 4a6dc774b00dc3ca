/**
 * Attribute-level differences between two resource values, with their sensitivity.
 *
 * The mirrors follow Terraform's plan JSON (`before_sensitive`, `after_sensitive`, `after_unknown`):
 * `true` at a position marks that value (and everything under it) sensitive or unknown.
 * The values returned are real (the Audit-risk rules read them); each change carries the mirrors of
 * its position, and the masking step masks it before anything is rendered. Recursion stops at a
 * sensitive node, so no path names a key inside a sensitive map.
 */
import type { AttributeChange } from './change-model';
import { MASKED, UNKNOWN, deepEqual, isObject, type Value } from './values';

export interface Mirrors {
  readonly beforeSensitive?: unknown;
  readonly afterSensitive?: unknown;
  readonly afterUnknown?: unknown;
}

/** The child of a mirror at `key`: `true` is inherited, objects and arrays are indexed. */
export function mirrorAt(mirror: unknown, key: string | number): unknown {
  if (mirror === true) return true;
  if (Array.isArray(mirror) && typeof key === 'number') return mirror[key];
  if (isObject(mirror) && typeof key === 'string') return (mirror as Record<string, unknown>)[key];
  return undefined;
}

/** A copy of `value` with sensitive positions replaced by MASKED and unknown ones by UNKNOWN. */
export function applyMirrors(value: unknown, sensitive: unknown, unknown: unknown): Value | undefined {
  if (sensitive === true) return MASKED;
  if (unknown === true) return UNKNOWN;
  if (Array.isArray(value)) {
    return value.map((item, i) => applyMirrors(item, mirrorAt(sensitive, i), mirrorAt(unknown, i)) ?? null);
  }
  if (isObject(value) || (isObject(unknown) && (value === undefined || value === null) && hasTrue(unknown))) {
    const source = (isObject(value) ? value : {}) as Record<string, unknown>;
    const keys = new Set([...Object.keys(source), ...(isObject(unknown) ? Object.keys(unknown) : [])]);
    const out: Record<string, Value> = {};
    for (const key of keys) {
      const child = applyMirrors(source[key], mirrorAt(sensitive, key), mirrorAt(unknown, key));
      if (child !== undefined) out[key] = child;
    }
    return out;
  }
  if (value === undefined) return undefined;
  return value as Value;
}

export function hasTrue(mirror: unknown): boolean {
  if (mirror === true) return true;
  if (Array.isArray(mirror)) return mirror.some(hasTrue);
  if (isObject(mirror)) return Object.values(mirror).some(hasTrue);
  return false;
}

/** Every raw string under a sensitive position (the masking step masks them wherever they occur). */
export function sensitiveStrings(value: unknown, sensitive: unknown, out: Set<string> = new Set()): Set<string> {
  if (sensitive === true) {
    collectStrings(value, out);
    return out;
  }
  if (Array.isArray(value)) value.forEach((item, i) => sensitiveStrings(item, mirrorAt(sensitive, i), out));
  else if (isObject(value)) for (const [k, v] of Object.entries(value)) sensitiveStrings(v, mirrorAt(sensitive, k), out);
  return out;
}

export function collectStrings(value: unknown, out: Set<string>): void {
  if (typeof value === 'string') out.add(value);
  else if (typeof value === 'number') out.add(String(value));
  else if (Array.isArray(value)) value.forEach((item) => collectStrings(item, out));
  else if (isObject(value)) Object.values(value).forEach((item) => collectStrings(item, out));
}

/** The attributes that differ between `before` and `after`, addressed like `rule[0].actions[0].version[0]`. */
export function diffAttributes(before: unknown, after: unknown, mirrors: Mirrors = {}): AttributeChange[] {
  const out: AttributeChange[] = [];
  walk('', before, after, mirrors.beforeSensitive, mirrors.afterSensitive, mirrors.afterUnknown, out);
  return out;
}

function walk(
  path: string,
  before: unknown,
  after: unknown,
  beforeSensitive: unknown,
  afterSensitive: unknown,
  afterUnknown: unknown,
  out: AttributeChange[],
): void {
  const sensitive = beforeSensitive === true || afterSensitive === true;
  if (sensitive || afterUnknown === true) {
    // One change for the whole node: nothing below a sensitive node gets a path of its own.
    if (afterUnknown !== true && deepEqual(before, after)) return;
    out.push({
      path,
      before: applyMirrors(before, undefined, undefined),
      after: afterUnknown === true ? UNKNOWN : applyMirrors(after, undefined, undefined),
      ...sensitivity(beforeSensitive, afterSensitive),
    });
    return;
  }
  if (isObject(before) && isObject(after)) {
    const keys = new Set([...Object.keys(before), ...Object.keys(after), ...(isObject(afterUnknown) ? Object.keys(afterUnknown) : [])]);
    for (const key of [...keys].sort()) {
      walk(
        path ? `${path}.${key}` : key,
        (before as Record<string, unknown>)[key],
        (after as Record<string, unknown>)[key],
        mirrorAt(beforeSensitive, key),
        mirrorAt(afterSensitive, key),
        mirrorAt(afterUnknown, key),
        out,
      );
    }
    return;
  }
  if (Array.isArray(before) && Array.isArray(after) && [...before, ...after].some(isObject)) {
    const length = Math.max(before.length, after.length);
    for (let i = 0; i < length; i += 1) {
      walk(`${path}[${i}]`, before[i], after[i], mirrorAt(beforeSensitive, i), mirrorAt(afterSensitive, i), mirrorAt(afterUnknown, i), out);
    }
    return;
  }
  if (hasTrue(beforeSensitive) || hasTrue(afterSensitive) || hasTrue(afterUnknown)) {
    // Shapes differ (e.g. a block added) and something inside is sensitive or unknown: one change, with its mirrors.
    if (!deepEqual(before, after) || hasTrue(afterUnknown)) {
      out.push({
        path,
        before: applyMirrors(before, undefined, undefined),
        after: applyMirrors(after, undefined, afterUnknown),
        ...sensitivity(beforeSensitive, afterSensitive),
      });
    }
    return;
  }
  if (deepEqual(before, after)) return;
  if ((before === undefined || before === null) && (after === undefined || after === null)) return;
  if (Array.isArray(before) && Array.isArray(after) && JSON.stringify(before).length + JSON.stringify(after).length > LONG_LIST_CHARS) {
    // A long list of scalars (depends_on, scopes, ip rules): show what left and what arrived.
    const removed = without(before, after);
    const added = without(after, before);
    if (removed.length > 0 || added.length > 0) {
      out.push({ path: `${path} (removed → added)`, before: removed as Value[], after: added as Value[] });
      return;
    }
  }
  out.push({ path, before: before as Value | undefined, after: after as Value | undefined });
}

/** The mirrors worth keeping on a change: only those that mark something sensitive. */
function sensitivity(before: unknown, after: unknown): Pick<AttributeChange, 'beforeSensitive' | 'afterSensitive'> {
  return { ...(hasTrue(before) ? { beforeSensitive: before } : {}), ...(hasTrue(after) ? { afterSensitive: after } : {}) };
}

/** Above this many characters, a changed list of scalars is shown as its removed and added items. */
const LONG_LIST_CHARS = 160;

/** Items of `a` not matched in `b` (multiset difference, order kept). */
function without(a: readonly unknown[], b: readonly unknown[]): unknown[] {
  const pool = b.map((item) => JSON.stringify(item));
  return a.filter((item) => {
    const i = pool.indexOf(JSON.stringify(item));
    if (i < 0) return true;
    pool.splice(i, 1);
    return false;
  });
}
