/** The storage emulator the verify tests start never calls home. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AZURITE_ARGS, startAzurite } from './support/azurite';

const REPO_ROOT = join(__dirname, '..', '..', '..');

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));
}

test('Azurite runs with --disableTelemetry: the running process has it, and prints no Application Insights sender line', async () => {
  expect(AZURITE_ARGS).toContain('--disableTelemetry');
  const azurite = await startAzurite(REPO_ROOT);
  let cmdline: string[] = [];
  try {
    cmdline = readFileSync(`/proc/${azurite.pid}/cmdline`, 'utf8').split('\0');
  } finally {
    await azurite.stop();
  }
  expect(cmdline).toContain('--disableTelemetry');
  // Without the flag Azurite 3.35 sends telemetry to *.applicationinsights.azure.com within seconds of
  // starting and on shutdown; offline it prints "ApplicationInsights:Sender [ 'Ingestion endpoint could not be reached ...".
  expect(azurite.output()).toContain('successfully listens on http://127.0.0.1:');
  expect(azurite.output()).not.toMatch(/ApplicationInsights|applicationinsights\.azure\.com/i);
});

test('every test starts Azurite through support/azurite.ts (nothing else spawns azurite-blob)', () => {
  const spawners = filesUnder(join(REPO_ROOT, 'test')).filter((f) => f !== __filename && /\.ts$/.test(f) && /azurite-blob|bin', 'azurite/.test(readFileSync(f, 'utf8')));
  expect(spawners.map((f) => f.slice(REPO_ROOT.length + 1))).toEqual(['test/scripts/verify/support/azurite.ts']);
});
