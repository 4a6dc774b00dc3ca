/**
 * Parsing JSON input without echoing it and without unbounded nesting.
 *
 * - Syntax errors give the position (line and column), never a quote of the text: newer V8 versions put
 *   a snippet of the input into `JSON.parse` messages, and the input may hold secrets.
 * - Nesting deeper than `maxDepth` is refused: `JSON.parse` itself copes with any depth, but every
 *   recursive walk after it (diffs, masking, `JSON.stringify`) would end in "Maximum call stack size exceeded".
 */
import { InputError } from './read-input';

export interface ParseJsonOptions {
  /** Names the input in messages (usually its path). */
  readonly label: string;
  /** The deepest nesting of arrays and objects accepted. */
  readonly maxDepth: number;
  /** What the text should be, for messages. @default none */
  readonly expected?: string;
}

/** The parsed value; syntax errors and excessive nesting are `InputError`s. */
export function parseJsonInput(text: string, options: ParseJsonOptions): unknown {
  const expected = options.expected ? `; expected ${options.expected}` : '';
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new InputError(`${options.label}: not valid JSON (${syntaxErrorWithoutInput(error, text)})${expected}`);
  }
  if (nestsDeeperThan(data, options.maxDepth)) {
    throw new InputError(
      `${options.label}: nests arrays and objects more than ${options.maxDepth} levels deep, ` +
        `the most this tool reads${expected}`,
    );
  }
  return data;
}

/**
 * The message of a JSON syntax error without any quoted input, with line and column when V8 gives a
 * position. Node 20: `Unexpected token } in JSON at position 5`; Node 22: `Unexpected token 'x', "…" is not valid JSON`.
 */
export function syntaxErrorWithoutInput(error: unknown, text: string): string {
  const message = error instanceof Error ? error.message : String(error);
  const position = /at position (\d+)/.exec(message);
  const reason = message
    .replace(/, .* is not valid JSON$/s, '')
    .replace(/ in JSON at position \d+.*$/s, '')
    .replace(/^Unexpected token '(.)'$/su, (_m, c: string) => `Unexpected character ${/^[!-~]$/.test(c) ? `'${c}'` : `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`}`);
  if (!position) return reason;
  const offset = Number(position[1]);
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return `${reason} at line ${line}, column ${column}`;
}

/**
 * Whether arrays and objects nest deeper than `maxDepth`. Iterative, so it works on any depth. It says
 * nothing about where: a path would quote map keys, and keys can be secrets.
 */
export function nestsDeeperThan(value: unknown, maxDepth: number): boolean {
  const stack: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  while (stack.length > 0) {
    const item = stack.pop()!;
    if (typeof item.value !== 'object' || item.value === null) continue;
    const depth = item.depth + 1;
    if (depth > maxDepth) return true;
    for (const child of Array.isArray(item.value) ? item.value : Object.values(item.value)) stack.push({ value: child, depth });
  }
  return false;
}
