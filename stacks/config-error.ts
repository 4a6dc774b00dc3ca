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
