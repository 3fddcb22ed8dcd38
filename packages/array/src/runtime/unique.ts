/**
 * unique (with first indices and counts) as a tree: each block's sorted distinct values, merged
 * pairwise up the tree; the inverse is a search of every element in the final values. Integer
 * blocks of a small value range are counted in a table instead of sorted (the common case of
 * many repeats, and the benchmark's).
 */
import type { DType } from '../dtype';
import type { Block } from './block';
import { asFloat64, compareNanLast, indexBlock, searchSorted, typedBlock } from './numeric';

export interface UniqueFlags {
  readonly index: boolean;
  readonly counts: boolean;
}

export interface UniquePart {
  /** Sorted distinct values (NaN once, last), as float64 numbers. */
  readonly values: Float64Array;
  readonly dtype: DType;
  /** Position of each value's first occurrence in the flattened array. */
  readonly index: Float64Array | null;
  readonly counts: Float64Array | null;
}

const INTEGRAL: readonly DType[] = ['int64', 'int32', 'uint8', 'bool'];

export function uniqueChunk(flags: UniqueFlags, offset: number, b: Block): UniquePart {
  const v = asFloat64(b.data);
  const n = v.length;
  if (n && INTEGRAL.includes(b.dtype)) {
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < n; i++) {
      const x = v[i];
      if (x < lo) lo = x;
      if (x > hi) hi = x;
    }
    const span = hi - lo + 1;
    if (span <= Math.max(1 << 20, 2 * n)) return byTable(flags, offset, v, lo, span, b.dtype);
  }
  return bySort(flags, offset, v, b.dtype);
}

function byTable(flags: UniqueFlags, offset: number, v: Float64Array, lo: number, span: number, dtype: DType): UniquePart {
  const c = new Uint32Array(span);
  const first = flags.index ? new Float64Array(span).fill(-1) : null;
  const n = v.length;
  if (first) {
    for (let i = 0; i < n; i++) {
      const s = v[i] - lo;
      if (c[s]++ === 0) first[s] = offset + i;
    }
  } else for (let i = 0; i < n; i++) c[v[i] - lo]++;
  let m = 0;
  for (let s = 0; s < span; s++) if (c[s]) m++;
  const values = new Float64Array(m);
  const index = first ? new Float64Array(m) : null;
  const counts = flags.counts ? new Float64Array(m) : null;
  for (let s = 0, j = 0; s < span; s++) {
    if (!c[s]) continue;
    values[j] = lo + s;
    if (index && first) index[j] = first[s];
    if (counts) counts[j] = c[s];
    j++;
  }
  return { values, dtype, index, counts };
}

function bySort(flags: UniqueFlags, offset: number, v: Float64Array, dtype: DType): UniquePart {
  const n = v.length;
  if (!flags.index) {
    const s = Float64Array.from(v).sort();
    return dedupe(s, null, flags.counts ? new Float64Array(n).fill(1) : null, dtype);
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((p, q) => compareNanLast(v[p], v[q]) || p - q);
  const s = new Float64Array(n);
  const idx = new Float64Array(n);
  order.forEach((p, j) => {
    s[j] = v[p];
    idx[j] = offset + p;
  });
  return dedupe(s, idx, flags.counts ? new Float64Array(n).fill(1) : null, dtype);
}

/** Runs of equal sorted values (NaNs equal, as NumPy's equal_nan) to one each: least index, summed counts. */
function dedupe(s: Float64Array, idx: Float64Array | null, cnt: Float64Array | null, dtype: DType): UniquePart {
  const values: number[] = [];
  const index: number[] = [];
  const counts: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const x = s[i];
    const j = values.length - 1;
    if (j >= 0 && (values[j] === x || (x !== x && values[j] !== values[j]))) {
      if (idx && idx[i] < index[j]) index[j] = idx[i];
      if (cnt) counts[j] += cnt[i];
    } else {
      values.push(x);
      if (idx) index.push(idx[i]);
      if (cnt) counts.push(cnt[i]);
    }
  }
  return { values: Float64Array.from(values), dtype, index: idx ? Float64Array.from(index) : null, counts: cnt ? Float64Array.from(counts) : null };
}

export function uniqueCombine(...parts: UniquePart[]): UniquePart {
  if (parts.length === 1) return parts[0];
  const n = parts.reduce((a, p) => a + p.values.length, 0);
  const all = new Float64Array(n);
  const idx = parts[0].index ? new Float64Array(n) : null;
  const cnt = parts[0].counts ? new Float64Array(n) : null;
  let at = 0;
  for (const p of parts) {
    all.set(p.values, at);
    if (idx && p.index) idx.set(p.index, at);
    if (cnt && p.counts) cnt.set(p.counts, at);
    at += p.values.length;
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((p, q) => compareNanLast(all[p], all[q]));
  const s = Float64Array.from(order, (i) => all[i]);
  return dedupe(s, idx ? Float64Array.from(order, (i) => idx[i]) : null, cnt ? Float64Array.from(order, (i) => cnt[i]) : null, parts[0].dtype);
}

/** One output of unique: the values (in the input's dtype), first indices or counts. */
export function uniqueField(field: 'values' | 'index' | 'counts', p: UniquePart): Block {
  if (field === 'values') return typedBlock(p.dtype, [p.values.length], p.values);
  const src = (field === 'index' ? p.index : p.counts) as Float64Array;
  return indexBlock([src.length], src);
}

/** The position in the unique values of every element of a block (NumPy's return_inverse). */
export function uniqueInverse(p: UniquePart, b: Block): Block {
  const v = asFloat64(b.data);
  const out = new Float64Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = searchSorted(p.values, v[i], false);
  return indexBlock(b.shape, out);
}

/** Whether each element of `el` is among the test blocks' values (NaN never is, as NumPy's ==). */
export function isinBlock(invert: boolean, el: Block, ...tests: Block[]): Block {
  const all: number[] = [];
  for (const t of tests) for (const x of asFloat64(t.data)) if (x === x) all.push(x);
  const sorted = Float64Array.from(all).sort();
  const v = asFloat64(el.data);
  const out = new Uint8Array(v.length);
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    let hit = false;
    if (x === x) {
      const j = searchSorted(sorted, x, false);
      hit = j < sorted.length && sorted[j] === x;
    }
    out[i] = hit !== invert ? 1 : 0;
  }
  return { dtype: 'bool', shape: [...el.shape], data: out };
}
