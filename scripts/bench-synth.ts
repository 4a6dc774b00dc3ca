/**
 * Benchmarks `npm run synth` on a configuration: wall time and peak memory of the synth process,
 * over several runs, measured with GNU time (`/usr/bin/time -v`) when it is installed.
 *
 *   npm run bench [-- --runs 5] [-- --config stacks/environments.yaml]
 *
 * Prints figures; it asserts nothing (performance budgets are read, not unit-tested).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};
const runs = Number(option('--runs', '5'));
const config = option('--config', 'stacks/environments.yaml');
const gnuTime = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

const walls: number[] = [];
const peaksKiB: number[] = [];
const out = mkdtempSync(join(tmpdir(), 'entra-bench-'));
for (let i = 0; i < runs; i++) {
  const command = [process.execPath, '--disable-warning=DEP0044', '--import', 'tsx', 'stacks/main.ts'];
  const started = process.hrtime.bigint();
  const run = gnuTime
    ? spawnSync(gnuTime, ['-v', ...command], { encoding: 'utf8', env: { ...process.env, ENTRA_AUDIT_CONFIG: config, CDKTF_OUTDIR: join(out, String(i)) } })
    : spawnSync(command[0], command.slice(1), { encoding: 'utf8', env: { ...process.env, ENTRA_AUDIT_CONFIG: config, CDKTF_OUTDIR: join(out, String(i)) } });
  walls.push(Number(process.hrtime.bigint() - started) / 1e6);
  if (run.status !== 0) {
    process.stderr.write(run.stderr);
    process.exit(1);
  }
  const peak = /Maximum resident set size \(kbytes\): (\d+)/.exec(run.stderr ?? '');
  if (peak) peaksKiB.push(Number(peak[1]));
}
rmSync(out, { recursive: true, force: true });

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
process.stdout.write(`synth of ${config}, ${runs} runs, node ${process.version}\n`);
process.stdout.write(`  wall time: median ${median(walls).toFixed(0)} ms, min ${Math.min(...walls).toFixed(0)} ms, max ${Math.max(...walls).toFixed(0)} ms\n`);
process.stdout.write(peaksKiB.length > 0 ? `  peak RSS:  median ${(median(peaksKiB) / 1024).toFixed(0)} MiB, max ${(Math.max(...peaksKiB) / 1024).toFixed(0)} MiB (GNU time -v)\n` : '  peak RSS:  not measured (install GNU time: apt-get install time)\n');
