/** The lazy linear predictor X · coef + intercept shared by the linear models. */
import { add, fromArray, matmul, type ChunkedArray, type NDArray } from '@pdask/array';

export function linearPredictor(x: ChunkedArray<unknown>, coef: Float64Array, intercept: number): ChunkedArray<NDArray> {
  const z = matmul(x, fromArray(coef.slice(), { chunks: -1 }));
  return intercept === 0 ? z : add(z, intercept);
}
