/**
 * Builds the test pages of test/browser/pages with the bundlers a user would: esbuild (the worker
 * as a second entry point, named by URL) and vite (the worker found from `new Worker(new URL(...))`).
 * Packages resolve through their package.json (exports, the `browser` condition of `#platform`),
 * as from npm: the repository's tsconfig paths to sources are not used.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PAGES = fileURLToPath(new URL('./pages/', import.meta.url));

/**
 * Not on the browser path yet (another part of issue 17): bag's toDataFrame imports it on demand,
 * so the pages leave that import to run time.
 */
const EXTERNAL = ['@pdask/dataframe'];

const html = (script: string): string => `<!doctype html>\n<meta charset="utf-8">\n<title>loading</title>\n<script type="module" src="${script}"></script>\n`;

/** A directory holding index.html, page.js and worker.js, built by esbuild. */
export async function bundleWithEsbuild(): Promise<string> {
  const { build } = await import('esbuild');
  const out = mkdtempSync(join(tmpdir(), 'pdask-esbuild-page-'));
  await build({
    entryPoints: { page: join(PAGES, 'esbuild-page.ts'), worker: join(PAGES, 'worker.ts') },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    outdir: out,
    logLevel: 'error',
    tsconfigRaw: '{}',
    external: EXTERNAL,
  });
  writeFileSync(join(out, 'index.html'), html('./page.js'));
  return out;
}

/** A directory holding vite's production build of pages/index.html. */
export async function bundleWithVite(): Promise<string> {
  const { build } = await import('vite');
  const out = mkdtempSync(join(tmpdir(), 'pdask-vite-page-'));
  await build({
    root: PAGES,
    base: './',
    configFile: false,
    logLevel: 'error',
    build: { outDir: out, emptyOutDir: true, minify: false, rollupOptions: { external: EXTERNAL } },
    worker: { format: 'es', rollupOptions: { external: EXTERNAL } },
    resolve: { tsconfigPaths: false } as Record<string, unknown>,
  });
  return out;
}
