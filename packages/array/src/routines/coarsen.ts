/**
 * `coarsen(reduction, x, { axis: factor })` (Dask's `da.coarsen`): each window of `factor`
 * elements along each given axis reduced to one, one task per block. Blocks are first rechunked
 * so that every block boundary falls on a window boundary (Dask's `aligned_coarsen_chunks` does
 * the same with another choice of sizes; the values do not depend on it).
 */
import { checkOptions, lit, ref, tokenize, type OptionSchema } from '@pdask/core';
import { fromBlocks, type ChunkedArray } from '../array';
import { sameChunks } from '../chunks';
import type { NDArray } from '../ndarray';
import { arrayOps } from '../ops/index';
import { rechunk } from '../rechunk/rechunk';
import { REDUCTION_NAMES, reductionRow, type ReduceFn } from '../runtime/reduce-table';

export interface CoarsenOptions {
  /** Leave out the elements past the last whole window instead of refusing a length that is not a multiple (Dask's trim_excess). */
  trimExcess?: boolean;
  /** For var/std (and nanvar/nanstd): delta degrees of freedom. */
  ddof?: number;
}
const SCHEMA: OptionSchema<CoarsenOptions> = { trimExcess: 'boolean', ddof: 'number' };

/** Block sizes whose boundaries are multiples of f (the last block keeps any excess). */
function aligned(chunks: readonly number[], f: number): number[] {
  const total = chunks.reduce((a, b) => a + b, 0);
  const cuts: number[] = [];
  let at = 0;
  for (const c of chunks) {
    at += c;
    const b = Math.floor(at / f) * f;
    if (b > (cuts[cuts.length - 1] ?? 0) && b < total) cuts.push(b);
  }
  cuts.push(total);
  return cuts.map((b, i) => b - (i ? cuts[i - 1] : 0)).filter((c) => c > 0);
}

/**
 * `reduction`: a built-in reduction's name ('mean', 'nanmax', ...) or its function (`da.mean`).
 * `axes`: `{ axis: factor }`, negative axes allowed.
 */
export function coarsen(reduction: ReduceFn | { readonly reduction: ReduceFn }, x: ChunkedArray<unknown>, axes: Readonly<Record<number, number>>, options?: CoarsenOptions): ChunkedArray<NDArray> {
  const o = checkOptions('da.coarsen', options, SCHEMA);
  const fn = typeof reduction === 'string' ? reduction : reduction?.reduction;
  if (!REDUCTION_NAMES.includes(fn)) throw new RangeError(`da.coarsen: unknown reduction '${String(fn)}' (known: ${REDUCTION_NAMES.filter((n) => !n.includes('arg')).join(', ')})`);
  const row = reductionRow(fn);
  if (row.layout === 'arg') throw new RangeError(`da.coarsen: ${fn} gives positions, not values; use a value reduction`);
  if (o.ddof !== undefined && !row.ddof) throw new RangeError(`da.coarsen: ddof applies to var and std, not ${fn}`);
  if (x.shape.some(Number.isNaN)) throw new RangeError('da.coarsen: unknown chunk sizes; call computeChunkSizes() first');
  const factors = x.shape.map(() => 1);
  for (const [k, f] of Object.entries(axes)) {
    const a0 = Number(k);
    if (!Number.isInteger(a0) || a0 < -x.ndim || a0 >= x.ndim) throw new RangeError(`da.coarsen: axis ${k} is out of bounds for array of dimension ${x.ndim}`);
    if (!Number.isInteger(f) || f < 1) throw new RangeError(`da.coarsen: the factor of axis ${k} must be a positive integer, got ${f}`);
    factors[a0 < 0 ? a0 + x.ndim : a0] = f;
  }
  if (!o.trimExcess && factors.some((f, d) => x.shape[d] % f !== 0)) {
    throw new RangeError(`Coarsening factors {${Object.entries(axes).map(([k, f]) => `${k}: ${f}`).join(', ')}} do not align with array shape [${x.shape.join(', ')}]; pass trimExcess: true to leave out the excess`);
  }
  const want = x.chunks.map((c, d) => (factors[d] === 1 ? [...c] : aligned(c, factors[d])));
  const xx = want.every((c, d) => sameChunks(c, x.chunks[d])) ? x : rechunk(x, want);
  const chunks = xx.chunks.map((c, d) => c.map((s) => Math.floor(s / factors[d])));
  const shape = chunks.map((c) => c.reduce((a, b) => a + b, 0));
  const name = `coarsen-${tokenize(fn, xx.name, factors, o.ddof ?? 0)}`;
  return fromBlocks<NDArray>('coarsen', name, shape, chunks, row.dtype(x.dtype), (idx, key) =>
    arrayOps.coarsenBlock.task(key, lit(fn), lit(factors), lit(o.ddof ?? 0), ref(xx.key(idx))), [xx]);
}
