/**
 * householderQR against a JS Householder QR on the same matrices (one thread, Q and R; also R alone
 * for the large block). Run with `npx tsx packages/kernels/bench/qr.ts [LINALG_TS]`: LINALG_TS, if
 * given, is a module exporting `householderQRJs(a, m, n)` or `householderQR(a, m, n)` (default:
 * @pdask/array's `src/runtime/linalg.ts` in this repository, whose `householderQRJs` is the JS version).
 */
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { loadKernelsSync } from '../src/index.js';

type QR = (a: Float64Array, m: number, n: number) => unknown;
const path = process.argv[2] ?? resolve(import.meta.dirname ?? '.', '../../array/src/runtime/linalg.ts');
const mod = (await import(pathToFileURL(path).href)) as { householderQRJs?: QR; householderQR?: QR };
const js = mod.householderQRJs ?? mod.householderQR;
if (!js) throw new Error(`${path} exports neither householderQRJs nor householderQR`);
const k = loadKernelsSync({ initialBytes: 2 ** 27 });

/** Median in ms of `reps` runs after warm-up runs. */
function time(f: () => unknown, reps: number): number {
  for (let i = 0; i < Math.min(reps, 50); i++) f();
  const ts: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t = performance.now();
    f();
    ts.push(performance.now() - t);
  }
  ts.sort((a, b) => a - b);
  return ts[reps >> 1];
}

let s = 12345;
const rand = (): number => {
  s ^= s << 13;
  s ^= s >>> 17;
  s ^= s << 5;
  return (s >>> 0) / 4294967296 - 0.5;
};

const fmt = (ms: number): string => (ms < 1 ? `${(ms * 1000).toFixed(2)} µs` : `${ms.toFixed(2)} ms`);
console.log('| m x n | JS | WebAssembly | WebAssembly, R only |\n|---|---|---|---|');
for (const [m, n] of [[2, 2], [4, 4], [10, 10], [20, 10], [400, 10], [80, 80], [250_000, 10]]) {
  const a = Float64Array.from({ length: m * n }, rand);
  const reps = m * n > 1e6 ? 9 : m * n > 1e4 ? 200 : 20_000;
  const tj = time(() => js(a, m, n), reps);
  const tw = time(() => k.householderQR(a, m, n), reps);
  const tr = time(() => k.householderQR(a, m, n, { q: false }), reps);
  console.log(`| ${m} x ${n} | ${fmt(tj)} | ${fmt(tw)} | ${fmt(tr)} |`);
}
