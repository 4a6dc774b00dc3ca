/**
 * Benchmarks validating the whole alert catalog with Microsoft's Kusto language service, in a fresh
 * process: every detection's query as deployed (rendered with its default parameters), loading the
 * service included. Prints figures; asserts nothing.
 *
 *   npm run --silent bench:kql
 *   npm run --silent bench:kql -- --worst-case   adversarial inputs at the validator's limits (KQL_LIMITS)
 */
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
process.exitCode = problems === 0 ? 0 : 1;
