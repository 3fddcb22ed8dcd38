/**
 * topk / argtopk (Dask's): the |k| largest (k > 0, largest first) or smallest (k < 0, smallest
 * first) values along an axis, NaN counted as the largest as in NumPy's sort. Partials keep the
 * selection of each block, with positions along the axis for argtopk.
 */
import { alloc } from '../dtype';
import type { Block } from './block';
import { asFloat64, forEachLine, indexBlock, lessNanLast } from './numeric';
import { concatBlocks } from './user';

export interface TopPart {
  readonly values: Block;
  /** Positions along the axis in the whole array (argtopk only), laid out as `values`. */
  readonly index: Float64Array | null;
}

/** The selection of every line of `b` along `axis` (index, if given, travels with the values). */
function select(k: number, axis: number, b: Block, index: Float64Array | null): TopPart {
  const len = b.shape[axis];
  const m = Math.min(Math.abs(k), len);
  const shape = b.shape.map((s, d) => (d === axis ? m : s));
  const out = alloc(b.dtype, shape.reduce((a, c) => a * c, 1));
  const outIndex = index ? new Float64Array(out.length) : null;
  const v = b.data;
  const num = asFloat64(b.data); // compared as numbers; values copied as stored (int64 exact)
  // x goes before y: larger first for k > 0, smaller first for k < 0 (NaN largest); ties keep order.
  const before = k > 0 ? (x: number, y: number) => lessNanLast(y, x) : (x: number, y: number) => lessNanLast(x, y);
  const order = new Array<number>(len);
  let inner = 1;
  for (let d = axis + 1; d < b.shape.length; d++) inner *= b.shape[d];
  forEachLine(b.shape, axis, (base, stride, line) => {
    for (let j = 0; j < len; j++) order[j] = j;
    order.sort((p, q) => {
      const x = num[base + p * stride];
      const y = num[base + q * stride];
      return before(x, y) ? -1 : before(y, x) ? 1 : p - q;
    });
    let o = Math.floor(line / inner) * m * inner + (line % inner);
    for (let j = 0; j < m; j++, o += stride) {
      out[o] = v[base + order[j] * stride];
      if (outIndex && index) outIndex[o] = index[base + order[j] * stride];
    }
  });
  return { values: { dtype: b.dtype, shape, data: out }, index: outIndex };
}

/** A block's selection; `offset` (argtopk only, else null) is the block's start along the axis. */
export function topkChunk(k: number, axis: number, offset: number | null, b: Block): TopPart {
  let index: Float64Array | null = null;
  if (offset !== null) {
    index = new Float64Array(b.data.length);
    forEachLine(b.shape, axis, (base, stride) => {
      for (let j = 0; j < b.shape[axis]; j++) index![base + j * stride] = offset + j;
    });
  }
  return select(k, axis, b, index);
}

/** Several partials merged: concatenated along the axis, then selected again. */
export function topkCombine(k: number, axis: number, ...parts: TopPart[]): TopPart {
  if (parts.length === 1) return parts[0];
  const values = concatBlocks(parts.map((p) => p.values), axis);
  const index = parts[0].index === null ? null : (concatBlocks(parts.map((p) => ({ dtype: 'float64', shape: p.values.shape, data: p.index as Float64Array })), axis).data as Float64Array);
  return select(k, axis, values, index);
}

/** The result block: the values (topk) or their positions (argtopk). */
export function topkAggregate(k: number, axis: number, ...parts: TopPart[]): Block {
  const r = topkCombine(k, axis, ...parts);
  return r.index ? indexBlock(r.values.shape, r.index) : r.values;
}
