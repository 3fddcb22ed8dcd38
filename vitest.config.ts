import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/test/**/*.test.ts', 'examples/**/*.test.ts', 'test/**/*.test.ts'],
    // Worker threads spawned by the thread executor load built JS (dist); forks keep a test's
    // process.exit-in-a-worker experiments away from the runner itself.
    pool: 'forks',
    // Provisions (or reports as skipped, with the command) what a few tests need beyond npm.
    globalSetup: ['scripts/test/provision.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
