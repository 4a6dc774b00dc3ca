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
    .replace(/\r?\n/g, ' ');
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
