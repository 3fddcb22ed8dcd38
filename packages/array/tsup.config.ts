import { defineConfig } from 'tsup';

export default defineConfig({
  // `ops` is what worker threads import() to find the built-in operations of array tasks.
  entry: { index: 'src/index.ts', ops: 'src/ops/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
  platform: 'node',
  // Only this package's sources: the base config alone would pull in every file of the repo.
  tsconfig: 'tsconfig.build.json',
});
