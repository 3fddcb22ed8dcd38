/**
 * Loads the built ESM bundle (dist/index.js, from `npm run build`) in headless Chromium and checks a
 * sum, a group-by, a Lloyd step and a logistic Newton step there: no bundler, no file system, one
 * `await loadKernels()`. Then the module by URL (`loadKernels({ url })`, streaming compilation when
 * served as application/wasm), and shared memory with and without cross-origin isolation.
 */
import { existsSync, readFileSync } from 'node:fs';
import { extname, join, normalize } from 'node:path';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { missingPiece } from '../../../test/helpers/provisioned';

const CHROMIUM = '/usr/bin/chromium';
const dist = fileURLToPath(new URL('../dist/', import.meta.url));
const bundle = join(dist, 'index.js');

const page = `<!doctype html>
<meta charset="utf-8">
<script type="module">
  import { loadKernels, finalizeGroupBy } from './index.js';
  try {
    const k = await loadKernels();
    const n = 1_000_000;
    const x = new Float64Array(n);
    for (let i = 0; i < n; i++) x[i] = i;
    const keys = new Int32Array([3, 1, 3, 2, 1, 3]);
    const values = new Float64Array([1, 2, 3, 4, NaN, 6]);
    const inPlace = k.alloc(Float64Array, 4);
    inPlace.array.set([0.5, 0.25, 0.125, 0.125]);
    const g = k.groupby(keys, values, ['mean', 'count', 'max']);
    // Three rows (x, x) for x = 0, 1, 10 against centers (0, 0) and (10, 10).
    const labels = new Int32Array(3);
    const lloyd = k.lloydPartial(new Float64Array([0, 0, 1, 1, 10, 10]), new Float64Array([0, 0, 10, 10]), { features: 2, labels });
    // x = 0, 1 with labels 0, 1 and an intercept, at coefficients 0: every p is 1/2.
    const newton = k.logisticPartial(new Float64Array([0, 1]), new Uint8Array([0, 1]), new Float64Array([0, 0]), { features: 1, intercept: true });
    window.result = {
      sum: k.sum(x),
      sumInPlace: k.sum(inPlace),
      keys: Array.from(g.keys),
      mean: Array.from(finalizeGroupBy(g, 'mean')),
      count: Array.from(finalizeGroupBy(g, 'count')),
      max: Array.from(finalizeGroupBy(g, 'max')),
      factorize: (({ codes, uniques }) => ({ codes: Array.from(codes), uniques }))(k.factorize(['b', 'a', 'b'])),
      lloyd: { labels: Array.from(labels), sums: Array.from(lloyd.sums), counts: Array.from(lloyd.counts), inertia: lloyd.inertia },
      newton: { loss: newton.loss, grad: Array.from(newton.grad), hess: Array.from(newton.hess) },
    };
  } catch (e) {
    window.result = { error: String(e && e.stack || e) };
  }
</script>`;

/**
 * The module by URL, as a page that copied `@pdask/kernels/kernels.wasm` next to itself loads it:
 * served as application/wasm (streaming compilation: the page counts compileStreaming calls), as
 * application/octet-stream (fetch + arrayBuffer), and missing. Then loadKernelsSync on the main
 * thread, which the README used to say browsers refuse.
 */
const urlPage = `<!doctype html>
<meta charset="utf-8">
<script type="module">
  import { loadKernels, loadKernelsSync } from './index.js';
  const out = {};
  const err = (e) => e.name + ': ' + e.message;
  try {
    let streamed = 0;
    const compileStreaming = WebAssembly.compileStreaming;
    WebAssembly.compileStreaming = (r) => (streamed++, compileStreaming.call(WebAssembly, r));
    const n = 100_000;
    const x = new Float64Array(n);
    for (let i = 0; i < n; i++) x[i] = i + 0.5;
    const k = await loadKernels({ url: '/kernels.wasm' });
    out.sum = k.sum(x);
    out.streamed = streamed;
    const k2 = await loadKernels({ url: new URL('/kernels-octet.wasm', location.href) });
    out.sumOctet = k2.sum(x);
    out.streamedAfterOctet = streamed;
    out.missing = await loadKernels({ url: '/missing.wasm' }).then(() => 'loaded', err);
    try {
      out.syncMainThread = { sum: loadKernelsSync().sum(x) };
    } catch (e) {
      out.syncMainThread = { error: err(e) };
    }
  } catch (e) {
    out.error = String(e && e.stack || e);
  }
  window.result = out;
</script>`;

/**
 * Shared memory, served plainly (not cross-origin isolated) and under /coi/ (COOP/COEP headers).
 * `loadKernels({ memory })` fetches generated/kernels-shared.wasm next to index.js; loadKernelsSync
 * with a shared memory needs `import '@pdask/kernels/shared'` (here ./shared.js) first.
 */
const sharedPage = `<!doctype html>
<meta charset="utf-8">
<script type="module">
  import { createSharedMemory, loadKernels, loadKernelsSync, sharedMemoryId } from './index.js';
  const err = (e) => e.name + ': ' + e.message;
  const out = { isolated: crossOriginIsolated, sharedArrayBuffer: typeof SharedArrayBuffer };
  try {
    const memory = createSharedMemory({ initialBytes: 2 ** 20, maximumBytes: 2 ** 26 });
    out.created = true;
    const k = await loadKernels({ memory });
    const a = k.alloc(Float64Array, 1000);
    for (let i = 0; i < 1000; i++) a.array[i] = i;
    out.shared = k.shared;
    out.sum = k.sum(a);
    try {
      loadKernelsSync({ memory });
      out.syncBeforeImport = 'loaded';
    } catch (e) {
      out.syncBeforeImport = err(e);
    }
    await import('./shared.js');
    const k2 = loadKernelsSync({ memory });
    out.other = { owns: k2.owns(a.array), sum: k2.sum(a.array), sameId: sharedMemoryId(k2.memory) === sharedMemoryId(memory) };
  } catch (e) {
    out.created ??= false;
    out.error = err(e);
  }
  // A shared memory made directly, as code written for Node would.
  try {
    const raw = new WebAssembly.Memory({ initial: 17, maximum: 1024, shared: true });
    out.raw = { buffer: Object.prototype.toString.call(raw.buffer) };
    out.raw.load = await loadKernels({ memory: raw }).then((k) => 'loaded, shared ' + k.shared, err);
  } catch (e) {
    out.raw = { error: err(e) };
  }
  window.result = out;
</script>`;

/** What the pages compute, by path (under /coi/ too, with COOP/COEP headers). */
const pages: Record<string, string> = { '/index.html': page, '/url.html': urlPage, '/shared.html': sharedPage };
const requests: string[] = [];

let server: Server;
let browser: Browser;
let base: string;

/** Why Chromium is missing here (the test setup, scripts/test/provision.ts, may still be installing it: this waits). */
const missing = await missingPiece('chromium');
if (missing) console.warn(`SKIPPED: the headless-Chromium tests: ${missing}`);

beforeAll(async () => {
  if (missing) return;
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install chromium) to run the browser test`);
  }
  if (!existsSync(bundle)) throw new Error(`${bundle} is missing: run \`npm run build -w packages/kernels\` first`);
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push(url.pathname);
    // Under /coi/ every response carries the headers that make the page cross-origin isolated.
    const isolated = url.pathname.startsWith('/coi/');
    const path = isolated ? url.pathname.slice(4) : url.pathname;
    const headers: Record<string, string> = isolated ? { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' } : {};
    const html = pages[path === '/' ? '/index.html' : path];
    if (html !== undefined) return void res.writeHead(200, { ...headers, 'content-type': 'text/html' }).end(html);
    // The binary as a user would copy it next to the page; and once with a generic MIME type.
    const wasm = { '/kernels.wasm': 'application/wasm', '/kernels-octet.wasm': 'application/octet-stream' }[path];
    if (wasm) return void res.writeHead(200, { ...headers, 'content-type': wasm }).end(readFileSync(join(dist, 'generated/kernels.wasm')));
    const file = normalize(join(dist, path));
    const type = { '.js': 'text/javascript', '.wasm': 'application/wasm' }[extname(file)];
    if (file.startsWith(dist) && type && existsSync(file)) return void res.writeHead(200, { ...headers, 'content-type': type }).end(readFileSync(file));
    res.writeHead(404, headers).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // playwright gives the browser a fresh temporary profile of its own.
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
});

afterAll(async () => {
  await browser?.close();
  await new Promise((r) => server?.close(r));
});

/** Opens `path`, waits for the page's `window.result`, and checks that nothing else went wrong. */
async function resultOf(path: string): Promise<Record<string, unknown>> {
  const p = await browser.newPage();
  const errors: string[] = [];
  p.on('pageerror', (e) => errors.push(String(e)));
  try {
    await p.goto(`${base}${path}`);
    await p.waitForFunction(() => (window as unknown as { result?: unknown }).result !== undefined, undefined, { timeout: 10_000 });
    const result = await p.evaluate(() => (window as unknown as { result: Record<string, unknown> }).result);
    expect(errors).toEqual([]);
    return result;
  } finally {
    await p.close();
  }
}

const HEADERS = /Cross-Origin-Opener-Policy: same-origin.*Cross-Origin-Embedder-Policy: require-corp/;

describe.skipIf(missing !== undefined)('@pdask/kernels in headless Chromium', () => {
  it('loads the ESM bundle with one await and computes a sum, a group-by and the ml partials', async () => {
    const result = await resultOf('/');
    expect(result.error).toBeUndefined();
    expect(result.sum).toBe((1_000_000 * 999_999) / 2);
    expect(result.sumInPlace).toBe(1);
    expect(result.keys).toEqual([1, 2, 3]);
    expect(result.mean).toEqual([2, 4, 10 / 3]);
    expect(result.count).toEqual([1, 1, 3]);
    expect(result.max).toEqual([2, 4, 6]);
    expect(result.factorize).toEqual({ codes: [0, 1, 0], uniques: ['b', 'a'] });
    expect(result.lloyd).toEqual({ labels: [0, 0, 1], sums: [1, 1, 10, 10], counts: [2, 1], inertia: 2 });
    // loss 2 log 2; gradient Σ (1/2 - y) (x, 1) = (-1/2, 0); Hessian Σ 1/4 (x, 1)ᵀ(x, 1), upper triangle.
    const newton = result.newton as { loss: number; grad: number[]; hess: number[] };
    expect(newton.loss).toBeCloseTo(2 * Math.LN2, 14);
    expect(newton.grad).toEqual([-0.5, 0]);
    expect(newton.hess).toEqual([0.25, 0.25, 0, 0.5]);
  });

  it('loads kernels.wasm by URL (streamed when served as application/wasm) and sums with it', async () => {
    requests.length = 0;
    const result = await resultOf('/url.html');
    expect(result.error).toBeUndefined();
    // Σ (i + 1/2) for i < n is n²/2, exact in float64.
    const n = 100_000;
    expect(result.sum).toBe((n * n) / 2);
    expect(result.streamed).toBe(1);
    expect(result.sumOctet).toBe((n * n) / 2);
    expect(result.streamedAfterOctet).toBe(1); // application/octet-stream: fetch + arrayBuffer instead
    expect(result.missing).toMatch(/^KernelsLoadError: loadKernels: fetching \/missing\.wasm failed: HTTP 404/);
    expect(requests).toEqual(expect.arrayContaining(['/url.html', '/index.js', '/kernels.wasm', '/kernels-octet.wasm', '/missing.wasm']));
    // What Chromium does with a synchronous compilation of this module on a page's main thread.
    expect(result.syncMainThread).toEqual({ sum: (n * n) / 2 });
  });

  it('refuses shared memory with a clear error on a page that is not cross-origin isolated', async () => {
    const result = await resultOf('/shared.html');
    expect(result.isolated).toBe(false);
    expect(result.created).toBe(false);
    expect(result.error).toMatch(/^SharedMemoryError: createSharedMemory: shared WebAssembly memory needs a cross-origin isolated page/);
    expect(result.error).toMatch(HEADERS);
    const raw = result.raw as { buffer?: string; load?: string; error?: string };
    expect(raw.load ?? raw.error).toMatch(/^SharedMemoryError: loadKernels: shared WebAssembly memory needs a cross-origin isolated page/);
  });

  it('uses shared memory on a cross-origin isolated page (COOP/COEP headers)', async () => {
    requests.length = 0;
    const result = await resultOf('/coi/shared.html');
    expect(result.error).toBeUndefined();
    expect(result).toMatchObject({ isolated: true, sharedArrayBuffer: 'function', created: true, shared: true, sum: (999 * 1000) / 2 });
    // The shared build came from the package's file, not from the main bundle.
    expect(requests).toContain('/coi/generated/kernels-shared.wasm');
    expect(result.syncBeforeImport).toMatch(/^KernelsLoadError: loadKernelsSync: the shared-memory build is not loaded here\. Import '@pdask\/kernels\/shared'/);
    // After the import, a second instance over the same memory reads the first one's data in place.
    expect(result.other).toEqual({ owns: true, sum: (999 * 1000) / 2, sameId: true });
    expect(result.raw).toEqual({ buffer: '[object SharedArrayBuffer]', load: 'loaded, shared true' });
  });
});
