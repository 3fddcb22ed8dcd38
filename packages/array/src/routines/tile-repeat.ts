/** tile (the array's blocks reused, concatenated) and repeat (each block repeated in place, as Dask). */
import { lit, ref, tokenize } from '@pdask/core';
import { fromBlocks, type ChunkedArray } from '../array';
import type { NDArray } from '../ndarray';
import { arrayOps } from '../ops/index';
import { concatenate, expandDims, ravel } from '../shape/shape';
import { getitem, type Index } from '../slicing/slicing';

type A = ChunkedArray<unknown>;

const empty = (x: A, axis: number): A => getitem(x, x.shape.map((_, d): Index => (d === axis ? '0:0' : ':')));

/** NumPy's `tile`: reps per axis (aligned right; more reps than axes add leading axes). */
export function tile(x: A, reps: number | readonly number[]): ChunkedArray<NDArray> {
  const r = typeof reps === 'number' ? [reps] : [...reps];
  for (const v of r) if (!Number.isInteger(v) || v < 0) throw new RangeError(`tile: reps must be non-negative integers, got [${r.join(', ')}]`);
  let y = x;
  if (r.length > y.ndim) y = expandDims(y, Array.from({ length: r.length - y.ndim }, (_, i) => i));
  const all = [...new Array<number>(y.ndim - r.length).fill(1), ...r];
  all.forEach((n, d) => {
    if (n === 0) y = empty(y, d);
    else if (n > 1) y = concatenate(new Array<A>(n).fill(y), d);
  });
  return y as ChunkedArray<NDArray>;
}

/** NumPy's `repeat` with an integer count: every element `repeats` times along `axis` (flattened without one). */
export function repeat(x: A, repeats: number, axis?: number | null): ChunkedArray<NDArray> {
  if (typeof repeats !== 'number') throw new TypeError('repeat: only an integer count of repeats is supported (as Dask)');
  if (!Number.isInteger(repeats) || repeats < 0) throw new RangeError(`repeat: repeats must be a non-negative integer, got ${repeats}`);
  const y = axis === undefined || axis === null ? ravel(x) : x;
  const nd = y.ndim;
  const ax = axis === undefined || axis === null ? 0 : axis < 0 ? axis + nd : axis;
  if (!Number.isInteger(ax) || ax < 0 || ax >= nd) throw new RangeError(`axis ${axis} is out of bounds for array of dimension ${nd}`);
  if (repeats === 1) return y as ChunkedArray<NDArray>;
  if (repeats === 0) return empty(y, ax) as ChunkedArray<NDArray>;
  const chunks = y.chunks.map((c, d) => (d === ax ? c.map((s) => s * repeats) : [...c]));
  const shape = y.shape.map((s, d) => (d === ax ? s * repeats : s));
  const name = `repeat-${tokenize(y.name, repeats, ax)}`;
  return fromBlocks('repeat', name, shape, chunks, y.dtype, (idx, key) => arrayOps.repeatBlock.task(key, lit(ax), lit(repeats), ref(y.key(idx))), [y]);
}
