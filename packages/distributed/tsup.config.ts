import { defineConfig } from 'tsup';
// The dashboard's pages, bundled for browsers into dist/dashboard/ (see dashboard-ui/build.mjs).
import { buildDashboard } from './dashboard-ui/build.mjs';

const common = {
  sourcemap: true,
  target: 'node20',
  platform: 'node',
  // Only this package's sources: the base config alone would pull in every file of the repo.
  tsconfig: 'tsconfig.build.json',
} as const;

export default defineConfig([
  {
    ...common,
    entry: { index: 'src/index.ts', ops: 'src/ops/index.ts', client: 'src/client/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    // import.meta.url locates the worker entry from the CJS build too.
    shims: true,
    // After `clean`, which would remove them.
    onSuccess: async () => {
      await buildDashboard();
    },
  },
  {
    ...common,
    // Processes: ESM only. worker-process.js sits at dist/ so nannies find it beside the chunks.
    entry: { 'worker-process': 'src/worker/main.ts', 'cli/scheduler': 'src/cli/scheduler.ts', 'cli/worker': 'src/cli/worker.ts' },
    format: ['esm'],
    banner: { js: '#!/usr/bin/env node' },
    clean: false,
  },
  {
    ...common,
    // The client for pages (package.json's `browser` condition of ./client): esbuild's browser
    // platform picks the browser twins of the '#pdask/*' imports (the page's WebSocket, no files).
    entry: { 'client.browser': 'src/client/index.ts' },
    platform: 'browser',
    target: 'es2022',
    format: ['esm'],
    clean: false,
  },
]);
