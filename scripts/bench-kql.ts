/**
 * Benchmarks validating the whole alert catalog with Microsoft's Kusto language service, in a fresh
 * process: every detection's query as deployed (rendered with its default parameters), loading the
 * service included. Prints figures; asserts nothing.
 *
 *   npm run --silent bench:kql
 */
import { DETECTIONS } from '../constructs/entra-alert-rules/catalog';
import { readQueryFile, renderQuery } from '../constructs/entra-alert-rules/detection';
import { validateKql } from '../constructs/internal/kql-validator';

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
