/** The nearest center of each row, lazily: argmin over ‖c‖² − 2 x·c, one matmul and argmin per row block. */
import { add, argmin, fromArray, matmul, NDArray, type ChunkedArray } from '@pdask/array';

export function nearestCenter(x: ChunkedArray<unknown>, centers: Float64Array, k: number, d: number): ChunkedArray<NDArray> {
  const ct = new Float64Array(d * k);
  const norms = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    for (let t = 0; t < d; t++) {
      const v = centers[j * d + t];
      ct[t * k + j] = -2 * v;
      norms[j] += v * v;
    }
  }
  const scores = add(matmul(x, fromArray(new NDArray(ct, [d, k], 'float64'), { chunks: -1 })), new NDArray(norms, [k], 'float64'));
  return argmin(scores, { axis: 1 }) as ChunkedArray<NDArray>;
}
