/**
 * Blocked cholesky, lu, solveTriangular and inv against NumPy/SciPy and Dask's own blocked
 * factors (fixture section "linalg" of linfft.json, made by fixtures/make_linfft.py).
 */
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { closeThreadPools } from '@pdask/core';
import * as da from '../src/index';
import { NDArray } from '../src/ndarray';
import { decode, expectClose, type Enc } from './helpers';

afterAll(() => closeThreadPools());
const sync = { scheduler: 'sync' } as const;
const threads = { scheduler: 'threads', numWorkers: 2 } as const;
const FX = JSON.parse(readFileSync(new URL('./fixtures/linfft.json', import.meta.url), 'utf8')) as { linalg: Record<string, Enc & { p: Enc; l: Enc; u: Enc }> };
const L = FX.linalg;
const arr = (name: string) => {
  const e = L[name];
  return e.dtype === 'int32' ? new NDArray(Int32Array.from(decode(e)), e.shape, 'int32') : new NDArray(Float64Array.from(decode(e)), e.shape, 'float64');
};

/** Matrix product of two n x n row-major arrays (the factors multiplied back, from first principles). */
function mm(a: NDArray, b: NDArray): number[] {
  const [n, k] = a.shape;
  const m = b.shape[1];
  const c = new Array<number>(n * m).fill(0);
  for (let i = 0; i < n; i++) for (let p = 0; p < k; p++) for (let j = 0; j < m; j++) c[i * m + j] += a.data[i * k + p] * b.data[p * m + j];
  return c;
}

const CHUNKINGS: [string, unknown][] = [
  ['uniform 3', 3],
  ['one-element blocks', 1],
  ['single block', -1],
  ['uneven [4,4,1]', [[4, 4, 1], [4, 4, 1]]],
  ['rows and columns chunked differently', [[2, 7], [5, 4]]],
];

describe('linalg.cholesky (blocked, Dask task structure)', () => {
  for (const [label, chunks] of CHUNKINGS) {
    it(`upper and lower factors match NumPy, ${label}`, async () => {
      const a = da.fromArray(arr('SPD'), { chunks: chunks as never });
      const lower = (await da.linalg.cholesky(a, { lower: true }).compute(threads)) as NDArray;
      expectClose(lower, L['cholesky(SPD)'], 1e-10);
      const upper = (await da.linalg.cholesky(a).compute(sync)) as NDArray;
      const want = decode(L['cholesky(SPD)']);
      const t = Array.from({ length: 81 }, (_, k) => want[(k % 9) * 9 + Math.floor(k / 9)]);
      expectClose(upper, { shape: [9, 9], dtype: 'float64', data: t }, 1e-10);
    });
  }
  it("equals Dask's blocked factors for Dask's chunkings", async () => {
    for (const c of [3, 1, 9]) {
      const a = da.fromArray(arr('SPD'), { chunks: c });
      expectClose(await da.linalg.cholesky(a).compute(sync), L[`dask cholesky(SPD,${c})`], 1e-10);
      expectClose(await da.linalg.cholesky(a, { lower: true }).compute(sync), L[`dask cholesky(SPD,${c},lower)`], 1e-10);
    }
  });
  it('refuses a matrix that is not positive definite (NaN included), a non-square one, and unknown options', async () => {
    const bad = da.fromArray([[1, 2], [2, 1]], { chunks: 1 });
    await expect(da.linalg.cholesky(bad).compute(sync)).rejects.toThrow(/not positive definite/);
    const nan = da.fromArray([[4, NaN], [NaN, 4]], { chunks: 1 });
    await expect(da.linalg.cholesky(nan).compute(sync)).rejects.toThrow(/not positive definite/);
    expect(() => da.linalg.cholesky(da.ones([3, 2], { chunks: 1 }))).toThrow(/square matrix/);
    expect(() => da.linalg.cholesky(bad, { lowr: true } as never)).toThrow(/unknown option 'lowr'.*did you mean 'lower'/);
  });
});

describe("linalg.lu (Dask's blocked LU: pivoting within diagonal blocks)", () => {
  for (const c of [3, 1, 9]) {
    it(`p, l, u equal Dask's for chunks ${c} (float64 and int32 input)`, async () => {
      for (const name of ['M', 'Mi']) {
        const [p, l, u] = da.linalg.lu(da.fromArray(arr(name), { chunks: c }));
        const want = L[`lu(${name},${c})`];
        expectClose(await p.compute(sync), want.p);
        expectClose(await l.compute(threads), want.l, 1e-10);
        expectClose(await u.compute(sync), want.u, 1e-10);
      }
    });
  }
  for (const [label, chunks] of CHUNKINGS.slice(3)) {
    it(`p l u = a with p a permutation, l unit lower, u upper, ${label}`, async () => {
      const a = arr('M');
      const [p, l, u] = da.linalg.lu(da.fromArray(a, { chunks: chunks as never }));
      const [P, Lf, U] = [(await p.compute(sync)) as NDArray, (await l.compute(sync)) as NDArray, (await u.compute(sync)) as NDArray];
      for (let i = 0; i < 9; i++) {
        let rowSum = 0;
        for (let j = 0; j < 9; j++) {
          rowSum += P.get(i, j);
          if (j > i) expect(Lf.get(i, j)).toBe(0);
          if (j < i) expect(U.get(i, j)).toBe(0);
        }
        expect(rowSum).toBe(1);
        expect(Lf.get(i, i)).toBe(1);
      }
      const plu = mm(P, new NDArray(Float64Array.from(mm(Lf, U)), [9, 9]));
      plu.forEach((v, k) => expect(Math.abs(v - a.data[k])).toBeLessThan(1e-10));
    });
  }
});

describe('linalg.solveTriangular', () => {
  for (const [label, chunks] of CHUNKINGS) {
    it(`matches scipy.linalg.solve_triangular, ${label}`, async () => {
      const bChunks = Array.isArray(chunks) ? [(chunks as number[][])[0], 3] : [chunks, 3];
      const lt = da.fromArray(arr('Lt'), { chunks: chunks as never });
      const B = da.fromArray(arr('Bm'), { chunks: bChunks as never });
      const b = da.fromArray(arr('bv'), { chunks: [bChunks[0]] as never });
      expectClose(await da.linalg.solveTriangular(lt, B, { lower: true }).compute(threads), L['solve_triangular(Lt,Bm,lower)'], 1e-10);
      expectClose(await da.linalg.solveTriangular(lt, b, { lower: true }).compute(sync), L['solve_triangular(Lt,bv,lower)'], 1e-10);
      const ut = da.fromArray(arr('Ut'), { chunks: chunks as never });
      expectClose(await da.linalg.solveTriangular(ut, B).compute(sync), L['solve_triangular(Ut,Bm)'], 1e-10);
    });
  }
  it('reads only the triangle it is told to', async () => {
    const m = da.fromArray(arr('M+12I'), { chunks: 4 });
    expectClose(await da.linalg.solveTriangular(m, da.fromArray(arr('bv'), { chunks: 2 })).compute(sync), L['solve_triangular(M,bv)'], 1e-10);
  });
  it('reports a zero on the diagonal and mismatched shapes', async () => {
    const z = da.fromArray([[1, 0], [3, 0]], { chunks: 1 });
    await expect(da.linalg.solveTriangular(z, da.ones([2], { chunks: 1 }), { lower: true }).compute(sync)).rejects.toThrow(/singular matrix/);
    expect(() => da.linalg.solveTriangular(z, da.ones([3], { chunks: 1 }))).toThrow(/must be equal/);
  });
});

describe('linalg.inv', () => {
  for (const [label, chunks] of CHUNKINGS) {
    it(`matches np.linalg.inv, ${label} (float64 and int32)`, async () => {
      expectClose(await da.linalg.inv(da.fromArray(arr('M'), { chunks: chunks as never })).compute(threads), L['inv(M)'], 1e-9);
      expectClose(await da.linalg.inv(da.fromArray(arr('Mi'), { chunks: chunks as never })).compute(sync), L['inv(Mi)'], 1e-9);
    });
  }
  it('reports a singular matrix and a non-square one', async () => {
    await expect(da.linalg.inv(da.fromArray([[1, 2], [2, 4]], { chunks: 1 })).compute(sync)).rejects.toThrow(/Singular matrix/);
    expect(() => da.linalg.inv(da.ones([2, 3], { chunks: 1 }))).toThrow(/square matrix/);
  });
});
