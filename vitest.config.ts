import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/test/**/*.test.ts', 'examples/**/*.test.ts'],
    // Worker threads spawned by the thread executor load built JS (dist); forks keep a test's
    // process.exit-in-a-worker experiments away from the runner itself.
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
