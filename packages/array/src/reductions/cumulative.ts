/** cumsum / cumprod (and NaN-skipping versions) along an axis: per block, then a sequential carry. */
import { checkOptions, lit, optional, ref, tokenize, type OptionSchema } from '@pdask/core';
import { NOT_YET } from '../options';
import { fromBlocks, type ChunkedArray } from '../array';
import { blockKey } from '../chunks';
import { accumulatorOf } from '../dtype';
import { blockLayer } from '../layer';
import { arrayOps } from '../ops/index';
import { seeded, type CumFn } from '../runtime/cumulative';
import { ravel } from '../shape/shape';

/** Options of the cumulative methods (`x.cumsum({ axis })`). */
export interface CumulativeOptions {
  /** The axis (default: over the flattened array). */
  axis?: number | null;
}

const CUMULATIVE_SCHEMA: OptionSchema<CumulativeOptions & { dtype?: unknown; out?: unknown; method?: unknown }> = {
  axis: optional({ anyOf: ['integer', { oneOf: [null] }] }),
  dtype: { unsupported: 'not implemented yet (cast with astype first)' },
  out: NOT_YET,
  method: NOT_YET,
};

/** A cumulative method with its options checked (`who` names it in errors). */
export function cumulativeWith(x: ChunkedArray<unknown>, fn: CumFn, opts: CumulativeOptions | undefined, who: string): ChunkedArray<unknown> {
  return cumulative(x, fn, checkOptions(who, opts, CUMULATIVE_SCHEMA).axis);
}

export function cumulative(x0: ChunkedArray<unknown>, fn: CumFn, axis?: number | null): ChunkedArray<unknown> {
  if (x0.shape.some((s) => Number.isNaN(s))) throw new RangeError(`${fn}: the array has unknown chunk sizes (after a lazy boolean mask): call computeChunkSizes() first`);
  const x = axis === undefined || axis === null ? ravel(x0) : x0;
  const nd = x.ndim;
  const ax = axis === undefined || axis === null ? 0 : axis < 0 ? axis + nd : axis;
  if (ax < 0 || ax >= nd) throw new RangeError(`axis ${axis} is out of bounds for array of dimension ${nd}`);
  // NumPy: integers and bools accumulate in int64, floats in their own dtype.
  const dtype = accumulatorOf(x.dtype);
  const tok = tokenize(fn, x.name, ax);
  if (seeded(fn)) {
    // Products: each block starts from the last values of the block before it (sequential along
    // the axis, as NumPy's loop: see runtime/cumulative.ts).
    const name = `${fn}-${tok}`;
    return fromBlocks(fn, name, x.shape, x.chunks, dtype, (idx, key) => {
      const prev = [...idx];
      prev[ax]--;
      return arrayOps.cumBlock.task(key, lit(fn), lit(ax), lit(dtype), ref(x.key(idx)), idx[ax] > 0 ? ref(blockKey(name, prev)) : lit(null));
    }, [x]);
  }
  const cumName = `${fn}-block-${tok}`;
  const grid = x.numblocks;
  const cum = blockLayer(cumName, `${fn}-block`, grid, (idx) => arrayOps.cumBlock.task(blockKey(cumName, idx), lit(fn), lit(ax), lit(dtype), ref(x.key(idx))), [x.layer]);
  const carryName = `${fn}-carry-${tok}`;
  const carry = blockLayer(carryName, `${fn}-carry`, grid, (idx) => {
    const prev = [...idx];
    prev[ax]--;
    return arrayOps.cumCarry.task(blockKey(carryName, idx), lit(fn), lit(ax), idx[ax] > 0 ? ref(blockKey(carryName, prev)) : lit(null), ref(blockKey(cumName, idx)));
  }, [cum]);
  return fromBlocks(fn, `${fn}-${tok}`, x.shape, x.chunks, dtype, (idx, key) => {
    if (idx[ax] === 0) return arrayOps.reshapeBlock.task(key, lit(idx.map((b, d) => x.chunks[d][b])), ref(blockKey(cumName, idx)));
    const prev = [...idx];
    prev[ax]--;
    return arrayOps.cumApply.task(key, lit(fn), lit(ax), ref(blockKey(cumName, idx)), ref(blockKey(carryName, prev)));
  }, [], [cum, carry]);
}
