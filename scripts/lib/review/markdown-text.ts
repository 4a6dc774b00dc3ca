/** Escaping for GitHub-flavoured markdown: values are shown literally, never interpreted. */
import { formatValue, type Value } from './values';

const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '|': '&#124;',
  '`': '&#96;',
  '*': '&#42;',
  _: '&#95;',
  '~': '&#126;',
  '[': '&#91;',
  ']': '&#93;',
  '\\': '&#92;',
  $: '&#36;', // GitHub renders $…$ as math; `${var.x}` must stay text
  '#': '&#35;',
  '@': '&#64;', // no accidental @mentions
};

/** Text safe anywhere in a markdown line or table cell: every special character becomes an entity. */
export function escapeInline(text: string): string {
  return text
    .replace(/[&<>|`*~[\]\\$#@]/g, (c) => ENTITIES[c])
    .replace(/(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])/g, ENTITIES._) // an underscore inside a word never starts emphasis
    .replace(/\r\n|[\r\n\u2028\u2029]/g, ' '); // a lone CR also ends a line, and with it a table row
}

/** Literal text in monospace. */
export function code(text: string): string {
  return `<code>${escapeInline(text)}</code>`;
}

/** A value in monospace, cut to `maxChars`. */
export function valueCell(value: Value | undefined, maxChars = 300): string {
  return code(formatValue(value, maxChars));
}

/** The hidden marker CI uses to find and update a comment in place. */
export function marker(kind: string, name?: string): string {
  const safe = name === undefined ? '' : `:${name.replace(/[^A-Za-z0-9._-]/g, '_').replace(/-{2,}/g, '-')}`;
  return `<!-- entra-audit-${kind}${safe} -->`;
}

/** The longest link accepted (after encoding); a GitHub Actions run URL is under 100 characters. */
export const MAX_LINK_URL_CHARS = 2048;

/**
 * Why `url` cannot be linked from a comment, or undefined when it can: an absolute https URL without
 * a user name or password, without whitespace, control or bidirectional-formatting characters, at most
 * MAX_LINK_URL_CHARS long once encoded.
 */
export function linkUrlProblem(url: string): string | undefined {
  if (url.length > MAX_LINK_URL_CHARS) return `is ${url.length} characters long; at most ${MAX_LINK_URL_CHARS} are accepted`;
  if (/[\s\p{Cc}\p{Cf}]/u.test(url)) return 'contains whitespace, control or formatting characters; percent-encode them';
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'is not an absolute URL; expected https://…';
  }
  if (parsed.protocol !== 'https:') return 'must be an https:// URL';
  if (parsed.username !== '' || parsed.password !== '') return 'must not contain a user name or password: the comment would show them';
  const encoded = markdownUrl(url).length;
  if (encoded > MAX_LINK_URL_CHARS) return `is ${encoded} characters long once encoded; at most ${MAX_LINK_URL_CHARS} are accepted`;
  return undefined;
}

/**
 * `url` (accepted by linkUrlProblem) as the destination of a markdown link: normalised by the URL
 * parser (non-ASCII and spaces percent-encoded), then every character that could end the destination,
 * start an escape, an entity or a title, or read as a mention percent-encoded. The URL is only ever
 * placed inside `(…)` of a link, where emphasis characters such as `_` and `~` have no effect.
 */
export function markdownUrl(url: string): string {
  const percent = (c: string) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`;
  return new URL(url).href.replace(/[()<>\\"'|@`]/g, percent).replace(/&(?=#?[A-Za-z0-9]+;)/g, percent);
}
