/**
 * Reductions whose statistic is not a few moments: idxmax/idxmin (the best value with its label),
 * quantiles and describe (every non-missing value, sorted, so the result is pandas' exact linear
 * interpolation), and corr/cov (pairwise co-moments). Each is a partial, a merge of partials and a
 * final step, run by core's tree reduction like the rows of REDUCTIONS.
 */
import { EMPTY_MOMENTS, mergeMoments, momentsMean, momentsStd, type Moments } from '@pdask/kernels';
import { makeVector, type Vector } from 'apache-arrow';
import { findColumn } from './frame';
import { kernels } from './kernels';
import { batchOf, decodePart, encodeBatch, type Part } from './part';
import { numbersAs } from './results';
import { valuesAtRanks } from './select';
import { bucketRun, outerBuckets, valuesAtRanksBucketed } from './select-bucketed';
import { keysOf, type SortKey } from './sort';
import { INDEX_COLUMN } from './spec';
import type { TypeDesc } from './types';
import { numericValues, stringVector, toFloat64 } from './values';

/**
 * The holistic reductions of Series and DataFrame (besides the rows of REDUCTIONS in reduce.ts):
 * what each needs from every partition. A test checks these and REDUCTIONS against the methods.
 */
export const STAT_REDUCTIONS = {
  idxmax: { partial: 'the largest value and its label' },
  idxmin: { partial: 'the smallest value and its label' },
  quantile: { partial: 'the sorted non-missing values' },
} as const;

// ---- idxmax / idxmin ----

export type IdxOp = 'idxmax' | 'idxmin';

/** The best value so far and its label (a row position counted from the first partition when the frame has no index). */
export interface IdxStat {
  value: number;
  label: SortKey | null;
  /** Rows seen (to offset later row positions). */
  rows: number;
  sawNaN: boolean;
}

const better = (op: IdxOp, x: number, best: number): boolean => best !== best || (op === 'idxmax' ? x > best : x < best);

export const idxPartial = (part: Part, columns: readonly string[], op: IdxOp): IdxStat[] => {
  const b = decodePart(part);
  const labels = b.names.includes(INDEX_COLUMN) ? keysOf(findColumn(b, INDEX_COLUMN)) : null;
  return columns.map((c) => {
    const x = toFloat64(findColumn(b, c));
    let best = NaN;
    let at = -1;
    let sawNaN = false;
    for (let i = 0; i < x.length; i++) {
      const v = x[i];
      if (v !== v) sawNaN = true;
      else if (better(op, v, best)) {
        best = v;
        at = i;
      }
    }
    return { value: best, label: at < 0 ? null : labels ? labels[at] : at, rows: b.numRows, sawNaN };
  });
};

/** Partials in row order merged: ties keep the first label, as pandas. */
export const idxCombine = (parts: readonly (readonly IdxStat[])[], op: IdxOp, positional: boolean): IdxStat[] =>
  parts[0].map((_, j) => {
    let acc: IdxStat = { value: NaN, label: null, rows: 0, sawNaN: false };
    for (const p of parts) {
      const s = p[j];
      const label = positional && s.label !== null ? (s.label as number) + acc.rows : s.label;
      const take = s.label !== null && better(op, s.value, acc.value);
      acc = { value: take ? s.value : acc.value, label: take ? label : acc.label, rows: acc.rows + s.rows, sawNaN: acc.sawNaN || s.sawNaN };
    }
    return acc;
  });

const finalLabel = (s: IdxStat, skipna: boolean, offset: number): SortKey | null =>
  (!skipna && s.sawNaN) || s.label === null ? null : typeof s.label === 'number' ? s.label + offset : s.label;

/** A series' label (null where pandas gives NaN: all missing, or a NaN with skipna false). */
export const idxScalar = (parts: readonly (readonly IdxStat[])[], op: IdxOp, positional: boolean, skipna: boolean, offset: number): SortKey | null =>
  finalLabel(idxCombine(parts, op, positional)[0], skipna, offset);

/** A frame's labels, one per column, indexed by the column names; the labels of the index's dtype. */
export const idxSeries = (parts: readonly (readonly IdxStat[])[], columns: readonly string[], op: IdxOp, positional: boolean, skipna: boolean, offset: number, name: string, type: TypeDesc): Part => {
  const labels = idxCombine(parts, op, positional).map((s) => finalLabel(s, skipna, offset));
  const values = type.id === 'utf8' ? stringVector(labels.map((l) => (l === null ? null : String(l)))) : numbersAs(Float64Array.from(labels, (l) => (l === null ? NaN : Number(l))), type);
  return encodeBatch(batchOf([INDEX_COLUMN, name], [stringVector([...columns]), values]));
};

// ---- quantiles and describe ----

/**
 * A column's moments (count, mean, std as the reductions compute them), its non-missing values (one
 * chunk per partition, unsorted) and their extremes. The final step picks the few order statistics
 * its quantiles need from the values (selectRanks), which is linear where sorting every partition
 * and merging the sorted runs was not.
 */
export interface Sorted {
  moments: Moments;
  runs: Float64Array[];
  min: number;
  max: number;
  /** Where each bucket of each run starts, when every run is grouped by bucket (select-bucketed.ts). */
  starts?: Int32Array[];
}

/** The non-missing values of x. */
function presentValues(x: Float64Array): Float64Array {
  let n = 0;
  for (let i = 0; i < x.length; i++) if (x[i] === x[i]) n++;
  if (n === x.length) return x;
  const out = new Float64Array(n);
  let k = 0;
  for (let i = 0; i < x.length; i++) if (x[i] === x[i]) out[k++] = x[i];
  return out;
}

export const sortedPartial = (part: Part, columns: readonly string[]): Sorted[] => {
  const b = decodePart(part);
  return columns.map((c) => {
    const v = findColumn(b, c);
    const x = numericValues(v, c);
    const moments = x.length === 0 ? EMPTY_MOMENTS : kernels().moments(x, { skipna: true });
    const values = presentValues(toFloat64(v));
    // Grouped by bucket here, in parallel, so that the final step reads only the wanted buckets;
    // the extremes are then in the first and last non-empty buckets.
    const grouped = values.length ? bucketRun(values) : null;
    const [lo, hi] = grouped ? outerBuckets(grouped) : [values, values];
    let min = Infinity;
    let max = -Infinity;
    for (let i = 0; i < lo.length; i++) if (lo[i] < min || (lo[i] === 0 && min === 0 && Object.is(lo[i], -0))) min = lo[i];
    for (let i = 0; i < hi.length; i++) if (hi[i] > max || (hi[i] === 0 && max === 0 && Object.is(max, -0))) max = hi[i];
    if (grouped) return { moments, runs: [grouped.values], min, max, starts: [grouped.starts] };
    return { moments, runs: values.length ? [values] : [], min, max };
  });
};

export const sortedCombine = (parts: readonly (readonly Sorted[])[]): Sorted[] =>
  parts[0].map((_, j) =>
    parts
      .map((p) => p[j])
      .reduce((a, s) => ({ moments: mergeMoments(a.moments, s.moments), runs: [...a.runs, ...s.runs], min: lowest(a.min, s.min), max: highest(a.max, s.max), ...(a.starts && s.starts ? { starts: [...a.starts, ...s.starts] } : {}) })),
  );

// As the sorted values' first and last: -0 below +0.
const lowest = (a: number, b: number): number => (a < b || (a === b && Object.is(a, -0)) ? a : b);
const highest = (a: number, b: number): number => (a > b || (a === b && Object.is(a, 0)) ? a : b);

const countOf = (runs: readonly Float64Array[]): number => runs.reduce((n, r) => n + r.length, 0);

/** The ranks (0-based) of the values the linear interpolation of quantile q reads. */
function quantileRanks(n: number, q: number): { lo: number; hi: number; gamma: number } {
  const qq = (q * 100) / 100;
  const virtual = n * qq + (1 + qq * (1 - 1 - 1)) - 1;
  const lo = Math.floor(virtual);
  return { lo: Math.min(Math.max(lo, 0), n - 1), hi: Math.min(Math.max(lo + 1, 0), n - 1), gamma: virtual - lo };
}

/**
 * NumPy 1.24's `percentile(x, q * 100, method='linear')` of sorted values, which pandas 1.5's
 * quantile calls: the same virtual index and the same two-sided interpolation, so the result is
 * pandas' to the last bit.
 */
export function quantileOf(runs: readonly Float64Array[], q: number, starts?: readonly Int32Array[]): number {
  return quantilesOfRuns(runs, [q], starts)[0];
}

/** Several quantiles of the same values (one selection for all of them). */
function quantilesOfRuns(runs: readonly Float64Array[], qs: readonly number[], starts?: readonly Int32Array[]): Float64Array {
  const n = countOf(runs);
  if (n === 0) return new Float64Array(qs.length).fill(NaN);
  const at = qs.map((q) => quantileRanks(n, q));
  const ranks = at.flatMap((r) => [r.lo, r.hi]);
  const x = starts && starts.length === runs.length ? valuesAtRanksBucketed(runs.map((values, i) => ({ values, starts: starts[i] })), ranks) : valuesAtRanks(runs, ranks);
  return Float64Array.from(at, ({ gamma }, i) => {
    const a = x[2 * i];
    const b = x[2 * i + 1];
    const diff = b - a;
    return gamma >= 0.5 ? b - diff * (1 - gamma) : a + diff * gamma;
  });
}

const quantilesOf = (s: Sorted, qs: readonly number[]): Float64Array => quantilesOfRuns(s.runs, qs, s.starts);

export const quantileScalar = (parts: readonly (readonly Sorted[])[], q: number): number => quantilesOf(sortedCombine(parts)[0], [q])[0];

/** One value per column (index: the column names), or one per q (index: the q's). */
export const quantileSeries = (parts: readonly (readonly Sorted[])[], qs: readonly number[], by: 'column' | 'q', columns: readonly string[], name: string): Part => {
  const merged = sortedCombine(parts);
  if (by === 'column') {
    return encodeBatch(batchOf([INDEX_COLUMN, name], [stringVector([...columns]), makeVector(Float64Array.from(merged, (s) => quantilesOf(s, [qs[0]])[0]))]));
  }
  return encodeBatch(batchOf([INDEX_COLUMN, name], [makeVector(Float64Array.from(qs)), makeVector(quantilesOf(merged[0], qs))]));
};

/** A frame indexed by the q's, a column per input column. */
export const quantileFrame = (parts: readonly (readonly Sorted[])[], qs: readonly number[], columns: readonly string[]): Part => {
  const merged = sortedCombine(parts);
  return encodeBatch(batchOf([INDEX_COLUMN, ...columns], [makeVector(Float64Array.from(qs)), ...merged.map((s) => makeVector(quantilesOf(s, qs)))]));
};

function describeValues(s: Sorted, percentiles: readonly number[]): Float64Array {
  const n = countOf(s.runs);
  return Float64Array.from([n, momentsMean(s.moments), momentsStd(s.moments, 1), n ? s.min : NaN, ...quantilesOf(s, percentiles), n ? s.max : NaN]);
}

/** pandas' describe of numeric columns: count, mean, std, min, the percentiles, max. */
export const describeFrame = (parts: readonly (readonly Sorted[])[], columns: readonly string[], percentiles: readonly number[], labels: readonly string[], seriesName: string | null): Part => {
  const merged = sortedCombine(parts);
  const index = stringVector([...labels]);
  if (seriesName !== null) return encodeBatch(batchOf([INDEX_COLUMN, seriesName], [index, makeVector(describeValues(merged[0], percentiles))]));
  return encodeBatch(batchOf([INDEX_COLUMN, ...columns], [index, ...merged.map((s) => makeVector(describeValues(s, percentiles)))]));
};

// ---- corr / cov ----

/** Co-moments of a pair of columns over the rows where both are present: count, means, sums of squared and crossed deviations. */
export interface CoMoments {
  n: number;
  mx: number;
  my: number;
  sxx: number;
  syy: number;
  sxy: number;
}

const EMPTY_CO: CoMoments = { n: 0, mx: 0, my: 0, sxx: 0, syy: 0, sxy: 0 };

function coMomentsOf(x: Float64Array, y: Float64Array): CoMoments {
  // Two passes (means, then deviations), as pandas' nancorr, over the rows both have.
  let n = 0;
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < x.length; i++) {
    if (x[i] !== x[i] || y[i] !== y[i]) continue;
    n++;
    sx += x[i];
    sy += y[i];
  }
  if (n === 0) return EMPTY_CO;
  const mx = sx / n;
  const my = sy / n;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (let i = 0; i < x.length; i++) {
    if (x[i] !== x[i] || y[i] !== y[i]) continue;
    const dx = x[i] - mx;
    const dy = y[i] - my;
    sxx += dx * dx;
    syy += dy * dy;
    sxy += dx * dy;
  }
  return { n, mx, my, sxx, syy, sxy };
}

/** Chan et al.'s parallel update: the co-moments of two disjoint sets of rows. */
function mergeCo(a: CoMoments, b: CoMoments): CoMoments {
  if (a.n === 0) return b;
  if (b.n === 0) return a;
  const n = a.n + b.n;
  const dx = b.mx - a.mx;
  const dy = b.my - a.my;
  const f = (a.n * b.n) / n;
  return { n, mx: a.mx + (dx * b.n) / n, my: a.my + (dy * b.n) / n, sxx: a.sxx + b.sxx + dx * dx * f, syy: a.syy + b.syy + dy * dy * f, sxy: a.sxy + b.sxy + dx * dy * f };
}

/** Co-moments of every pair (i <= j) of a partition's columns, row-major. */
export const coPartial = (part: Part, columns: readonly string[]): CoMoments[] => {
  const b = decodePart(part);
  const xs = columns.map((c) => toFloat64(findColumn(b, c)));
  const out: CoMoments[] = [];
  for (let i = 0; i < xs.length; i++) for (let j = i; j < xs.length; j++) out.push(coMomentsOf(xs[i], xs[j]));
  return out;
};

/** Co-moments of one column of each of two partitions holding the same labels (an aligned pair of series). */
export const coPairPartial = (a: Part, columnA: string, b: Part, columnB: string): CoMoments[] => [
  coMomentsOf(toFloat64(findColumn(decodePart(a), columnA)), toFloat64(findColumn(decodePart(b), columnB))),
];

export const coCombine = (parts: readonly (readonly CoMoments[])[]): CoMoments[] => parts[0].map((_, j) => parts.map((p) => p[j]).reduce(mergeCo, EMPTY_CO));

export type CoKind = 'corr' | 'cov';

function coValue(m: CoMoments, kind: CoKind, minPeriods: number, ddof: number): number {
  if (m.n < Math.max(1, minPeriods)) return NaN;
  if (kind === 'cov') return m.n - ddof > 0 ? m.sxy / (m.n - ddof) : NaN;
  const d = Math.sqrt(m.sxx * m.syy);
  return d !== 0 ? m.sxy / d : NaN;
}

export const coScalar = (parts: readonly (readonly CoMoments[])[], kind: CoKind, minPeriods: number, ddof: number): number => coValue(coCombine(parts)[0], kind, minPeriods, ddof);

/** The matrix as a frame indexed by the column names. */
export const coFrame = (parts: readonly (readonly CoMoments[])[], columns: readonly string[], kind: CoKind, minPeriods: number, ddof: number): Part => {
  const merged = coCombine(parts);
  const k = columns.length;
  const m = Array.from({ length: k }, () => new Float64Array(k));
  let at = 0;
  for (let i = 0; i < k; i++) {
    for (let j = i; j < k; j++) {
      const v = coValue(merged[at++], kind, minPeriods, ddof);
      // The diagonal of a correlation is exactly 1 where defined (pandas computes it so too).
      m[i][j] = m[j][i] = kind === 'corr' && i === j && v === v ? 1 : v;
    }
  }
  const vectors: Vector[] = m.map((col) => makeVector(col));
  return encodeBatch(batchOf([INDEX_COLUMN, ...columns], [stringVector([...columns]), ...vectors]));
};
