/**
 * PCA's randomized solver (decomposition/randomized.ts) against `da.linalg.svdCompressed` of the
 * centred array with the same seed, power iterations and oversampling: the two are the same
 * algorithm in exact arithmetic (the same Gaussian sketch, the same subspaces), so their singular
 * values agree to round-off, on both of its routes (the Gram when features are few, one pass per
 * iteration otherwise), on odd row blocks (size 1, empty, uneven) and int32 input.
 */
import { describe, expect, it } from 'vitest';
import * as da from '@pdask/array';
import { PCA } from '../src/index';
import { closePoolsAfterAll, expectClose, SCHEDULERS } from './helpers';

closePoolsAfterAll();

/** n x d values with a decaying spectrum (column j scaled by 1 / (1 + j)) and non-zero means. */
function values(n: number, d: number, seed: number): Float64Array {
  let s = seed;
  const u = () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
  const x = new Float64Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) x[i * d + j] = 3 + (u() - 0.5) / (1 + j) + (j % 3) * u();
  return x;
}

async function reference(x: Float64Array, n: number, d: number, k: number, nPowerIter: number, nOversamples: number, seed: number) {
  const a = da.fromArray(x, { shape: [n, d], chunks: [n, d] });
  const mean = (await da.mean(a, { axis: 0 }).compute({ scheduler: 'sync' })) as da.NDArray;
  const centred = da.subtract(a, mean);
  const [, s, vt] = da.linalg.svdCompressed(centred, k, { nPowerIter, nOversamples, seed, coerceSigns: false });
  const [sv, v] = (await Promise.all([s.compute({ scheduler: 'sync' }), vt.compute({ scheduler: 'sync' })])) as [da.NDArray, da.NDArray];
  return { s: Array.from(sv.data as Float64Array), vt: Array.from(v.data as Float64Array), mean: Array.from(mean.data as Float64Array) };
}

/** |cosine| between row i of two k x d matrices: 1 when a component agrees up to sign. */
function alignment(a: ArrayLike<number>, b: ArrayLike<number>, k: number, d: number): number[] {
  return Array.from({ length: k }, (_, i) => {
    let ab = 0;
    let aa = 0;
    let bb = 0;
    for (let j = 0; j < d; j++) {
      ab += a[i * d + j] * b[i * d + j];
      aa += a[i * d + j] ** 2;
      bb += b[i * d + j] ** 2;
    }
    return Math.abs(ab) / Math.sqrt(aa * bb);
  });
}

const CASES = [
  // d <= 2 l power: the Gram route.
  { name: 'Gram route, size-1 and empty blocks', n: 90, d: 12, k: 3, power: 2, over: 4, rows: [1, 0, 40, 1, 48] },
  // d > 2 l power: one pass per iteration.
  { name: 'pass per iteration, uneven blocks', n: 120, d: 50, k: 2, power: 1, over: 3, rows: [7, 0, 60, 53] },
  { name: 'no power iterations', n: 64, d: 30, k: 4, power: 0, over: 6, rows: [32, 32] },
] as const;

describe.each(SCHEDULERS)('randomized PCA on $scheduler', (opts) => {
  it.each(CASES)("$name: svdCompressed's singular values and components", async ({ n, d, k, power, over, rows }) => {
    const x = values(n, d, 5);
    const ref = await reference(x, n, d, k, power, over, 11);
    const m = await new PCA({ nComponents: k, svdSolver: 'randomized', iteratedPower: power, nOversamples: over, seed: 11 }).fit(
      da.fromArray(x, { shape: [n, d], chunks: [[...rows], [d]] }),
      opts,
    );
    expectClose(m.mean, ref.mean, 1e-13, 'mean');
    expectClose(m.singularValues, ref.s.slice(0, k), 1e-10, 'singular values');
    for (const c of alignment(Array.from(m.components.data as Float64Array), ref.vt, k, d)) expect(c).toBeCloseTo(1, 9);
    // The total variance: explained / ratio is the sum of the column variances (ddof 1).
    let total = 0;
    for (let j = 0; j < d; j++) {
      let ss = 0;
      for (let i = 0; i < n; i++) ss += (x[i * d + j] - ref.mean[j]) ** 2;
      total += ss / (n - 1);
    }
    expectClose(Array.from(m.explainedVariance, (v, i) => v / m.explainedVarianceRatio[i]), new Array(k).fill(total), 1e-12, 'total variance');
  });

  it('int32 input gives the float64 result', async () => {
    const n = 50;
    const d = 8;
    const x = Int32Array.from(values(n, d, 9), (v) => Math.round(100 * v));
    const opts2 = { nComponents: 3, svdSolver: 'randomized', iteratedPower: 3, seed: 2 } as const;
    const a = await new PCA(opts2).fit(da.fromArray(x, { shape: [n, d], chunks: [[1, 24, 0, 25], [d]] }), opts);
    const b = await new PCA(opts2).fit(da.fromArray(Float64Array.from(x), { shape: [n, d], chunks: [[1, 24, 0, 25], [d]] }), opts);
    expectClose(a.singularValues, b.singularValues, 1e-14, 'singular values');
    expectClose(Array.from(a.components.data as Float64Array), Array.from(b.components.data as Float64Array), 1e-14, 'components');
  });
});
