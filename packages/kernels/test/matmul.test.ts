/**
 * Kernels.matmul against NumPy 1.24's np.matmul (fixtures/matmul.json, made by make_matmul.py) and
 * against a triple loop written here from the definition C[i, j] = Σ_p A[i, p] B[p, j]. Sizes sit
 * around the kernel's blocking on purpose: the 4 x 4 micro tile (sizes 1, 5, 7, 13 leave edges),
 * k slabs of 256 (k = 259, 300, 513), row blocks of 96 (m = 97, 200), column panels of 2048
 * (n = 2050) and C tiles of 32 MiB (m = 2100 with n = 2050); 1 x N, N x 1 and 0-size operands;
 * transposed, float32 and in-place (kernel memory) operands; accumulation.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadKernels, OptionError, type Kernels } from '../src/index.js';
import { loadFixture, raw, stream } from './helpers.js';

let k: Kernels;
beforeAll(async () => {
  k = await loadKernels();
});

interface Case {
  m: number;
  k: number;
  n: number;
  dtypeA: 'f64' | 'f32';
  dtypeB: 'f64' | 'f32';
  transposeA: boolean;
  transposeB: boolean;
  a: string;
  b: string;
  c: string;
}

function matrix(rows: number, cols: number, seed: number): Float64Array {
  const r = stream(seed);
  return Float64Array.from({ length: rows * cols }, () => r() - 0.5);
}

/** The definition, on row-major operands (`ta`/`tb`: stored transposed). */
function reference(a: ArrayLike<number>, b: ArrayLike<number>, m: number, kk: number, n: number, ta = false, tb = false): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < kk; p++) s += (ta ? a[p * m + i] : a[i * kk + p]) * (tb ? b[j * kk + p] : b[p * n + j]);
      c[i * n + j] = s;
    }
  }
  return c;
}

/**
 * Each value within 1e-13 of Σ_p |A[i, p] B[p, j]| (the error bound of any summation order in float64
 * for these sizes), so a wrong or missing term (each of size ~0.1) is always caught.
 */
function expectProduct(got: Float64Array, want: Float64Array, scale: Float64Array, what: string): void {
  expect(got.length, what).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    if (Math.abs(got[i] - want[i]) > 1e-13 * scale[i] + 1e-300) {
      throw new Error(`${what}: element ${i} is ${got[i]}, expected ${want[i]}`);
    }
  }
}

function absScale(a: ArrayLike<number>, b: ArrayLike<number>, m: number, kk: number, n: number, ta = false, tb = false): Float64Array {
  const abs = (x: ArrayLike<number>) => Float64Array.from(x as ArrayLike<number>, Math.abs);
  return reference(abs(a), abs(b), m, kk, n, ta, tb);
}

describe('matmul: NumPy fixtures', () => {
  const { cases } = loadFixture<Case>('matmul.json');
  for (const c of cases) {
    const label = `${c.m}x${c.k} @ ${c.k}x${c.n} (${c.dtypeA}${c.transposeA ? 'ᵀ' : ''}, ${c.dtypeB}${c.transposeB ? 'ᵀ' : ''})`;
    it(label, () => {
      const a = c.dtypeA === 'f32' ? raw(Float32Array, c.a) : raw(Float64Array, c.a);
      const b = c.dtypeB === 'f32' ? raw(Float32Array, c.b) : raw(Float64Array, c.b);
      const want = raw(Float64Array, c.c);
      const got = k.matmul(a, b, c.m, c.k, c.n, { transposeA: c.transposeA, transposeB: c.transposeB });
      expectProduct(got, want, absScale(a, b, c.m, c.k, c.n, c.transposeA, c.transposeB), label);
    });
  }
});

describe('matmul: from the definition', () => {
  const shapes: [number, number, number][] = [
    [1, 1, 1], [1, 600, 1], [1, 5, 301], [301, 5, 1], [3, 1, 4], [4, 4, 4], [8, 8, 8],
    [5, 257, 7], [97, 31, 13], [200, 300, 9], [13, 513, 97],
  ];
  for (const [m, kk, n] of shapes) {
    for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]] as const) {
      it(`${m}x${kk} @ ${kk}x${n}${ta ? ', a transposed' : ''}${tb ? ', b transposed' : ''}`, () => {
        const a = matrix(m, kk, m * 7 + kk);
        const b = matrix(kk, n, n * 11 + kk);
        const got = k.matmul(a, b, m, kk, n, { transposeA: ta, transposeB: tb });
        expectProduct(got, reference(a, b, m, kk, n, ta, tb), absScale(a, b, m, kk, n, ta, tb), 'product');
      });
    }
  }

  it('crosses column panels (n = 2050) and C tiles (m = 2100)', () => {
    const [m, kk, n] = [2100, 3, 2050];
    const a = matrix(m, kk, 1);
    const b = matrix(kk, n, 2);
    const got = k.matmul(a, b, m, kk, n);
    // Spot rows and columns on both sides of every boundary, and the corners.
    for (const i of [0, 1, 2015, 2016, 2017, 2099]) {
      for (const j of [0, 2047, 2048, 2049]) {
        let s = 0;
        for (let p = 0; p < kk; p++) s += a[i * kk + p] * b[p * n + j];
        expect(Math.abs(got[i * n + j] - s), `(${i}, ${j})`).toBeLessThanOrEqual(1e-15);
      }
    }
  });

  it('float32 operands are widened exactly: products are summed in float64', () => {
    // 2^-24 terms vanish next to 1 in float32 arithmetic; in float64 they add up.
    const kk = 1000;
    const a = new Float32Array(kk).fill(1);
    const b = new Float32Array(kk).fill(2 ** -24);
    b[0] = 1;
    const got = k.matmul(a, b, 1, kk, 1);
    expect(got[0]).toBe(1 + (kk - 1) * 2 ** -24);
  });

  it('accumulates into a given array (C += A B) and returns it', () => {
    const [m, kk, n] = [9, 300, 7];
    const a = matrix(m, kk, 3);
    const b = matrix(kk, n, 4);
    const c0 = matrix(m, n, 5);
    const acc = Float64Array.from(c0);
    const r = k.matmul(a, b, m, kk, n, { accumulate: acc });
    expect(r).toBe(acc);
    const ab = reference(a, b, m, kk, n);
    const scale = absScale(a, b, m, kk, n);
    expectProduct(acc, ab.map((x, i) => x + c0[i]), scale.map((x, i) => x + Math.abs(c0[i])), 'accumulated');
  });

  it('reads operands in kernel memory in place, and leaves them unchanged', () => {
    const [m, kk, n] = [37, 270, 41];
    const a = matrix(m, kk, 6);
    const b = matrix(kk, n, 7);
    const ka = k.copyIn(a);
    const kb = k.alloc(Float32Array, kk * n);
    kb.array.set(b);
    const b32 = Float64Array.from(kb.array);
    try {
      const got = k.matmul(ka, kb, m, kk, n);
      expectProduct(got, reference(a, b32, m, kk, n), absScale(a, b32, m, kk, n), 'in place');
      expect(Array.from(ka.array)).toEqual(Array.from(a));
      const t = k.matmul(kb.array, ka.array, n, kk, m, { transposeA: true, transposeB: true });
      expectProduct(t, reference(b32, a, n, kk, m, true, true), absScale(b32, a, n, kk, m, true, true), 'in place, transposed');
    } finally {
      ka.free();
      kb.free();
    }
  });

  it('propagates NaN and infinity as IEEE arithmetic does (0 x inf is NaN, as in NumPy)', () => {
    const a = new Float64Array([0, 1, 2, 3, 1, 0]); // 2 x 3
    const b = new Float64Array([Infinity, 1, NaN, 1, 1, 1]); // 3 x 2
    const got = k.matmul(a, b, 2, 3, 2);
    // Row 0: 0*inf + 1*NaN + 2*1 = NaN; 0*1 + 1*1 + 2*1 = 3. Row 1: 3*inf + NaN = NaN; 3 + 1 + 0 = 4.
    expect(Array.from(got)).toEqual([NaN, 3, NaN, 4]);
    const z = k.matmul(new Float64Array([0, 0]), new Float64Array([Infinity, 1]), 1, 2, 1);
    expect(z[0]).toBeNaN();
  });

  it('0-size operands: an empty result, or zeros when the inner dimension is 0', () => {
    expect(k.matmul(new Float64Array(0), new Float64Array(15), 0, 3, 5).length).toBe(0);
    expect(k.matmul(new Float64Array(6), new Float64Array(0), 2, 3, 0).length).toBe(0);
    expect(Array.from(k.matmul(new Float64Array(0), new Float64Array(0), 2, 0, 3))).toEqual([0, 0, 0, 0, 0, 0]);
    const acc = new Float64Array([1, 2]);
    expect(Array.from(k.matmul(new Float64Array(0), new Float64Array(0), 1, 0, 2, { accumulate: acc }))).toEqual([1, 2]);
  });

  it('refuses bad shapes, types and options by name', () => {
    const a = new Float64Array(6);
    expect(() => k.matmul(a, a, 2, 3, 3)).toThrow(/b has 6 values, expected 3 x 3 = 9/);
    expect(() => k.matmul(a, a, 3, 3, 2)).toThrow(/a has 6 values, expected 3 x 3 = 9/);
    expect(() => k.matmul(a, a, 2, 3, -2)).toThrow(/n must be a non-negative integer/);
    expect(() => k.matmul(new Int32Array(6) as unknown as Float64Array, a, 2, 3, 2)).toThrow(/a must be a Float64Array or Float32Array/);
    expect(() => k.matmul(a, a, 2, 3, 2, { accumulate: new Float64Array(3) })).toThrow(/accumulate has 3 values, expected 2 x 2 = 4/);
    expect(() => k.matmul(a, a, 2, 3, 2, { transposeC: true } as never)).toThrow(OptionError);
  });

  it('returns no kernel memory to the caller after many calls', () => {
    const before = k.rt.mem.allocatedBytes;
    for (let r = 0; r < 5; r++) k.matmul(matrix(30, 40, r), matrix(40, 20, r + 1), 30, 40, 20);
    expect(k.rt.mem.allocatedBytes).toBe(before);
  });
});
