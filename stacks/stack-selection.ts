/**
 * Sharded synth: `ENTRA_AUDIT_STACKS=<id or glob>,...` synthesizes only the matching stacks, e.g. one
 * per job of a CI matrix (`ENTRA_AUDIT_STACKS=contoso-prod`, `ENTRA_AUDIT_STACKS='contoso-*'`).
 * The configuration is still loaded and validated as a whole; only the stacks built differ.
 */
import { closest, show } from '../constructs/internal/validation';

/** Environment variable naming the stacks to synthesize. Unset or blank: every configured stack. */
export const STACKS_ENV_VAR = 'ENTRA_AUDIT_STACKS';
/** The longest value read; a list of every stack of a large estate fits easily. */
export const MAX_SELECTION_CHARS = 65_536;
/** The longest single entry: a stack id is at most 27 characters. */
export const MAX_PATTERN_CHARS = 64;
const PATTERN_CHARS = /^[a-z0-9*?-]+$/;

/** A selection that names no stack, or is malformed: one line per problem, with the valid ids. */
export class StackSelectionError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`${STACKS_ENV_VAR}: ${problems.length === 1 ? problems[0] : `${problems.length} problems:\n${problems.map((p) => `  - ${p}`).join('\n')}`}`);
    this.name = 'StackSelectionError';
  }
}

/** Whether `text` matches a glob in which `*` stands for any characters and `?` for one. */
export function globMatches(pattern: string, text: string): boolean {
  // Two-pointer wildcard matching: O(pattern × text) at worst, no regular expression to blow up.
  let p = 0;
  let t = 0;
  let star = -1;
  let mark = 0;
  while (t < text.length) {
    if (p < pattern.length && (pattern[p] === '?' || pattern[p] === text[t])) {
      p++;
      t++;
    } else if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      mark = t;
    } else if (star >= 0) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (pattern[p] === '*') p++;
  return p === pattern.length;
}

/**
 * The configured stack ids selected by `spec` (in configuration order), or every id when `spec` is
 * unset or blank. Throws {@link StackSelectionError} listing every entry that is malformed or matches
 * no configured stack, together with the ids that exist.
 */
export function selectStacks(ids: readonly string[], spec: string | undefined): string[] {
  if (spec === undefined || spec.trim() === '') return [...ids];
  const valid = `the configured stacks are ${ids.join(', ')}`;
  if (spec.length > MAX_SELECTION_CHARS) {
    throw new StackSelectionError([`got ${spec.length} characters; expected at most ${MAX_SELECTION_CHARS}: comma-separated stack ids or globs (${valid})`]);
  }
  const entries = spec.split(',').map((e) => e.trim());
  const problems: string[] = [];
  const selected = new Set<string>();
  entries.forEach((entry, i) => {
    const where = entries.length > 1 ? `entry ${i + 1} ` : '';
    if (entry === '') {
      problems.push(`${where}is empty; expected a stack id or a glob such as contoso-* (remove the extra comma)`);
    } else if (entry.length > MAX_PATTERN_CHARS || !PATTERN_CHARS.test(entry)) {
      problems.push(`${where}got ${show(entry)}; expected a stack id (lowercase letters, digits, "-") or a glob using * and ?, at most ${MAX_PATTERN_CHARS} characters; ${valid}`);
    } else {
      const matches = ids.filter((id) => globMatches(entry, id));
      if (matches.length === 0) {
        const hint = /[*?]/.test(entry) ? undefined : closest(entry, ids);
        problems.push(`${where}${show(entry)} matches no configured stack${hint ? ` (did you mean ${show(hint)}?)` : ''}; ${valid}`);
      }
      for (const id of matches) selected.add(id);
    }
  });
  if (problems.length > 0) throw new StackSelectionError(problems);
  return ids.filter((id) => selected.has(id));
}
