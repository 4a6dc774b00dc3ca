/**
 * The JSON-like values the review tooling carries, with two markers that never hold data:
 * `MASKED` stands where a value is sensitive, `UNKNOWN` where it is known only after apply.
 * The masking step (masking.ts) puts MASKED in the copy of the change model that renderers receive.
 */

/** Stands for a value Terraform marked sensitive. Carries nothing of the value. */
export const MASKED: unique symbol = Symbol('masked');
/** Stands for a value Terraform knows only after apply. */
export const UNKNOWN: unique symbol = Symbol('unknown');

export type Value = null | boolean | number | string | typeof MASKED | typeof UNKNOWN | Value[] | ValueObject;
export interface ValueObject {
  readonly [key: string]: Value;
}

export function isObject(value: unknown): value is ValueObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A nested block in a plan is a list of objects; in cdk.tf.json a single block may be a bare object. */
export function blocks(value: Value | undefined): ValueObject[] {
  if (Array.isArray(value)) return value.filter(isObject);
  if (isObject(value)) return [value];
  return [];
}

/** The first block of a nested single block (`retention_description`, `immutability_policy`). */
export function firstBlock(value: Value | undefined): ValueObject | undefined {
  return blocks(value)[0];
}

/** A number, or undefined when absent, masked, unknown or not numeric. */
export function num(value: Value | undefined): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim())) return Number(value);
  return undefined;
}

/** A non-empty string, or undefined. `${...}` references stay as text. */
export function str(value: Value | undefined): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** A boolean, or `fallback` when absent (use the provider default). */
export function bool(value: Value | undefined, fallback: boolean): boolean | undefined {
  if (value === undefined || value === null) return fallback;
  if (typeof value === 'boolean') return value;
  if (value === 'true') return true;
  if (value === 'false') return false;
  return undefined;
}

/** Deep equality over plain JSON values (markers compare by identity). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, i) => deepEqual(item, b[i]));
  }
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}

const MAX_VALUE_CHARS = 300;

/** One-line text of a value for tables and risk lines; long values are cut with an ellipsis. */
export function formatValue(value: Value | undefined, maxChars = MAX_VALUE_CHARS): string {
  const text = valueText(value);
  return text.length > maxChars ? `${text.slice(0, maxChars - 1)}…` : text;
}

function valueText(value: Value | undefined): string {
  if (value === undefined) return '(absent)';
  if (value === MASKED) return '(sensitive)';
  if (value === UNKNOWN) return '(known after apply)';
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === MASKED) return '(sensitive)';
    if (v === UNKNOWN) return '(known after apply)';
    return v;
  });
}
