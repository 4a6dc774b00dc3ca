/**
 * Runs once before the tests (jest `globalSetup`): brings dist/ up to date, so that every test that
 * runs the app or a script as a child process runs the current sources, and no two of them compile at
 * the same time.
 */
import { join } from 'node:path';

export default function globalSetup(): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { build, summary } = require(join(__dirname, '..', '..', 'scripts', 'build', 'build.js')) as {
    build: () => unknown;
    summary: (result: unknown) => string | undefined;
  };
  const line = summary(build());
  if (line) process.stderr.write(`\n${line}\n`);
}
