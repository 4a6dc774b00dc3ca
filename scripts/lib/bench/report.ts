/**
 * Figures of the synth benchmark: summaries of repeated runs, ratios against the floor measured in
 * the same run, marginal cost per stack, the budgets of issue 13, and the Markdown and JSON reports.
 */

/** One timed run of a command. */
export interface Sample {
  readonly wallMs: number;
  /** User + system CPU time of the process, when GNU time measured it. */
  readonly cpuMs?: number;
  /** Peak resident set size, when GNU time measured it. */
  readonly peakRssKiB?: number;
}

export interface Series {
  readonly runs: readonly Sample[];
  readonly medianMs: number;
  readonly minMs: number;
  readonly maxMs: number;
  readonly medianCpuMs?: number;
  readonly maxPeakRssMiB?: number;
}

export interface SizeResult {
  readonly stacks: number;
  /** Resources and data sources the app synthesized, all stacks together. */
  readonly resources: number;
  readonly app: Series;
  readonly floor: Series;
  readonly barrel?: Series;
}

export interface Marginal {
  readonly from: number;
  readonly to: number;
  readonly appMsPerStack: number;
  readonly floorMsPerStack: number;
}

export interface Budget {
  readonly name: string;
  readonly limit: string;
  readonly value: string;
  readonly met: boolean;
}

export interface BenchResult {
  readonly date: string;
  readonly command: string;
  readonly appCommand: string;
  readonly node: string;
  readonly machine: string;
  readonly runs: number;
  readonly sizes: readonly SizeResult[];
  readonly marginal: readonly Marginal[];
  readonly budgets: readonly Budget[];
  readonly extra: readonly { readonly name: string; readonly wallMs: number; readonly ok: boolean }[];
}

/** The budgets of issue 13. */
export const BUDGETS = { maxFloorRatio: 1.3, minBarrelRatio: 5, maxRssMiBAt200: 800, maxMarginalSpread: 1.3 } as const;

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function summarise(runs: readonly Sample[]): Series {
  const walls = runs.map((r) => r.wallMs);
  const cpus = runs.flatMap((r) => (r.cpuMs === undefined ? [] : [r.cpuMs]));
  const rss = runs.flatMap((r) => (r.peakRssKiB === undefined ? [] : [r.peakRssKiB]));
  return {
    runs,
    medianMs: median(walls),
    minMs: Math.min(...walls),
    maxMs: Math.max(...walls),
    medianCpuMs: cpus.length > 0 ? median(cpus) : undefined,
    maxPeakRssMiB: rss.length > 0 ? Math.max(...rss) / 1024 : undefined,
  };
}

/** Extra milliseconds per extra stack between consecutive sizes, from the medians. */
export function marginal(sizes: readonly SizeResult[]): Marginal[] {
  const sorted = [...sizes].sort((a, b) => a.stacks - b.stacks);
  const out: Marginal[] = [];
  for (let i = 1; i < sorted.length; i++) {
    const a = sorted[i - 1];
    const b = sorted[i];
    const n = b.stacks - a.stacks;
    out.push({ from: a.stacks, to: b.stacks, appMsPerStack: (b.app.medianMs - a.app.medianMs) / n, floorMsPerStack: (b.floor.medianMs - a.floor.medianMs) / n });
  }
  return out;
}

const ratio = (a: number, b: number) => a / b;
const x = (n: number) => `${n.toFixed(2)}×`;

/** The budgets that the measured sizes allow to check. */
export function budgets(sizes: readonly SizeResult[], margins: readonly Marginal[]): Budget[] {
  const out: Budget[] = [];
  for (const s of sizes) {
    if (s.stacks === 3 || s.stacks === 200) {
      const r = ratio(s.app.medianMs, s.floor.medianMs);
      out.push({ name: `${s.stacks} stacks: app / floor`, limit: `≤ ${BUDGETS.maxFloorRatio}×`, value: x(r), met: r <= BUDGETS.maxFloorRatio });
    }
    if (s.barrel) {
      const r = ratio(s.barrel.medianMs, s.app.medianMs);
      out.push({ name: `${s.stacks} stacks: barrel baseline / app`, limit: `≥ ${BUDGETS.minBarrelRatio}×`, value: x(r), met: r >= BUDGETS.minBarrelRatio });
    }
    if (s.stacks === 200 && s.app.maxPeakRssMiB !== undefined) {
      out.push({ name: '200 stacks: peak memory', limit: `≤ ${BUDGETS.maxRssMiBAt200} MiB`, value: `${Math.round(s.app.maxPeakRssMiB)} MiB`, met: s.app.maxPeakRssMiB <= BUDGETS.maxRssMiBAt200 });
    }
  }
  const from50 = margins.filter((m) => m.from >= 50);
  if (from50.length >= 2) {
    const values = from50.map((m) => m.appMsPerStack);
    const spread = Math.max(...values) / Math.min(...values);
    out.push({
      name: `marginal cost constant from ${from50[0].from} to ${from50[from50.length - 1].to} stacks`,
      limit: `largest / smallest ≤ ${BUDGETS.maxMarginalSpread}`,
      value: `${values.map((v) => `${v.toFixed(1)}`).join(', ')} ms/stack (${spread.toFixed(2)})`,
      met: Math.min(...values) > 0 && spread <= BUDGETS.maxMarginalSpread,
    });
  }
  return out;
}

const ms = (n: number) => (n >= 10_000 ? `${(n / 1000).toFixed(1)} s` : `${Math.round(n)} ms`);
const range = (s: Series) => `${ms(s.medianMs)} (${ms(s.minMs)}–${ms(s.maxMs)})`;

/** The report as Markdown: the measurements, the marginal cost, the budgets. */
export function markdown(r: BenchResult): string {
  const lines = [
    `Synth benchmark, ${r.date}: \`${r.command}\``,
    `${r.machine}; Node ${r.node}; ${r.runs} timed run(s) per figure after one warm-up, median (min–max) wall time; app command \`${r.appCommand}\`.`,
    '',
    '| Stacks | Resources | App | Floor | App / floor | Barrel baseline | Barrel / app | CPU: app, floor, barrel | App / floor (CPU) | Peak RSS: app, floor, barrel |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  const cpu = (s?: Series) => (s?.medianCpuMs === undefined ? '–' : ms(s.medianCpuMs));
  const rss = (s?: Series) => (s?.maxPeakRssMiB === undefined ? '–' : `${Math.round(s.maxPeakRssMiB)} MiB`);
  for (const s of r.sizes) {
    const cpuRatio = s.app.medianCpuMs !== undefined && s.floor.medianCpuMs !== undefined ? x(ratio(s.app.medianCpuMs, s.floor.medianCpuMs)) : '–';
    lines.push(
      `| ${s.stacks} | ${s.resources} | ${range(s.app)} | ${range(s.floor)} | ${x(ratio(s.app.medianMs, s.floor.medianMs))} | ${s.barrel ? range(s.barrel) : '–'} | ${s.barrel ? x(ratio(s.barrel.medianMs, s.app.medianMs)) : '–'} | ${cpu(s.app)}, ${cpu(s.floor)}, ${cpu(s.barrel)} | ${cpuRatio} | ${rss(s.app)}, ${rss(s.floor)}, ${rss(s.barrel)} |`,
    );
  }
  if (r.marginal.length > 0) {
    lines.push('', '| Stacks | App ms per extra stack | Floor ms per extra stack |', '|---|---:|---:|');
    for (const m of r.marginal) lines.push(`| ${m.from} → ${m.to} | ${m.appMsPerStack.toFixed(1)} | ${m.floorMsPerStack.toFixed(1)} |`);
  }
  if (r.extra.length > 0) {
    lines.push('', '| Command | Wall time |', '|---|---:|');
    for (const e of r.extra) lines.push(`| \`${e.name}\` | ${ms(e.wallMs)}${e.ok ? '' : ' (failed)'} |`);
  }
  if (r.budgets.length > 0) {
    lines.push('', '| Budget | Limit | Measured | Met |', '|---|---|---|---|');
    for (const b of r.budgets) lines.push(`| ${b.name} | ${b.limit} | ${b.value} | ${b.met ? 'yes' : '**no**'} |`);
  }
  return `${lines.join('\n')}\n`;
}
