/**
 * `npx tsx packages/kernels/bench/matmul.ts`: Kernels.matmul on n x n float64 (and float32) operands
 * on the JS heap, one thread, against the plain i-k-j JS loop @pdask/array used before. Medians of 5.
 */
import { loadKernels } from '../src/index.js';

const k = await loadKernels();
function random(n: number, seed: number): Float64Array {
  let s = seed;
  return Float64Array.from({ length: n }, () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  });
}
function jsLoop(a: Float64Array, b: Float64Array, n: number): Float64Array {
  const c = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let p = 0; p < n; p++) {
      const aip = a[i * n + p];
      for (let j = 0; j < n; j++) c[i * n + j] += aip * b[p * n + j];
    }
  }
  return c;
}
function median(fn: () => unknown, runs = 5): number {
  fn();
  const ts: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t = performance.now();
    fn();
    ts.push(performance.now() - t);
  }
  return ts.sort((x, y) => x - y)[runs >> 1];
}
const gflops = (n: number, ms: number) => ((2 * n ** 3) / ms / 1e6).toFixed(2);
console.log('| n | kernel f64 | kernel f32 operands | JS i-k-j loop |');
console.log('|---|---|---|---|');
for (const n of [64, 250, 500, 1000]) {
  const a = random(n * n, 1);
  const b = random(n * n, 2);
  const a32 = Float32Array.from(a);
  const b32 = Float32Array.from(b);
  const t64 = median(() => k.matmul(a, b, n, n, n));
  const t32 = median(() => k.matmul(a32, b32, n, n, n));
  const tjs = n <= 500 ? median(() => jsLoop(a, b, n), 3) : NaN;
  const cell = (t: number) => (Number.isNaN(t) ? '—' : `${t.toFixed(2)} ms (${gflops(n, t)} GFLOP/s)`);
  console.log(`| ${n} | ${cell(t64)} | ${cell(t32)} | ${cell(tjs)} |`);
}
