/**
 * Preloaded by the app command and the npm scripts, before Node loads the compiled entry point:
 *
 *   node -r ./scripts/build/ensure-built.js dist/stacks/main.js
 *
 * Brings dist/ up to date with the sources (see build.js): when nothing changed this costs a few
 * milliseconds and never loads TypeScript; after an edit it compiles the changed files and says so on
 * stderr. On a syntax error it prints each one and exits 1 before anything runs. It also turns on
 * Node's compile cache (see compile-cache.js).
 */
'use strict';

require('./compile-cache');
const { build, summary, BuildError } = require('./build');

try {
  const line = summary(build());
  if (line) process.stderr.write(`${line}\n`);
} catch (e) {
  process.stderr.write(`${e instanceof BuildError ? `Build failed: ${e.message}` : (e && e.stack) || e}\nNothing was run.\n`);
  process.exit(1);
}
