/**
 * Reading and parsing the configuration file within fixed bounds, before any validation: a regular
 * file only (a FIFO would block, a directory is a mistake), at most {@link MAX_CONFIG_BYTES}, UTF-8
 * text, YAML without unknown tags, alias bombs or nesting deeper than {@link MAX_CONFIG_DEPTH}, and
 * no key that names a JavaScript object built-in. Every refusal is a {@link ConfigError} that says
 * what to change; nothing here prints the file's content beyond a cut value.
 */
import { closeSync, constants, fstatSync, openSync, readSync, Stats } from 'node:fs';
import { CST, LineCounter, parseDocument, Parser, YAMLError } from 'yaml';
import { joinPath, show } from '../constructs/internal/validation';
import { ConfigError, ConfigProblem, placed } from './config-error';
import { Locate, locator } from './config-position';

/** Largest configuration file read: the example is about 6 KB, so 1 MiB leaves room for many tenants and inline KQL. */
export const MAX_CONFIG_BYTES = 1024 * 1024;
/** Deepest nesting of maps and lists; the deepest setting (a custom detection's dimension values) is 10 levels down. */
export const MAX_CONFIG_DEPTH = 32;
/** Most alias expansions (`*name`) the YAML parser resolves; the `yaml` package's default, which stops an alias bomb. */
export const MAX_CONFIG_ALIASES = 100;

/**
 * Keys refused anywhere in the file: they name JavaScript object built-ins, so a map keyed by them
 * would read or replace an object's prototype instead of holding a setting (`__proto__` even makes
 * a tenant disappear during validation).
 */
export const RESERVED_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype', ...Object.getOwnPropertyNames(Object.prototype)]);

/** The tags of YAML's core schema; any other tag (`!!binary`, `!!set`, `!foo`) is refused. */
const CORE_TAGS = ['!!str', '!!int', '!!float', '!!bool', '!!null', '!!seq', '!!map'];

/**
 * Reads a configuration file: a regular file of at most `maxBytes` bytes of UTF-8 text. Problems name
 * `file`; `path` is where it is read from when that differs (a relative name read from another folder).
 */
export function readConfigFile(file: string, hint: string, maxBytes = MAX_CONFIG_BYTES, path = file): string {
  let fd: number;
  try {
    // Non-blocking, so that opening a FIFO returns at once and is refused below instead of waiting for a writer.
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (e) {
    throw new ConfigError(file, [`cannot read the file: ${(e as Error).message}; ${hint}`]);
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new ConfigError(file, [`not a regular file but ${kindOf(stat)}; ${hint}`]);
    if (stat.size > maxBytes) throw new ConfigError(file, [tooLarge(stat.size, maxBytes)]);
    // One byte more than allowed, to notice a file that grew since fstat.
    const buffer = Buffer.alloc(stat.size + 1);
    let length = 0;
    while (length < buffer.length) {
      const read = readSync(fd, buffer, length, buffer.length - length, null);
      if (read === 0) break;
      length += read;
    }
    if (length > maxBytes) throw new ConfigError(file, [tooLarge(length, maxBytes)]);
    return decodeText(buffer.subarray(0, length), file);
  } finally {
    closeSync(fd);
  }
}

function kindOf(stat: Stats): string {
  if (stat.isDirectory()) return 'a directory';
  if (stat.isFIFO()) return 'a FIFO (named pipe)';
  if (stat.isSocket()) return 'a socket';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'a device';
  return 'not a file';
}

function tooLarge(bytes: number, maxBytes: number): string {
  return `the file has ${bytes} bytes; a configuration file may have at most ${maxBytes} bytes: is this the right file?`;
}

/** UTF-8 text (a byte-order mark is dropped); UTF-16 and binary content are refused by name. */
function decodeText(bytes: Buffer, file: string): string {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new ConfigError(file, ['the file is UTF-16 text; save it as UTF-8']);
  }
  const nul = bytes.indexOf(0);
  if (nul >= 0) throw new ConfigError(file, [`the file is binary (a NUL byte at offset ${nul}); expected YAML text`]);
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new ConfigError(file, ['the file is not UTF-8 text; save it as UTF-8']);
  }
}

/** Parsed configuration: the plain data, and where each setting is in the text. */
export interface ConfigSource {
  readonly raw: unknown;
  readonly locate: Locate;
}

/**
 * Parses configuration text (YAML; JSON is valid YAML) into plain data, keeping the node positions
 * so that later problems can name their line and column; or throws a {@link ConfigError} listing
 * the syntax problems, unknown tags, excess nesting or aliasing and reserved keys, each at its line
 * and column.
 */
export function parseConfigSource(text: string, file: string): ConfigSource {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_CONFIG_BYTES) throw new ConfigError(file, [tooLarge(bytes, MAX_CONFIG_BYTES)]);
  // The parser that builds the document recurses once per level and overflows the stack a few
  // hundred levels down: measure the nesting on the concrete syntax tree, which is built without recursion.
  let deep: { line: number; col: number } | undefined;
  try {
    deep = deepestCollection(text);
  } catch (e) {
    throw parseFailure(e, file);
  }
  if (deep) throw new ConfigError(file, [placed(file, deep, `nesting deeper than ${MAX_CONFIG_DEPTH} levels; the configuration needs at most 10: is this the right file?`)]);

  const lines = new LineCounter();
  let doc: ReturnType<typeof parseDocument>;
  try {
    doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true, resolveKnownTags: false, lineCounter: lines });
  } catch (e) {
    throw parseFailure(e, file);
  }
  const at = (e: YAMLError) => e.linePos?.[0];
  const problems = doc.errors.map((e) => placed(file, at(e), `YAML syntax: ${firstLine(e.message)}`));
  for (const w of doc.warnings) {
    if (w.code !== 'TAG_RESOLVE_FAILED') continue;
    const tag = w.message.replace(/^Unresolved tag: /, '').split(' at line ')[0].replace(/^tag:yaml\.org,2002:/, '!!');
    problems.push(placed(file, at(w), `YAML tag: got ${show(tag)}; expected no tag, or one of ${CORE_TAGS.join(', ')}: remove the tag and write the value as plain YAML`));
  }
  if (problems.length > 0) throw new ConfigError(file, problems);

  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: MAX_CONFIG_ALIASES });
  } catch (e) {
    throw parseFailure(e, file);
  }
  const locate = locator(doc, lines);
  const shape = shapeProblems(raw);
  if (shape.length > 0) throw new ConfigError(file, shape.map((p) => placed(file, locate(p.path, { key: p.key }), p.text)));
  return { raw, locate };
}

function firstLine(message: string): string {
  return message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
}

/** The parser's two resource guards, as configuration problems; anything else is a bug and passes through. */
function parseFailure(e: unknown, file: string): unknown {
  if (e instanceof ReferenceError && /alias/i.test(e.message)) {
    return new ConfigError(file, [`YAML aliases expand to too much data (more than ${MAX_CONFIG_ALIASES} expansions weighted by size): write the repeated settings out, or use fewer *alias references`]);
  }
  if (e instanceof RangeError) {
    return new ConfigError(file, [`nesting deeper than the YAML parser can follow; the configuration needs at most 10 levels: is this the right file?`]);
  }
  return e;
}

/**
 * More block indicators (`- `, `? `, `: `) at the start of one line than the depth allows: the
 * lexer recurses once per indicator, so `- - - … x` is refused before it is lexed.
 */
const INDICATOR_RUN = new RegExp(`^[ \\t]*(?:[-?:](?:[ \\t]+|$)){${MAX_CONFIG_DEPTH + 1}}`, 'm');

/** The first collection nested deeper than {@link MAX_CONFIG_DEPTH}, found without recursion. */
function deepestCollection(text: string): { line: number; col: number } | undefined {
  const run = INDICATOR_RUN.exec(text);
  if (run) {
    const before = text.slice(0, run.index);
    return { line: before.split('\n').length, col: 1 };
  }
  const lines = new LineCounter();
  const stack: { token: CST.Token | null | undefined; depth: number }[] = [];
  for (const token of new Parser(lines.addNewLine).parse(text)) stack.push({ token, depth: 0 });
  while (stack.length > 0) {
    const { token, depth } = stack.pop()!;
    if (!token) continue;
    if (token.type === 'document') {
      stack.push({ token: token.value, depth });
    } else if (token.type === 'block-map' || token.type === 'block-seq' || token.type === 'flow-collection') {
      if (depth + 1 > MAX_CONFIG_DEPTH) return lines.linePos(token.offset);
      for (const item of token.items as { key?: CST.Token | null; value?: CST.Token }[]) {
        stack.push({ token: item.key, depth: depth + 1 }, { token: item.value, depth: depth + 1 });
      }
    }
  }
  return undefined;
}

/**
 * Nesting (aliases can deepen the parsed data past what the text shows) and reserved keys, with the
 * path of each, in document order. Iterative; a node shared through aliases is walked again only
 * when reached deeper than before, so the walk stays bounded by {@link MAX_CONFIG_DEPTH}.
 */
function shapeProblems(raw: unknown): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  const seenAt = new Map<object, number>();
  const stack: { value: unknown; path: string; depth: number }[] = [{ value: raw, path: '', depth: 0 }];
  while (stack.length > 0) {
    const { value, path, depth } = stack.pop()!;
    if (value === null || typeof value !== 'object') continue;
    const seen = seenAt.get(value);
    if (seen !== undefined && seen >= depth) continue;
    seenAt.set(value, depth);
    if (depth + 1 > MAX_CONFIG_DEPTH) {
      out.push({ path, text: `${path}: nesting deeper than ${MAX_CONFIG_DEPTH} levels (through YAML aliases); the configuration needs at most 10` });
      return out;
    }
    const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.keys(value).map((k) => [k, (value as Record<string, unknown>)[k]] as const);
    const children: typeof stack = [];
    for (const [key, child] of entries) {
      const childPath = joinPath(path, key);
      if (typeof key === 'string' && RESERVED_KEYS.has(key)) {
        if (seen === undefined) out.push({ path: childPath, key: true, text: `${childPath}: got ${show(key)}; expected a name that is not a JavaScript object built-in (__proto__, constructor, prototype, toString, …): rename it` });
        continue;
      }
      children.push({ value: child, path: childPath, depth: depth + 1 });
    }
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
  }
  return out;
}
