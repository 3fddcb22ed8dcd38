/**
 * moment (Dask's da.moment), average, cov and corrcoef: compositions of the package's fused
 * elementwise operations, tree reductions and matmul (no runtime of their own).
 */
import { checkOptions, optional, type OptionSchema } from '@pdask/core';
import type { ChunkedArray } from '../array';
import type { NDArray } from '../ndarray';
import { AXIS, NOT_YET } from '../options';
import { normalizeAxes } from '../reductions/reductions';
import { matmul } from '../linalg/matmul';
import { concatenate, expandDims, reshape, squeeze, transpose } from '../shape/shape';
import { operand, type A, type StatOperand } from './common';

type Result = ChunkedArray<NDArray | number>;

export interface MomentOptions {
  axis?: number | readonly number[] | null;
  keepdims?: boolean;
  ddof?: number;
}

const MOMENT_SCHEMA: OptionSchema<MomentOptions & { dtype?: unknown; splitEvery?: unknown; out?: unknown }> = {
  axis: AXIS,
  keepdims: 'boolean',
  ddof: 'integer',
  dtype: NOT_YET,
  splitEvery: NOT_YET,
  out: NOT_YET,
};

/** The order-th central moment: sum((x - mean)^order) / (n - ddof) over the axes. */
export function moment(x0: StatOperand, order: number, opts?: MomentOptions): Result {
  return momentWith('da.moment', x0, order, opts);
}

/** moment; `who` names the caller in errors. */
export function momentWith(who: string, x0: StatOperand, order: number, opts?: MomentOptions): Result {
  const o = checkOptions(who, opts, MOMENT_SCHEMA);
  const x = operand(x0, who);
  if (!Number.isInteger(order) || order < 0) throw new RangeError(`${who}: order must be a non-negative integer, got ${order}`);
  const axes = normalizeAxes(o.axis, x.ndim);
  const keepdims = o.keepdims ?? false;
  const n = axes.reduce((p, a) => p * x.shape[a], 1);
  const m = x.mean({ axis: axes, keepdims: true });
  const d = x.sub(m);
  const s = (order === 0 ? d.mul(0).add(1) : order === 1 ? d.mul(0) : d.pow(order)).sum({ axis: axes, keepdims });
  return s.div(n - (o.ddof ?? 0)) as Result;
}

export interface AverageOptions {
  axis?: number | readonly number[] | null;
  /** Same shape as the array, or 1-d along the (single) axis. */
  weights?: StatOperand;
  /** Also return the sum of the weights, broadcast to the average's shape. */
  returned?: boolean;
  keepdims?: boolean;
}

const AVERAGE_SCHEMA: OptionSchema<AverageOptions> = { axis: AXIS, weights: 'object', returned: optional('boolean'), keepdims: 'boolean' };

/** NumPy's average: sum(a * w) / sum(w) over the axes (the mean without weights). */
export function average(a0: StatOperand, opts?: AverageOptions & { returned?: false }): Result;
export function average(a0: StatOperand, opts: AverageOptions & { returned: true }): [Result, Result];
export function average(a0: StatOperand, opts?: AverageOptions): Result | [Result, Result] {
  const who = 'da.average';
  const o = checkOptions(who, opts, AVERAGE_SCHEMA);
  const a = operand(a0, who);
  const axes = normalizeAxes(o.axis, a.ndim);
  const keepdims = o.keepdims ?? false;
  if (o.weights === undefined) {
    const avg = a.mean({ axis: axes, keepdims }) as Result;
    if (!o.returned) return avg;
    const count = axes.reduce((p, d) => p * a.shape[d], 1);
    return [avg, avg.mul(0).add(count) as Result];
  }
  let w = operand(o.weights, who, 'weights');
  const same = w.ndim === a.ndim && w.shape.every((s, d) => s === a.shape[d]);
  if (!same) {
    if (o.axis === undefined || o.axis === null) throw new TypeError(`${who}: Axis must be specified when shapes of a and weights differ.`);
    if (w.ndim !== 1) throw new TypeError(`${who}: 1D weights expected when shapes of a and weights differ.`);
    if (axes.length !== 1 || w.shape[0] !== a.shape[axes[0]]) throw new RangeError(`${who}: Length of weights not compatible with specified axis.`);
    w = reshape(w, a.shape.map((s, d) => (d === axes[0] ? s : 1)));
  }
  const wb = w.add(a.mul(0)); // the weights broadcast to a's shape (NumPy sums them so)
  const scl = wb.sum({ axis: axes, keepdims }) as Result;
  const avg = a.mul(wb).sum({ axis: axes, keepdims }).div(scl) as Result;
  return o.returned ? [avg, scl] : avg;
}

export interface CovOptions {
  /** A second set of variables (rows, or columns with rowvar false), stacked after m's. */
  y?: StatOperand;
  /** Each row is a variable (true, the default) or each column. */
  rowvar?: boolean;
  /** Normalise by N (true) instead of N - 1. */
  bias?: boolean;
  ddof?: number;
}

const COV_SCHEMA: OptionSchema<CovOptions & { fweights?: unknown; aweights?: unknown; dtype?: unknown }> = {
  y: 'object',
  rowvar: 'boolean',
  bias: 'boolean',
  ddof: 'integer',
  fweights: NOT_YET,
  aweights: NOT_YET,
  dtype: NOT_YET,
};

function variables(x0: StatOperand, rowvar: boolean, who: string): A {
  const x = operand(x0, who);
  if (x.ndim > 2) throw new RangeError(`${who}: m has more than 2 dimensions`);
  const x2 = x.ndim < 2 ? expandDims(x.ndim === 0 ? reshape(x, [1]) : x, 0) : x;
  return !rowvar && x2.shape[0] !== 1 ? transpose(x2) : x2;
}

function centred(m: StatOperand, opts: CovOptions | undefined, who: string): { xc: A; fact: number } {
  const o = checkOptions(who, opts, COV_SCHEMA);
  const rowvar = o.rowvar ?? true;
  let x = variables(m, rowvar, who);
  if (o.y !== undefined) x = concatenate([x, variables(o.y, rowvar, who)], 0);
  const ddof = o.ddof ?? (o.bias ? 0 : 1);
  const fact = Math.max(0, x.shape[1] - ddof);
  const f = x.dtype === 'float64' || x.dtype === 'float32' ? x : x.astype('float64');
  return { xc: f.sub(f.mean({ axis: 1, keepdims: true })), fact };
}

/** NumPy's cov: the covariance matrix of the variables (squeezed, as NumPy). */
export function cov(m: StatOperand, opts?: CovOptions): Result {
  const { xc, fact } = centred(m, opts, 'da.cov');
  return squeeze(matmul(xc, transpose(xc)).div(fact)) as Result;
}

/** NumPy's corrcoef: cov normalised by the standard deviations, clipped to [-1, 1]. */
export function corrcoef(x: StatOperand, opts?: Omit<CovOptions, 'bias' | 'ddof'>): Result {
  const { xc } = centred(x, opts, 'da.corrcoef');
  const c = matmul(xc, transpose(xc));
  const sd = xc.mul(xc).sum({ axis: 1 }).sqrt();
  const r = c.div(expandDims(sd, 1)).div(expandDims(sd, 0)).clip(-1, 1);
  return squeeze(r) as Result;
}
