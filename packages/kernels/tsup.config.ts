import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  // Browser-safe output: no node: built-ins, no shims; ES2022 runs in Node 20 and current browsers.
  target: 'es2022',
  platform: 'neutral',
  // Only this package's sources: the base config alone would pull in every file of the repo.
  tsconfig: 'tsconfig.build.json',
});
