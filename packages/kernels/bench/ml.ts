/**
 * The machine-learning partials on one block of @pdask/ml's benchmark (250,000 rows: a Lloyd step
 * with 10 features and 8 centers, a Newton step with 20 features and an intercept), with the block
 * in kernel memory (in place), on the JS heap (streamed through the scratch area) and in a shared
 * memory. Run with `npx tsx packages/kernels/bench/ml.ts [JS_DIR]`: JS_DIR, if given, holds a
 * `kmeans.ts` and `logistic.ts` exporting the JS steps that ml used before (lloydPartial(centers,
 * k, block), newtonPartial(beta, fitIntercept, xBlock, yBlock)), timed on the same data.
 */
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { createSharedMemory, loadKernelsSync } from '../src/index.js';

const ROWS = 250_000;
const k = loadKernelsSync({ initialBytes: 2 ** 27 });
const ks = loadKernelsSync({ memory: createSharedMemory({ initialBytes: 2 ** 27 }) });

function time(f: () => unknown): number {
  for (let i = 0; i < 3; i++) f();
  const ts: number[] = [];
  for (let r = 0; r < 9; r++) {
    const t = performance.now();
    f();
    ts.push(performance.now() - t);
  }
  ts.sort((a, b) => a - b);
  return ts[4];
}

/** xorshift32 in [0, 1). */
function stream(seed: number): () => number {
  let s = seed;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

const u = stream(11);
// As benchmarks/src/workloads/ml.ts: overlapping blobs, and uniform X with 0/1 labels.
const D = 10;
const K = 8;
const blob = Float64Array.from({ length: K * D }, () => 4 * u() - 2);
const x = Float64Array.from({ length: ROWS * D }, (_, e) => blob[(Math.floor(e / D) % K) * D + (e % D)] + 4 * u() - 2);
const centers = Float64Array.from({ length: K * D }, () => 4 * u() - 2);
const P = 20;
const xl = Float64Array.from({ length: ROWS * P }, () => 2 * u() - 1);
const yl = Float64Array.from({ length: ROWS }, () => (u() < 0.5 ? 1 : 0));
const coef = Float64Array.from({ length: P + 1 }, () => 0.5 * u() - 0.25);

const kx = k.copyIn(x);
const kxl = k.copyIn(xl);
const kyl = k.copyIn(yl);
const sx = ks.copyIn(x);
const sxl = ks.copyIn(xl);
const syl = ks.copyIn(yl);

const rows: [string, string, number][] = [];
rows.push(['lloyd', 'WASM, kernel memory (in place)', time(() => k.lloydPartial(kx, centers, { features: D }))]);
rows.push(['lloyd', 'WASM, shared memory (in place)', time(() => ks.lloydPartial(sx, centers, { features: D }))]);
rows.push(['lloyd', 'WASM, JS heap (streamed)', time(() => k.lloydPartial(x, centers, { features: D }))]);
rows.push(['newton', 'WASM, kernel memory (in place)', time(() => k.logisticPartial(kxl, kyl, coef, { features: P, intercept: true }))]);
rows.push(['newton', 'WASM, shared memory (in place)', time(() => ks.logisticPartial(sxl, syl, coef, { features: P, intercept: true }))]);
rows.push(['newton', 'WASM, JS heap (streamed)', time(() => k.logisticPartial(xl, yl, coef, { features: P, intercept: true }))]);

const jsDir = process.argv[2];
if (jsDir) {
  type Block = { shape: number[]; data: Float64Array };
  const km = (await import(pathToFileURL(resolve(jsDir, 'kmeans.ts')).href)) as { lloydPartial(c: Float64Array, k: number, b: Block): unknown };
  const lg = (await import(pathToFileURL(resolve(jsDir, 'logistic.ts')).href)) as { newtonPartial(b: Float64Array, i: boolean, x: Block, y: Block): unknown };
  rows.push(['lloyd', 'JS (JS heap)', time(() => km.lloydPartial(centers, K, { shape: [ROWS, D], data: x }))]);
  rows.push(['newton', 'JS (JS heap)', time(() => lg.newtonPartial(coef, true, { shape: [ROWS, P], data: xl }, { shape: [ROWS], data: yl }))]);
}

console.log(`| step (${ROWS.toLocaleString('en')} rows) | where | median ms |`);
console.log('|---|---|---|');
for (const [step, where, ms] of rows) console.log(`| ${step} | ${where} | ${ms.toFixed(1)} |`);
