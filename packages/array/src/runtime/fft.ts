/**
 * Discrete Fourier transforms of one block along axes that lie whole in it (NumPy's fft
 * semantics). Complex values are interleaved float64 pairs (re, im): a complex block is a
 * float64 block with a trailing axis of length 2, NumPy's complex128 memory layout.
 * Lengths that are powers of two go to fft.js (radix-4); any other length n uses Bluestein's
 * chirp-z algorithm (a convolution of power-of-two length >= 2n - 1 through fft.js).
 */
import FFT from 'fft.js';
import { ComplexNDArray } from '../fft/complex-ndarray';
import { asFloat64, asNumbers } from '../dtype';
import { NDArray } from '../ndarray';
import { sizeOf, type Block } from './block';
import { assembleBlock, type AssembleMeta } from './layout';

/** One step of a transform, applied to the whole block in turn. */
export type FftStep =
  /** Complex transform along `axis`, input cut or zero-padded to `n`, scaled by `scale`. */
  | { readonly op: 'c2c'; readonly axis: number; readonly n: number; readonly inverse: boolean; readonly scale: number }
  /** Forward transform of length n keeping the n/2 + 1 non-negative frequencies (rfft). */
  | { readonly op: 'r2c'; readonly axis: number; readonly n: number; readonly scale: number }
  /** Inverse of a Hermitian spectrum to n real values (irfft); the imaginary parts become 0. */
  | { readonly op: 'c2r'; readonly axis: number; readonly n: number; readonly scale: number }
  | { readonly op: 'conj' };

export interface FftSpec {
  readonly steps: readonly FftStep[];
  /** The input block is complex (trailing axis of 2). */
  readonly complexIn: boolean;
  /** The result is real (drop the imaginary parts). */
  readonly realOut: boolean;
}

const plans = new Map<number, FFT>();
function plan(n: number): FFT {
  let p = plans.get(n);
  if (!p) {
    p = new FFT(n);
    plans.set(n, p);
  }
  return p;
}

/** Bluestein's chirp for length n: w_k = exp(-i π k² / n), k² taken mod 2n for accuracy. */
const chirps = new Map<number, { w: Float64Array; bHat: Float64Array; m: number }>();
function chirp(n: number): { w: Float64Array; bHat: Float64Array; m: number } {
  let c = chirps.get(n);
  if (c) return c;
  let m = 1;
  while (m < 2 * n - 1) m *= 2;
  const w = new Float64Array(2 * n);
  for (let k = 0; k < n; k++) {
    const a = (Math.PI * ((k * k) % (2 * n))) / n;
    w[2 * k] = Math.cos(a);
    w[2 * k + 1] = -Math.sin(a);
  }
  // b_k = conj(w_k) at k and m - k: the convolution kernel, transformed once per length.
  const b = new Float64Array(2 * m);
  for (let k = 0; k < n; k++) {
    b[2 * k] = w[2 * k];
    b[2 * k + 1] = -w[2 * k + 1];
    if (k > 0) {
      b[2 * (m - k)] = w[2 * k];
      b[2 * (m - k) + 1] = -w[2 * k + 1];
    }
  }
  const bHat = new Float64Array(2 * m);
  plan(m).transform(bHat, b);
  c = { w, bHat, m };
  chirps.set(n, c);
  return c;
}

/** Unnormalised forward DFT of n interleaved complex values (inverse: the conjugate trick). */
export function dft(x: Float64Array, n: number, inverse: boolean): Float64Array {
  if (inverse) {
    const xc = Float64Array.from(x);
    for (let k = 1; k < 2 * n; k += 2) xc[k] = -xc[k];
    const y = dft(xc, n, false);
    for (let k = 1; k < 2 * n; k += 2) y[k] = -y[k];
    return y;
  }
  if (n === 1) return Float64Array.from(x);
  if ((n & (n - 1)) === 0) {
    const y = new Float64Array(2 * n);
    plan(n).transform(y, x);
    return y;
  }
  const { w, bHat, m } = chirp(n);
  const a = new Float64Array(2 * m);
  for (let k = 0; k < n; k++) {
    const [xr, xi, wr, wi] = [x[2 * k], x[2 * k + 1], w[2 * k], w[2 * k + 1]];
    a[2 * k] = xr * wr - xi * wi;
    a[2 * k + 1] = xr * wi + xi * wr;
  }
  const p = plan(m);
  const aHat = new Float64Array(2 * m);
  p.transform(aHat, a);
  for (let k = 0; k < m; k++) {
    const [ar, ai, br, bi] = [aHat[2 * k], aHat[2 * k + 1], bHat[2 * k], bHat[2 * k + 1]];
    aHat[2 * k] = ar * br - ai * bi;
    aHat[2 * k + 1] = ar * bi + ai * br;
  }
  const conv = new Float64Array(2 * m);
  p.inverseTransform(conv, aHat); // fft.js divides by m here
  const y = new Float64Array(2 * n);
  for (let k = 0; k < n; k++) {
    const [cr, ci, wr, wi] = [conv[2 * k], conv[2 * k + 1], w[2 * k], w[2 * k + 1]];
    y[2 * k] = cr * wr - ci * wi;
    y[2 * k + 1] = cr * wi + ci * wr;
  }
  return y;
}

/** Applies `line(input, m)` to every line along `axis`; the result's length there is `outLen`. */
function alongAxis(data: Float64Array, shape: number[], axis: number, outLen: number, line: (x: Float64Array, m: number) => Float64Array): { data: Float64Array; shape: number[] } {
  const m = shape[axis];
  const outer = sizeOf(shape.slice(0, axis));
  const inner = sizeOf(shape.slice(axis + 1));
  const oshape = [...shape];
  oshape[axis] = outLen;
  const o = new Float64Array(2 * sizeOf(oshape));
  const buf = new Float64Array(2 * m);
  for (let a = 0; a < outer; a++) {
    for (let b = 0; b < inner; b++) {
      for (let k = 0; k < m; k++) {
        const s = 2 * ((a * m + k) * inner + b);
        buf[2 * k] = data[s];
        buf[2 * k + 1] = data[s + 1];
      }
      const y = line(buf, m);
      for (let k = 0; k < outLen; k++) {
        const d = 2 * ((a * outLen + k) * inner + b);
        o[d] = y[2 * k];
        o[d + 1] = y[2 * k + 1];
      }
    }
  }
  return { data: o, shape: oshape };
}

/** The first n values of x (m of them), zero-padded. */
function fit(x: Float64Array, m: number, n: number): Float64Array {
  const y = new Float64Array(2 * n);
  y.set(x.subarray(0, 2 * Math.min(m, n)));
  return y;
}

function scaleBy(y: Float64Array, s: number): Float64Array {
  if (s !== 1) for (let k = 0; k < y.length; k++) y[k] *= s;
  return y;
}

function applyStep(data: Float64Array, shape: number[], st: FftStep): { data: Float64Array; shape: number[] } {
  switch (st.op) {
    case 'conj': {
      const o = Float64Array.from(data);
      for (let k = 1; k < o.length; k += 2) o[k] = -o[k];
      return { data: o, shape };
    }
    case 'c2c':
      return alongAxis(data, shape, st.axis, st.n, (x, m) => scaleBy(dft(fit(x, m, st.n), st.n, st.inverse), st.scale));
    case 'r2c':
      return alongAxis(data, shape, st.axis, Math.floor(st.n / 2) + 1, (x, m) => {
        const re = fit(x, m, st.n);
        for (let k = 1; k < re.length; k += 2) re[k] = 0;
        return scaleBy(dft(re, st.n, false), st.scale);
      });
    case 'c2r':
      return alongAxis(data, shape, st.axis, st.n, (x, m) => {
        // The Hermitian spectrum of length n from its first n/2 + 1 values (zero-padded).
        const n = st.n;
        const half = Math.floor(n / 2) + 1;
        const h = fit(x, m, half);
        const full = new Float64Array(2 * n);
        full.set(h.subarray(0, 2 * Math.min(half, n)));
        for (let k = half; k < n; k++) {
          full[2 * k] = h[2 * (n - k)];
          full[2 * k + 1] = -h[2 * (n - k) + 1];
        }
        const y = dft(full, n, true);
        for (let k = 0; k < n; k++) {
          y[2 * k] *= st.scale;
          y[2 * k + 1] = 0;
        }
        return y;
      });
  }
}

/** The transform of one block (see FftSpec); float64, complex as a trailing axis of 2. */
export function fftBlock(spec: FftSpec, b: Block): Block {
  let shape = spec.complexIn ? b.shape.slice(0, -1) : [...b.shape];
  let data: Float64Array;
  if (spec.complexIn) data = asFloat64(b.data);
  else {
    const x = asNumbers(b.data);
    data = new Float64Array(2 * x.length);
    for (let k = 0; k < x.length; k++) data[2 * k] = x[k];
  }
  for (const st of spec.steps) ({ data, shape } = applyStep(data, shape, st));
  if (!spec.realOut) return { dtype: 'float64', shape: [...shape, 2], data };
  const re = new Float64Array(data.length / 2);
  for (let k = 0; k < re.length; k++) re[k] = data[2 * k];
  return { dtype: 'float64', shape, data: re };
}

/** The finalizer of a complex array: its blocks of pairs assembled, split into re and im. */
export function assembleComplex(blocks: readonly Block[], meta: AssembleMeta): ComplexNDArray {
  return ComplexNDArray.fromPairs(NDArray.fromBlock(assembleBlock(blocks, meta)));
}
