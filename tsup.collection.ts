import { defineConfig } from 'tsup';

/**
 * The build of a collection package (array, bag, dataframe, ml): its API, and `ops`, the entry
 * worker threads `import('@pdask/<name>/ops')` to find the package's built-in operations.
 */
export function collectionBuild(): ReturnType<typeof defineConfig> {
  return defineConfig({
    entry: { index: 'src/index.ts', ops: 'src/ops/index.ts' },
    format: ['esm', 'cjs'],
    dts: { entry: { index: 'src/index.ts', ops: 'src/ops/index.ts' } },
    clean: true,
    sourcemap: true,
    target: 'node20',
    platform: 'node',
    // Only the package's sources: the base config alone would pull in every file of the repo.
    tsconfig: 'tsconfig.build.json',
  });
}
