import { defineConfig } from 'tsup';

const entry = {
  index: 'src/index.ts',
  ops: 'src/ops/index.ts',
  worker: 'src/execute/threads/worker-main.ts',
  'web-worker': 'src/execute/threads/web-worker.ts',
  // The pool's platform layer, chosen by the package's `#platform` import (package.json
  // `imports`): browser -> web, otherwise node. Left external so the consumer's resolver picks.
  'platform-node': 'src/execute/threads/platform-node.ts',
  'platform-web': 'src/execute/threads/platform-web.ts',
};

export default defineConfig({
  entry,
  format: ['esm', 'cjs'],
  dts: { entry },
  clean: true,
  external: ['#platform'],
  // Stamps the build, so a caller and worker threads from different builds refuse each other
  // (a rebuild while a program runs would otherwise mix wire formats).
  define: { __PDASK_BUILD_ID__: JSON.stringify(Date.now().toString(36)) },
  sourcemap: true,
  target: 'node20',
  platform: 'node',
  // import.meta.url is needed in the CJS build to locate the worker entry.
  shims: true,
  // Only this package's sources: the base config alone would pull in every file of the repo.
  tsconfig: 'tsconfig.build.json',
  // comlink's Node adapter is an .mjs deep import: bundle it so the CJS build does not require() ESM.
  noExternal: [/comlink\/dist\/esm\/node-adapter/],
});
