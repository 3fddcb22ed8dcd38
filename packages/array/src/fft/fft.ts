/**
 * `da.fft`: NumPy's transforms over Dask's wrappers: one task per block, each transforming
 * along axes that lie whole in the block. An axis in several chunks is refused, naming the axis
 * and its chunks and the rechunk that fixes it, as Dask does. Results are complex
 * (`ComplexArray`, see complex.ts) except irfft/irfft2/irfftn/hfft, which are float64.
 */
import { checkOptions, lit, ref, tokenize, type OptionSchema } from '@pdask/core';
import { ChunkedArray, fromBlocks } from '../array';
import { arange } from '../creation/creation';
import { asArray, type ArrayLike } from '../creation/from-array';
import { binary, where } from '../elementwise/build';
import type { NDArray } from '../ndarray';
import { arrayOps } from '../ops/index';
import type { FftSpec, FftStep } from '../runtime/fft';
import { concatenate } from '../shape/shape';
import { getitem, type Index } from '../slicing/slicing';
import { ComplexArray } from './complex';

type A = ChunkedArray<unknown>;
/** What a transform takes: a real array (any dtype), a complex one, or eager data. */
export type FftInput = A | ComplexArray | ArrayLike;
export type FftNorm = 'backward' | 'ortho' | 'forward';

export interface FftOptions {
  /** Length of the transform (the input is cut or zero-padded to it); default: the axis' length. */
  n?: number;
  /** Default -1. */
  axis?: number;
  /** NumPy's normalisation: 'backward' (default), 'ortho' or 'forward'. */
  norm?: FftNorm;
}
export interface FftNOptions {
  /** Lengths along `axes`. */
  s?: readonly number[];
  /** Default: every axis (fftn), the last two (fft2), or the last `s.length`. */
  axes?: readonly number[];
  norm?: FftNorm;
}

const NORM = { oneOf: ['backward', 'ortho', 'forward'] } as const;
const ONE: OptionSchema<FftOptions> = { n: 'integer', axis: 'integer', norm: NORM };
const ND: OptionSchema<FftNOptions> = { s: 'array', axes: 'array', norm: NORM };

type Kind = 'fft' | 'ifft' | 'rfft' | 'irfft' | 'hfft' | 'ihfft';
const INVERSE: Record<Kind, boolean> = { fft: false, ifft: true, rfft: false, irfft: true, hfft: true, ihfft: false };

/** The factor NumPy applies: forward transforms scale by 1, 1/√n, 1/n for backward/ortho/forward. */
function scaleOf(norm: FftNorm, n: number, inverse: boolean): number {
  if (norm === 'ortho') return 1 / Math.sqrt(n);
  return (norm === 'forward') !== inverse ? 1 / n : 1;
}

const fmt = (c: readonly number[]) => `(${c.join(', ')}${c.length === 1 ? ',' : ''})`;

function transform(who: string, kind: Kind, x0: FftInput, axesIn: readonly number[] | undefined, sIn: readonly number[] | undefined, norm0: FftNorm | undefined): A | ComplexArray {
  const complexIn = x0 instanceof ComplexArray;
  if (complexIn && (kind === 'rfft' || kind === 'ihfft')) throw new TypeError(`${who}: input must be real (got a complex array); take .real first`);
  const src: A = complexIn ? (x0 as ComplexArray).pairs : asArray(x0 as A | ArrayLike);
  const shape = complexIn ? (x0 as ComplexArray).shape : src.shape;
  const nd = shape.length;
  if (nd === 0) throw new RangeError(`${who}: input must be at least 1-d`);
  let axes = axesIn ? [...axesIn] : sIn ? sIn.map((_, k) => k - sIn.length) : shape.map((_, d) => d);
  axes = axes.map((a) => {
    if (!Number.isInteger(a) || a < -nd || a >= nd) throw new RangeError(`${who}: axis ${a} is out of bounds for array of dimension ${nd}`);
    return a < 0 ? a + nd : a;
  });
  if (new Set(axes).size !== axes.length) throw new RangeError(`${who}: repeated axes [${axesIn?.join(', ')}]`);
  if (sIn && sIn.length !== axes.length) throw new RangeError(`${who}: shape s and axes have different lengths (${sIn.length} and ${axes.length})`);
  if (shape.some(Number.isNaN)) throw new RangeError(`${who}: unknown chunk sizes; call computeChunkSizes() first`);
  for (const a of axes) {
    const c = src.chunks[a];
    if (c.length !== 1) {
      const hint = shape.map((_, d) => (d === a ? -1 : src.chunksize[d]));
      throw new RangeError(
        `${who}: an FFT needs each axis it transforms in a single chunk (as Dask's fft), but axis ${a} has chunks ${fmt(c)}. ` +
          `Rechunk that axis to one chunk first, e.g. x.rechunk([${hint.join(', ')}])`,
      );
    }
  }
  const last = axes.length - 1;
  const c2r = kind === 'irfft' || kind === 'hfft';
  const n = axes.map((a, k) => sIn?.[k] ?? (c2r && k === last ? 2 * (shape[a] - 1) : shape[a]));
  for (const v of n) if (!Number.isInteger(v) || v < 1) throw new RangeError(`${who}: invalid number of FFT data points (${v}) specified`);
  const norm = norm0 ?? 'backward';
  const inverse = INVERSE[kind];
  // hfft and ihfft are irfft and rfft of the conjugate with the normalisation's direction swapped.
  const effNorm: FftNorm = kind === 'hfft' || kind === 'ihfft' ? (norm === 'backward' ? 'forward' : norm === 'forward' ? 'backward' : 'ortho') : norm;
  const steps: FftStep[] = [];
  const outLen = [...n];
  if (kind === 'fft' || kind === 'ifft') axes.forEach((a, k) => steps.push({ op: 'c2c', axis: a, n: n[k], inverse, scale: scaleOf(effNorm, n[k], inverse) }));
  else if (kind === 'rfft' || kind === 'ihfft') {
    steps.push({ op: 'r2c', axis: axes[last], n: n[last], scale: scaleOf(effNorm, n[last], false) });
    outLen[last] = Math.floor(n[last] / 2) + 1;
    axes.slice(0, last).forEach((a, k) => steps.push({ op: 'c2c', axis: a, n: n[k], inverse: false, scale: scaleOf(effNorm, n[k], false) }));
    if (kind === 'ihfft') steps.push({ op: 'conj' });
  } else {
    if (kind === 'hfft') steps.push({ op: 'conj' });
    axes.slice(0, last).forEach((a, k) => steps.push({ op: 'c2c', axis: a, n: n[k], inverse: true, scale: scaleOf(effNorm, n[k], true) }));
    steps.push({ op: 'c2r', axis: axes[last], n: n[last], scale: scaleOf(effNorm, n[last], true) });
  }
  const spec: FftSpec = { steps, complexIn, realOut: c2r };
  const outShape = shape.map((s, d) => (axes.includes(d) ? outLen[axes.indexOf(d)] : s));
  const chunks = shape.map((_, d) => (axes.includes(d) ? [outShape[d]] : [...src.chunks[d]]));
  const name = `${kind}-${tokenize(src.name, spec)}`;
  const out = fromBlocks<NDArray>(kind, name, c2r ? outShape : [...outShape, 2], c2r ? chunks : [...chunks, [2]], 'float64', (idx, key) =>
    arrayOps.fftBlock.task(key, lit(spec), ref(src.key(complexIn ? [...idx.slice(0, nd), 0] : idx.slice(0, nd)))), [src]);
  return c2r ? out : new ComplexArray(out);
}

function one(kind: Kind) {
  const who = `da.fft.${kind}`;
  return (x: FftInput, options?: FftOptions) => {
    const o = checkOptions(who, options, ONE);
    return transform(who, kind, x, [o.axis ?? -1], o.n === undefined ? undefined : [o.n], o.norm);
  };
}
function many(kind: Kind, name: string, two: boolean) {
  const who = `da.fft.${name}`;
  return (x: FftInput, options?: FftNOptions) => {
    const o = checkOptions(who, options, ND);
    return transform(who, kind, x, o.axes ?? (two ? [-2, -1] : undefined), o.s, o.norm);
  };
}

type ToComplex = (x: FftInput, options?: FftOptions) => ComplexArray;
type ToReal = (x: FftInput, options?: FftOptions) => ChunkedArray<NDArray>;
type NToComplex = (x: FftInput, options?: FftNOptions) => ComplexArray;
type NToReal = (x: FftInput, options?: FftNOptions) => ChunkedArray<NDArray>;

export const fft = one('fft') as ToComplex;
export const ifft = one('ifft') as ToComplex;
export const rfft = one('rfft') as ToComplex;
export const irfft = one('irfft') as ToReal;
export const hfft = one('hfft') as ToReal;
export const ihfft = one('ihfft') as ToComplex;
export const fft2 = many('fft', 'fft2', true) as NToComplex;
export const ifft2 = many('ifft', 'ifft2', true) as NToComplex;
export const rfft2 = many('rfft', 'rfft2', true) as NToComplex;
export const irfft2 = many('irfft', 'irfft2', true) as NToReal;
export const fftn = many('fft', 'fftn', false) as NToComplex;
export const ifftn = many('ifft', 'ifftn', false) as NToComplex;
export const rfftn = many('rfft', 'rfftn', false) as NToComplex;
export const irfftn = many('irfft', 'irfftn', false) as NToReal;

export interface FreqOptions {
  /** Sample spacing (default 1). */
  d?: number;
  chunks?: number | 'auto' | readonly number[];
}
const FREQ: OptionSchema<FreqOptions> = { d: 'number', chunks: { anyOf: ['integer', { oneOf: ['auto'] }, 'array'] } };

function checkN(who: string, n: number): void {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`${who}: n should be a positive integer, got ${n}`);
}

/** Sample frequencies of an n-point fft (NumPy's `fftfreq`: [0, 1, ..., -2, -1] / (d n)), float64. */
export function fftfreq(n: number, options?: FreqOptions): ChunkedArray<NDArray> {
  const o = checkOptions('da.fft.fftfreq', options, FREQ);
  checkN('da.fft.fftfreq', n);
  const i = arange(0, n, 1, { chunks: o.chunks as never });
  const k = where(binary('lt', i, Math.floor((n - 1) / 2) + 1), i, binary('sub', i, n));
  return binary('mul', k, 1 / (n * (o.d ?? 1))) as ChunkedArray<NDArray>;
}

/** Sample frequencies of an n-point rfft: [0, 1, ..., n/2] / (d n), float64. */
export function rfftfreq(n: number, options?: FreqOptions): ChunkedArray<NDArray> {
  const o = checkOptions('da.fft.rfftfreq', options, FREQ);
  checkN('da.fft.rfftfreq', n);
  return binary('mul', arange(0, Math.floor(n / 2) + 1, 1, { chunks: o.chunks as never }), 1 / (n * (o.d ?? 1))) as ChunkedArray<NDArray>;
}

export interface ShiftOptions {
  /** Default: every axis. */
  axes?: number | readonly number[];
}
const SHIFT: OptionSchema<ShiftOptions> = { axes: { anyOf: ['integer', 'array'] } };

/** Rolls each axis by half its length (as Dask: slices and a concatenate, so any chunking works). */
function shift(who: string, x: FftInput, options: ShiftOptions | undefined, inverse: boolean): A | ComplexArray {
  const o = checkOptions(who, options, SHIFT);
  const complexIn = x instanceof ComplexArray;
  let y: A = complexIn ? x.pairs : asArray(x as A | ArrayLike);
  const nd = complexIn ? x.ndim : y.ndim;
  const axes = o.axes === undefined ? Array.from({ length: nd }, (_, d) => d) : typeof o.axes === 'number' ? [o.axes] : [...o.axes];
  for (const a0 of axes) {
    if (!Number.isInteger(a0) || a0 < -nd || a0 >= nd) throw new RangeError(`${who}: axis ${a0} is out of bounds for array of dimension ${nd}`);
    const a = a0 < 0 ? a0 + nd : a0;
    const n = y.shape[a];
    const h = inverse ? n - Math.floor((n + 1) / 2) : Math.floor((n + 1) / 2);
    if (h === 0 || h === n) continue;
    const at = (sl: string): Index[] => y.shape.map((_, d) => (d === a ? sl : ':'));
    y = concatenate([getitem(y, at(`${h}:`)), getitem(y, at(`:${h}`))], a);
  }
  return complexIn ? new ComplexArray(y as ChunkedArray<NDArray>) : y;
}

export function fftshift(x: ComplexArray, options?: ShiftOptions): ComplexArray;
export function fftshift(x: A | ArrayLike, options?: ShiftOptions): ChunkedArray<NDArray>;
export function fftshift(x: FftInput, options?: ShiftOptions): A | ComplexArray {
  return shift('da.fft.fftshift', x, options, false);
}
export function ifftshift(x: ComplexArray, options?: ShiftOptions): ComplexArray;
export function ifftshift(x: A | ArrayLike, options?: ShiftOptions): ChunkedArray<NDArray>;
export function ifftshift(x: FftInput, options?: ShiftOptions): A | ComplexArray {
  return shift('da.fft.ifftshift', x, options, true);
}
