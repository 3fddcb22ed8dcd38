/**
 * One rolling window's statistic, as pandas' rolling aggregations compute it: missing values (NaN)
 * are skipped, and a window with fewer than `minPeriods` values gives NaN. Windows are small, so
 * each is summed afresh (no running sums whose rounding would drift over a partition).
 */
import type { OpFunction } from '@pdask/core';

export type WindowAgg = 'mean' | 'sum' | 'min' | 'max' | 'std' | 'var' | 'count' | 'apply';

export interface WindowSpec {
  agg: WindowAgg;
  minPeriods: number;
  ddof: number;
}

/** The statistic of `vals[lo, hi)` (NaN = missing); `fn` is apply's user function (raw values). */
export function windowValue(vals: Float64Array, lo: number, hi: number, spec: WindowSpec, fn: OpFunction | null): number {
  let n = 0;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = lo; i < hi; i++) {
    const v = vals[i];
    if (v !== v) continue;
    n++;
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (spec.agg === 'count') return n >= spec.minPeriods ? n : NaN;
  if (n < spec.minPeriods || (n === 0 && spec.agg !== 'sum' && spec.agg !== 'apply')) return NaN;
  switch (spec.agg) {
    case 'sum':
      return sum;
    case 'mean':
      return sum / n;
    case 'min':
      return min;
    case 'max':
      return max;
    case 'var':
    case 'std': {
      if (n - spec.ddof <= 0) return NaN;
      const mean = sum / n;
      let ss = 0;
      for (let i = lo; i < hi; i++) if (vals[i] === vals[i]) ss += (vals[i] - mean) ** 2;
      const v = ss / (n - spec.ddof);
      return spec.agg === 'std' ? Math.sqrt(v) : v;
    }
    case 'apply': {
      const r = fn!(vals.slice(lo, hi)) as unknown;
      if (typeof r !== 'number') throw new TypeError(`rolling apply: the function returned ${typeof r}; it must return a number for each window`);
      return r;
    }
  }
}
