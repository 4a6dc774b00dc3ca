/**
 * Benchmarks synth against a floor measured in the same run.
 *
 *   npm run bench [-- --sizes 3,50,200,500] [--runs 3] [--barrel-sizes 3,200] [--json]
 *                    [--npm-test] [--typecheck] [--timeout 600]
 *
 * For each size it writes an estate of that many stacks made from the example (stacks/environments.yaml;
 * see lib/bench/estate.ts) and times, after one warm-up run each:
 *   - the app: the command of cdktf.json, as `cdktf synth` and `npm run synth` run it;
 *   - the floor: a bare cdktf app, compiled, that declares the same resources stack for stack with the
 *     provider classes imported by deep path (lib/bench/floor-app.ts);
 *   - the barrel baseline (at --barrel-sizes): the floor importing the providers' package barrels, the
 *     way cdktf's project template does.
 * The runs of the three alternate, so that a change in the machine's load touches them alike. It checks
 * that the floor declares as many resources of each type as the app, then prints the medians (min–max),
 * CPU time and peak memory (GNU time, when /usr/bin/time exists), the ratios, the marginal cost per
 * stack and the budgets of issue 13. Optional: the wall time of `npm test`, and of `tsc --noEmit` with
 * TypeScript 7's native compiler (what `npm test` runs) and with TypeScript 5.9 (JavaScript) for
 * comparison (`--typecheck`). Every command is killed after --timeout seconds.
 *
 * Prints figures; it asserts nothing (performance budgets are read, not unit-tested). Exit 0 unless a
 * command failed or the floor did not match the app.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { estateStackIds, estateYaml, templateIndex } from './lib/bench/estate';
import { elementCounts, FloorInput, stackShape } from './lib/bench/floor-shape';
import { BenchResult, budgets, markdown, marginal, Sample, SizeResult, summarise } from './lib/bench/report';

const ROOT = join(__dirname, '..', '..');
const EXAMPLE = 'stacks/environments.yaml';
const GNU_TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

class UsageError extends Error {}

interface Options {
  readonly sizes: number[];
  readonly barrelSizes: number[];
  readonly runs: number;
  readonly json: boolean;
  readonly npmTest: boolean;
  readonly typecheck: boolean;
  readonly timeoutMs: number;
}

function parseOptions(argv: readonly string[]): Options {
  const value = (name: string): string | undefined => {
    const i = argv.indexOf(name);
    if (i < 0) return undefined;
    const v = argv[i + 1];
    if (v === undefined || v.startsWith('--')) throw new UsageError(`${name} needs a value`);
    return v;
  };
  const known = ['--sizes', '--barrel-sizes', '--runs', '--json', '--npm-test', '--typecheck', '--timeout'];
  const withValue = new Set(['--sizes', '--barrel-sizes', '--runs', '--timeout']);
  for (let i = 0; i < argv.length; i++) {
    if (!known.includes(argv[i])) throw new UsageError(`unknown argument ${argv[i]}`);
    if (withValue.has(argv[i])) i++;
  }
  const list = (name: string, fallback: string) =>
    (value(name) ?? fallback).split(',').map((s) => {
      const n = Number(s);
      if (!Number.isInteger(n) || n < 1 || n > 2000) throw new UsageError(`${name}: ${s} is not a number of stacks from 1 to 2000`);
      return n;
    });
  const number = (name: string, fallback: number, max: number) => {
    const n = Number(value(name) ?? fallback);
    if (!Number.isInteger(n) || n < 1 || n > max) throw new UsageError(`${name}: expected an integer from 1 to ${max}`);
    return n;
  };
  return {
    sizes: [...new Set(list('--sizes', '3,50,200,500'))].sort((a, b) => a - b),
    barrelSizes: list('--barrel-sizes', '3,200'),
    runs: number('--runs', 3, 20),
    json: argv.includes('--json'),
    npmTest: argv.includes('--npm-test'),
    typecheck: argv.includes('--typecheck'),
    timeoutMs: number('--timeout', 600, 3600) * 1000,
  };
}

/** The app command of cdktf.json as an argument list, run with this Node. */
function appCommand(): { text: string; argv: string[] } {
  const text = (JSON.parse(readFileSync(join(ROOT, 'cdktf.json'), 'utf8')) as { app: string }).app;
  const argv = text.split(/\s+/).filter(Boolean);
  if (argv[0] !== 'node') throw new Error(`cdktf.json app ${JSON.stringify(text)} does not start with node; the benchmark runs it with this Node`);
  return { text, argv: [process.execPath, ...argv.slice(1)] };
}

/** Runs a command once, timed; throws with its stderr when it fails. */
function timed(argv: readonly string[], cwd: string, env: NodeJS.ProcessEnv, timeoutMs: number, label: string): Sample {
  const timeFile = join(tmpdir(), `entra-bench-time-${process.pid}`);
  const [command, ...args] = GNU_TIME ? [GNU_TIME, '-f', '%e %U %S %M', '-o', timeFile, ...argv] : argv;
  const started = process.hrtime.bigint();
  const run = spawnSync(command, args, { cwd, env, encoding: 'utf8', timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 16 * 1024 * 1024 });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (run.error) throw new Error(`${label}: ${run.error.message}`);
  if (run.status !== 0) throw new Error(`${label} exited ${run.status ?? run.signal}:\n${run.stderr.slice(-4000)}`);
  if (!GNU_TIME) return { wallMs };
  const [, user, system, rss] = readFileSync(timeFile, 'utf8').trim().split(/\s+/).slice(-4).map(Number);
  rmSync(timeFile, { force: true });
  return { wallMs, cpuMs: (user + system) * 1000, peakRssKiB: rss };
}

function readStack(outdir: string, id: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(outdir, 'stacks', id, 'cdk.tf.json'), 'utf8')) as Record<string, unknown>;
}

function sum(counts: Record<string, number>): number {
  return Object.values(counts).reduce((a, b) => a + b, 0);
}

function machine(): string {
  const c = cpus();
  return `${c.length} × ${c[0]?.model.trim() ?? 'unknown CPU'}, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} at start`;
}

/** Lets pending signals reach their listeners between measurements. */
function turn(): Promise<void> {
  return new Promise((done) => setImmediate(done));
}

const USAGE = 'usage: npm run bench -- [--sizes 3,50,200,500] [--runs 3] [--barrel-sizes 3,200] [--json] [--npm-test] [--typecheck] [--timeout <s>]';

async function main(argv: readonly string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${USAGE}\n\nTimes the app command, a bare cdktf app with the same resources (the floor) and a barrel-import baseline on\ngenerated estates, then prints ratios, marginal ms per stack and the budgets (docs/decisions.md, "The benchmark").\n`);
    return 0;
  }
  let options: Options;
  try {
    options = parseOptions(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`bench: ${e.message}\n${USAGE}\n`);
    return 2;
  }
  const started = new Date();
  const loadAtStart = machine();
  const app = appCommand();
  const example = readFileSync(join(ROOT, EXAMPLE), 'utf8');
  const work = mkdtempSync(join(tmpdir(), 'entra-bench-'));
  const log = (line: string) => process.stderr.write(`${line}\n`);
  // Interrupted, it removes its estates before it goes: the listener runs at the next turn() after the
  // measurement that is running (a synchronous child process, which a terminal's Ctrl-C also stops).
  const signals = { SIGINT: 2, SIGTERM: 15, SIGHUP: 1 } as const;
  const onSignal = (signal: keyof typeof signals) => {
    rmSync(work, { recursive: true, force: true });
    process.stderr.write(`bench: interrupted by ${signal}; its estates are removed\n`);
    process.exit(128 + signals[signal]);
  };
  for (const signal of Object.keys(signals) as (keyof typeof signals)[]) process.on(signal, onSignal);
  try {
    const baseEnv = { ...process.env, CHECKPOINT_DISABLE: '1', ENTRA_AUDIT_STACKS: '' };
    // The floor's shapes: the app's own output for the example's stacks.
    const exampleIds = estateStackIds(example, 3);
    const shapeOut = join(work, 'shapes');
    timed(app.argv, ROOT, { ...baseEnv, ENTRA_AUDIT_CONFIG: EXAMPLE, CDKTF_OUTDIR: shapeOut }, options.timeoutMs, 'app (example)');
    await turn();
    const templates = exampleIds.map((id) => readStack(shapeOut, id));
    const shapes = templates.map(stackShape);
    const floorApp = join(ROOT, 'dist', 'scripts', 'lib', 'bench', 'floor-app.js');

    const sizes: SizeResult[] = [];
    let failure: string | undefined;
    for (const size of options.sizes) {
      log(`bench: ${size} stacks…`);
      try {
        const config = join(work, `estate-${size}.yaml`);
        writeFileSync(config, estateYaml(example, size));
        const ids = estateStackIds(example, size);
        const appOut = join(work, `app-${size}`);
        const appEnv = { ...baseEnv, ENTRA_AUDIT_CONFIG: config, CDKTF_OUTDIR: appOut };
        const inputs = [false, ...(options.barrelSizes.includes(size) ? [true] : [])].map((barrel) => {
          const input: FloorInput = { outdir: join(work, `${barrel ? 'barrel' : 'floor'}-${size}`), barrel, shapes, stacks: ids.map((id, i) => ({ id, shape: templateIndex(example, size, i) })) };
          const file = join(work, `${barrel ? 'barrel' : 'floor'}-${size}.json`);
          writeFileSync(file, JSON.stringify(input));
          return { barrel, file, outdir: input.outdir };
        });
        const runApp = () => timed(app.argv, ROOT, appEnv, options.timeoutMs, `app (${size} stacks)`);
        // The same Node flags and compile cache as the app command.
        const floorArgv = (file: string) => [process.execPath, '--disable-warning=DEP0044', '-r', join(ROOT, 'scripts', 'build', 'compile-cache.js'), floorApp, file];
        const runFloor = (file: string, barrel: boolean) => timed(floorArgv(file), work, baseEnv, options.timeoutMs, `${barrel ? 'barrel' : 'floor'} (${size} stacks)`);
        // Warm-up, then check that the floor declares what the app does.
        runApp();
        await turn();
        for (const i of inputs) {
          runFloor(i.file, i.barrel);
          await turn();
        }
        let resources = 0;
        ids.forEach((id, n) => {
          const counts = elementCounts(readStack(appOut, id));
          const expected = elementCounts(templates[templateIndex(example, size, n)]);
          resources += sum(counts);
          for (const i of inputs) {
            const floor = elementCounts(readStack(i.outdir, id));
            if (JSON.stringify(floor) !== JSON.stringify(counts) || JSON.stringify(counts) !== JSON.stringify(expected)) {
              throw new Error(`stack ${id}: the ${i.barrel ? 'barrel baseline' : 'floor'} declares ${JSON.stringify(floor)}, the app ${JSON.stringify(counts)}; they must match`);
            }
          }
        });
        const samples = { app: [] as Sample[], floor: [] as Sample[], barrel: [] as Sample[] };
        for (let r = 0; r < options.runs; r++) {
          samples.app.push(runApp());
          await turn();
          for (const i of inputs) {
            (i.barrel ? samples.barrel : samples.floor).push(runFloor(i.file, i.barrel));
            await turn();
          }
        }
        sizes.push({ stacks: size, resources, app: summarise(samples.app), floor: summarise(samples.floor), barrel: samples.barrel.length > 0 ? summarise(samples.barrel) : undefined });
      } catch (e) {
        // Report what was measured, then the failure.
        failure = `${size} stacks: ${(e as Error).message}`;
        break;
      }
    }

    const extra: { name: string; wallMs: number; ok: boolean }[] = [];
    const once = (name: string, argv: string[]) => {
      log(`bench: ${name}…`);
      const t = process.hrtime.bigint();
      const run = spawnSync(argv[0], argv.slice(1), { cwd: ROOT, encoding: 'utf8', timeout: options.timeoutMs, killSignal: 'SIGKILL', maxBuffer: 64 * 1024 * 1024 });
      extra.push({ name, wallMs: Number(process.hrtime.bigint() - t) / 1e6, ok: run.status === 0 });
    };
    if (options.typecheck) {
      once('tsc --noEmit (TypeScript 7, native: npm run typecheck)', [process.execPath, join(ROOT, 'node_modules', 'typescript-7', 'bin', 'tsc'), '--noEmit']);
      once('tsc --noEmit (TypeScript 5.9, JavaScript)', [process.execPath, join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '--noEmit']);
    }
    if (options.npmTest) once('npm test', ['npm', 'test']);

    const margins = marginal(sizes);
    const result: BenchResult = {
      date: started.toISOString().slice(0, 10),
      command: `npm run bench${argv.length > 0 ? ` -- ${argv.join(' ')}` : ''}`,
      appCommand: app.text,
      node: process.version,
      machine: loadAtStart,
      runs: options.runs,
      sizes,
      marginal: margins,
      budgets: budgets(sizes, margins),
      extra,
    };
    process.stdout.write(options.json ? `${JSON.stringify({ ...result, failure }, null, 2)}\n` : markdown(result));
    if (failure) process.stderr.write(`bench: stopped at ${failure}\n`);
    return failure === undefined && extra.every((e) => e.ok) ? 0 : 1;
  } catch (e) {
    process.stderr.write(`bench: ${(e as Error).message}\n`);
    return 1;
  } finally {
    for (const signal of Object.keys(signals) as (keyof typeof signals)[]) process.off(signal, onSignal);
    rmSync(work, { recursive: true, force: true });
  }
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
