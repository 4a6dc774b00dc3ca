/**
 * Where a setting is in the configuration file. Problems name settings by path
 * (`tenants.contoso.environments.prod.eventHub.messageRetentionInDays`, `routing.SignInLogs[1]`,
 * `tables["My Table"]`, as `joinPath` writes them); the YAML parser keeps the source range of every
 * node, so each path maps back to a line and column a reader (or an editor) can jump to.
 */
import { Document, isAlias, isCollection, isMap, isScalar, isSeq, LineCounter, Node, Pair } from 'yaml';

/** A place in the file: 1-based line and column. */
export interface Position {
  readonly line: number;
  readonly col: number;
}

/** A key cut short by `joinPath` (`["tttt…"…]`): matches any key that starts with `prefix`. */
export interface CutKey {
  readonly prefix: string;
}

export type PathSegment = string | number | CutKey;

/**
 * `a.b["c d"][0]` → `['a', 'b', 'c d', 0]`: the inverse of `joinPath`. Lenient: a segment after a
 * dot runs to the next `.` or `[`, so a path built by string concatenation (`routing.My Category`)
 * still splits where it should; an empty path (or `(top level)`) is the document itself.
 */
export function pathSegments(path: string): PathSegment[] {
  const out: PathSegment[] = [];
  if (path === '(top level)') return out;
  let i = 0;
  while (i < path.length) {
    if (path[i] === '.') {
      i++;
      continue;
    }
    if (path[i] === '[') {
      const index = /^\[(\d+)\]/.exec(path.slice(i, i + 24));
      if (index) {
        out.push(Number(index[1]));
        i += index[0].length;
        continue;
      }
      if (path[i + 1] === '"') {
        let end = i + 2;
        while (end < path.length && path[end] !== '"') end += path[end] === '\\' ? 2 : 1;
        let key: string;
        try {
          key = JSON.parse(path.slice(i + 1, end + 1)) as string;
        } catch {
          return out; // not a path joinPath wrote: stop at what is known
        }
        end++;
        const cut = path[end] === '…';
        if (cut) end++;
        if (path[end] === ']') end++;
        out.push(cut ? { prefix: key } : key);
        i = end;
        continue;
      }
    }
    let end = i + 1;
    while (end < path.length && path[end] !== '.' && path[end] !== '[') end++;
    out.push(path.slice(i, end));
    i = end;
  }
  return out;
}

function matches(key: unknown, segment: PathSegment): boolean {
  const text = isScalar(key) ? String(key.value) : undefined;
  if (text === undefined) return false;
  if (typeof segment === 'object') return text.startsWith(segment.prefix);
  return text === String(segment);
}

/** Where `path` is: a function of the parsed document and the line counter the parser filled. */
export type Locate = (path: string, options?: { readonly key?: boolean }) => Position | undefined;

/**
 * The position of a setting: its value when that is a scalar; its key when the value is a map or a
 * list (the line that names the setting), is empty, or `key` is asked for (an unknown or misnamed
 * key); a list element itself. A setting that is not in the file (a required one left out, or one that only has a
 * default) is placed at the key of the closest map that is there: where it would be written.
 */
export function locator(doc: Document, lines: LineCounter): Locate {
  return (path, options = {}) => {
    let node: unknown = doc.contents;
    let pair: Pair | undefined;
    let found = true;
    for (const segment of pathSegments(path)) {
      const container = isAlias(node) ? node.resolve(doc) : node;
      let next: { node: unknown; pair?: Pair } | undefined;
      if (isMap(container) && typeof segment !== 'number') {
        const hit = container.items.find((p) => matches(p.key, segment));
        if (hit) next = { node: hit.value, pair: hit };
      } else if (isSeq(container) && typeof segment === 'number' && segment < container.items.length) {
        next = { node: container.items[segment] };
      }
      if (!next) {
        found = false;
        break;
      }
      node = next.node;
      pair = next.pair;
    }
    const value = node as Node | null | undefined;
    const keyNode = pair?.key as Node | undefined;
    let target: Node | null | undefined = value;
    const empty = value === null || value === undefined || (isScalar(value) && value.range?.[0] === value.range?.[1]);
    if (keyNode && (options.key || !found || empty || isCollection(value))) target = keyNode;
    const offset = target?.range?.[0];
    if (offset === undefined) return undefined;
    const { line, col } = lines.linePos(offset);
    return { line, col };
  };
}
