import { readdirSync } from 'node:fs';
import { configDefaults, defineConfig } from 'vitest/config';

const ALL = ['packages/*/test/**/*.test.ts', 'examples/**/*.test.ts', 'test/**/*.test.ts'];

/**
 * @pdask/distributed's files that may share the machine with another test file: no heartbeat,
 * death or memory limit to misjudge when the CPU is shared, no Chromium, no fixed port. The soak
 * is among them: it was written for a loaded machine (its floors are far below what a run reaches).
 */
const DISTRIBUTED_SHARED = [
  'soak', 'shuffle-p2p', 'client', 'story', 'gc-futures', 'large-values', 'codec', 'round-trip-path', 'client-churn',
  'unit', 'holders', 'wanted-by', 'replication-plan', 'shuffle-p2p-scheduler', 'shuffle-p2p-worker', 'dashboard-model',
  'dashboard-ui-store', 'options', 'worker-memory',
];

/**
 * Files that run one at a time, after the others: clusters whose tests kill processes and judge
 * heartbeats, deaths and memory limits on time, Chromium pages, and memory limits measured on the
 * process. Alone, their timeouts see the machine they were written for.
 */
export const ALONE = [
  ...readdirSync(new URL('packages/distributed/test/', import.meta.url))
    .filter((f) => f.endsWith('.test.ts') && !DISTRIBUTED_SHARED.includes(f.slice(0, -'.test.ts'.length)))
    .map((f) => `packages/distributed/test/${f}`),
  'packages/*/test/**/browser*.test.ts',
  'packages/dataframe/test/out-of-core*.test.ts',
  'test/browser/**/*.test.ts',
  'examples/**/*.test.ts',
];

export default defineConfig({
  test: {
    // Worker threads spawned by the thread executor load built JS (dist); forks keep a test's
    // process.exit-in-a-worker experiments away from the runner itself.
    pool: 'forks',
    // Provisions (or reports as skipped, with the command) what a few tests need beyond npm.
    globalSetup: ['scripts/test/provision.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    projects: [
      // Two files at a time (vitest's default on two cores is one): these wait on nothing but the
      // CPU they share, or on processes that do not judge time.
      { extends: true, test: { name: 'shared', include: ALL, exclude: [...configDefaults.exclude, ...ALONE], maxWorkers: 2, sequence: { groupOrder: 0 } } },
      { extends: true, test: { name: 'alone', include: ALONE, maxWorkers: 1, sequence: { groupOrder: 1 } } },
    ],
  },
});
