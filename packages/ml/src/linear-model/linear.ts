/** The lazy linear predictors shared by the linear models. */
import { add, fromArray, matmul, NDArray, type ChunkedArray } from '@pdask/array';

export function linearPredictor(x: ChunkedArray<unknown>, coef: Float64Array, intercept: number): ChunkedArray<NDArray> {
  const z = matmul(x, fromArray(coef.slice(), { chunks: -1 }));
  return intercept === 0 ? z : add(z, intercept);
}

/** X · Wᵀ + b for `rows` coefficient vectors (W row-major, rows x d): shape (n, rows). */
export function linearScores(x: ChunkedArray<unknown>, coef: Float64Array, intercepts: Float64Array): ChunkedArray<NDArray> {
  const rows = intercepts.length;
  const d = coef.length / rows;
  const wt = new Float64Array(d * rows);
  for (let k = 0; k < rows; k++) for (let j = 0; j < d; j++) wt[j * rows + k] = coef[k * d + j];
  const z = matmul(x, fromArray(wt, { shape: [d, rows], chunks: -1 }));
  return intercepts.every((b) => b === 0) ? z : add(z, new NDArray(intercepts.slice(), [rows], 'float64'));
}
