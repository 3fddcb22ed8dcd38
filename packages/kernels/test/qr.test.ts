/**
 * householderQR against a plain-JS reference written here from the definition (row-major, one
 * reflector at a time, alpha = -sign(x0) ‖x‖ with sign(0) = -1 as in @pdask/array, zero columns
 * skipped, Q = H_0 ... H_{k-1} applied to the first k columns of I), and against the properties that
 * define a QR whatever the signs: Q orthonormal, Q R = A, R upper triangular. Sizes are odd on
 * purpose: m odd (the kernel's f64x2 and 4-row loops leave tails), n = 1, m = n, m < n, a zero column.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadKernels, type Kernels } from '../src/index.js';
import { stream } from './helpers.js';

let k: Kernels;
beforeAll(async () => {
  k = await loadKernels();
});

/** Entries in [-0.5, 0.5). */
function matrix(m: number, n: number, seed: number): Float64Array {
  const r = stream(seed);
  return Float64Array.from({ length: m * n }, () => r() - 0.5);
}

/** The reference: works on row-major copies directly, reflector by reflector. */
function referenceQR(a: Float64Array, m: number, n: number): { q: Float64Array; r: Float64Array } {
  const k = Math.min(m, n);
  const w = Float64Array.from(a);
  const vs: (number[] | null)[] = [];
  for (let j = 0; j < k; j++) {
    let ss = 0;
    for (let i = j; i < m; i++) ss += w[i * n + j] ** 2;
    const norm = Math.sqrt(ss);
    if (norm === 0) {
      vs.push(null);
      continue;
    }
    const x0 = w[j * n + j];
    const alpha = x0 > 0 ? -norm : norm;
    const v: number[] = [];
    for (let i = j; i < m; i++) v.push(w[i * n + j]);
    v[0] -= alpha;
    const vn = v.reduce((s, x) => s + x * x, 0);
    vs.push(v);
    for (let c = j; c < n; c++) {
      let d = 0;
      for (let i = j; i < m; i++) d += v[i - j] * w[i * n + c];
      for (let i = j; i < m; i++) w[i * n + c] -= ((2 * d) / vn) * v[i - j];
    }
  }
  const r = new Float64Array(k * n);
  for (let i = 0; i < k; i++) for (let c = i; c < n; c++) r[i * n + c] = w[i * n + c];
  const q = new Float64Array(m * k);
  for (let i = 0; i < k; i++) q[i * k + i] = 1;
  for (let j = k - 1; j >= 0; j--) {
    const v = vs[j];
    if (!v) continue;
    const vn = v.reduce((s, x) => s + x * x, 0);
    for (let c = 0; c < k; c++) {
      let d = 0;
      for (let i = j; i < m; i++) d += v[i - j] * q[i * k + c];
      for (let i = j; i < m; i++) q[i * k + c] -= ((2 * d) / vn) * v[i - j];
    }
  }
  return { q, r };
}

function maxAbs(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s = Math.max(s, Math.abs(x[i]));
  return s;
}

function checkQR(a: Float64Array, m: number, n: number): void {
  const kk = Math.min(m, n);
  const { q, r, k: kr } = k.householderQR(a, m, n);
  expect(kr).toBe(kk);
  expect(q!.length).toBe(m * kk);
  expect(r.length).toBe(kk * n);
  const scale = Math.max(maxAbs(a), 1e-300);
  // R upper triangular (exact zeros below the diagonal).
  for (let i = 0; i < kk; i++) for (let c = 0; c < Math.min(i, n); c++) expect(r[i * n + c]).toBe(0);
  // Q R = A.
  let err = 0;
  for (let i = 0; i < m; i++)
    for (let c = 0; c < n; c++) {
      let s = 0;
      for (let p = 0; p < kk; p++) s += q![i * kk + p] * r[p * n + c];
      err = Math.max(err, Math.abs(s - a[i * n + c]));
    }
  expect(err / scale).toBeLessThan(1e-12);
  // Qᵀ Q = I.
  let orth = 0;
  for (let x = 0; x < kk; x++)
    for (let y = 0; y < kk; y++) {
      let s = 0;
      for (let i = 0; i < m; i++) s += q![i * kk + x] * q![i * kk + y];
      orth = Math.max(orth, Math.abs(s - (x === y ? 1 : 0)));
    }
  expect(orth).toBeLessThan(1e-12);
  // The same factors as the reference (the same signs), within 1e-12 relative.
  const ref = referenceQR(a, m, n);
  expect(maxAbs(r.map((v, i) => v - ref.r[i])) / scale).toBeLessThan(1e-12);
  expect(maxAbs(q!.map((v, i) => v - ref.q[i]))).toBeLessThan(1e-12);
  // Without Q: the same R.
  const rOnly = k.householderQR(a, m, n, { q: false });
  expect(rOnly.q).toBeUndefined();
  expect(Array.from(rOnly.r)).toEqual(Array.from(r));
}

describe('householderQR', () => {
  const sizes: [number, number][] = [[1, 1], [2, 1], [7, 1], [3, 3], [5, 5], [8, 8], [9, 4], [13, 5], [101, 7], [1001, 10], [4, 9], [2, 5], [1, 6], [33, 33]];
  for (const [m, n] of sizes) {
    it(`${m} x ${n}`, () => checkQR(matrix(m, n, m * 31 + n), m, n));
  }

  it('signs: a positive leading entry gives a negative diagonal, a negative one a positive diagonal', () => {
    const { r } = k.householderQR(new Float64Array([3, 0, 4, 0]), 2, 2); // column [3, 4]
    expect(r[0]).toBeCloseTo(-5, 14);
    const { r: r2 } = k.householderQR(new Float64Array([-3, 4]), 2, 1);
    expect(r2[0]).toBeCloseTo(5, 14);
    // x0 = 0 is not positive: alpha = +norm.
    const { r: r3 } = k.householderQR(new Float64Array([0, 3, 4]), 3, 1);
    expect(r3[0]).toBeCloseTo(5, 14);
    const a = matrix(7, 3, 11);
    a[0] = 0;
    checkQR(a, 7, 3);
  });

  it('skips zero columns (their R column stays as the earlier reflectors left it)', () => {
    for (const [m, n, zero] of [[9, 4, 0], [9, 4, 2], [11, 3, 2], [3, 5, 1]] as const) {
      const a = matrix(m, n, 7 + zero);
      for (let i = 0; i < m; i++) a[i * n + zero] = 0;
      checkQR(a, m, n);
      const { r } = k.householderQR(a, m, n);
      for (let i = 0; i < Math.min(m, n); i++) expect(r[i * n + zero]).toBe(0);
    }
  });

  it('an all-zero matrix gives R = 0 and Q = the first columns of I', () => {
    const { q, r } = k.householderQR(new Float64Array(15), 5, 3);
    expect(maxAbs(r)).toBe(0);
    for (let i = 0; i < 5; i++) for (let c = 0; c < 3; c++) expect(q![i * 3 + c]).toBe(i === c ? 1 : 0);
  });

  it('empty shapes and bad input', () => {
    expect(k.householderQR(new Float64Array(0), 0, 3).r.length).toBe(0);
    expect(() => k.householderQR(new Float64Array(5), 2, 3)).toThrow(/expected 2 x 3/);
    expect(() => k.householderQR(new Float64Array(6), 2.5, 3)).toThrow(/non-negative integers/);
  });

  it('reads an input in kernel memory, also when its work allocation grows the memory', async () => {
    const kk = await loadKernels({ initialBytes: 1 << 20 });
    const m = 4001;
    const n = 9;
    const a = matrix(m, n, 3);
    const inside = kk.copyIn(a);
    const pages = kk.memory.buffer.byteLength;
    const { q, r } = kk.householderQR(inside, m, n);
    expect(kk.memory.buffer.byteLength).toBeGreaterThan(pages);
    const ref = k.householderQR(a, m, n);
    expect(Array.from(r)).toEqual(Array.from(ref.r));
    expect(Array.from(q!)).toEqual(Array.from(ref.q!));
    expect(Array.from(inside.array)).toEqual(Array.from(a));
    inside.free();
  });

  it('leaves its input alone and frees its work memory', () => {
    const a = matrix(21, 6, 5);
    const copy = Float64Array.from(a);
    const before = k.allocatedBytes;
    k.householderQR(a, 21, 6);
    expect(Array.from(a)).toEqual(Array.from(copy));
    expect(k.allocatedBytes).toBe(before);
  });
});
