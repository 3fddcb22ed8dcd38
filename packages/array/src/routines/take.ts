/** NumPy's `take`: positions along one axis (the flattened array without one), any index shape. */
import type { ChunkedArray } from '../array';
import { NDArray, type NestedArray } from '../ndarray';
import { ravel, reshape } from '../shape/shape';
import { getitem, type Index } from '../slicing/slicing';

type A = ChunkedArray<unknown>;

export type TakeIndices = number | NestedArray | NDArray | Int32Array;

export function take(x: A, indices: TakeIndices, axis?: number | null): ChunkedArray<NDArray> {
  const y = axis === undefined || axis === null ? ravel(x) : x;
  const nd = y.ndim;
  const ax = axis === undefined || axis === null ? 0 : axis < 0 ? axis + nd : axis;
  if (!Number.isInteger(ax) || ax < 0 || ax >= nd) throw new RangeError(`axis ${axis} is out of bounds for array of dimension ${nd}`);
  const at = (entry: Index): A => getitem(y, y.shape.map((_, d): Index => (d === ax ? entry : ':')));
  if (typeof indices === 'number') return at(indices) as ChunkedArray<NDArray>;
  const ind = indices instanceof NDArray ? indices : NDArray.from(indices as NestedArray | Int32Array);
  if (ind.dtype === 'bool' || ind.dtype === 'float32' || (ind.dtype === 'float64' && ind.data.some((v) => !Number.isInteger(v)))) {
    throw new TypeError(`take: indices must be integers, got ${ind.dtype}`);
  }
  if (ind.ndim === 0) return at(Number(ind.data[0])) as ChunkedArray<NDArray>;
  const picked = at(Array.from(ind.data, Number));
  if (ind.ndim === 1) return picked as ChunkedArray<NDArray>;
  return reshape(picked, [...y.shape.slice(0, ax), ...ind.shape, ...y.shape.slice(ax + 1)]) as ChunkedArray<NDArray>;
}
