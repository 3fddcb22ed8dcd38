/** flip, flipud, fliplr (reversed slices) and roll (two slices concatenated), as Dask builds them. */
import type { ChunkedArray } from '../array';
import type { NDArray } from '../ndarray';
import { concatenate, ravel, reshape } from '../shape/shape';
import { getitem, type Index } from '../slicing/slicing';

type A = ChunkedArray<unknown>;

function axesOf(axis: number | readonly number[] | undefined | null, nd: number, fn: string): number[] {
  const list = axis === undefined || axis === null ? Array.from({ length: nd }, (_, i) => i) : typeof axis === 'number' ? [axis] : [...axis];
  return list.map((a) => {
    if (!Number.isInteger(a) || a < -nd || a >= nd) throw new RangeError(`${fn}: axis ${a} is out of bounds for array of dimension ${nd}`);
    return a < 0 ? a + nd : a;
  });
}

/** The array with the order of elements reversed along `axis` (every axis without one). */
export function flip(x: A, axis?: number | readonly number[] | null): ChunkedArray<NDArray> {
  const axes = new Set(axesOf(axis, x.ndim, 'flip'));
  return getitem(x, x.shape.map((_, d): Index => (axes.has(d) ? '::-1' : ':'))) as ChunkedArray<NDArray>;
}

export function flipud(x: A): ChunkedArray<NDArray> {
  if (x.ndim < 1) throw new RangeError('Input must be >= 1-d.');
  return flip(x, 0);
}

export function fliplr(x: A): ChunkedArray<NDArray> {
  if (x.ndim < 2) throw new RangeError('Input must be >= 2-d.');
  return flip(x, 1);
}

/** NumPy's `roll`: elements shifted along axes, those past the end coming back at the start. */
export function roll(x: A, shift: number | readonly number[], axis?: number | readonly number[] | null): ChunkedArray<NDArray> {
  if (axis === undefined || axis === null) {
    if (typeof shift !== 'number') throw new RangeError('roll: give one shift without an axis');
    return reshape(roll(ravel(x), shift, 0), x.shape) as ChunkedArray<NDArray>;
  }
  const shifts = typeof shift === 'number' ? [shift] : [...shift];
  const axes = axesOf(axis, x.ndim, 'roll');
  const n = Math.max(shifts.length, axes.length);
  if ((shifts.length !== 1 && shifts.length !== n) || (axes.length !== 1 && axes.length !== n)) throw new RangeError("'shift' and 'axis' should be scalars or 1D sequences of the same length");
  const total = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const s = shifts[shifts.length === 1 ? 0 : i];
    if (!Number.isInteger(s)) throw new TypeError(`roll: shift ${s} is not an integer`);
    const a = axes[axes.length === 1 ? 0 : i];
    total.set(a, (total.get(a) ?? 0) + s);
  }
  let y = x;
  for (const [a, s0] of total) {
    const len = y.shape[a];
    if (len === 0) continue;
    const s = ((s0 % len) + len) % len;
    if (s === 0) continue;
    const at = (entry: string): A => getitem(y, y.shape.map((_, d): Index => (d === a ? entry : ':')));
    y = concatenate([at(`${len - s}:`), at(`:${len - s}`)], a);
  }
  return y as ChunkedArray<NDArray>;
}
