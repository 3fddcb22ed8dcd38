/** diff (shifted slices subtracted, as Dask) and gradient (central differences, NumPy's edges). */
import { checkOptions, type OptionSchema } from '@pdask/core';
import { ChunkedArray } from '../array';
import { asArray } from '../creation/from-array';
import { full } from '../creation/creation';
import { astype, binary, type Operand } from '../elementwise/build';
import { isFloat } from '../dtype';
import type { NDArray } from '../ndarray';
import { NOT_YET } from '../options';
import { rechunk } from '../rechunk/rechunk';
import { concatenate } from '../shape/shape';
import { getitem, type Index } from '../slicing/slicing';
import { broadcastTo } from './broadcast';

type A = ChunkedArray<unknown>;

const along = (x: A, axis: number, entry: string): A => getitem(x, x.shape.map((_, d): Index => (d === axis ? entry : ':')));

function axisOf(axis: number, nd: number, fn: string): number {
  if (!Number.isInteger(axis) || axis < -nd || axis >= nd) throw new RangeError(`${fn}: axis ${axis} is out of bounds for array of dimension ${nd}`);
  return axis < 0 ? axis + nd : axis;
}

export interface DiffOptions {
  /** Values put before the array along the axis (a number: one row of it). */
  prepend?: Operand;
  /** Values put after the array along the axis. */
  append?: Operand;
}
const DIFF: OptionSchema<DiffOptions> = { prepend: 'any', append: 'any' };

/** NumPy's `diff`: the n-th discrete difference along `axis` (bools: not-equal, as NumPy). */
export function diff(x: A, n = 1, axis = -1, options?: DiffOptions): ChunkedArray<NDArray> {
  const opts = checkOptions('da.diff', options, DIFF) ?? {};
  if (x.ndim === 0) throw new RangeError('diff requires input that is at least one dimensional');
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`order must be non-negative but got ${n}`);
  const ax = axisOf(axis, x.ndim, 'diff');
  const extra = (v: Operand | undefined): A | null => {
    if (v === undefined) return null;
    if (typeof v === 'number' || typeof v === 'boolean') return full(x.shape.map((s, d) => (d === ax ? 1 : s)), v, { chunks: x.chunks.map((c, d) => (d === ax ? [1] : [...c])) });
    const a = v instanceof ChunkedArray ? v : asArray(v as never);
    return a.ndim === 0 ? broadcastTo(a, x.shape.map((s, d) => (d === ax ? 1 : s))) : a;
  };
  const pre = extra(opts.prepend);
  const app = extra(opts.append);
  let y: A = pre || app ? concatenate([...(pre ? [pre] : []), x, ...(app ? [app] : [])], ax) : x;
  for (let k = 0; k < n; k++) {
    const len = y.shape[ax];
    const hi = along(y, ax, `${Math.min(1, len)}:`);
    const lo = along(y, ax, `:${Math.max(0, len - 1)}`);
    y = binary(y.dtype === 'bool' ? 'ne' : 'sub', hi, lo);
  }
  return y as ChunkedArray<NDArray>;
}

export interface GradientOptions {
  /** Sample distance: one for every axis, or one per axis in `axis` (default 1). */
  spacing?: number | readonly number[];
  /** Axes (default every axis). */
  axis?: number | readonly number[];
  /** Accuracy at the edges: first (1, default) or second (2) order differences. */
  edgeOrder?: 1 | 2;
}
const GRADIENT: OptionSchema<GradientOptions & { coordinates?: unknown }> = {
  spacing: { anyOf: ['number', 'array'] },
  axis: { anyOf: ['integer', 'array'] },
  edgeOrder: { oneOf: [1, 2] },
  coordinates: NOT_YET,
};

function gradientAlong(f: A, ax: number, h: number, edgeOrder: 1 | 2): A {
  const n = f.shape[ax];
  if (n < edgeOrder + 1) throw new RangeError('Shape of array too small to calculate a numerical gradient, at least (edge_order + 1) elements are required.');
  const at = (i: number): A => along(f, ax, `${i}:${i + 1}`);
  const interior = binary('div', binary('sub', along(f, ax, '2:'), along(f, ax, `:${n - 2}`)), 2 * h);
  let first: A;
  let last: A;
  if (edgeOrder === 1) {
    first = binary('div', binary('sub', at(1), at(0)), h);
    last = binary('div', binary('sub', at(n - 1), at(n - 2)), h);
  } else {
    // NumPy's coefficients for uniform spacing, in its order of operations.
    const sum3 = (a: number, xa: A, b: number, xb: A, c: number, xc: A): A => binary('add', binary('add', binary('mul', xa, a / h), binary('mul', xb, b / h)), binary('mul', xc, c / h));
    first = sum3(-1.5, at(0), 2, at(1), -0.5, at(2));
    last = sum3(0.5, at(n - 3), -2, at(n - 2), 1.5, at(n - 1));
  }
  const g = concatenate([first, interior, last], ax);
  // Keep f's chunks along the axis, as Dask's map_overlap version does.
  return rechunk(g, f.chunks.map((c) => [...c]));
}

/**
 * NumPy's `gradient` with uniform spacing: one array per axis (or the array for one axis).
 * Integer inputs give float64, float32 stays float32.
 */
export function gradient(x: A, options?: GradientOptions): ChunkedArray<NDArray> | ChunkedArray<NDArray>[] {
  const opts = checkOptions('da.gradient', options, GRADIENT) ?? {};
  if (x.dtype === 'bool') throw new TypeError('gradient: numpy boolean subtract is not supported; convert the array with astype first');
  const nd = x.ndim;
  const axes = opts.axis === undefined ? Array.from({ length: nd }, (_, i) => i) : (typeof opts.axis === 'number' ? [opts.axis] : [...opts.axis]).map((a) => axisOf(a, nd, 'gradient'));
  const sp = opts.spacing === undefined ? [1] : typeof opts.spacing === 'number' ? [opts.spacing] : [...opts.spacing];
  if (sp.length !== 1 && sp.length !== axes.length) throw new TypeError('invalid number of arguments');
  const f = isFloat(x.dtype) ? x : astype(x, 'float64');
  const out = axes.map((a, i) => gradientAlong(f, a, sp[sp.length === 1 ? 0 : i], opts.edgeOrder ?? 1) as ChunkedArray<NDArray>);
  return typeof opts.axis === 'number' || out.length === 1 ? out[0] : out;
}
