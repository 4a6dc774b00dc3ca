/**
 * Azurite (Microsoft's storage emulator) on a free loopback port, in memory, stopped by `stop()`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

/** Azurite's documented development account and key (Azurite README, "Default Storage Account"); not a secret. */
export const AZURITE_ACCOUNT = 'devstoreaccount1';
export const AZURITE_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export interface Azurite {
  readonly blobUrl: string;
  readonly connectionString: string;
  /** The Azurite process. */
  readonly pid: number;
  /** Everything Azurite printed so far (at most 64 KiB). */
  output(): string;
  stop(): Promise<void>;
}

/**
 * How Azurite is started, everywhere: loopback only, a free port, in memory, and
 * `--disableTelemetry` (Azurite collects telemetry by default, `azurite-blob --help`): a test
 * never sends anything off the machine.
 */
export const AZURITE_ARGS: readonly string[] = [
  '--blobHost', '127.0.0.1', '--blobPort', '0', '--inMemoryPersistence', '--silent', '--skipApiVersionCheck', '--loose', '--disableTelemetry',
];

export async function startAzurite(repoRoot: string): Promise<Azurite> {
  const child: ChildProcess = spawn(join(repoRoot, 'node_modules', '.bin', 'azurite-blob'), [...AZURITE_ARGS], { stdio: ['ignore', 'pipe', 'pipe'], detached: false });
  let output = '';
  const collect = (chunk: Buffer): void => {
    if (output.length < 64 * 1024) output += chunk.toString();
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`azurite did not start within 20 s: ${output}`)), 20_000);
    const onData = (): void => {
      const match = /listens on http:\/\/127\.0\.0\.1:(\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`azurite exited with ${code}: ${output}`));
    });
  });
  const blobUrl = `http://127.0.0.1:${port}/${AZURITE_ACCOUNT}`;
  return {
    blobUrl,
    connectionString: `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT};AccountKey=${AZURITE_KEY};BlobEndpoint=${blobUrl};`,
    pid: child.pid as number,
    output: () => output,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.removeAllListeners('exit');
        // 'close': the process has exited and its output is all read.
        child.once('close', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
      }),
  };
}
