/** Jest runs TypeScript through SWC (no type checking: `tsc --noEmit` does that once, before jest). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  // Compiles dist/ once: the tests that run the app or a script as a child process run it from there.
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  // Every core: jest's default (cores - 1) runs a 2-core machine's tests in band, on one core.
  maxWorkers: '100%',
  testTimeout: 60000,
};
