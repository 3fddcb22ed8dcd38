/**
 * Householder QR of a dense block (kernels/assembly/qr.ts): the per-block step of TSQR. The block is
 * copied into kernel memory, factored there on column-major data, and Q and R copied out.
 */
import { resolve, type Input, type Runtime } from './runtime.js';

export interface QROptions {
  /** Whether to form Q (default true). Without, `q` is undefined and the work is about halved. */
  q?: boolean;
}

export interface QRResult {
  /** m x k, row-major, orthonormal columns (k = min(m, n)); undefined with `{ q: false }`. */
  readonly q: Float64Array | undefined;
  /** k x n, row-major, upper triangular. */
  readonly r: Float64Array;
  readonly k: number;
}

export function householderQR(rt: Runtime, input: Input<Float64Array>, m: number, n: number, options: QROptions = {}): QRResult {
  const a = resolve(input);
  if (!Number.isInteger(m) || m < 0 || !Number.isInteger(n) || n < 0) {
    throw new RangeError(`householderQR: m and n must be non-negative integers, got ${m} x ${n}`);
  }
  if (!(a instanceof Float64Array)) throw new TypeError('householderQR: a must be a Float64Array');
  if (a.length !== m * n) throw new RangeError(`householderQR: a has ${a.length} values, expected ${m} x ${n} = ${m * n}`);
  const k = Math.min(m, n);
  const withQ = options.q ?? true;
  if (k === 0) return { q: withQ ? new Float64Array(m * k) : undefined, r: new Float64Array(k * n), k };
  // One allocation: a (m n; Q comes back over it), w (m n), R (k n), 2 k work values, then Q's work (m k).
  const size = 2 * m * n + k * n + 2 * k + (withQ ? m * k : 0);
  // `a` may live in kernel memory: read its address before alloc, which can grow (and detach) it.
  const inPlace = rt.mem.owns(a) ? a.byteOffset : -1;
  const base = rt.mem.alloc(size * 8);
  try {
    const pa = base;
    const pw = pa + m * n * 8;
    const pr = pw + m * n * 8;
    const pt = pr + k * n * 8;
    const pq = withQ ? pt + 2 * k * 8 : 0;
    if (inPlace >= 0) rt.mem.u8(0, pa + m * n * 8).copyWithin(pa, inPlace, inPlace + m * n * 8);
    else rt.mem.f64(pa, m * n).set(a);
    rt.x.householder_qr_f64(pa, m, n, pw, pr, pq, pt);
    return { q: withQ ? rt.mem.f64(pa, m * k).slice() : undefined, r: rt.mem.f64(pr, k * n).slice(), k };
  } finally {
    rt.mem.release(base);
  }
}
