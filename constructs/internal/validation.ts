import { Token } from 'cdktf';
import { IConstruct } from 'constructs';

/**
 * One problem with a construct's props, found before any resource is created.
 * `path` names the prop as the user wrote it (`retentionInDays`, `tables.SigninLogs.plan`), so the
 * same problem can be reported against a construct or, with a prefix, against a configuration file.
 */
export interface Problem {
  /** Dotted path of the offending prop, relative to the props object. */
  readonly path: string;
  /** The value received. */
  readonly got: unknown;
  /** What is allowed instead, phrased so that the user knows what to write. */
  readonly expected: string;
}

/** Longest rendering of a value in a message; a longer one is cut, with its length named. */
export const MAX_SHOWN_CHARS = 300;
/** Longest key rendered in a setting path. */
export const MAX_PATH_KEY_CHARS = 80;

/**
 * Renders a value for an error message: strings quoted, everything else as JSON. Never longer than
 * about {@link MAX_SHOWN_CHARS}: a 50 MB value is cut, and its length is named instead.
 */
export function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  // A long string is cut before it is quoted, so that a huge value is never copied whole.
  if (typeof value === 'string') return redactUrlCredentials(value.length > MAX_SHOWN_CHARS ? truncated(JSON.stringify(value.slice(0, MAX_SHOWN_CHARS)), value.length) : JSON.stringify(value));
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return redactUrlCredentials(text.length > MAX_SHOWN_CHARS ? truncated(text.slice(0, MAX_SHOWN_CHARS), text.length) : text);
}

/** `https://user:secret@host/…` → `https://***@host/…`: a message never repeats credentials written into a URL. */
export function redactUrlCredentials(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@"]*@/gi, '$1***@');
}

function truncated(head: string, length: number): string {
  return `${head}… (${length} characters, cut)`;
}

/** `a.b` + `c` → `a.b.c`; keys that are not plain identifiers are quoted: `tables["My Table"]`. Long keys are cut. */
export function joinPath(prefix: string, key: string | number): string {
  if (typeof key === 'number') return `${prefix}[${key}]`;
  if (key.length > MAX_PATH_KEY_CHARS) return `${prefix}[${JSON.stringify(key.slice(0, MAX_PATH_KEY_CHARS))}…]`;
  const plain = /^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(key);
  if (!prefix) return plain ? key : `[${JSON.stringify(key)}]`;
  return plain ? `${prefix}.${key}` : `${prefix}[${JSON.stringify(key)}]`;
}

/** One line per problem: `<path>: got <value>; expected <allowed>`. */
export function renderProblem(problem: Problem, prefix = ''): string {
  const path = prefix ? (problem.path ? `${prefix}.${problem.path}` : prefix) : problem.path;
  return `${path}: got ${show(problem.got)}; expected ${problem.expected}`;
}

/** Thrown by a construct whose props break Azure's rules; lists every problem at once. */
export class InvalidPropsError extends Error {
  constructor(
    readonly constructPath: string,
    readonly problems: readonly Problem[],
  ) {
    super(
      `[${constructPath}] InvalidProps: ${problems.length} problem(s):\n` +
        problems.map((p) => `  - ${renderProblem(p)}`).join('\n'),
    );
    this.name = 'InvalidPropsError';
  }
}

/** Throws an {@link InvalidPropsError} for `scope` when there is any problem. */
export function throwIfProblems(scope: IConstruct, problems: readonly Problem[]): void {
  if (problems.length > 0) throw new InvalidPropsError(scope.node.path, problems);
}

/** Levenshtein distance, for "did you mean" suggestions. */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length];
}

/** The closest candidate to `value` (case-insensitive exact matches first), if it is close enough to be a typo. */
export function closest(value: string, candidates: readonly string[]): string | undefined {
  const lower = value.toLowerCase();
  const sameCase = candidates.find((c) => c.toLowerCase() === lower);
  if (sameCase) return sameCase;
  const limit = Math.max(2, Math.floor(value.length / 4));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    // The distance is at least the difference in length: skip the quadratic work for a value far too long (or short) to be a typo.
    if (Math.abs(candidate.length - value.length) > limit) continue;
    const d = editDistance(lower, candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return bestDistance <= limit ? best : undefined;
}

/** `one of "a", "b"` plus a did-you-mean hint for near misses. */
export function oneOfText(value: unknown, allowed: readonly (string | number)[]): string {
  const list = `one of ${allowed.map((a) => show(a)).join(', ')}`;
  if (typeof value !== 'string') return list;
  const hint = closest(value, allowed.map(String));
  return hint && hint !== value ? `${list} (did you mean ${show(hint)}?)` : list;
}

/**
 * Collects problems for one props object. Every check skips values that are unset or unresolved
 * tokens (known only at apply time).
 */
export class ProblemList {
  readonly items: Problem[] = [];

  add(path: string, got: unknown, expected: string): void {
    this.items.push({ path, got, expected });
  }

  /** Adds the problems of a nested object under `prefix`. */
  addAll(prefix: string, problems: readonly Problem[]): void {
    for (const p of problems) this.items.push({ ...p, path: p.path ? `${prefix}.${p.path}` : prefix });
  }

  integerInRange(path: string, value: number | undefined, min: number, max: number, extra = ''): void {
    if (value === undefined || Token.isUnresolved(value)) return;
    if (!Number.isInteger(value) || value < min || value > max) {
      this.add(path, value, `an integer from ${min} to ${max}${extra}`);
    }
  }

  oneOf<T extends string | number>(path: string, value: T | undefined, allowed: readonly T[]): void {
    if (value === undefined || (typeof value === 'string' && Token.isUnresolved(value))) return;
    if (!allowed.includes(value)) this.add(path, value, oneOfText(value, allowed));
  }

  matches(path: string, value: string | undefined, pattern: RegExp, description: string): void {
    if (value === undefined || Token.isUnresolved(value)) return;
    if (!pattern.test(value)) this.add(path, value, description);
  }

  lengthInRange(path: string, value: string | undefined, min: number, max: number): void {
    if (value === undefined || Token.isUnresolved(value)) return;
    if (value.length < min || value.length > max) {
      this.add(path, value, `between ${min} and ${max} characters (has ${value.length})`);
    }
  }
}

/** A GUID as Azure and Entra print them: 8-4-4-4-12 hexadecimal digits. */
export const GUID_PATTERN = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
export const GUID_TEXT = 'a GUID like 00000000-0000-0000-0000-000000000000';

/** An ARM resource id of one type, e.g. `Microsoft.OperationalInsights/workspaces` (case-insensitive, as ARM is). */
export function armIdPattern(providerAndType: string): RegExp {
  const escaped = providerAndType.replace(/[.]/g, '\\.');
  return new RegExp(
    `^/subscriptions/[0-9a-fA-F-]{36}/resourceGroups/[^/]+/providers/${escaped}/[^/]+$`,
    'i',
  );
}

/** Splits an ARM id into its subscription, resource group and name. Call only on ids that match {@link armIdPattern}. */
export function parseArmId(id: string): { subscriptionId: string; resourceGroupName: string; name: string } {
  const parts = id.split('/');
  return { subscriptionId: parts[2], resourceGroupName: parts[4], name: parts[parts.length - 1] };
}
