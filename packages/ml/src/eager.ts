/** Small eager values on the calling thread: fitted parameters and the results that make them. */
import { NDArray, type ArrayResult } from '@pdask/array';

/** A computed reduction as float64 values (a 0-d result becomes one value). */
export function toFloat64(r: ArrayResult): Float64Array {
  if (r instanceof NDArray) return Float64Array.from(r.data as ArrayLike<number>);
  return Float64Array.of(Number(r));
}

/** A 1-d NDArray over a copy of `v` (operands of lazy elementwise operations). */
export function vector(v: Float64Array): NDArray {
  return new NDArray(v.slice(), [v.length], 'float64');
}

/** A 2-d NDArray of `rows` x `cols` over a copy of `v`. */
export function matrix(v: Float64Array, rows: number, cols: number): NDArray {
  return new NDArray(v.slice(), [rows, cols], 'float64');
}
