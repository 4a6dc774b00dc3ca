/**
 * `npm run audit-report -- --stack <tenant>-<environment> [--since P30D] [--format md,csv,json] [--out <dir>]`:
 * KPI queries against the stack's workspace, written as a markdown summary with SVG charts and one CSV
 * per KPI. Thin entry; everything lives in scripts/lib/audit-report/ (see --help and docs/dashboards.md).
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { main } from './lib/audit-report/main';
import { redact } from './lib/verify/redact';

const run = promisify(execFile);

main(process.argv.slice(2), {
  env: process.env,
  cwd: process.cwd(),
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  readFile: (file) => readFile(file, 'utf8'),
  exec: async (file, args, options) => (await run(file, [...args], { cwd: options.cwd, maxBuffer: 16 * 1024 * 1024 })).stdout,
  now: () => new Date(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
}).then(
  (code) => done(code),
  (error: unknown) => {
    process.stderr.write(`audit-report: unexpected failure: ${redact(error instanceof Error ? error.message : String(error), [process.env.AZURE_CLIENT_SECRET ?? ''])}\n`);
    done(2);
  },
);

/** Ends the process with `code` once the output is flushed, even if a library still holds a socket or timer. */
function done(code: number): void {
  process.exitCode = code;
  setTimeout(() => process.exit(code), 1_000).unref();
}
