/**
 * Builds the test pages of test/browser/pages with the bundlers a user would: esbuild (the worker
 * as a second entry point, named by URL) and vite (the worker found from `new Worker(new URL(...))`).
 * Packages resolve through their package.json (exports, the `browser` condition of `#platform`),
 * as from npm: the repository's tsconfig paths to sources are not used.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PAGES = fileURLToPath(new URL('./pages/', import.meta.url));

/**
 * Not on the browser path yet (another part of issue 17): bag's toDataFrame imports it on demand,
 * so the pages leave that import to run time.
 */
const EXTERNAL = ['@pdask/dataframe'];

/** Which pages to build: a directory holding esbuild-page.ts, worker.ts and index.html (-> vite-page.ts). */
export interface BundleOptions {
  /** Default: PAGES (the core executor's pages). */
  pages?: string;
  /** Imports left to run time. Default: @pdask/dataframe (see EXTERNAL). */
  external?: string[];
  /** The page's entry file in `pages` for esbuild. Default: esbuild-page.ts. */
  pageEntry?: string;
}

const html = (script: string): string => `<!doctype html>\n<meta charset="utf-8">\n<title>loading</title>\n<script type="module" src="${script}"></script>\n`;

/** A directory holding index.html, page.js and worker.js, built by esbuild. */
export async function bundleWithEsbuild(opts: BundleOptions = {}): Promise<string> {
  const pages = opts.pages ?? PAGES;
  const { build } = await import('esbuild');
  const out = mkdtempSync(join(tmpdir(), 'pdask-esbuild-page-'));
  await build({
    entryPoints: { page: join(pages, opts.pageEntry ?? 'esbuild-page.ts'), worker: join(pages, 'worker.ts') },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    outdir: out,
    logLevel: 'error',
    tsconfigRaw: '{}',
    external: opts.external ?? EXTERNAL,
  });
  writeFileSync(join(out, 'index.html'), html('./page.js'));
  return out;
}

/** A directory holding vite's production build of pages/index.html. */
export async function bundleWithVite(opts: BundleOptions = {}): Promise<string> {
  const external = opts.external ?? EXTERNAL;
  const { build } = await import('vite');
  const out = mkdtempSync(join(tmpdir(), 'pdask-vite-page-'));
  await build({
    root: opts.pages ?? PAGES,
    base: './',
    configFile: false,
    logLevel: 'error',
    build: { outDir: out, emptyOutDir: true, minify: false, rollupOptions: { external } },
    worker: { format: 'es', rollupOptions: { external } },
    resolve: { tsconfigPaths: false } as Record<string, unknown>,
  });
  return out;
}

/**
 * Uses of Node built-ins left in a built page's scripts, one line each: an import or esbuild's
 * `__require` of one, or a use of vite's stand-in module for one (`__vite-browser-external`, an
 * empty module vite puts where a package imports a built-in; its own definition is not listed).
 */
export function nodeImportsIn(dir: string): string[] {
  const found: string[] = [];
  const NAMES = '(?:node:)?(?:worker_threads|fs|fs/promises|os|path|crypto|util|zlib|module|url|events|stream|child_process|net|http|https|tty|readline)';
  const NODE = new RegExp(`\\b(?:from\\s*|import\\s*\\(?\\s*|__require\\(\\s*)["']${NAMES}["']`);
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.js'));
  for (const f of files) {
    for (const line of readFileSync(join(dir, f), 'utf8').split('\n')) {
      if (/^\/\/ __vite-browser-external|^var require___vite_browser_external = /.test(line)) continue;
      if (NODE.test(line) || /vite[-_]browser[-_]external/.test(line)) found.push(`${f}: ${line.trim()}`);
    }
  }
  return found;
}
