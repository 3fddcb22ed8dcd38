/** atleast1d/2d/3d, vstack, hstack, dstack and block: new axes of length 1, then concatenate. */
import { ChunkedArray } from '../array';
import type { NDArray } from '../ndarray';
import { concatenate, expandDims } from '../shape/shape';

type A = ChunkedArray<unknown>;

export const atleast1d = (x: A): A => (x.ndim === 0 ? expandDims(x, 0) : x);
export const atleast2d = (x: A): A => (x.ndim === 0 ? expandDims(x, [0, 1]) : x.ndim === 1 ? expandDims(x, 0) : x);
/** NumPy's rule: (n,) becomes (1, n, 1) and (m, n) becomes (m, n, 1). */
export const atleast3d = (x: A): A => (x.ndim === 0 ? expandDims(x, [0, 1, 2]) : x.ndim === 1 ? expandDims(x, [0, 2]) : x.ndim === 2 ? expandDims(x, 2) : x);

function nonEmpty(arrays: readonly A[], fn: string): void {
  if (!arrays.length) throw new RangeError(`${fn}: need at least one array to concatenate`);
}

/** Stacked as rows (1-d arrays become rows). */
export function vstack(arrays: readonly A[]): ChunkedArray<NDArray> {
  nonEmpty(arrays, 'vstack');
  return concatenate(arrays.map(atleast2d), 0) as ChunkedArray<NDArray>;
}

/** Stacked along the second axis (along the first for 1-d arrays). */
export function hstack(arrays: readonly A[]): ChunkedArray<NDArray> {
  nonEmpty(arrays, 'hstack');
  const xs = arrays.map(atleast1d);
  return concatenate(xs, xs[0].ndim === 1 ? 0 : 1) as ChunkedArray<NDArray>;
}

/** Stacked along the third axis. */
export function dstack(arrays: readonly A[]): ChunkedArray<NDArray> {
  nonEmpty(arrays, 'dstack');
  return concatenate(arrays.map(atleast3d), 2) as ChunkedArray<NDArray>;
}

/** Nested lists of arrays (or arrays): the innermost lists are joined along the last axis, and so on outwards. */
export type BlockSpec = A | readonly BlockSpec[];

function depthOf(spec: BlockSpec, path: string): number {
  if (spec instanceof ChunkedArray) return 0;
  if (!Array.isArray(spec) || !spec.length) throw new RangeError(`block: List at arrays${path} cannot be empty`);
  const depths = spec.map((s, i) => depthOf(s, `${path}[${i}]`));
  if (depths.some((d) => d !== depths[0])) throw new RangeError(`block: List depths are mismatched at arrays${path}: every entry must be nested as deep`);
  return depths[0] + 1;
}

function maxNdim(spec: BlockSpec): number {
  return spec instanceof ChunkedArray ? spec.ndim : Math.max(...(spec as readonly BlockSpec[]).map(maxNdim));
}

/** NumPy's `block`: arrays are given leading axes of length 1 up to the result's dimensions. */
export function block(arrays: BlockSpec): ChunkedArray<NDArray> {
  const depth = depthOf(arrays, '');
  const nd = Math.max(depth, maxNdim(arrays));
  const rec = (spec: BlockSpec, level: number): A => {
    if (spec instanceof ChunkedArray) return spec.ndim < nd ? expandDims(spec, Array.from({ length: nd - spec.ndim }, (_, i) => i)) : spec;
    const parts = (spec as readonly BlockSpec[]).map((s) => rec(s, level + 1));
    return parts.length === 1 ? parts[0] : concatenate(parts, nd - depth + level);
  };
  return rec(arrays, 0) as ChunkedArray<NDArray>;
}
