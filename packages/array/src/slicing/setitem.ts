/**
 * Assignment (Dask's `x[index] = value`) as a new lazy array: `x.set(mask, v)` and
 * `x.set([i0, i1, ...], v)`. A chunked (or full-shape) boolean mask is an elementwise `where`.
 * An index writes block by block: each block of x that the selection touches gets one task with
 * the matching part of the value (the value is broadcast to the selection, ordered along each
 * dimension and rechunked to x's blocks); untouched blocks are reused as they are.
 */
import { lit, ref, tokenize } from '@pdask/core';
import { ChunkedArray, fromBlocks } from '../array';
import { blockContaining, boundaries } from '../chunks';
import { asArray, fromArray } from '../creation/from-array';
import { astype, where } from '../elementwise/build';
import { NDArray, type NestedArray } from '../ndarray';
import { arrayOps } from '../ops/index';
import { rechunk } from '../rechunk/rechunk';
import { broadcastTo } from '../routines/broadcast';
import { expandDims } from '../shape/shape';
import { getitem, parseSlice, sliceRange, type Index, type Slice } from './slicing';
import { isIndexArray } from './vindex';
import type { DimSel } from '../runtime/layout';

type A = ChunkedArray<unknown>;

/** What can be assigned: a number or boolean (everywhere selected), or values broadcast to the selection. */
export type SetValue = number | boolean | ChunkedArray<unknown> | NDArray | NestedArray | ArrayBufferView;
/** Where to assign: a boolean mask (chunked, or an NDArray of x's shape), or one index entry per dimension. */
export type SetTarget = ChunkedArray<unknown> | NDArray | readonly Index[];

function known(x: A): void {
  if (x.shape.some((s) => Number.isNaN(s))) throw new RangeError('set on an array with unknown chunk sizes: call computeChunkSizes() first');
}

const valueArray = (v: SetValue): A => (v instanceof ChunkedArray ? v : asArray(v as NDArray));

function setMask(x: A, mask: A, value: SetValue): A {
  if (mask.dtype !== 'bool') throw new TypeError(`set: a mask must be boolean, got ${mask.dtype}; give integer positions as an index list: x.set([[0, 2]], v)`);
  const v = typeof value === 'number' || typeof value === 'boolean' ? value : valueArray(value);
  if (typeof v === 'object' && v.ndim > 0) {
    // NumPy would also take exactly one value per true element; that needs the mask's count.
    try {
      broadcastTo(v, x.shape);
    } catch {
      throw new RangeError(`set: with a mask the value must be a number or broadcast to the array's shape [${x.shape.join(', ')}], got [${v.shape.join(', ')}]`);
    }
  }
  return astype(where(mask, v, x), x.dtype);
}

/**
 * One dimension of the selection, ascending: a range (slices and integers; a negative step is
 * turned around and the value reversed to match) or positions (a list, sorted stably so that a
 * repeated position keeps its last value, with `order` the value's matching permutation).
 */
type DimTarget =
  | { readonly kind: 'range'; readonly start: number; readonly step: number; readonly count: number; readonly reversed: boolean; readonly dropped: boolean }
  | { readonly kind: 'list'; readonly positions: readonly number[]; readonly order: readonly number[] };

function listTarget(positions: number[]): DimTarget {
  const pairs = positions.map((p, i) => [p, i] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  return { kind: 'list', positions: pairs.map(([p]) => p), order: pairs.map(([, i]) => i) };
}

function dimTarget(e: Index, n: number, d: number): DimTarget {
  if (typeof e === 'number') {
    if (!Number.isInteger(e)) throw new TypeError(`index ${e} is not an integer`);
    if (e < -n || e >= n) throw new RangeError(`index ${e} is out of bounds for axis ${d} with size ${n}`);
    return { kind: 'range', start: e < 0 ? e + n : e, step: 1, count: 1, reversed: false, dropped: true };
  }
  if (isIndexArray(e)) {
    const a = e instanceof NDArray ? e : e instanceof Uint8Array ? new NDArray(e, [e.length], 'bool') : NDArray.from(e as NestedArray | Int32Array);
    if (a.ndim !== 1) throw new RangeError(`set: index lists must be 1-d, got shape [${a.shape.join(', ')}] for dimension ${d}`);
    if (a.dtype === 'bool') {
      if (a.size !== n) throw new RangeError(`boolean index did not match indexed array along dimension ${d}; dimension is ${n} but corresponding boolean dimension is ${a.size}`);
      return listTarget(Array.from({ length: n }, (_, i) => i).filter((i) => a.data[i]));
    }
    return listTarget(
      Array.from(a.data as ArrayLike<number>, (p0) => {
        const p = Number(p0); // int64 (bigint) positions too
        if (!Number.isInteger(p)) throw new TypeError(`index ${p} is not an integer`);
        if (p < -n || p >= n) throw new RangeError(`index ${p} is out of bounds for axis ${d} with size ${n}`);
        return p < 0 ? p + n : p;
      }),
    );
  }
  if (typeof e === 'string' || (e !== null && typeof e === 'object')) {
    const sl = typeof e === 'string' ? (e.trim() === ':' ? {} : parseSlice(e)) : (e as Slice);
    const r = sliceRange(sl, n);
    if (r.step > 0 || r.count <= 1) return { kind: 'range', start: r.start, step: Math.abs(r.step), count: r.count, reversed: false, dropped: false };
    return { kind: 'range', start: r.start + (r.count - 1) * r.step, step: -r.step, count: r.count, reversed: true, dropped: false };
  }
  throw new TypeError(`set: unsupported index entry ${String(e)} for dimension ${d}`);
}

/** The part of a dimension's selection inside each block of x (local, ascending), or null. */
function perBlock(t: DimTarget, chunks: readonly number[]): (DimSel | null)[] {
  const starts = boundaries(chunks);
  if (t.kind === 'list') {
    const lists: number[][] = chunks.map(() => []);
    for (const p of t.positions) {
      const b = blockContaining(starts, p);
      lists[b].push(p - starts[b]);
    }
    return lists.map((ix) => (ix.length ? { ix } : null));
  }
  const last = t.start + (t.count - 1) * t.step;
  return chunks.map((_, b) => {
    const lo = starts[b];
    const hi = starts[b + 1];
    if (t.count === 0 || hi <= t.start || lo > last) return null;
    const first = lo <= t.start ? t.start : t.start + Math.ceil((lo - t.start) / t.step) * t.step;
    if (first >= hi || first > last) return null;
    const n = Math.floor((Math.min(hi - 1, last) - first) / t.step) + 1;
    return { s: first - lo, n, st: t.step };
  });
}

const selCount = (s: DimSel): number => ('ix' in s ? s.ix.length : s.n);

function setIndex(x: A, index: readonly Index[], value: SetValue): A {
  if (index.some((e) => e === null)) throw new RangeError('set: null (np.newaxis) has no meaning in an assignment');
  if (index.filter(isIndexArray).length > 1) throw new RangeError('set: several index lists at once are not supported (as in Dask): assign in steps');
  if (index.filter((e) => e === '...').length > 1) throw new RangeError("an index can only have a single ellipsis ('...')");
  const consumed = index.filter((e) => e !== '...').length;
  if (consumed > x.ndim) throw new RangeError(`too many indices for array: array is ${x.ndim}-dimensional, but ${consumed} were indexed`);
  const full: Index[] = [];
  for (const e of index) {
    if (e === '...') for (let k = 0; k < x.ndim - consumed; k++) full.push(':');
    else full.push(e);
  }
  while (full.length < x.ndim) full.push(':');
  const dims = full.map((e, d) => dimTarget(e, x.shape[d], d));
  const dropped = (t: DimTarget): boolean => t.kind === 'range' && t.dropped;
  const region = dims.filter((t) => !dropped(t)).map((t) => (t.kind === 'range' ? t.count : t.positions.length));
  const sels = dims.map((t, d) => perBlock(t, x.chunks[d]));
  let v: A | number;
  if (typeof value === 'number' || typeof value === 'boolean') v = Number(value);
  else {
    let a = valueArray(value);
    try {
      a = broadcastTo(a, region);
    } catch {
      throw new RangeError(`could not broadcast input array from shape [${a.shape.join(', ')}] into shape [${region.join(', ')}]`);
    }
    dims.forEach((t, d) => {
      if (dropped(t)) a = expandDims(a, d);
    });
    // Along each dimension, the value in ascending position order, in blocks matching x's.
    dims.forEach((t, d) => {
      const entry: Index | null = t.kind === 'range' ? (t.reversed ? '::-1' : null) : t.order.some((p, i) => p !== i) ? t.order : null;
      if (entry !== null) a = getitem(a, a.shape.map((_, k): Index => (k === d ? entry : ':')));
    });
    const chunks = sels.map((per) => {
      const sizes = per.filter((s): s is DimSel => s !== null).map(selCount);
      return sizes.length ? sizes : [0];
    });
    v = astype(rechunk(a, chunks), x.dtype);
  }
  // The value block of x's block b along each dimension (blocks without positions have none).
  const valueBlock = sels.map((per) => {
    let k = 0;
    return per.map((s) => (s ? k++ : -1));
  });
  const name = `setitem-${tokenize(x.name, dims.map((t) => (t.kind === 'range' ? [t.start, t.step, t.count] : t.positions)), typeof v === 'number' ? v : v.name)}`;
  const vArr = typeof v === 'number' ? null : v;
  const scalar = typeof v === 'number' ? v : 0;
  return fromBlocks('setitem', name, x.shape, x.chunks, x.dtype, (idx, key) => {
    const shape = idx.map((b, d) => x.chunks[d][b]);
    const sel = idx.map((b, d) => sels[d][b]);
    if (sel.some((s) => s === null)) return arrayOps.reshapeBlock.task(key, lit(shape), ref(x.key(idx)));
    const val = vArr ? ref(vArr.key(idx.map((b, d) => valueBlock[d][b]))) : lit(scalar);
    return arrayOps.setBlock.task(key, lit(sel as DimSel[]), ref(x.key(idx)), val);
  }, vArr ? [x, vArr] : [x]);
}

/** `x[target] = value` as a new lazy array (x itself is unchanged). */
export function setitem(x: A, target: SetTarget, value: SetValue): A {
  known(x);
  if (target instanceof ChunkedArray) return setMask(x, target, value);
  if (target instanceof NDArray) {
    if (target.dtype !== 'bool') throw new TypeError(`set: an NDArray target must be a boolean mask, got ${target.dtype}; give positions as an index list: x.set([[0, 2]], v)`);
    if (target.ndim === x.ndim) {
      if (target.shape.some((s, d) => s !== x.shape[d])) throw new RangeError(`set: a mask of shape [${target.shape.join(', ')}] for an array of shape [${x.shape.join(', ')}]`);
      return setMask(x, fromArray(target, { chunks: x.chunks.map((c) => [...c]) }), value);
    }
    if (target.ndim === 1) return setIndex(x, [target], value);
    throw new RangeError(`set: a ${target.ndim}-d mask must have the array's shape [${x.shape.join(', ')}]`);
  }
  if (!Array.isArray(target)) throw new TypeError('set: give a boolean mask or a list of index entries, one per dimension: x.set([0, "1:3"], v)');
  const lazy = target.filter((e) => e instanceof ChunkedArray);
  if (lazy.length) {
    if (target.length === 1) return setMask(x, lazy[0] as A, value);
    throw new RangeError('set: a chunked mask must be the whole target: x.set(mask, v)');
  }
  return setIndex(x, target, value);
}
