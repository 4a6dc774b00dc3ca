/** Small readers shared by the rules. Values may be MASKED or UNKNOWN: readers then return undefined. */
import type { ResourceChange } from '../change-model';
import { blocks, formatValue, num, str, type Value, type ValueObject } from '../values';

export function get(obj: ValueObject | null | undefined, key: string): Value | undefined {
  return obj ? obj[key] : undefined;
}

/** Both sides exist: an update or a replace. */
export function isModified(change: ResourceChange): change is ResourceChange & { before: ValueObject; after: ValueObject } {
  return change.before !== null && change.after !== null && (change.action === 'update' || change.action === 'replace');
}

export function fmt(value: Value | undefined): string {
  return formatValue(value, 120);
}

/** `before → after` when a number dropped; undefined otherwise. Unset counts as no number. */
export function decreased(before: Value | undefined, after: Value | undefined): boolean {
  const b = num(before);
  const a = num(after);
  return b !== undefined && a !== undefined && a < b;
}

/** Strings of one field across the blocks of a nested block list (`enabled_log[].category`). */
export function blockStrings(value: Value | undefined, field: string): string[] {
  return blocks(value)
    .map((block) => str(block[field]))
    .filter((s): s is string => s !== undefined);
}
