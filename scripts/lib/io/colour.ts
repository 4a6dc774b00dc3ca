/**
 * ANSI colour for output a person reads in a terminal, and nothing else.
 *
 * The packages that do this (picocolors, kleur, chalk) are only in node_modules as dependencies of the
 * test and CLI tooling, not of this project, so a production install would not have them; the dozen
 * lines below cover what the commands need.
 *
 * Colour is on when the stream is a terminal, unless `NO_COLOR` is set to anything but the empty
 * string (https://no-color.org) or `TERM=dumb`; `FORCE_COLOR` set to anything but "", "0" or "false"
 * turns it on for files and pipes too (https://force-color.org). `NO_COLOR` wins over `FORCE_COLOR`.
 */

export interface Palette {
  readonly enabled: boolean;
  readonly bold: (text: string) => string;
  readonly dim: (text: string) => string;
  readonly red: (text: string) => string;
  readonly yellow: (text: string) => string;
  readonly green: (text: string) => string;
  readonly cyan: (text: string) => string;
  readonly magenta: (text: string) => string;
}

/** Whether to colour what goes to `stream` (e.g. `process.stdout`). */
export function colourEnabled(stream: { readonly isTTY?: boolean }, env: Readonly<Record<string, string | undefined>> = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== '') return force !== '0' && force.toLowerCase() !== 'false';
  return stream.isTTY === true && env.TERM !== 'dumb';
}

/** SGR on/off pairs; the "off" codes reset only their own attribute, so styles nest. */
const style = (on: number, off: number) => (text: string) => `\x1b[${on}m${text}\x1b[${off}m`;
const plain = (text: string) => text;

/** The colour functions, or identity functions when `enabled` is false. */
export function palette(enabled: boolean): Palette {
  if (!enabled) return { enabled, bold: plain, dim: plain, red: plain, yellow: plain, green: plain, cyan: plain, magenta: plain };
  return { enabled, bold: style(1, 22), dim: style(2, 22), red: style(31, 39), yellow: style(33, 39), green: style(32, 39), cyan: style(36, 39), magenta: style(35, 39) };
}

/** No colour: for tests and files. */
export const NO_COLOUR: Palette = palette(false);
