/**
 * ISO-8601 durations as the command line takes them (`PT1H`, `P1D`, `PT90M`, `P1DT12H`, `PT0.5S`).
 * Years and months are refused: their length in milliseconds is not fixed.
 */
const DURATION = /^P(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/** Milliseconds in an ISO-8601 duration, or undefined when the text is not one this tool accepts. */
export function parseIsoDuration(text: string): number | undefined {
  const match = DURATION.exec(text.trim().toUpperCase());
  if (!match || text.trim().toUpperCase() === 'P' || text.trim().toUpperCase().endsWith('T')) return undefined;
  const [, weeks, days, hours, minutes, seconds] = match;
  if ([weeks, days, hours, minutes, seconds].every((part) => part === undefined)) return undefined;
  const n = (part: string | undefined): number => (part === undefined ? 0 : Number(part));
  return Math.round(((n(weeks) * 7 + n(days)) * 86_400 + n(hours) * 3_600 + n(minutes) * 60 + n(seconds)) * 1000);
}

/** A short form as people type it: `90s`, `30m`, `1h`, `7d` (`m` is minutes; there are no months). */
const SHORT = /^(\d+(?:\.\d+)?)\s*([smhd])$/i;
const SHORT_MS: Readonly<Record<string, number>> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const SHORT_ISO: Readonly<Record<string, (n: string) => string>> = { s: (n) => `PT${n}S`, m: (n) => `PT${n}M`, h: (n) => `PT${n}H`, d: (n) => `P${n}D` };

/**
 * A duration flag: an ISO-8601 duration (`PT1H`, `P1D`) or a short form (`30m`, `1h`, `7d`).
 * Returns its length and its ISO-8601 form (the report states every duration that way), or
 * undefined when the text is neither.
 */
export function parseDuration(text: string): { ms: number; iso: string } | undefined {
  const short = SHORT.exec(text.trim());
  if (short) {
    const [, n, unit] = short as unknown as [string, string, string];
    const u = unit.toLowerCase();
    return { ms: Math.round(Number(n) * (SHORT_MS[u] as number)), iso: (SHORT_ISO[u] as (n: string) => string)(n) };
  }
  const ms = parseIsoDuration(text);
  return ms === undefined ? undefined : { ms, iso: text.trim().toUpperCase() };
}

/** A short human rendering of a span of milliseconds: `45s`, `3m 10s`, `2h 5m`, `1d 4h`. */
export function formatDuration(ms: number): string {
  const totalSeconds = Math.max(0, Math.round(ms / 1000));
  const d = Math.floor(totalSeconds / 86_400);
  const h = Math.floor((totalSeconds % 86_400) / 3_600);
  const m = Math.floor((totalSeconds % 3_600) / 60);
  const s = totalSeconds % 60;
  if (d > 0) return h > 0 ? `${d}d ${h}h` : `${d}d`;
  if (h > 0) return m > 0 ? `${h}h ${m}m` : `${h}h`;
  if (m > 0) return s > 0 ? `${m}m ${s}s` : `${m}m`;
  return `${s}s`;
}
