/**
 * argwhere, nonzero, one-argument where and countNonzero. How many elements a block keeps is
 * known only when it runs, so the results have unknown (NaN) chunk sizes along their first axis,
 * as in Dask; `computeChunkSizes()` makes them known.
 */
import { lit, ref, tokenize } from '@pdask/core';
import { fromBlocks, type ChunkedArray } from '../array';
import { blockOffset, type Chunks } from '../chunks';
import { asArray } from '../creation/from-array';
import { binary, where as where3, type Operand } from '../elementwise/build';
import type { DType } from '../dtype';
import type { NDArray } from '../ndarray';
import { arrayOps } from '../ops/index';
import { rechunk } from '../rechunk/rechunk';
import { reduceBuiltin, type ReduceOptions } from '../reductions/reductions';
import { hasUnknown } from '../slicing/lazy-mask';

type A = ChunkedArray<unknown>;

/** The dtype of positions: NumPy's intp (int64), as argmin's. */
export const INDEX_DTYPE: DType = 'int64';

function known(x: A, fn: string): void {
  if (hasUnknown(x)) throw new RangeError(`${fn} of an array with unknown chunk sizes: call computeChunkSizes() first`);
}

/** The coordinates of the non-zero elements, one row each, in C order: shape [NaN, ndim]. */
export function argwhere(x: A): ChunkedArray<NDArray> {
  known(x, 'argwhere');
  const nd = x.ndim;
  if (nd === 0) throw new RangeError('argwhere: pass an array of at least one dimension');
  // Rows come out in NumPy's C order only if blocks follow it: one block across the trailing axes.
  const y = x.chunks.every((c, d) => d === 0 || c.length === 1) ? x : rechunk(x, x.chunks.map((c, d) => (d === 0 ? [...c] : -1)));
  const nb = y.chunks[0].length;
  const chunks: Chunks = [new Array<number>(nb).fill(NaN), [nd]];
  const name = `argwhere-${tokenize(y.name)}`;
  return fromBlocks('argwhere', name, [NaN, nd], chunks, INDEX_DTYPE, ([i], key) => {
    const src = y.chunks.map((_, d) => (d === 0 ? i : 0));
    return arrayOps.argwhereBlock.task(key, lit(INDEX_DTYPE), lit(blockOffset(y.chunks, src)), ref(y.key(src)));
  }, [y]);
}

/** NumPy's `nonzero`: one 1-d array of positions per dimension (unknown chunk sizes). */
export function nonzero(x: A): ChunkedArray<NDArray>[] {
  const rows = argwhere(x);
  const nd = x.ndim;
  return Array.from({ length: nd }, (_, j) => {
    const name = `nonzero-${j}-${tokenize(rows.name)}`;
    return fromBlocks<NDArray>('nonzero', name, [NaN], [[...rows.chunks[0]]], INDEX_DTYPE, ([i], key) =>
      arrayOps.columnBlock.task(key, lit(j), ref(rows.key([i, 0]))), [rows]);
  });
}

/** `where(cond)`: nonzero(cond). `where(cond, a, b)`: elementwise choice. */
export function where(cond: A | NDArray): ChunkedArray<NDArray>[];
export function where(cond: Operand, a: Operand, b: Operand): ChunkedArray<NDArray>;
export function where(cond: Operand, ...rest: Operand[]): ChunkedArray<NDArray> | ChunkedArray<NDArray>[] {
  if (rest.length === 0) {
    if (typeof cond !== 'object') throw new TypeError(`where(cond): pass an array, got ${typeof cond} (or give both x and y)`);
    return nonzero(asArray(cond));
  }
  if (rest.length !== 2) throw new TypeError('either both or neither of x and y should be given');
  return where3(cond, rest[0], rest[1]) as ChunkedArray<NDArray>;
}

/** How many elements are not zero (NaN counts), over every axis or along `axis`. */
export function countNonzero(x: A, options?: Pick<ReduceOptions, 'axis' | 'keepdims'>): ChunkedArray<NDArray | number> {
  known(x, 'countNonzero');
  return reduceBuiltin(binary('ne', x, 0), 'sum', options, 'da.countNonzero') as ChunkedArray<NDArray | number>;
}

