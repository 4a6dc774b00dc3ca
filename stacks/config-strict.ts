import { z } from 'zod';
import { closest, show } from '../constructs/internal/validation';

/**
 * A strict object for configuration schemas: an unknown key (a typo must never fall back to a
 * default silently) is an error naming the key, the closest allowed one and every allowed one.
 */
export function strict<T extends z.core.$ZodLooseShape>(shape: T) {
  const allowed = Object.keys(shape);
  return z.strictObject(shape, {
    error: (issue) => (issue.code === 'unrecognized_keys' ? unknownKeysMessage(issue.keys, allowed) : undefined),
  });
}

/** `unknown setting "retentionDays" (did you mean "retentionInDays"?); expected only "enabled", …` */
export function unknownKeysMessage(keys: readonly string[], allowed: readonly string[]): string {
  const named = keys.map((key) => {
    const hint = closest(key, allowed);
    return hint ? `${show(key)} (did you mean ${show(hint)}?)` : show(key);
  });
  return `unknown setting${keys.length > 1 ? 's' : ''} ${named.join(', ')}; expected only ${allowed.map((a) => show(a)).join(', ')}`;
}
