/**
 * A linear scan of KQL text run before Microsoft's Kusto language service sees it: it finds what
 * the service must not be given (too long, nested too deep) and what an alert query must not be
 * (a management command, several query statements). It knows just enough of the lexical grammar
 * to skip comments and string literals, so `";"`, `"("` or `".drop"` inside a string are not
 * mistaken for syntax (learn.microsoft.com/kusto/query/scalar-data-types/string: `"..."` and
 * `'...'` with backslash escapes, verbatim `@"..."` with doubled quotes, multi-line ```` ```...``` ````;
 * `//` comments to the end of the line).
 */

export interface PrecheckLimits {
  readonly maxQueryChars: number;
  readonly maxNestingDepth: number;
}

export interface PrecheckProblem {
  readonly code: string;
  readonly message: string;
  /** 0-based offset in the text. */
  readonly offset: number;
  readonly length: number;
}

export const PRECHECK_CODES = {
  tooLong: 'KQLV003',
  managementCommand: 'KQLV004',
  severalQueries: 'KQLV005',
  nestingTooDeep: 'KQLV006',
} as const;

/**
 * Statements that may precede the one query (learn.microsoft.com/kusto/query/statements):
 * let, set (request options), declare (query parameters, patterns), alias, restrict.
 */
const NON_QUERY_STATEMENTS = new Set(['let', 'set', 'declare', 'alias', 'restrict']);

const isSpace = (c: string): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v' || c === '\ufeff' || c === '\u00a0';

/** End (exclusive) of the quoted string starting at `i` (the quote); unterminated strings end at the line's end. */
function endOfString(text: string, i: number, verbatim: boolean): number {
  const quote = text[i];
  let j = i + 1;
  while (j < text.length) {
    const c = text[j];
    if (c === '\n' || c === '\r') return j;
    if (!verbatim && c === '\\') {
      j += 2;
      continue;
    }
    if (c === quote) {
      if (verbatim && text[j + 1] === quote) {
        j += 2;
        continue;
      }
      return j + 1;
    }
    j++;
  }
  return text.length;
}

/** Problems found, at most one per code; empty when the text may be given to the service. */
export function precheckKql(text: string, limits: PrecheckLimits): PrecheckProblem[] {
  if (text.length > limits.maxQueryChars) {
    return [{
      code: PRECHECK_CODES.tooLong,
      offset: 0,
      length: 0,
      message: `The query is ${text.length} characters long; the limit is ${limits.maxQueryChars}: shorten it, or split it into several detections`,
    }];
  }
  const problems: PrecheckProblem[] = [];
  /** Offset of the first significant character of each statement (statements are separated by top-level `;`). */
  const statements: number[] = [];
  let first = -1;
  let depth = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i] as string;
    if (c === '/' && text[i + 1] === '/') {
      while (i < n && text[i] !== '\n' && text[i] !== '\r') i++;
      continue;
    }
    if (isSpace(c)) {
      i++;
      continue;
    }
    if (first < 0) first = i;
    if (c === '`' && text.startsWith('```', i)) {
      const end = text.indexOf('```', i + 3);
      i = end < 0 ? n : end + 3;
      continue;
    }
    if (c === '"' || c === "'") {
      i = endOfString(text, i, text[i - 1] === '@');
      continue;
    }
    if (c === '(' || c === '[' || c === '{') {
      depth++;
      if (depth > limits.maxNestingDepth && !problems.some((p) => p.code === PRECHECK_CODES.nestingTooDeep)) {
        problems.push({
          code: PRECHECK_CODES.nestingTooDeep,
          offset: i,
          length: 1,
          message: `Brackets are nested more than ${limits.maxNestingDepth} deep here; flatten the query (move inner parts into let statements)`,
        });
      }
    } else if (c === ')' || c === ']' || c === '}') {
      depth = Math.max(0, depth - 1);
    } else if (c === ';' && depth === 0) {
      if (first >= 0 && first !== i) statements.push(first);
      first = -1;
    }
    i++;
  }
  if (first >= 0) statements.push(first);

  const command = statements.find((s) => text[s] === '.');
  if (command !== undefined) {
    const word = /^\.[A-Za-z_][A-Za-z0-9_-]*/.exec(text.slice(command, command + 80))?.[0] ?? '.';
    problems.push({
      code: PRECHECK_CODES.managementCommand,
      offset: command,
      length: word.length,
      message: `'${word}' is a management command, not a query (text starting with '.' is a command such as .drop or .set): an alert rule runs one KQL query; remove the command`,
    });
  }
  const queries = statements.filter((s) => text[s] !== '.' && !NON_QUERY_STATEMENTS.has(/^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(s, s + 40))?.[0] ?? ''));
  if (queries.length > 1) {
    problems.push({
      code: PRECHECK_CODES.severalQueries,
      offset: queries[1] as number,
      length: 0,
      message: `The text holds ${queries.length} query statements separated by ';' (the second starts here); an alert rule runs one query: keep one (let statements before it are fine)`,
    });
  }
  return problems.sort((a, b) => a.offset - b.offset);
}
