/**
 * Rolling windows across partitions (Dask's map_overlap): each partition is computed with the rows
 * of the partitions before it that its first windows reach (and, for centred windows, the rows
 * after it). The carries are chains, so a window may reach over several small or empty
 * partitions, where Dask's map_overlap takes only the neighbouring partition's tail. Windows are
 * a count of rows, or a time span `(t - span, t]` over a sorted datetime index.
 */
import type { OpFunction } from '@pdask/core';
import { bigColumn } from '../types/big-vectors';
import { findColumn } from './frame';
import { batchOf, decodePart, encodeBatch, type Part } from './part';
import { INDEX_COLUMN, indexColumnsOf } from './spec';
import { numbersAs } from './results';
import { toFloat64 } from './values';
import { windowValue, type WindowSpec } from './window';

export interface RollingSpec {
  columns: string[];
  /** Rows in a window (row windows). */
  rows?: number;
  /** The time span in nanoseconds, as a decimal string (time windows over the index). */
  span?: string;
  center: boolean;
  window: WindowSpec;
}

/** Rows carried to a neighbour: each column's values, and the index times for time windows. */
export interface Carry {
  values: Float64Array[];
  times: BigInt64Array | null;
}

const F64 = { id: 'float', bits: 64 } as const;

function rowsOf(part: Part, spec: RollingSpec): Carry {
  const b = decodePart(part);
  return { values: spec.columns.map((c) => toFloat64(findColumn(b, c))), times: spec.span !== undefined ? (bigColumn(findColumn(b, INDEX_COLUMN)).values as BigInt64Array) : null };
}

function join(a: Carry | null, b: Carry): Carry {
  if (!a) return b;
  const cat = (x: Float64Array, y: Float64Array) => {
    const out = new Float64Array(x.length + y.length);
    out.set(x);
    out.set(y, x.length);
    return out;
  };
  let times: BigInt64Array | null = null;
  if (a.times && b.times) {
    times = new BigInt64Array(a.times.length + b.times.length);
    times.set(a.times);
    times.set(b.times, a.times.length);
  }
  return { values: a.values.map((v, j) => cat(v, b.values[j])), times };
}

function slice(c: Carry, lo: number, hi: number): Carry {
  return { values: c.values.map((v) => v.slice(lo, hi)), times: c.times ? c.times.slice(lo, hi) : null };
}

const length = (c: Carry): number => c.values[0]?.length ?? c.times?.length ?? 0;

/** Rows a centred row window takes before and after its row (pandas' centring). */
export function reach(spec: RollingSpec): { before: number; after: number } {
  const w = spec.rows ?? 0;
  const after = spec.center ? Math.floor((w - 1) / 2) : 0;
  return { before: w - 1 - after, after };
}

/** The rows of (carry before, this partition) that windows of later partitions can reach. */
export const rollingTail = (part: Part, prev: Carry | null, spec: RollingSpec): Carry => {
  const all = join(prev, rowsOf(part, spec));
  const n = length(all);
  if (spec.span !== undefined) {
    if (n === 0) return all;
    const from = all.times![n - 1] - BigInt(spec.span);
    let lo = n;
    while (lo > 0 && all.times![lo - 1] > from) lo--;
    return slice(all, lo, n);
  }
  return slice(all, Math.max(0, n - reach(spec).before), n);
};

/** The first rows of (this partition, carry after) that centred windows of earlier partitions reach. */
export const rollingHead = (part: Part, next: Carry | null, spec: RollingSpec): Carry => {
  const own = rowsOf(part, spec);
  const all = next ? join(own, next) : own;
  return slice(all, 0, Math.min(length(all), reach(spec).after));
};

export const rollingApply = (part: Part, before: Carry | null, after: Carry | null, spec: RollingSpec, fn: OpFunction | null): Part => {
  const b = decodePart(part);
  const own = rowsOf(part, spec);
  const pre = before ? length(before) : 0;
  const all = join(before, after ? join(own, after) : own);
  const n = b.numRows;
  const total = length(all);
  const out = spec.columns.map(() => new Float64Array(n));
  if (spec.span !== undefined) {
    const span = BigInt(spec.span);
    const t = all.times!;
    let lo = 0;
    for (let i = pre; i < pre + n; i++) {
      if (i > pre && t[i] < t[i - 1]) throw new Error('rolling: the index is not sorted within a partition; time windows need a sorted datetime index');
      while (t[lo] <= t[i] - span) lo++;
      spec.columns.forEach((_, j) => (out[j][i - pre] = windowValue(all.values[j], lo, i + 1, spec.window, fn)));
    }
  } else {
    const { before: k, after: a } = reach(spec);
    for (let i = pre; i < pre + n; i++) {
      const lo = i - k;
      const hi = i + a + 1;
      // Windows reaching past the frame's first or last row hold only the rows there are.
      spec.columns.forEach((_, j) => (out[j][i - pre] = windowValue(all.values[j], Math.max(0, lo), Math.min(total, hi), spec.window, fn)));
    }
  }
  const idx = indexColumnsOf(b.names);
  return encodeBatch(batchOf([...idx, ...spec.columns], [...idx.map((c) => findColumn(b, c)), ...out.map((o) => numbersAs(o, F64))]));
};
