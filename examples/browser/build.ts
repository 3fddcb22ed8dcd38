/**
 * Builds the example app into examples/browser/dist (or `outdir`): esbuild bundles the page and
 * its Web Workers' script (a second entry point, named by URL in the page) for the browser.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const SRC = fileURLToPath(new URL('./src/', import.meta.url));
export const DIST = fileURLToPath(new URL('./dist/', import.meta.url));

export async function buildExample(outdir: string = DIST): Promise<string> {
  mkdirSync(outdir, { recursive: true });
  await build({
    entryPoints: { app: join(SRC, 'app.ts'), worker: join(SRC, 'worker.ts') },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    sourcemap: true,
    outdir,
    logLevel: 'error',
    tsconfigRaw: '{}',
  });
  copyFileSync(join(SRC, 'index.html'), join(outdir, 'index.html'));
  return outdir;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const out = await buildExample();
  console.log(`built the browser example into ${out}`);
}
