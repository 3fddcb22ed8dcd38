/**
 * qr and svd of short-and-fat arrays (sfqr, the SVD of the transpose), Dask's qr/svd dispatch by
 * chunking, and the randomized svdCompressed: singular values against NumPy, factors checked
 * from first principles (orthonormality, triangularity, products recomputed here).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { closeThreadPools } from '@pdask/core';
import * as da from '../src/index';
import { NDArray } from '../src/ndarray';
import { decode, expectClose, fixtures, input, type Enc } from './helpers';

afterAll(() => closeThreadPools());
const sync = { scheduler: 'sync' } as const;
const threads = { scheduler: 'threads', numWorkers: 2 } as const;
const F = (fixtures as unknown as { sfat: Record<string, Enc> }).sfat;
const mat = (name: string) => new NDArray(Float64Array.from(decode(F[name])), F[name].shape, 'float64');
type Chunks = number | (number | number[])[];

/** Plain triple-loop product, independent of the package's matmul. */
function mm(a: NDArray, b: NDArray): NDArray {
  const [m, k] = a.shape;
  const n = b.shape[1];
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) for (let p = 0; p < k; p++) out[i * n + j] += a.get(i, p) * b.get(p, j);
  return new NDArray(out, [m, n], 'float64');
}

const scaleCols = (u: NDArray, s: NDArray): NDArray =>
  new NDArray(Float64Array.from(u.data, (x, i) => x * s.get(i % u.shape[1])), u.shape, 'float64');

function transposed(a: NDArray): NDArray {
  const [m, n] = a.shape;
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) out[j * m + i] = a.get(i, j);
  return new NDArray(out, [n, m], 'float64');
}

function expectOrthonormalColumns(q: NDArray, tol = 1e-12): void {
  const g = mm(transposed(q), q);
  for (let i = 0; i < g.shape[0]; i++) for (let j = 0; j < g.shape[1]; j++) expect(Math.abs(g.get(i, j) - (i === j ? 1 : 0)), `Q^T Q at ${i},${j}`).toBeLessThan(tol);
}

function expectUpper(r: NDArray): void {
  for (let i = 0; i < r.shape[0]; i++) for (let j = 0; j < Math.min(i, r.shape[1]); j++) expect(Math.abs(r.get(i, j)), `R at ${i},${j}`).toBeLessThan(1e-13);
}

/** max |got - want| within tol times the largest |want| (products of factors lose relative accuracy near zeros). */
function expectNear(got: NDArray, want: Enc, tol: number): void {
  expect(got.shape).toEqual(want.shape);
  const w = decode(want);
  const scale = Math.max(...w.map(Math.abs));
  let worst = 0;
  for (let i = 0; i < w.length; i++) worst = Math.max(worst, Math.abs(got.data[i] - w[i]));
  expect(worst / scale).toBeLessThan(tol);
}

const SF_CHUNKINGS: { label: string; chunks: Chunks }[] = [
  { label: 'uneven column blocks of 4', chunks: [-1, 4] },
  { label: 'one-column blocks', chunks: [-1, 1] },
  { label: 'a single block', chunks: -1 },
  { label: 'leading blocks narrower than a is tall', chunks: [[5], [2, 2, 7, 12]] },
  { label: 'a first block wider than a is tall', chunks: [[5], [20, 3]] },
];

for (const opts of [sync, threads]) {
  describe(`short-and-fat qr and svd (${opts.scheduler})`, () => {
    for (const { label, chunks } of SF_CHUNKINGS) {
      it(`5x23 array in ${label}`, async () => {
        const a = da.fromArray(mat('SF'), { chunks: chunks as never });
        const [q, r] = da.linalg.qr(a);
        expect(r.chunks[1]).toEqual(a.chunks[1]);
        const [Q, R] = [(await q.compute(opts)) as NDArray, (await r.compute(opts)) as NDArray];
        expect(Q.shape).toEqual([5, 5]);
        expect(R.shape).toEqual([5, 23]);
        expectOrthonormalColumns(Q);
        expectUpper(R);
        expectNear(mm(Q, R), F.SF, 1e-13);
        expectClose(new NDArray(Float64Array.from(R.data, Math.abs), R.shape), F['abs(R(SF))'], 1e-9);

        const [u, s, vt] = da.linalg.svd(a);
        const [U, S, VT] = [(await u.compute(opts)) as NDArray, (await s.compute(opts)) as NDArray, (await vt.compute(opts)) as NDArray];
        expectClose(S, F['svd_s(SF)'], 1e-10);
        expect(U.shape).toEqual([5, 5]);
        expect(VT.shape).toEqual([5, 23]);
        expectOrthonormalColumns(U);
        expectOrthonormalColumns(transposed(VT));
        expectNear(mm(scaleCols(U, S), VT), F.SF, 1e-13);
        // Signs follow Dask's coerce_signs, so the vectors themselves match NumPy's, flipped alike.
        expectNear(U, F['u(SF)'], 1e-10);
        expectNear(VT, F['vt(SF)'], 1e-10);
      });
    }
  });
}

describe('qr and svd dispatch by chunking', () => {
  it('sfqr rechunks several row blocks to one; qr of one column block of a wide array uses TSQR', async () => {
    for (const [q, r] of [da.linalg.sfqr(da.fromArray(mat('SF'), { chunks: [2, 6] })), da.linalg.qr(da.fromArray(mat('SF'), { chunks: [1, -1] }))]) {
      const [Q, R] = [(await q.compute(sync)) as NDArray, (await r.compute(sync)) as NDArray];
      expect([Q.shape, R.shape]).toEqual([[5, 5], [5, 23]]);
      expectOrthonormalColumns(Q);
      expectUpper(R);
      expectNear(mm(Q, R), F.SF, 1e-13);
    }
    const [, s] = da.linalg.svd(da.fromArray(mat('SF'), { chunks: [1, -1] }));
    expectClose(await s.compute(sync), F['svd_s(SF)'], 1e-10);
  });

  it('a tall array in one block goes through sfqr and the transposed SVD (Dask: one row block)', async () => {
    const T = da.fromArray(input('T'), { chunks: -1 });
    const [q, r] = da.linalg.qr(T);
    expect(q.name).toMatch(/^sfqr-q-/);
    const [Q, R] = [(await q.compute(threads)) as NDArray, (await r.compute(threads)) as NDArray];
    expect([Q.shape, R.shape]).toEqual([[40, 3], [3, 3]]);
    expectOrthonormalColumns(Q);
    expectUpper(R);
    expectNear(mm(Q, R), fixtures.inputs.T, 1e-13);
    expectClose(new NDArray(Float64Array.from(R.data, Math.abs), R.shape), fixtures.linalg['abs(R(T))'], 1e-9);
    const [u, s, vt] = da.linalg.svd(T);
    const [U, S, VT] = [(await u.compute(sync)) as NDArray, (await s.compute(sync)) as NDArray, (await vt.compute(sync)) as NDArray];
    expectClose(S, fixtures.linalg['svd_s(T)'], 1e-10);
    expect([U.shape, VT.shape]).toEqual([[40, 3], [3, 3]]);
    expectNear(mm(scaleCols(U, S), VT), fixtures.inputs.T, 1e-13);
    expectNear(U, F['u(T)'], 1e-10);
    expectNear(VT, F['vt(T)'], 1e-10);
  });

  it('coerceSigns: false leaves the signs of the factorisation (same magnitudes)', async () => {
    const [u, , vt] = da.linalg.svd(da.fromArray(mat('SF'), { chunks: [-1, 4] }), { coerceSigns: false });
    const abs = (x: NDArray) => new NDArray(Float64Array.from(x.data, Math.abs), x.shape, 'float64');
    const absEnc = (e: Enc): Enc => ({ ...e, data: decode(e).map(Math.abs) });
    expectNear(abs((await u.compute(sync)) as NDArray), absEnc(F['u(SF)']), 1e-10);
    expectNear(abs((await vt.compute(sync)) as NDArray), absEnc(F['vt(SF)']), 1e-10);
  });

  it('arrays chunked along both axes are refused, naming the chunks and the rechunk to do', () => {
    const A = da.fromArray(input('A'), { chunks: [3, 2] });
    expect(() => da.linalg.qr(A)).toThrow(/qr: a has chunks \[\[3, 3, 1\], \[2, 2, 1\]\] \(3 x 3 blocks\).*a\.rechunk\(\[3, -1\]\) or a\.rechunk\(\[-1, 2\]\).*linalg\.tsqr/);
    expect(() => da.linalg.svd(A)).toThrow(/svd: a has chunks \[\[3, 3, 1\], \[2, 2, 1\]\].*a\.rechunk\(\[3, -1\]\).*svdCompressed/);
    expect(() => da.linalg.qr(da.fromArray(input('V'), { chunks: 4 }))).toThrow(/qr needs a 2-d array, got 1-d/);
    expect(() => da.linalg.sfqr(da.zeros([0, 4]))).toThrow(/sfqr: a is empty/);
    // The rechunk the message suggests works.
    expect(da.linalg.qr(A.rechunk([3, -1]))[0].numblocks).toEqual([3, 1]);
  });
});

const LR_CHUNKINGS: { label: string; chunks: Chunks }[] = [
  { label: 'uneven blocks along both axes', chunks: [7, 4] },
  { label: 'one block of columns', chunks: [13, -1] },
  { label: 'a single block', chunks: -1 },
  { label: 'one-element blocks at the edges', chunks: [[1, 20, 39], [1, 28, 1]] },
];

for (const opts of [sync, threads]) {
  describe(`svdCompressed (${opts.scheduler})`, () => {
    for (const { label, chunks } of LR_CHUNKINGS) {
      it(`recovers a rank-3 60x30 array in ${label}`, async () => {
        const a = da.fromArray(mat('LR'), { chunks: chunks as never });
        const [u, s, v] = da.linalg.svdCompressed(a, 3, { seed: 42 });
        expect([u.shape, s.shape, v.shape]).toEqual([[60, 3], [3], [3, 30]]);
        const [U, S, V] = [(await u.compute(opts)) as NDArray, (await s.compute(opts)) as NDArray, (await v.compute(opts)) as NDArray];
        expectClose(S, F['svd_s(LR)[:3]'], 1e-8);
        expectOrthonormalColumns(U, 1e-10);
        expectOrthonormalColumns(transposed(V), 1e-10);
        expectNear(mm(scaleCols(U, S), V), F.LR, 1e-10);
        expectNear(U, F['u(LR)'], 1e-8);
        expectNear(V, F['vt(LR)'], 1e-8);
      });
    }
  });
}

describe('svdCompressed options and errors', () => {
  it('power iterations and no oversampling: the leading singular values of a fast-decaying spectrum', async () => {
    const a = da.fromArray(mat('HIL'), { chunks: [11, 7] });
    const [, s] = da.linalg.svdCompressed(a, 4, { nPowerIter: 2, nOversamples: 0, seed: 3 });
    expectClose(await s.compute(threads), F['svd_s(HIL)[:4]'], 1e-8);
    // Without a seed one is drawn; the result is the same to accuracy.
    const [, s2] = da.linalg.svdCompressed(a, 4, { nPowerIter: 1 });
    expectClose(await s2.compute(sync), F['svd_s(HIL)[:4]'], 1e-8);
  });

  it('a seed fixes the graph', () => {
    const a = da.fromArray(mat('LR'), { chunks: [7, 4] });
    expect(da.linalg.svdCompressed(a, 2, { seed: 5 })[1].name).toBe(da.linalg.svdCompressed(a, 2, { seed: 5 })[1].name);
    expect(da.linalg.svdCompressed(a, 2, { seed: 5 })[1].name).not.toBe(da.linalg.svdCompressed(a, 2, { seed: 6 })[1].name);
  });

  it('bad k and options are clear errors', () => {
    const a = da.fromArray(mat('LR'), { chunks: [7, 4] });
    const k = /svdCompressed: k must be an integer from 1 to min\(m, n\) = 30 for shape \[60, 30\]/;
    expect(() => da.linalg.svdCompressed(a, 0)).toThrow(k);
    expect(() => da.linalg.svdCompressed(a, 31)).toThrow(k);
    expect(() => da.linalg.svdCompressed(a, 2.5)).toThrow(k);
    expect(() => da.linalg.svdCompressed(a, 3, { nPowerIter: -1 })).toThrow(/da.linalg.svdCompressed: option 'nPowerIter' must be an integer >= 0, got -1/);
    expect(() => da.linalg.svdCompressed(a, 3, { nOversamples: 1.5 })).toThrow(/da.linalg.svdCompressed: option 'nOversamples' must be an integer >= 0, got 1.5/);
    expect(() => da.linalg.svdCompressed(da.fromArray(input('V'), { chunks: 4 }), 1)).toThrow(/2-d array, got 1-d/);
  });
});
