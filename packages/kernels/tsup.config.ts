import { defineConfig } from 'tsup';

export default defineConfig({
  // `shared` inlines the shared-memory build and registers it (`import '@pdask/kernels/shared'`);
  // the main entry carries only the ordinary build.
  entry: { index: 'src/index.ts', shared: 'src/shared.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  // Browser-safe output: no node: built-ins, no shims; ES2022 runs in Node 20 and current browsers.
  target: 'es2022',
  platform: 'neutral',
  // Only this package's sources: the base config alone would pull in every file of the repo.
  tsconfig: 'tsconfig.build.json',
  esbuildOptions(options, { format }) {
    // The loader finds generated/kernels-shared.wasm from import.meta.url in ESM and from
    // __filename in CommonJS; import.meta does not exist there (and esbuild would warn).
    if (format === 'cjs') options.define = { ...options.define, 'import.meta.url': 'undefined' };
  },
  // dist/generated/ (the .wasm files and their subpaths' declarations) is written after tsup by
  // scripts/copy-assets.mjs: the declaration build would remove a .d.ts copied here.
});
