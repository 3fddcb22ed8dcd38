/**
 * @pdask/dataframe and @pdask/ml in headless Chromium, bundled by esbuild from the built packages
 * (dist, as an application bundles them): the seed tutorial's dataframe example on the sync
 * scheduler with the answer Node gives, readParquet from a Blob (the pandas fixture's group-by)
 * and from a URL by Range requests (bytes counted by the loopback server), readCsv from a URL, a
 * path reader refused with NodeOnlyError, visualize() as SVG in the page, and the DOM progress bar.
 *
 * The bundle must import no Node built-in from dataframe, ml, kernels, or core's visualize and
 * progress modules. Core and array still import some (node:os, node:crypto, worker_threads...):
 * making them browser-clean is another helper's part of issue #17, so until that lands those
 * imports (and only those importers) are replaced by small shims in the bundle, listed by the test.
 */
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as dd from '@pdask/dataframe';
import { loadKernels } from '@pdask/kernels';
import { StandardScaler } from '@pdask/ml';
import { startServer, type LoopbackServer } from './browser-page';
import { fixture } from './helpers';

const CHROMIUM = '/usr/bin/chromium';
const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..', '..');

/**
 * The seed's dataframe example (examples/seed/03-dataframe.ts) as one function run both here and in
 * the page (its source text is put into the page's bundle).
 */
async function seedExample(ddm: typeof dd, load: typeof loadKernels, opts: { scheduler: 'sync'; progress?: unknown }) {
  function seedState(seed: number): Int32Array {
    const state = new Int32Array(32);
    let s = seed >>> 0;
    for (let i = 0; i < state.length; i++) {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      state[i] = (z ^ (z >>> 16)) | 1;
    }
    return state;
  }
  const n = 10000;
  const k = await load();
  const state = seedState(2026);
  const u = new Float64Array(n);
  k.fillUniform(state, u, { lo: 0, span: 10 });
  const x = Int32Array.from(u, Math.floor);
  const y = new Float64Array(n);
  k.fillUniform(state, y);
  const ddf = ddm.fromColumns({ x, y }, { npartitions: 4 });
  const result = ddf.groupby('x').col('y').mean();
  const s = await result.compute(opts as never);
  return { ddf, result, text: String(s), index: Array.from({ length: s.length }, (_, i) => s.index?.at(i)), values: Array.from({ length: s.length }, (_, i) => s.at(i)) };
}

async function mlExample(ddf: dd.DataFrame, Scaler: typeof StandardScaler): Promise<number[]> {
  const sc = await new Scaler().fit(ddf, { scheduler: 'sync' });
  return Array.from(sc.mean);
}

const pageScript = `
import * as dd from '@pdask/dataframe';
import { StandardScaler } from '@pdask/ml';
import { loadKernels } from '@pdask/kernels';
import { domProgress } from '@pdask/core';
const seedExample = ${seedExample.toString()};
const mlExample = ${mlExample.toString()};
const out = {};
const err = (e) => ({ name: e && e.name, message: String(e && e.message) });
try {
  const updates = [];
  const el = document.getElementById('progress');
  const ex = await seedExample(dd, loadKernels, { scheduler: 'sync', progress: domProgress(el, { minIntervalMs: 0, onUpdate: (u) => updates.push(u) }) });
  out.seed = { text: ex.text, index: ex.index, values: ex.values };
  out.progress = {
    html: el.innerHTML,
    value: el.querySelector('progress').getAttribute('value'),
    max: el.querySelector('progress').getAttribute('max'),
    text: el.querySelector('.pdask-progress-text').textContent,
    updates: updates.length,
    finished: updates.filter((u) => u.finished).length,
    monotone: updates.every((u, i) => i === 0 || u.done >= updates[i - 1].done),
  };
  out.ml = await mlExample(ex.ddf, StandardScaler);
  const svg = await ex.result.visualize();
  document.getElementById('graph').innerHTML = svg;
  out.svg = { head: svg.slice(0, 200), nodes: document.querySelectorAll('#graph svg g.node').length, hasSvg: !!document.querySelector('#graph svg') };
  const blob = await (await fetch('/fx.parquet')).blob();
  const fx = await dd.readParquet(blob);
  const g = await fx.groupby('x').col('y').sum().compute({ scheduler: 'sync' });
  out.blob = { index: Array.from({ length: g.length }, (_, i) => g.index.at(i)), values: Array.from({ length: g.length }, (_, i) => g.at(i)), n: (await fx.compute({ scheduler: 'sync' })).numRows };
  const big = await dd.readParquet(location.origin + '/big.parquet', { columns: ['b'], filters: [['id', '<', 1000]] });
  const b = await big.compute({ scheduler: 'sync' });
  out.url = { n: b.numRows, first: b.col('b').at(0), last: b.col('b').at(b.numRows - 1), columns: b.columns };
  const csv = await dd.readCsv(location.origin + '/data.csv', { blocksize: 500 });
  const c = await csv.compute({ scheduler: 'sync' });
  out.csv = { npartitions: csv.npartitions, n: c.numRows, sum: Array.from({ length: c.numRows }, (_, i) => c.col('v').at(i)).reduce((a, v) => a + v, 0) };
  out.nodeOnly = await dd.readParquet('/data/x.parquet').then(() => 'read', err);
  out.toCsv = await ex.ddf.toCsv('/tmp/out-*.csv').then(() => 'written', err);
  out.bufferGlobal = typeof globalThis.Buffer;
} catch (e) {
  out.error = String(e && e.stack || e);
}
window.result = out;
`;

const html = '<!doctype html><meta charset="utf-8"><div id="progress"></div><div id="graph"></div><script type="module" src="/app.js"></script>';

/** Importers whose Node built-ins are another helper's part of #17 (core's and array's, and their npm dependencies'). */
const SHIMMED_OWNERS = [/^packages\/core\/dist\//, /^packages\/array\/dist\//, /^node_modules\/(cli-progress|fdir|@zarrita)\//];
const NODE = /^(node:.*|fs|fs\/promises|path|os|crypto|util|url|module|worker_threads|zlib|events|readline|tty|stream|child_process|net|http|https)$/;

const SHIMS: Record<string, string> = {
  os: 'export const availableParallelism = () => navigator.hardwareConcurrency || 1; export const freemem = () => 2 ** 32; export const totalmem = () => 2 ** 33; export const tmpdir = () => "/tmp"; export default { availableParallelism, freemem, totalmem, tmpdir };',
  util: 'export const inspect = Object.assign(() => "", { custom: Symbol.for("nodejs.util.inspect.custom") }); export default { inspect };',
  events: 'class EventEmitter { on() { return this; } once() { return this; } emit() { return false; } removeListener() { return this; } off() { return this; } } module.exports = EventEmitter; module.exports.EventEmitter = EventEmitter;',
  // A 128-bit non-cryptographic hash (keys need only be deterministic and distinct here).
  crypto: `export const randomUUID = () => globalThis.crypto.randomUUID();
export function createHash() {
  let h1 = 1779033703, h2 = 3144134277, h3 = 1013904242, h4 = 2773480762;
  const enc = new TextEncoder();
  const feed = (bytes) => { for (let i = 0; i < bytes.length; i++) { const k = bytes[i];
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067); h2 = h3 ^ Math.imul(h2 ^ k, 2869860233); h3 = h4 ^ Math.imul(h3 ^ k, 951274213); h4 = h1 ^ Math.imul(h4 ^ k, 2716044179); } };
  const api = { update(x) { feed(typeof x === 'string' ? enc.encode(x) : new Uint8Array(x.buffer ?? x, x.byteOffset ?? 0, x.byteLength)); return api; },
    digest() { const f = (v) => (v >>> 0).toString(16).padStart(8, '0'); return f(h1) + f(h2) + f(h3) + f(h4); } };
  return api;
}
export default { createHash, randomUUID };`,
};
const THROWING = 'module.exports = new Proxy({}, { get: (_, k) => k === "__esModule" ? false : function () { throw new Error("a Node built-in was called in the page"); } });';

interface Bundled {
  code: string;
  violations: string[];
  shimmed: string[];
}

async function bundle(): Promise<Bundled> {
  const violations: string[] = [];
  const shimmed = new Set<string>();
  const plugin: Plugin = {
    name: 'node-builtins',
    setup(b) {
      b.onResolve({ filter: NODE }, async (args) => {
        if ((args.pluginData as { inner?: boolean } | undefined)?.inner) return undefined;
        // As esbuild alone resolves it: a package's "browser" field (iconv-lite maps 'stream' to
        // nothing), or an npm package of that name. Only what fails there is a Node built-in.
        if (!args.path.startsWith('node:')) {
          const r = await b.resolve(args.path, { importer: args.importer, resolveDir: args.resolveDir, kind: args.kind, pluginData: { inner: true } });
          // A "browser": { name: false } mapping comes back as a bare path: an empty module, as esbuild makes it.
          if (r.errors.length === 0) return isAbsolute(r.path) ? r : { path: args.path, namespace: 'empty' };
        }
        const from = relative(root, args.importer).split('\\').join('/');
        if (!SHIMMED_OWNERS.some((r) => r.test(from))) {
          violations.push(`${from} imports ${args.path}`);
          return { path: args.path, namespace: 'violation' };
        }
        shimmed.add(`${from} -> ${args.path}`);
        return { path: args.path.replace(/^node:/, '').split('/')[0], namespace: 'shim' };
      });
      b.onLoad({ filter: /.*/, namespace: 'shim' }, (args) => ({ contents: SHIMS[args.path] ?? THROWING, loader: 'js' }));
      b.onLoad({ filter: /.*/, namespace: 'empty' }, () => ({ contents: 'module.exports = {};', loader: 'js' }));
      b.onLoad({ filter: /.*/, namespace: 'violation' }, () => ({ contents: THROWING, loader: 'js' }));
    },
  };
  const r = await build({
    stdin: { contents: pageScript, resolveDir: here, loader: 'js', sourcefile: 'page.js' },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'chrome120',
    write: false,
    logLevel: 'silent',
    // The built packages, as an application resolves them (not the repo's tsconfig paths to sources).
    tsconfigRaw: '{}',
    // Core's config reads process.env (another helper's part of #17): a module-scoped stand-in, not a global.
    banner: { js: 'var process = { env: {} };' },
    plugins: [plugin],
  });
  return { code: r.outputFiles[0].text, violations, shimmed: [...shimmed].sort() };
}

/** The "browser" field of the package a file belongs to. */
function browserField(file: string): Record<string, unknown> {
  for (let d = dirname(file); d !== dirname(d); d = dirname(d)) {
    try {
      const b = (JSON.parse(readFileSync(join(d, 'package.json'), 'utf8')) as { browser?: unknown }).browser;
      return typeof b === 'object' && b !== null ? (b as Record<string, unknown>) : {};
    } catch {
      // No package.json here: look further up.
    }
  }
  return {};
}

/** The same page bundled by vite (rolldown), with the same classification of Node built-ins. */
async function bundleVite(): Promise<Bundled> {
  const { build: viteBuild } = await import('vite');
  const violations: string[] = [];
  const shimmed = new Set<string>();
  const PAGE = '\0pdask-page';
  const out = await viteBuild({
    configFile: false,
    root: here,
    logLevel: 'silent',
    // Core's config reads process.env (another helper's part of #17).
    define: { 'process.env': '{}' },
    plugins: [
      {
        name: 'page-and-node-builtins',
        enforce: 'pre',
        async resolveId(id, importer, o) {
          if (id === 'virtual:page') return PAGE;
          if (!NODE.test(id) || !importer) return null;
          if (!id.startsWith('node:')) {
            // The importing package maps it to nothing ("browser": { stream: false }, as iconv-lite does).
            if (browserField(importer)[id] === false) return '\0empty';
            const r = await this.resolve(id, importer, { ...o, skipSelf: true });
            if (r && !r.id.includes('__vite-browser-external')) return r;
          }
          const from = relative(root, importer).split('\\').join('/');
          if (!SHIMMED_OWNERS.some((re) => re.test(from))) {
            violations.push(`${from} imports ${id}`);
            return '\0violation';
          }
          shimmed.add(`${from} -> ${id}`);
          return `\0shim:${id.replace(/^node:/, '').split('/')[0]}`;
        },
        load(id) {
          if (id === PAGE) return pageScript;
          if (id === '\0violation') return THROWING;
          if (id === '\0empty') return 'export default {};';
          if (id.startsWith('\0shim:')) return SHIMS[id.slice(6)] ?? THROWING;
          return null;
        },
      },
    ],
    build: { write: false, minify: false, target: 'chrome120', modulePreload: false, rollupOptions: { input: 'virtual:page', output: { format: 'es', codeSplitting: false } as never } },
  });
  const outputs = (Array.isArray(out) ? out : [out]) as { output: { type: string; code?: string; fileName: string }[] }[];
  const chunks = outputs.flatMap((o) => o.output).filter((c) => c.type === 'chunk');
  if (chunks.length !== 1) throw new Error(`vite made ${chunks.length} chunks: ${chunks.map((c) => c.fileName).join(', ')}`);
  return { code: chunks[0].code!, violations, shimmed: [...shimmed].sort() };
}

let server: LoopbackServer;
let browser: Browser;
let bundled: Bundled;
let viteBundled: Bundled;
let bigBytes: Uint8Array<ArrayBuffer>;
const N = 60000;

beforeAll(async () => {
  if (!readFileSync(join(root, 'packages/dataframe/dist/index.js'), 'utf8').includes('readCsvRemote')) throw new Error('packages/dataframe/dist is older than the sources: run npm run build first');
  bundled = await bundle();
  viteBundled = await bundleVite();
  const id = Int32Array.from({ length: N }, (_, i) => i);
  const b = Float64Array.from({ length: N }, (_, i) => Math.cos(i * 0.3) * 1e6 + i);
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const dir = mkdtempSync(join(tmpdir(), 'pdask-browser-df-'));
  try {
    await dd.fromColumns({ id, b }, { npartitions: 1 }).toParquet(join(dir, 'big'), { scheduler: 'sync', rowGroupSize: 1000, compression: null });
    await dd.fromColumns(fixture.data, { npartitions: 1 }).toParquet(join(dir, 'fx'), { scheduler: 'sync', rowGroupSize: 100 });
    bigBytes = new Uint8Array(readFileSync(join(dir, 'big', 'part.0.parquet')));
    const csv = ['k,v', ...Array.from({ length: 200 }, (_, i) => `${i % 5},${i}`)].join('\n') + '\n';
    server = await startServer({
      '/': { body: html, type: 'text/html' },
      '/app.js': { body: bundled.code, type: 'text/javascript' },
      '/vite.html': { body: html.replace('/app.js', '/app-vite.js'), type: 'text/html' },
      '/app-vite.js': { body: viteBundled.code, type: 'text/javascript' },
      '/big.parquet': { body: bigBytes },
      '/fx.parquet': { body: new Uint8Array(readFileSync(join(dir, 'fx', 'part.0.parquet'))) },
      '/data.csv': { body: csv, type: 'text/csv' },
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

interface PageResult {
  error?: string;
  seed: { text: string; index: number[]; values: number[] };
  progress: { value: string; max: string; text: string; updates: number; finished: number; monotone: boolean };
  ml: number[];
  svg: { head: string; nodes: number; hasSvg: boolean };
  blob: { index: number[]; values: number[]; n: number };
  url: { n: number; first: number; last: number; columns: string[] };
  csv: { npartitions: number; n: number; sum: number };
  nodeOnly: { name: string; message: string };
  toCsv: { name: string; message: string };
  bufferGlobal: string;
}

describe.each([
  ['esbuild', '/', () => bundled],
  ['vite', '/vite.html', () => viteBundled],
] as const)('dataframe and ml in a page bundled by %s (sync scheduler)', (_bundler, pagePath, bundledOf) => {
  let result: PageResult;
  beforeAll(async () => {
    const page = await browser.newPage();
    const logs: string[] = [];
    page.on('console', (m) => logs.push(m.text()));
    page.on('pageerror', (e) => logs.push(String(e)));
    server.log.length = 0;
    await page.goto(`${server.url}${pagePath}`);
    try {
      await page.waitForFunction(() => (window as { result?: unknown }).result !== undefined, undefined, { timeout: 60_000 });
    } catch (e) {
      throw new Error(`the page did not finish: ${(e as Error).message}\n${logs.join('\n')}`);
    }
    result = (await page.evaluate(() => (window as unknown as { result: PageResult }).result)) as PageResult;
    await page.close();
    if (result.error) throw new Error(`${result.error}\n${logs.join('\n')}`);
  }, 90_000);

  it('the bundle imports no Node built-in from dataframe, ml, kernels or core visualize/progress', () => {
    expect(bundledOf().violations).toEqual([]);
    // Which core/array imports are still shimmed (another helper's part of #17).
    expect(bundledOf().shimmed.every((s) => SHIMMED_OWNERS.some((r) => r.test(s)))).toBe(true);
  });

  it("the seed's dataframe example gives the answer Node gives", async () => {
    const node = await seedExample(dd, loadKernels, { scheduler: 'sync' });
    expect(result.seed.index).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(result.seed.index).toEqual(node.index);
    expect(result.seed.values).toEqual(node.values);
    expect(result.seed.text).toBe(node.text);
    // @pdask/ml in the page: StandardScaler's column means, as in Node.
    expect(result.ml).toEqual(await mlExample(node.ddf, StandardScaler));
  });

  it('the DOM progress bar ends full, with one finishing update', () => {
    expect(result.progress.value).toBe(result.progress.max);
    expect(Number(result.progress.max)).toBeGreaterThan(4);
    expect(result.progress.text).toMatch(new RegExp(`^${result.progress.max} / ${result.progress.max} tasks \\(100%\\) \\| [0-9.]+s \\| done$`));
    expect(result.progress.finished).toBe(1);
    expect(result.progress.monotone).toBe(true);
    expect(result.progress.updates).toBeGreaterThan(2);
  });

  it('visualize() returns SVG that renders in the page', () => {
    expect(result.svg.head).toMatch(/<svg|<\?xml/);
    expect(result.svg.hasSvg).toBe(true);
    expect(result.svg.nodes).toBeGreaterThan(4);
  });

  it("readParquet from a Blob: the pandas fixture's group-by", () => {
    expect(result.blob.n).toBe(fixture.data.x.length);
    const p = fixture.groupby_x_y.sum;
    expect(result.blob.index).toEqual(p.index);
    result.blob.values.forEach((v, i) => expect(v).toBeCloseTo(p.values[i] as number, 9));
  });

  it('readParquet from a URL fetches the footer and one column of one row group by Range requests', () => {
    expect(result.url.columns).toEqual(['b']);
    expect(result.url.n).toBe(1000);
    expect(result.url.first).toBe(Math.cos(0) * 1e6);
    expect(result.url.last).toBe(Math.cos(999 * 0.3) * 1e6 + 999);
    const reqs = server.log.filter((r) => r.path === '/big.parquet');
    expect(reqs.length).toBeGreaterThan(1);
    for (const r of reqs) expect(r.status).toBe(206);
    const bytes = reqs.reduce((s, r) => s + r.bytes, 0);
    // The footer (a 64 KiB tail) and one 8000-byte chunk of column b, of a 720 kB file.
    expect(bigBytes.length).toBeGreaterThan(700_000);
    expect(bytes).toBeLessThan(100_000);
  });

  it('readCsv from a URL in blocks', () => {
    expect(result.csv.npartitions).toBeGreaterThan(2);
    expect(result.csv.n).toBe(200);
    expect(result.csv.sum).toBe((199 * 200) / 2);
  });

  it('path readers and writers are refused with NodeOnlyError; no global Buffer was installed', () => {
    expect(result.nodeOnly.name).toBe('NodeOnlyError');
    expect(result.nodeOnly.message).toMatch(/runs only in Node; in a browser, readParquet and readCsv take a File, Blob, Response or http\(s\) URL/);
    expect(result.toCsv.name).toBe('NodeOnlyError');
    expect(result.bufferGlobal).toBe('undefined');
  });
});

