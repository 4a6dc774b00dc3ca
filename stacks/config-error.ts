import type { Position } from './config-position';

/**
 * One problem with the configuration, before it is placed in the file: the setting it is about,
 * and its message. The message starts with the setting path as the user wrote it (`tenants.contoso.
 * environments.prod.location: got "West Europe"; expected …`); `path` is where it points, which can
 * be more precise (an alert problem's message names the `alerts` section, its `path` the setting).
 */
export interface ConfigProblem {
  /** The setting, as `joinPath` writes it; `''` for the file as a whole. */
  readonly path: string;
  /** Point at the key rather than the value: an unknown or misnamed key. */
  readonly key?: boolean;
  /** The rendered message. */
  readonly text: string;
}

/** `file:line:column: message`, as compilers write it (editors and terminals open the file there); `message` alone without a position. */
export function placed(file: string, position: Position | undefined, text: string): string {
  return position ? `${file}:${position.line}:${position.col}: ${text}` : text;
}

/** At most this many problems are listed; the rest are counted. A binary file must not print thousands of lines. */
export const MAX_LISTED_PROBLEMS = 50;
/** Longest problem line; values in problems are already cut (see `show`), this bounds everything else. */
export const MAX_PROBLEM_CHARS = 1000;

/**
 * Thrown when the configuration has problems; `problems` holds one rendered line each, at most
 * {@link MAX_LISTED_PROBLEMS} of them (then one line counting the rest), each at most
 * {@link MAX_PROBLEM_CHARS} characters.
 */
export class ConfigError extends Error {
  readonly problems: readonly string[];

  constructor(
    readonly file: string,
    problems: readonly string[],
  ) {
    const listed = problems.slice(0, MAX_LISTED_PROBLEMS).map(boundLine);
    if (problems.length > MAX_LISTED_PROBLEMS) {
      listed.push(`… and ${problems.length - MAX_LISTED_PROBLEMS} more problem(s) not listed; fix the ones above first`);
    }
    super(`${boundLine(file)}: ${problems.length} problem(s) in the configuration:\n${listed.map((p) => `  - ${p}`).join('\n')}`);
    this.problems = listed;
    this.name = 'ConfigError';
  }
}

function boundLine(line: string): string {
  return line.length > MAX_PROBLEM_CHARS ? `${line.slice(0, MAX_PROBLEM_CHARS)}… (${line.length} characters, cut)` : line;
}
