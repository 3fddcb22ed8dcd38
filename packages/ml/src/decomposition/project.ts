/**
 * What the decompositions share: the sign convention of their components and the lazy
 * projections onto them and back.
 */
import { add, fromArray, matmul, NDArray, rechunk, subtract, type ChunkedArray } from '@pdask/array';
import { vector } from '../eager';

/**
 * Makes the largest loading (|value|) of each of the `rows` components positive, in place:
 * scikit-learn's `svd_flip(u_based_decision=False)`, which IncrementalPCA uses; PCA and
 * TruncatedSVD follow it too (scikit-learn flips by U there, which would cost a pass over X).
 */
export function flipSigns(v: Float64Array, rows: number, d: number): Float64Array {
  for (let c = 0; c < rows; c++) {
    let big = 0;
    for (let t = 0; t < d; t++) if (Math.abs(v[c * d + t]) > Math.abs(v[c * d + big])) big = t;
    if (v[c * d + big] < 0) for (let t = 0; t < d; t++) v[c * d + t] = -v[c * d + t];
  }
  return v;
}

/**
 * (X − mean) · componentsᵀ, each column divided by `scale` when given (whitening), lazily: one
 * task per row block.
 */
export function project(x: ChunkedArray<unknown>, mean: Float64Array | null, components: Float64Array, k: number, d: number, scale: Float64Array | null): ChunkedArray<NDArray> {
  const ct = new Float64Array(d * k);
  for (let c = 0; c < k; c++) for (let t = 0; t < d; t++) ct[t * k + c] = components[c * d + t] / (scale ? scale[c] : 1);
  const centred = mean ? subtract(x, vector(mean)) : x;
  return matmul(centred, fromArray(new NDArray(ct, [d, k], 'float64'), { chunks: -1 }));
}

/** Z · (scale · components) + mean: the inverse of `project` (exact when every component is kept). */
export function unproject(z: ChunkedArray<unknown>, mean: Float64Array | null, components: Float64Array, k: number, d: number, scale: Float64Array | null): ChunkedArray<NDArray> {
  const c = new Float64Array(k * d);
  for (let r = 0; r < k; r++) for (let t = 0; t < d; t++) c[r * d + t] = components[r * d + t] * (scale ? scale[r] : 1);
  const back = matmul(z, fromArray(new NDArray(c, [k, d], 'float64'), { chunks: -1 }));
  return mean ? add(back, vector(mean)) : back;
}

/** X without its empty row blocks (@pdask/array's TSQR refuses them; they hold no rows to factor). */
export function withoutEmptyBlocks(x: ChunkedArray<unknown>): ChunkedArray<unknown> {
  const rows = x.chunks[0];
  return rows.every((r) => r > 0) ? x : rechunk(x, [rows.filter((r) => r > 0), [...x.chunks[1]]]);
}
