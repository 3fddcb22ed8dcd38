/**
 * Loads the built ESM bundle (dist/index.js, from `npm run build`) in headless Chromium and checks a
 * sum, a group-by, a Lloyd step and a logistic Newton step there: no bundler, no file system, one
 * `await loadKernels()`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const CHROMIUM = '/usr/bin/chromium';
const bundle = fileURLToPath(new URL('../dist/index.js', import.meta.url));

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

let server: Server;
let browser: Browser;
let base: string;

/** Set by the test setup (scripts/test/provision.ts) when Chromium is missing and could not be installed here. */
const missing = process.env.PDASK_MISSING_CHROMIUM;
if (missing) console.warn(`SKIPPED: the headless-Chromium tests: ${missing}`);

beforeAll(async () => {
  if (missing) return;
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install chromium) to run the browser test`);
  }
  if (!existsSync(bundle)) throw new Error(`${bundle} is missing: run \`npm run build -w packages/kernels\` first`);
  server = createServer((req, res) => {
    if (req.url === '/' || req.url === '/index.html') {
      res.writeHead(200, { 'content-type': 'text/html' }).end(page);
    } else if (req.url === '/index.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' }).end(readFileSync(bundle));
    } else {
      res.writeHead(404).end();
    }
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

describe.skipIf(missing !== undefined)('@pdask/kernels in headless Chromium', () => {
  it('loads the ESM bundle with one await and computes a sum, a group-by and the ml partials', async () => {
    const p = await browser.newPage();
    const errors: string[] = [];
    p.on('pageerror', (e) => errors.push(String(e)));
    await p.goto(`${base}/`);
    await p.waitForFunction(() => (window as unknown as { result?: unknown }).result !== undefined, undefined, { timeout: 10_000 });
    const result = await p.evaluate(() => (window as unknown as { result: Record<string, unknown> }).result);
    expect(errors).toEqual([]);
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
    await p.close();
  });
});
