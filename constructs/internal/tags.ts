import { Token } from 'cdktf';
import { joinPath, Problem, ProblemList, show } from './validation';

/**
 * Azure's limits on resource tags, from "Use tags to organize your Azure resources and management
 * hierarchy", section Limitations (learn.microsoft.com/azure/azure-resource-manager/management/tag-resources):
 * each resource has at most 50 tag name/value pairs; a tag name has at most 512 characters (128 on
 * storage accounts) and a value at most 256; names can't contain `<`, `>`, `%`, `&`, `\`, `?` or `/`;
 * tag names are case-insensitive for operations.
 */
export const MAX_TAGS_PER_RESOURCE = 50;
export const MAX_TAG_NAME_CHARS = 512;
export const MAX_STORAGE_ACCOUNT_TAG_NAME_CHARS = 128;
export const MAX_TAG_VALUE_CHARS = 256;
const FORBIDDEN_IN_TAG_NAME = /[<>%&\\?/]/;

export interface TagLimits {
  /** Longest tag name the resources accept: 128 when a storage account carries the tags. @default 512 */
  readonly maxNameChars?: number;
  /** Tags the caller adds itself, counted against the 50. @default 0 */
  readonly reservedCount?: number;
}

/** Every way `tags` breaks Azure's tag limits; paths are `tags` and `tags.<name>`. */
export function tagProblems(tags: Readonly<Record<string, string>> | undefined, limits: TagLimits = {}): Problem[] {
  const p = new ProblemList();
  if (tags === undefined) return p.items;
  const maxNameChars = limits.maxNameChars ?? MAX_TAG_NAME_CHARS;
  const room = MAX_TAGS_PER_RESOURCE - (limits.reservedCount ?? 0);
  const names = Object.keys(tags);
  if (names.length > room) {
    p.add('tags', `${names.length} tags`, `at most ${room} tags${room < MAX_TAGS_PER_RESOURCE ? ` (Azure allows ${MAX_TAGS_PER_RESOURCE} per resource, and the toolkit sets ${MAX_TAGS_PER_RESOURCE - room})` : ''}: put related values into one tag, e.g. as JSON`);
  }
  const seen = new Map<string, string>();
  for (const name of names) {
    if (Token.isUnresolved(name)) continue;
    const path = joinPath('tags', name);
    if (name.length > maxNameChars) {
      p.add(path, name, `a tag name of at most ${maxNameChars} characters (has ${name.length})${maxNameChars === MAX_STORAGE_ACCOUNT_TAG_NAME_CHARS ? ': storage accounts accept 128' : ''}`);
    }
    if (name.trim() === '') p.add(path, name, 'a tag name with at least one visible character');
    const bad = FORBIDDEN_IN_TAG_NAME.exec(name);
    if (bad) p.add(path, name, `a tag name without ${show(bad[0])}: Azure refuses <, >, %, &, \\, ? and / in tag names`);
    const other = seen.get(name.toLowerCase());
    if (other !== undefined) p.add(path, name, `a tag name that differs from ${show(other)} in more than case: Azure treats tag names case-insensitively`);
    seen.set(name.toLowerCase(), name);
    const value = tags[name];
    if (typeof value === 'string' && !Token.isUnresolved(value) && value.length > MAX_TAG_VALUE_CHARS) {
      p.add(path, value, `a tag value of at most ${MAX_TAG_VALUE_CHARS} characters (has ${value.length})`);
    }
  }
  return p.items;
}
