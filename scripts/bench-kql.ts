/**
 * Benchmarks validating KQL with Microsoft's Kusto language service, in a fresh process: the whole
 * alert catalog as deployed (rendered with its default parameters), loading the service included;
 * then the per-query cost, service loaded, over test/fixtures/kql-benchmark/*.kql plus the catalog.
 * Prints figures; exits 1 if any of those queries has a problem.
 *
 *   npm run --silent bench:kql
 *   npm run --silent bench:kql -- --worst-case   adversarial inputs at the validator's limits (KQL_LIMITS)
 */
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { DETECTIONS } from '../constructs/entra-alert-rules/catalog';
import { readQueryFile, renderQuery } from '../constructs/entra-alert-rules/detection';
import { KQL_LIMITS, validateKql } from '../constructs/internal/kql-validator';

/**
 * Inputs just inside the limits that cost the service the most among those tried: one diagnostic
 * per word, brackets nested to the limit over and over, a long chain of lets, and lets that double
 * the binder's work with each line (stopped by maxAnalysisMs).
 */
function worstCases(): Array<[string, string]> {
  const n = KQL_LIMITS.maxQueryChars;
  const depth = KQL_LIMITS.maxNestingDepth;
  const nested = `${'('.repeat(depth)}${')'.repeat(depth)}`;
  let lets = 'let a0 = 1;\n';
  for (let i = 1; lets.length < n - 40; i++) lets += `let a${i} = a${i - 1} + 1;\n`;
  let doubling = 'let t0 = datatable(a: int)[1];\n';
  for (let i = 1; i <= 40; i++) doubling += `let t${i} = union t${i - 1}, t${i - 1};\n`;
  return [
    ['one problem per word', 'x '.repeat(Math.floor(n / 2))],
    [`brackets nested ${depth} deep, repeated`, nested.repeat(Math.floor(n / nested.length))],
    ['a chain of lets', `${lets}print a1`],
    ['lets doubling the binder work', `${doubling}t40`],
  ];
}

/** Queries of the per-query benchmark, in the shapes of real detection content (see the README beside them). */
const BENCHMARK_DIR = join(__dirname, '..', 'test', 'fixtures', 'kql-benchmark');

if (process.argv.includes('--worst-case')) {
  validateKql('SigninLogs | take 1'); // load the service first: only the queries are timed
  for (const [name, text] of worstCases()) {
    const t = process.hrtime.bigint();
    const problems = validateKql(text);
    const ms = Number(process.hrtime.bigint() - t) / 1e6;
    process.stdout.write(`${name}: ${text.length} characters, ${ms.toFixed(0)} ms, ${problems.length} problem(s)${problems[0] ? ` (first ${problems[0].code})` : ''}\n`);
  }
  process.exit(0);
}

const cpuStart = process.cpuUsage();
const start = process.hrtime.bigint();
let problems = validateKql(renderQuery(DETECTIONS[0].key, readQueryFile(DETECTIONS[0].key), DETECTIONS[0].parameters, {})).length;
const loaded = process.hrtime.bigint();
for (const d of DETECTIONS.slice(1)) problems += validateKql(renderQuery(d.key, readQueryFile(d.key), d.parameters, {})).length;
const end = process.hrtime.bigint();
const cpu = process.cpuUsage(cpuStart);
const ms = (a: bigint, b: bigint) => Number(b - a) / 1e6;
process.stdout.write(
  `validated ${DETECTIONS.length} catalog queries (${problems} problem(s)) in ${ms(start, end).toFixed(0)} ms wall, ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms CPU; ` +
    `first query with the Kusto load ${ms(start, loaded).toFixed(0)} ms, then ${(ms(loaded, end) / (DETECTIONS.length - 1)).toFixed(1)} ms per query\n`,
);

// The benchmark corpus: hunting and detection queries in the shapes real Sentinel content uses
// (let functions over table(name), unions of the sign-in tables, joins, mv-apply, make-series),
// plus the catalog as deployed. Three passes; each query's time is the median of its passes.
const corpus = readdirSync(BENCHMARK_DIR).filter((f) => f.endsWith('.kql')).sort().map((f) => [f, readFileSync(join(BENCHMARK_DIR, f), 'utf8')] as const);
const all = [...corpus, ...DETECTIONS.map((d) => [d.key, renderQuery(d.key, readQueryFile(d.key), d.parameters, {})] as const)];
const times = new Map<string, number[]>(all.map(([name]) => [name, []]));
let corpusProblems = 0;
for (let pass = 0; pass < 3; pass++) {
  for (const [name, text] of all) {
    const t = process.hrtime.bigint();
    const found = validateKql(text).length;
    times.get(name)!.push(ms(t, process.hrtime.bigint()));
    if (pass === 0) corpusProblems += found;
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const medians = all.map(([name]) => median(times.get(name)!)).sort((a, b) => a - b);
const pct = (p: number) => medians[Math.min(medians.length - 1, Math.floor((p / 100) * medians.length))] as number;
const mean = medians.reduce((a, b) => a + b, 0) / medians.length;
process.stdout.write(
  `corpus: ${corpus.length} benchmark queries + ${DETECTIONS.length} catalog queries (${corpusProblems} problem(s)), 3 passes, service loaded: ` +
    `per query mean ${mean.toFixed(1)} ms, median ${pct(50).toFixed(1)} ms, p90 ${pct(90).toFixed(1)} ms, max ${medians[medians.length - 1]!.toFixed(1)} ms\n`,
);
process.exitCode = problems === 0 && corpusProblems === 0 ? 0 : 1;
