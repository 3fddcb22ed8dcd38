/**
 * NumPy indexing of chunked arrays, in a TypeScript syntax:
 *   x.slice(0, '1:5', '::2', [3, 1], mask, null, '...')
 * - a number selects one position (negative from the end) and drops the dimension;
 * - a string 'start:stop:step' (any part optional; ':' is everything) or `{ start, stop, step }`;
 * - an array of integers picks positions; an array (or NDArray/Uint8Array) of booleans is a mask;
 * - null inserts a new axis of length 1 (NumPy's newaxis); '...' stands for the remaining axes.
 * Each output block reads one input block: selections are grouped by the input block they fall in.
 */
import { lit, ref, tokenize } from '@pdask/core';
import { ChunkedArray, fromBlocks } from '../array';
import { hasUnknown, lazyMask } from './lazy-mask';
import { blockContaining, boundaries } from '../chunks';
import { NDArray } from '../ndarray';
import { arrayOps } from '../ops/index';
import { ravel as ravelOf } from '../shape/shape';
import type { DimSel } from '../runtime/layout';

export interface Slice {
  readonly start?: number | null;
  readonly stop?: number | null;
  readonly step?: number | null;
}

export type Index = number | string | null | Slice | readonly number[] | readonly boolean[] | NDArray | Uint8Array | Int32Array | ChunkedArray<unknown>;

/** `slice(start, stop, step)`, for those who prefer it to the string form. */
export function s(start?: number | null, stop?: number | null, step?: number | null): Slice {
  return { start, stop, step };
}

export function parseSlice(text: string): Slice {
  const parts = text.split(':');
  if (parts.length < 2 || parts.length > 3) throw new SyntaxError(`Bad slice '${text}': expected 'start:stop' or 'start:stop:step'`);
  const num = (p: string | undefined): number | null => {
    if (p === undefined || p.trim() === '') return null;
    const v = Number(p);
    if (!Number.isInteger(v)) throw new SyntaxError(`Bad slice '${text}': '${p}' is not an integer`);
    return v;
  };
  return { start: num(parts[0]), stop: num(parts[1]), step: num(parts[2]) };
}

/** Python's slice.indices(n): start, step and count. */
export function sliceRange(sl: Slice, n: number): { start: number; step: number; count: number } {
  const step = sl.step ?? 1;
  if (step === 0) throw new RangeError('slice step cannot be zero');
  let start: number;
  let stop: number;
  if (step > 0) {
    start = sl.start == null ? 0 : sl.start < 0 ? Math.max(0, sl.start + n) : Math.min(sl.start, n);
    stop = sl.stop == null ? n : sl.stop < 0 ? Math.max(0, sl.stop + n) : Math.min(sl.stop, n);
  } else {
    start = sl.start == null ? n - 1 : sl.start < 0 ? Math.max(-1, sl.start + n) : Math.min(sl.start, n - 1);
    stop = sl.stop == null ? -1 : sl.stop < 0 ? Math.max(-1, sl.stop + n) : Math.min(sl.stop, n - 1);
  }
  const count = step > 0 ? Math.max(0, Math.ceil((stop - start) / step)) : Math.max(0, Math.ceil((stop - start) / step));
  return { start, step, count };
}

/** One output chunk along a dimension: the input block it reads and the selection inside it. */
interface Group {
  readonly inBlock: number;
  readonly sel: DimSel;
  readonly size: number;
}

function rangeGroups(chunks: readonly number[], start: number, step: number, count: number): Group[] {
  if (count === 0) return [{ inBlock: 0, sel: { s: 0, n: 0, st: 1 }, size: 0 }];
  const b = boundaries(chunks);
  const groups: Group[] = [];
  const order = step > 0 ? chunks.map((_, i) => i) : chunks.map((_, i) => chunks.length - 1 - i);
  const last = start + (count - 1) * step;
  for (const blk of order) {
    const lo = b[blk];
    const hi = b[blk + 1];
    let first: number;
    let n: number;
    if (step > 0) {
      if (hi <= start || lo > last) continue;
      first = lo <= start ? start : start + Math.ceil((lo - start) / step) * step;
      if (first >= hi || first > last) continue;
      n = Math.min(Math.floor((Math.min(hi - 1, last) - first) / step) + 1, count);
    } else {
      if (lo > start || hi - 1 < last) continue;
      first = hi - 1 >= start ? start : start + Math.ceil((hi - 1 - start) / step) * step;
      if (first < lo || first < last) continue;
      n = Math.floor((first - Math.max(lo, last)) / -step) + 1;
    }
    groups.push({ inBlock: blk, sel: { s: first - lo, n, st: step }, size: n });
  }
  return groups;
}

function listGroups(chunks: readonly number[], positions: readonly number[]): Group[] {
  if (!positions.length) return [{ inBlock: 0, sel: { ix: [] }, size: 0 }];
  const b = boundaries(chunks);
  const blockOf = (p: number): number => blockContaining(b, p);
  const groups: Group[] = [];
  let cur: number[] = [];
  let curBlock = -1;
  for (const p of positions) {
    const blk = blockOf(p);
    if (blk !== curBlock && cur.length) {
      groups.push({ inBlock: curBlock, sel: { ix: cur }, size: cur.length });
      cur = [];
    }
    curBlock = blk;
    cur.push(p - b[blk]);
  }
  groups.push({ inBlock: curBlock, sel: { ix: cur }, size: cur.length });
  return groups;
}

type DimPlan = { kind: 'drop'; group: Group } | { kind: 'keep'; groups: Group[] } | { kind: 'new' };

function maskPositions(mask: ArrayLike<number | boolean>, n: number, dim: number): number[] {
  if (mask.length !== n) throw new RangeError(`boolean index did not match indexed array along dimension ${dim}; dimension is ${n} but corresponding boolean dimension is ${mask.length}`);
  const out: number[] = [];
  for (let i = 0; i < n; i++) if (mask[i]) out.push(i);
  return out;
}

export function getitem(x: ChunkedArray<unknown>, index: readonly Index[]): ChunkedArray<unknown> {
  const lazy = index.filter((i): i is ChunkedArray<unknown> => i instanceof ChunkedArray);
  if (lazy.length) {
    if (lazy.length > 1) throw new RangeError('only one lazy boolean mask per index');
    const at = index.indexOf(lazy[0]);
    if (index.some((i, k) => k !== at && i !== ':' && i !== '...')) {
      throw new RangeError("a lazy boolean mask can be combined only with ':' and '...' entries: index in two steps");
    }
    const before = index.slice(0, at);
    const after = index.slice(at + 1).filter((i) => i === ':').length;
    const axis = before.includes('...') ? x.ndim - lazy[0].ndim - after : before.length;
    return lazyMask(x, lazy[0], axis);
  }
  if (hasUnknown(x) && index.some((i) => i !== ':' && i !== '...')) {
    throw new RangeError('indexing an array with unknown chunk sizes (after a lazy boolean mask): call computeChunkSizes() first');
  }
  // A full-shape boolean mask of an n-d array: flatten both.
  if (index.length === 1 && index[0] instanceof NDArray && index[0].dtype === 'bool' && x.ndim > 1) {
    const m = index[0];
    if (m.shape.length !== x.ndim || m.shape.some((s, d) => s !== x.shape[d])) throw new RangeError(`boolean index of shape [${m.shape.join(', ')}] does not match array of shape [${x.shape.join(', ')}]`);
    return getitem(ravelOf(x), [m.data as Uint8Array]);
  }
  const consumed = index.filter((i) => i !== null && i !== '...').length;
  const ell = index.filter((i) => i === '...').length;
  if (ell > 1) throw new RangeError("an index can only have a single ellipsis ('...')");
  if (consumed > x.ndim) throw new RangeError(`too many indices for array: array is ${x.ndim}-dimensional, but ${consumed} were indexed`);
  const full: Index[] = [];
  for (const i of index) {
    if (i === '...') for (let k = 0; k < x.ndim - consumed; k++) full.push(':');
    else full.push(i);
  }
  while (full.filter((i) => i !== null).length < x.ndim) full.push(':');

  const plans: DimPlan[] = [];
  let d = 0;
  for (const i of full) {
    if (i === null) {
      plans.push({ kind: 'new' });
      continue;
    }
    const n = x.shape[d];
    const chunks = x.chunks[d];
    if (typeof i === 'number') {
      if (!Number.isInteger(i)) throw new TypeError(`index ${i} is not an integer`);
      if (i < -n || i >= n) throw new RangeError(`index ${i} is out of bounds for axis ${d} with size ${n}`);
      plans.push({ kind: 'drop', group: listGroups(chunks, [i < 0 ? i + n : i])[0] });
    } else if (typeof i === 'string' || (typeof i === 'object' && !ArrayBuffer.isView(i) && !Array.isArray(i) && !(i instanceof NDArray))) {
      const sl = typeof i === 'string' ? (i.trim() === ':' ? {} : parseSlice(i)) : (i as Slice);
      const r = sliceRange(sl, n);
      plans.push({ kind: 'keep', groups: rangeGroups(chunks, r.start, r.step, r.count) });
    } else {
      let list: ArrayLike<number | boolean> = i instanceof NDArray ? (i.dtype === 'bool' ? Array.from(i.data, (v) => v !== 0) : i.numbers()) : (i as ArrayLike<number | boolean>);
      if (i instanceof Uint8Array && !(i instanceof NDArray)) list = Array.from(i, (v) => v !== 0);
      const isMask = list.length > 0 && typeof list[0] === 'boolean';
      const positions = isMask
        ? maskPositions(list, n, d)
        : Array.from(list as ArrayLike<number>, (p) => {
            if (!Number.isInteger(p)) throw new TypeError(`index ${p} is not an integer`);
            if (p < -n || p >= n) throw new RangeError(`index ${p} is out of bounds for axis ${d} with size ${n}`);
            return p < 0 ? p + n : p;
          });
      plans.push({ kind: 'keep', groups: listGroups(chunks, positions) });
    }
    d++;
  }
  const outPlans = plans.filter((p) => p.kind !== 'drop');
  const shape = outPlans.map((p) => (p.kind === 'new' ? 1 : p.groups.reduce((a, g) => a + g.size, 0)));
  const outChunks = outPlans.map((p) => (p.kind === 'new' ? [1] : p.groups.map((g) => g.size)));
  const name = `getitem-${tokenize(x.name, plans)}`;
  return fromBlocks('getitem', name, shape, outChunks, x.dtype, (idx, key) => {
    const src: number[] = [];
    const sel: DimSel[] = [];
    let o = 0;
    for (const p of plans) {
      if (p.kind === 'new') {
        o++;
        continue;
      }
      const g = p.kind === 'drop' ? p.group : p.groups[idx[o++]];
      src.push(g.inBlock);
      sel.push(g.sel);
    }
    const bshape = idx.map((b, k) => outChunks[k][b]);
    return arrayOps.selectBlock.task(key, lit(sel), lit(bshape), ref(x.key(src)));
  }, [x]);
}
