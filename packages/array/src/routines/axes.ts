/** swapaxes and rollaxis: transposes. */
import type { ChunkedArray } from '../array';
import type { NDArray } from '../ndarray';
import { transpose } from '../shape/shape';

type A = ChunkedArray<unknown>;

function axisOf(a: number, nd: number, what: string): number {
  if (!Number.isInteger(a) || a < -nd || a >= nd) throw new RangeError(`${what}: axis ${a} is out of bounds for array of dimension ${nd}`);
  return a < 0 ? a + nd : a;
}

/** The array with two axes interchanged. */
export function swapaxes(x: A, axis1: number, axis2: number): ChunkedArray<NDArray> {
  const a = axisOf(axis1, x.ndim, 'swapaxes');
  const b = axisOf(axis2, x.ndim, 'swapaxes');
  const perm = x.shape.map((_, d) => (d === a ? b : d === b ? a : d));
  return transpose(x, perm) as ChunkedArray<NDArray>;
}

/** NumPy's `rollaxis`: `axis` moved to lie before position `start`. */
export function rollaxis(x: A, axis: number, start = 0): ChunkedArray<NDArray> {
  const n = x.ndim;
  const a = axisOf(axis, n, 'rollaxis');
  if (!Number.isInteger(start) || start < -n || start > n) throw new RangeError(`'start' arg requires ${-n} <= start < ${n + 1}, but ${start} was passed in`);
  let s = start < 0 ? start + n : start;
  if (a < s) s -= 1;
  if (a === s) return x as ChunkedArray<NDArray>;
  const axes = x.shape.map((_, d) => d).filter((d) => d !== a);
  axes.splice(s, 0, a);
  return transpose(x, axes) as ChunkedArray<NDArray>;
}
