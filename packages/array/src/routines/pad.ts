/**
 * np.pad over chunked arrays, axis by axis as NumPy does (so corners come from the later axes).
 * 'constant' concatenates constant blocks; 'edge', 'reflect', 'symmetric' and 'wrap' take the
 * padding from positions of the array itself (an index list per side, so any width works, as
 * NumPy's repeated reflections); 'linear_ramp' is arithmetic on the edge values.
 */
import { checkOptions, type OptionSchema } from '@pdask/core';
import type { ChunkedArray } from '../array';
import { full } from '../creation/creation';
import { fromArray } from '../creation/from-array';
import { isIntegral } from '../dtype';
import { astype, binary, unary } from '../elementwise/build';
import { NDArray } from '../ndarray';
import { NOT_YET } from '../options';
import { concatenate } from '../shape/shape';
import { getitem, type Index } from '../slicing/slicing';

type A = ChunkedArray<unknown>;

export type PadMode = 'constant' | 'edge' | 'reflect' | 'symmetric' | 'wrap' | 'linear_ramp';
/** Widths (or values) before and after: one number for every side, `[before, after]` for every axis, or one pair per axis. */
export type PadSpec = number | readonly number[] | readonly (readonly number[])[];

export interface PadOptions {
  /** Default 'constant'. */
  mode?: PadMode;
  /** 'constant': the values (default 0), in the same forms as the widths. */
  constantValues?: PadSpec;
  /** 'linear_ramp': the values the ramps end at (default 0). */
  endValues?: PadSpec;
}

const MODES = ['constant', 'edge', 'reflect', 'symmetric', 'wrap', 'linear_ramp'] as const;
const SCHEMA: OptionSchema<PadOptions & { reflectType?: unknown; statLength?: unknown }> = {
  mode: { oneOf: [...MODES, 'maximum', 'mean', 'median', 'minimum', 'empty'] },
  constantValues: 'any',
  endValues: 'any',
  reflectType: NOT_YET,
  statLength: NOT_YET,
};

/** Per axis, [before, after] (NumPy's broadcasting of pad_width and its value arguments). */
function pairs(spec: PadSpec, nd: number, what: string): [number, number][] {
  const bad = (): never => {
    throw new RangeError(`pad: ${what} ${JSON.stringify(spec)} must be a number, [before, after] or one [before, after] per axis (${nd})`);
  };
  let out: [number, number][];
  if (typeof spec === 'number') out = Array.from({ length: nd }, () => [spec, spec]);
  else if (!Array.isArray(spec)) return bad();
  else if (spec.every((v) => typeof v === 'number')) {
    const flat = spec as readonly number[];
    if (flat.length === 1) out = Array.from({ length: nd }, () => [flat[0], flat[0]]);
    else if (flat.length === 2) out = Array.from({ length: nd }, () => [flat[0], flat[1]]);
    else return bad();
  } else {
    const list = spec as readonly (readonly number[])[];
    if (list.length !== 1 && list.length !== nd) return bad();
    out = Array.from({ length: nd }, (_, d) => {
      const p = list[list.length === 1 ? 0 : d];
      if (!Array.isArray(p) || p.length < 1 || p.length > 2 || p.some((v) => typeof v !== 'number')) return bad();
      return [p[0], p[p.length - 1]];
    });
  }
  return out;
}

/**
 * NumPy 1.24's 'wrap' on one axis, replayed on positions: it pads in rounds, each copying the
 * filled region so far, which for pads wider than the array on both sides is not periodic
 * (later NumPy changed this); the result is the same as NumPy 1.24's.
 */
function wrapPositions(n: number, before: number, after: number): number[] {
  const p = [...new Array<number>(before).fill(-1), ...Array.from({ length: n }, (_, i) => i), ...new Array<number>(after).fill(-1)];
  const total = p.length;
  let left = before;
  let right = after;
  while (left > 0 || right > 0) {
    const period = total - right - left;
    let newLeft = 0;
    let newRight = 0;
    if (left > 0) {
      const end = total - right;
      const chunk = p.slice(end - Math.min(period, left), end);
      const at = left > period ? left - period : 0;
      if (left > period) newLeft = left - period;
      chunk.forEach((v, i) => (p[at + i] = v));
    }
    if (right > 0) {
      const chunk = p.slice(left, left + Math.min(period, right));
      const at = total - right;
      if (right > period) newRight = right - period;
      chunk.forEach((v, i) => (p[at + i] = v));
    }
    left = newLeft;
    right = newRight;
  }
  return p;
}

/** The position of x a padded position p (< 0 or >= n) reads, per mode. */
function source(mode: PadMode, p: number, n: number): number {
  const mod = (a: number, m: number): number => ((a % m) + m) % m;
  if (mode === 'edge') return Math.min(n - 1, Math.max(0, p));
  if (mode === 'wrap') return mod(p, n);
  if (mode === 'symmetric') {
    const q = mod(p, 2 * n);
    return q < n ? q : 2 * n - 1 - q;
  }
  if (n === 1) return 0;
  const q = mod(p, 2 * (n - 1));
  return q < n ? q : 2 * (n - 1) - q;
}

const along = (x: A, axis: number, entry: Index): A => getitem(x, x.shape.map((_, d): Index => (d === axis ? entry : ':')));

function ramp(x: A, axis: number, w: number, end: number, before: boolean): A {
  const n = x.shape[axis];
  const edge = along(x, axis, before ? '0:1' : `${n - 1}:${n}`);
  const shape = x.shape.map((s, d) => (d === axis ? w : 1));
  // np.linspace(end, edge, w, endpoint=False): end + i * (edge - end) / w, reversed after the array.
  const frac = Float64Array.from({ length: w }, (_, i) => (before ? i : w - 1 - i) / w);
  const r = fromArray(new NDArray(frac, shape), { chunks: shape.map((s) => s) });
  let v = binary('add', binary('mul', binary('sub', edge, end), r), end);
  if (isIntegral(x.dtype)) v = unary('rint', v); // NumPy rounds ramps of integer arrays
  return astype(v, x.dtype);
}

export function pad(x: A, padWidth: PadSpec, options?: PadOptions): ChunkedArray<NDArray> {
  const opts = checkOptions('da.pad', options, SCHEMA) ?? {};
  const mode = opts.mode ?? 'constant';
  if (!(MODES as readonly string[]).includes(mode)) throw new RangeError(`pad: mode '${mode}' is not implemented yet (constant, edge, reflect, symmetric, wrap, linear_ramp)`);
  const nd = x.ndim;
  const widths = pairs(padWidth, nd, 'padWidth');
  for (const [b, a] of widths) if (!Number.isInteger(b) || !Number.isInteger(a) || b < 0 || a < 0) throw new RangeError("index can't contain negative values");
  if (opts.constantValues !== undefined && mode !== 'constant') throw new RangeError(`pad: constantValues applies to mode 'constant', not '${mode}'`);
  if (opts.endValues !== undefined && mode !== 'linear_ramp') throw new RangeError(`pad: endValues applies to mode 'linear_ramp', not '${mode}'`);
  const values = pairs(opts.constantValues ?? opts.endValues ?? 0, nd, mode === 'constant' ? 'constantValues' : 'endValues');
  let y = x;
  for (let d = 0; d < nd; d++) {
    const [before, after] = widths[d];
    if (before === 0 && after === 0) continue;
    const n = y.shape[d];
    if (n === 0 && mode !== 'constant') throw new RangeError(`can't extend empty axis ${d} using modes other than 'constant' or 'empty'`);
    const side = (w: number, first: boolean): A => {
      if (mode === 'constant') {
        const shape = y.shape.map((s, k) => (k === d ? w : s));
        return full(shape, values[d][first ? 0 : 1], { dtype: y.dtype, chunks: y.chunks.map((c, k) => (k === d ? [w] : [...c])) });
      }
      if (mode === 'linear_ramp') return ramp(y, d, w, values[d][first ? 0 : 1], first);
      const positions =
        mode === 'wrap'
          ? (first ? wrapPositions(n, before, after).slice(0, w) : wrapPositions(n, before, after).slice(before + n))
          : Array.from({ length: w }, (_, i) => source(mode, first ? i - w : n + i, n));
      return along(y, d, positions);
    };
    const parts: A[] = [];
    if (before > 0) parts.push(side(before, true));
    parts.push(y);
    if (after > 0) parts.push(side(after, false));
    y = concatenate(parts, d);
  }
  return y as ChunkedArray<NDArray>;
}
