/**
 * Pointwise ("vectorised") indexing: Dask's `x.vindex[...]` and NumPy's indexing with several
 * index arrays. The index arrays broadcast against each other; each output block is a merge of
 * one pick task per input block holding some of its points, so no task reads blocks it does not
 * need. Integers and slices are applied first as ordinary indexing.
 */
import { lit, ref, tokenize } from '@pdask/core';
import { ChunkedArray, fromBlocks } from '../array';
import { blockContaining, boundaries } from '../chunks';
import { broadcastShapes } from '../elementwise/build';
import { NDArray, type NestedArray } from '../ndarray';
import { arrayOps } from '../ops/index';
import { sizeOf, stridesOf } from '../runtime/block';
import { transpose } from '../shape/shape';
import { getitem, type Index } from './slicing';

type A = ChunkedArray<unknown>;

/** An entry of a pointwise index: what `slice` takes, plus nested lists of positions. */
export type VIndexEntry = Index | NestedArray;

/** Whether an entry is an index array (a list, typed array or NDArray), not a number or slice. */
export const isIndexArray = (e: unknown): boolean => Array.isArray(e) || ArrayBuffer.isView(e) || e instanceof NDArray;

/** An integer index array of more than one dimension (NumPy's result takes its shape). */
export const isNdIndexArray = (e: unknown): boolean =>
  (Array.isArray(e) && e.some((v) => Array.isArray(v))) || (e instanceof NDArray && e.ndim > 1 && e.dtype !== 'bool');

/** An index array as positions along a dimension of length n (a boolean mask becomes its true positions). */
function positions(e: VIndexEntry, n: number, dim: number): NDArray {
  const a = e instanceof NDArray ? e : e instanceof Uint8Array ? new NDArray(e, [e.length], 'bool') : NDArray.from(e as NestedArray | Int32Array);
  if (a.dtype === 'bool') {
    if (a.ndim !== 1 || a.size !== n) throw new RangeError(`boolean index did not match indexed array along dimension ${dim}; dimension is ${n} but corresponding boolean dimension is ${a.size}`);
    const out: number[] = [];
    for (let i = 0; i < n; i++) if (a.data[i]) out.push(i);
    return new NDArray(Int32Array.from(out), [out.length], 'int32');
  }
  const data = Int32Array.from(a.data as ArrayLike<number>, (p0) => {
    const p = Number(p0); // int64 (bigint) positions too
    if (!Number.isInteger(p)) throw new TypeError(`index ${p} is not an integer`);
    if (p < -n || p >= n) throw new RangeError(`index ${p} is out of bounds for axis ${dim} with size ${n}`);
    return p < 0 ? p + n : p;
  });
  return new NDArray(data, a.shape, 'int32');
}

/** The index with '...' expanded and ':' added up to x's dimensions. */
function fullIndex(ndim: number, index: readonly VIndexEntry[], who: string): VIndexEntry[] {
  if (index.filter((e) => e === '...').length > 1) throw new RangeError("an index can only have a single ellipsis ('...')");
  const consumed = index.filter((e) => e !== '...').length;
  if (consumed > ndim) throw new RangeError(`${who}: too many indices for array: array is ${ndim}-dimensional, but ${consumed} were indexed`);
  const out: VIndexEntry[] = [];
  for (const e of index) {
    if (e === '...') for (let k = 0; k < ndim - consumed; k++) out.push(':');
    else out.push(e);
  }
  while (out.length < ndim) out.push(':');
  return out;
}

/**
 * Dask's `x.vindex[i0, i1, ...]`: the broadcast shape of the index arrays first, then the
 * dimensions kept by slices, in order (NumPy's proposed `vindex` order).
 */
export function vindex(x: A, index: readonly VIndexEntry[], who = 'vindex'): ChunkedArray<NDArray> {
  if (!Array.isArray(index)) throw new TypeError(`${who}: pass the index as a list, one entry per dimension: x.vindex([[0, 2], [1, 3]])`);
  if (index.some((e) => e === null)) throw new RangeError(`vindex does not support indexing with null (np.newaxis)`);
  if (index.some((e) => e instanceof ChunkedArray)) throw new RangeError('vindex does not support indexing with chunked arrays: compute the index first');
  if (x.shape.some((s) => Number.isNaN(s))) throw new RangeError(`${who} of an array with unknown chunk sizes: call computeChunkSizes() first`);
  const full = fullIndex(x.ndim, index, who);
  const fancyAt = full.map(isIndexArray);
  if (!fancyAt.some(Boolean)) {
    if (full.every((e) => e === ':')) return x as ChunkedArray<NDArray>;
    throw new RangeError('vindex requires at least one index array to vectorize over when the slices are not over the entire array; use slice() instead');
  }
  // The basic part first: integers drop their dimensions, slices keep theirs.
  const y = getitem(x, full.map((e, d) => (fancyAt[d] ? ':' : e)) as Index[]);
  const yFancy: number[] = [];
  const arrays: NDArray[] = [];
  let k = 0;
  full.forEach((e, d) => {
    if (typeof e === 'number') return;
    if (fancyAt[d]) {
      yFancy.push(k);
      arrays.push(positions(e, y.shape[k], d));
    }
    k++;
  });
  const bshape = broadcastShapes(arrays.map((a) => a.shape));
  const count = sizeOf(bshape);
  const rest = y.shape.map((_, d) => d).filter((d) => !yFancy.includes(d));
  // Each point's coordinates along the fancy dimensions (the index arrays broadcast).
  const coords = arrays.map((a) => {
    const pad = bshape.length - a.ndim;
    const st = stridesOf(a.shape);
    const out = new Int32Array(count);
    const idx = new Array<number>(bshape.length).fill(0);
    for (let p = 0; p < count; p++) {
      let o = 0;
      for (let d = pad; d < bshape.length; d++) if (a.shape[d - pad] !== 1) o += idx[d] * st[d - pad];
      out[p] = a.data[o];
      let d = bshape.length - 1;
      while (d >= 0 && ++idx[d] === bshape[d]) idx[d--] = 0;
    }
    return out;
  });
  // Points grouped by the block (along the fancy dimensions) holding them.
  const starts = yFancy.map((d) => boundaries(y.chunks[d]));
  const groups = new Map<string, { blocks: number[]; ids: number[]; local: number[] }>();
  for (let p = 0; p < count; p++) {
    const blocks = yFancy.map((_, f) => blockContaining(starts[f], coords[f][p]));
    const gk = blocks.join(',');
    let g = groups.get(gk);
    if (!g) groups.set(gk, (g = { blocks, ids: [], local: [] }));
    g.ids.push(p);
    yFancy.forEach((_, f) => g.local.push(coords[f][p] - starts[f][blocks[f]]));
  }
  const list = [...groups.values()];
  const nb = bshape.length;
  const shape = [...bshape, ...rest.map((d) => y.shape[d])];
  const chunks = [...bshape.map((s) => [s]), ...rest.map((d) => [...y.chunks[d]])];
  const name = `vindex-${tokenize(y.name, yFancy, arrays.map((a) => [a.shape, Array.from(a.data)]))}`;
  return fromBlocks<NDArray>('vindex', name, shape, chunks, y.dtype, (idx, key) => {
    const r = idx.slice(nb);
    const picks = list.map((g, gi) => {
      const src = new Array<number>(y.ndim);
      yFancy.forEach((d, f) => (src[d] = g.blocks[f]));
      rest.forEach((d, j) => (src[d] = r[j]));
      return arrayOps.vindexPick.task(`${name}-pick-${gi}-${r.join(',')}`, lit({ axes: yFancy, coords: g.local }), ref(y.key(src)));
    });
    const bshapeOut = idx.map((b, d) => chunks[d][b]);
    const merge = arrayOps.vindexMerge.task(key, lit(y.dtype), lit(bshapeOut), lit(list.map((g) => g.ids)), ...list.map((_, gi) => ref(`${name}-pick-${gi}-${r.join(',')}`)));
    return [...picks, merge];
  }, [y]);
}

/**
 * NumPy's indexing with several index arrays (Dask 2022.12 raises NotImplementedError): they
 * broadcast and select points, as vindex does; the broadcast dimensions stay where the index
 * arrays were when those (and integers) are adjacent, else they come first, as in NumPy.
 */
export function advancedGetitem(x: A, index: readonly Index[]): ChunkedArray<NDArray> {
  if (index.some((e) => e === null)) throw new RangeError('null (np.newaxis) together with several index arrays is not supported: index in two steps');
  const full = fullIndex(x.ndim, index, 'slice');
  const advanced = full.map((e, d) => (isIndexArray(e) || typeof e === 'number' ? d : -1)).filter((d) => d >= 0);
  const r = vindex(x, full, 'slice');
  const adjacent = advanced[advanced.length - 1] - advanced[0] === advanced.length - 1;
  if (!adjacent || advanced[0] === 0) return r;
  const before = full.slice(0, advanced[0]).length; // slices before the first advanced entry
  const nb = r.ndim - full.filter((e) => !isIndexArray(e) && typeof e !== 'number').length;
  const perm = [...Array.from({ length: before }, (_, i) => nb + i), ...Array.from({ length: nb }, (_, i) => i), ...Array.from({ length: r.ndim - nb - before }, (_, i) => nb + before + i)];
  return transpose(r, perm) as ChunkedArray<NDArray>;
}
