/**
 * resample over a datetime index: each partition sums up its rows per time bin (bins of a fixed
 * frequency from midnight of the first day, closed and labelled on the left, as pandas' default
 * origin 'start_day'); output partition i holds the bins whose labels fall in its division range,
 * merging the statistics of every input partition that has rows in them (a bin may straddle
 * partitions). Every bin between the first and the last is listed, empty ones too, as pandas does.
 */
import { bigColumn } from '../types/big-vectors';
import { findColumn } from './frame';
import { cellsVector } from './group-cells';
import { decodePart, encodeBatch, type Part } from './part';
import { INDEX_COLUMN } from './spec';
import type { TypeDesc } from './types';
import { toFloat64 } from './values';

export type ResampleAgg = 'sum' | 'mean' | 'count' | 'min' | 'max' | 'first' | 'last' | 'std' | 'var' | 'size';

export interface ResampleSpec {
  columns: string[];
  /** Bin width and origin in nanoseconds (decimal strings). */
  freq: string;
  origin: string;
  ddof: number;
}

/** Per column and bin: count, sum, mean and M2 (Welford, merged with Chan's formula), min, max, first, last. */
interface Stat {
  n: number;
  rows: number;
  sum: number;
  mean: number;
  m2: number;
  min: number;
  max: number;
  first: number;
  last: number;
}

export interface ResamplePartial {
  /** Bin labels (ns, decimal strings), ascending. */
  bins: string[];
  stats: Stat[][];
}

const fresh = (): Stat => ({ n: 0, rows: 0, sum: 0, mean: 0, m2: 0, min: NaN, max: NaN, first: NaN, last: NaN });

function merge(a: Stat, b: Stat): Stat {
  if (b.rows === 0) return a;
  if (a.rows === 0) return b;
  const n = a.n + b.n;
  const d = b.mean - a.mean;
  return {
    n,
    rows: a.rows + b.rows,
    sum: a.sum + b.sum,
    mean: n ? a.mean + (d * b.n) / n : 0,
    m2: n ? a.m2 + b.m2 + (d * d * a.n * b.n) / n : 0,
    min: a.n === 0 ? b.min : b.n === 0 ? a.min : Math.min(a.min, b.min),
    max: a.n === 0 ? b.max : b.n === 0 ? a.max : Math.max(a.max, b.max),
    first: a.n ? a.first : b.first,
    last: b.n ? b.last : a.last,
  };
}

const binOf = (t: bigint, origin: bigint, freq: bigint): bigint => {
  const k = (t - origin) / freq;
  return origin + (t - origin < 0n && (t - origin) % freq !== 0n ? k - 1n : k) * freq;
};

export const resamplePartial = (part: Part, spec: ResampleSpec): ResamplePartial => {
  const b = decodePart(part);
  const times = bigColumn(findColumn(b, INDEX_COLUMN)).values as BigInt64Array;
  const freq = BigInt(spec.freq);
  const origin = BigInt(spec.origin);
  const cols = spec.columns.map((c) => toFloat64(findColumn(b, c)));
  const at = new Map<bigint, number>();
  const bins: bigint[] = [];
  const stats: Stat[][] = spec.columns.map(() => []);
  for (let i = 0; i < times.length; i++) {
    const bin = binOf(times[i], origin, freq);
    let j = at.get(bin);
    if (j === undefined) {
      j = bins.length;
      at.set(bin, j);
      bins.push(bin);
      for (const s of stats) s.push(fresh());
    }
    cols.forEach((v, c) => {
      const x = v[i];
      const s = stats[c][j!];
      if (x !== x) s.rows++;
      else stats[c][j!] = merge(s, { n: 1, rows: 1, sum: x, mean: x, m2: 0, min: x, max: x, first: x, last: x });
    });
  }
  const order = bins.map((_, i) => i).sort((p, q) => (bins[p] < bins[q] ? -1 : bins[p] > bins[q] ? 1 : 0));
  return { bins: order.map((i) => String(bins[i])), stats: stats.map((s) => order.map((i) => s[i])) };
};

function finish(s: Stat, agg: ResampleAgg, ddof: number): number {
  switch (agg) {
    case 'sum':
      return s.sum;
    case 'count':
      return s.n;
    case 'size':
      return s.rows;
    case 'mean':
      return s.n ? s.mean : NaN;
    case 'min':
      return s.min;
    case 'max':
      return s.max;
    case 'first':
      return s.first;
    case 'last':
      return s.last;
    case 'var':
    case 'std': {
      const v = s.n - ddof > 0 ? s.m2 / (s.n - ddof) : NaN;
      return agg === 'std' ? Math.sqrt(v) : v;
    }
  }
}

/**
 * The bins [lo, hi) (both ns, decimal strings) from the partials of the input partitions that
 * reach them, merged in partition order; one column per output.
 */
export const resampleFinal = (parts: readonly ResamplePartial[], spec: ResampleSpec, lo: string, hi: string, outputs: readonly { out: string; column: string; agg: ResampleAgg; type: TypeDesc }[], indexType: TypeDesc): Part => {
  const freq = BigInt(spec.freq);
  const from = BigInt(lo);
  const to = BigInt(hi);
  const nbins = to > from ? Number((to - from + freq - 1n) / freq) : 0;
  const merged = spec.columns.map(() => Array.from({ length: nbins }, fresh));
  for (const p of parts) {
    p.bins.forEach((text, j) => {
      const bin = BigInt(text);
      if (bin < from || bin >= to) return;
      const k = Number((bin - from) / freq);
      spec.columns.forEach((_, c) => (merged[c][k] = merge(merged[c][k], p.stats[c][j])));
    });
  }
  const labels = Array.from({ length: nbins }, (_, k) => from + BigInt(k) * freq);
  const names = [INDEX_COLUMN, ...outputs.map((o) => o.out)];
  const vectors = [
    cellsVector(labels, indexType),
    ...outputs.map((o) => {
      const c = spec.columns.indexOf(o.column);
      return cellsVector(merged[c].map((s) => {
        const v = finish(s, o.agg, spec.ddof);
        return v !== v ? null : v;
      }), o.type);
    }),
  ];
  return encodeBatch({ numRows: nbins, names, vectors });
};
