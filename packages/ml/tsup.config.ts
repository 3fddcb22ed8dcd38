import { defineConfig } from 'tsup';

export default defineConfig({
  // `ops` is a separate entry: worker threads `import('@pdask/ml/ops')` to find the built-in operations.
  entry: { index: 'src/index.ts', ops: 'src/ops/index.ts' },
  format: ['esm', 'cjs'],
  dts: { entry: { index: 'src/index.ts', ops: 'src/ops/index.ts' } },
  clean: true,
  sourcemap: true,
  target: 'node20',
  platform: 'node',
  // Only this package's sources: the base config alone would pull in every file of the repo.
  tsconfig: 'tsconfig.build.json',
});
