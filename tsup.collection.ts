import { defineConfig } from 'tsup';

/**
 * The build of a collection package (array, bag, dataframe, ml): its API, and `ops`, the entry
 * worker threads `import('@pdask/<name>/ops')` to find the package's built-in operations.
 */
export function collectionBuild(extraEntries: Record<string, string> = {}): ReturnType<typeof defineConfig> {
  // extraEntries: e.g. `web-worker`, the module a page's Web Workers import (see @pdask/core/web-worker).
  const entry = { index: 'src/index.ts', ops: 'src/ops/index.ts', ...extraEntries };
  return defineConfig({
    entry,
    format: ['esm', 'cjs'],
    dts: { entry },
    clean: true,
    sourcemap: true,
    target: 'node20',
    platform: 'node',
    // Only the package's sources: the base config alone would pull in every file of the repo.
    tsconfig: 'tsconfig.build.json',
  });
}
