/**
 * PCA's randomized SVD (Halko, Martinsson & Tropp 2011, as `svdCompressed` and scikit-learn's
 * randomized_svd) planned for tall X with few features, in passes that each read X once:
 *
 * - the column means (one pass, or with the Gram below);
 * - the power iterations V ← orth(Cᵀ C V), C the centred X, orthonormalised on the calling thread
 *   (a QR of d x l). In exact arithmetic the basis spans what `svdCompressed`'s alternating TSQRs
 *   of C V and Cᵀ Q span, without a TSQR of the tall m x l sample per iteration nor a transposed
 *   copy of X. Cᵀ C V is either one pass per iteration whose blocks return Cᵢᵀ (Cᵢ V) (d x l), or,
 *   when that costs more (d <= 2 l iterations: few features), one pass for the means and the Gram
 *   Cᵀ C (d x d) together, and the iterations on it. Both round Cᵀ C V to about eps ‖C‖² ‖V‖;
 * - the range step: on the Gram route, W = Qᵀ C from G, V and the eigendecomposition of Vᵀ G V
 *   alone, so X is read once in all (rangeFromGram); otherwise Q R = C V by TSQR and W = Qᵀ C,
 *   merged up a tree (randomized-runtime.ts), and the sum of squares of C (the total variance)
 *   with it.
 *
 * The centring is done a tile of rows at a time inside each pass: no centred copy of X is made.
 */
import { fromArray, linalg, random, type ChunkedArray, type NDArray } from '@pdask/array';
import type { ComputeOptions } from '@pdask/core';
import { runBlockReduce } from '../graph/block-reduce';
import { pcaOps } from '../ops/index';
import { kernelsFor } from '../runtime/kernels';
import type { ColumnSums, GramPart, RangePart } from './randomized-runtime';
import { toFloat64 } from '../eager';

export interface RandomizedPlan {
  readonly k: number;
  readonly power: number;
  readonly oversamples: number;
  readonly seed: number;
}

export interface RandomizedResult {
  readonly mean: Float64Array;
  /** The l leading singular values of C (l >= k). */
  readonly s: Float64Array;
  /** l x d, row-major. */
  readonly vt: Float64Array;
  /** Sum of the column variances (ddof 1). */
  readonly totalVar: number;
}

/** svdCompressed's floor on the sample's width. */
const MIN_SUBSPACE = 20;

/** The orthonormal Q of a small m x n matrix (Householder, n <= m). */
function orth(a: Float64Array, m: number, n: number): Float64Array {
  return kernelsFor(undefined).householderQR(a, m, n).q!;
}

const trace = (a: Float64Array, d: number): number => {
  let t = 0;
  for (let j = 0; j < d; j++) t += a[j * d + j];
  return t;
};

/**
 * The range step from the Gram G = Cᵀ C alone, with no pass over X: for Y = C V, YᵀY = Vᵀ G V =
 * E Λ Eᵀ, so Q = Y E Λ^(-1/2) is an orthonormal basis of Y's range and W = Qᵀ C = Λ^(-1/2) Eᵀ
 * (G V)ᵀ. That is the W of the TSQR route up to a rotation of its rows, so its SVD is the same in
 * exact arithmetic. Directions of Y with λ below round-off of the Gram (X of lower rank than the
 * sketch) get a zero row, i.e. a zero singular value, as TSQR's R would give them.
 */
async function rangeFromGram(gram: Float64Array, v: Float64Array, d: number, l: number): Promise<{ s: Float64Array; vt: Float64Array }> {
  const kern = kernelsFor(undefined);
  const gv = kern.matmul(gram, v, d, d, l);
  const m = kern.matmul(v, gv, l, d, l, { transposeA: true });
  // M is symmetric positive semi-definite: its SVD is its eigendecomposition.
  const [, lam, et] = linalg.svd(fromArray(m, { shape: [l, l], chunks: [l, l] }), { coerceSigns: false });
  const [lv, ev] = await Promise.all([lam.compute({ scheduler: 'sync' }), et.compute({ scheduler: 'sync' })]);
  const lambda = toFloat64(lv as NDArray);
  const e = toFloat64(ev as NDArray);
  const floor = (lambda[0] ?? 0) * d * 2 ** -52;
  const w = kern.matmul(e, gv, l, l, d, { transposeB: true });
  for (let i = 0; i < l; i++) {
    const f = lambda[i] > floor ? 1 / Math.sqrt(lambda[i]) : 0;
    for (let j = 0; j < d; j++) w[i * d + j] *= f;
  }
  const [, s, vt] = linalg.svd(fromArray(w, { shape: [l, d], chunks: [l, d] }), { coerceSigns: false });
  const [sv, vv] = await Promise.all([s.compute({ scheduler: 'sync' }), vt.compute({ scheduler: 'sync' })]);
  return { s: toFloat64(sv as NDArray), vt: toFloat64(vv as NDArray) };
}

export async function randomizedPca(x: ChunkedArray<unknown>, plan: RandomizedPlan, opts: ComputeOptions): Promise<RandomizedResult> {
  const [n, d] = x.shape;
  const l = Math.min(Math.max(MIN_SUBSPACE, plan.k + plan.oversamples), Math.min(n, d));
  // The seeded Gaussian test matrix svdCompressed draws (d x l, one block).
  let v = toFloat64((await random.normal(0, 1, [d, l], { chunks: [[d], [l]], seed: plan.seed }).compute({ scheduler: 'sync' })) as NDArray);
  // Multiply-adds per row: d² for the Gram once (half of it computed, G being symmetric), 2 d l per iteration without it.
  if (plan.power > 0 && d <= 2 * l * plan.power) {
    const g = await runBlockReduce<GramPart>({ label: 'pca-gram', x, partial: pcaOps.gramPart, partialArgs: () => [], combine: pcaOps.mergeGram }, opts);
    const kern = kernelsFor(undefined);
    for (let i = 0; i < plan.power; i++) v = orth(kern.matmul(g.gram, v, d, d, l), d, l);
    return { mean: g.mean, ...(await rangeFromGram(g.gram, v, d, l)), totalVar: trace(g.gram, d) / (n - 1) };
  }
  let mean: Float64Array;
  {
    const sums = await runBlockReduce<ColumnSums>({ label: 'pca-mean', x, partial: pcaOps.columnSums, partialArgs: () => [], combine: pcaOps.combineColumnSums }, opts);
    const m = sums.sums.map((s) => s / n);
    mean = m;
    for (let i = 0; i < plan.power; i++) {
      const z = await runBlockReduce<Float64Array>({ label: 'pca-power', x, partial: pcaOps.gramTimes, partialArgs: () => [m, v, l], combine: pcaOps.sumArrays }, opts);
      v = orth(z, d, l);
    }
  }
  const range = await runBlockReduce<RangePart>(
    { label: 'pca-range', x, partial: pcaOps.rangePart, partialArgs: () => [mean, v, l], combine: pcaOps.mergeRange, combineArgs: () => [l, d] },
    opts,
  );
  // W = Qᵀ C is k x d with k = l (C V has rank l unless X is degenerate); its SVD is C's, approximately.
  const w = fromArray(range.w, { shape: [range.k, d], chunks: [range.k, d] });
  const [, s, vt] = linalg.svd(w, { coerceSigns: false });
  const [sv, vv] = await Promise.all([s.compute({ scheduler: 'sync' }), vt.compute({ scheduler: 'sync' })]);
  return { mean, s: toFloat64(sv as NDArray), vt: toFloat64(vv as NDArray), totalVar: range.sumSquares / (n - 1) };
}
