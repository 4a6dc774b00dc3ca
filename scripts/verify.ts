/**
 * `npm run verify -- --stack <tenant>-<environment> [options]`: proves Entra logs arrive in every
 * destination the stack routes them to. Thin entry; everything lives in scripts/lib/verify/ (see --help
 * and docs/verification.md).
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { colourEnabled } from './lib/io/colour';
import { READER_SECRET_VARIABLES } from './lib/verify/credential';
import { main } from './lib/verify/main';
import { redact } from './lib/verify/redact';

const run = promisify(execFile);

main(process.argv.slice(2), {
  env: process.env,
  cwd: process.cwd(),
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  isTTY: process.stderr.isTTY === true,
  colour: colourEnabled(process.stdout),
  readFile: (file) => readFile(file, 'utf8'),
  exec: async (file, args, options) => (await run(file, [...args], { cwd: options.cwd, maxBuffer: 16 * 1024 * 1024, timeout: options.timeoutMs })).stdout,
  now: () => new Date(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
  randomId: randomUUID,
}).then(
  (code) => done(code),
  (error: unknown) => {
    const secrets = ['AZURE_CLIENT_SECRET', 'AZURE_CLIENT_CERTIFICATE_PASSWORD', ...READER_SECRET_VARIABLES, 'AZURE_STORAGE_CONNECTION_STRING'].map((name) => process.env[name] ?? '');
    process.stderr.write(`verify: unexpected failure: ${redact(error instanceof Error ? error.message : String(error), secrets)}\n`);
    done(2);
  },
);

/**
 * Ends the process with `code` once the output is flushed. Every request is already cut off by
 * its deadline; should a library still hold a socket or timer open, the process exits anyway a
 * second later instead of outliving --timeout.
 */
function done(code: number): void {
  process.exitCode = code;
  setTimeout(() => process.exit(code), 1_000).unref();
}
