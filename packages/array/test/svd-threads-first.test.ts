/**
 * s, vt and mean(u, axis 0) of one da.linalg.svd in one compute, as the first computation of a
 * fresh thread pool: it hung. The s and vt blocks are fields of the small SVD's result object;
 * handing the wanted s to the caller moved its buffer out from under that object, which another
 * worker then fetched (for u): the holder died on the detached buffer and the fetch was never
 * answered. Checked from first principles: |X v_i| = s_i, V orthonormal, sum s_i^2 = |X|_F^2,
 * and mean(U) = mean(X) V^T / s (U = X V^T diag(1/s)).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { closeThreadPools, compute } from '@pdask/core';
import * as da from '../src/index';
import type { NDArray } from '../src/ndarray';

afterAll(() => closeThreadPools());

const M = 150;
const N = 4;
/** Iris-like data (150 x 4, values in [0, 8)), from a fixed linear congruential sequence. */
const data = (() => {
  const out = new Float64Array(M * N);
  let x = 12345;
  for (let i = 0; i < out.length; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    out[i] = (x / 2147483648) * 8;
  }
  return out;
})();
const at = (i: number, j: number) => data[i * N + j];

describe('svd: s, vt and mean(u) in one threads compute, first on a fresh pool', () => {
  for (const rows of [60, 1, 89]) {
    it(`row blocks of ${rows}`, async () => {
      await closeThreadPools();
      const X = da.fromArray(data, { shape: [M, N], chunks: [rows, N] });
      const [u, s, vt] = da.linalg.svd(X);
      const [[sv, vtv, mu]] = (await compute([s, vt, da.mean(u, { axis: 0 })], { scheduler: 'threads', numWorkers: 2 })) as NDArray[][];
      expect(sv.shape).toEqual([N]);
      expect(vtv.shape).toEqual([N, N]);
      expect(mu.shape).toEqual([N]);
      const S = Array.from(sv.values as Float64Array);
      const V = (i: number, j: number) => (vtv.values as Float64Array)[i * N + j];
      let frob = 0;
      for (const x of data) frob += x * x;
      expect(S.reduce((a, b) => a + b * b, 0)).toBeCloseTo(frob, 6);
      for (let k = 1; k < N; k++) expect(S[k]).toBeLessThanOrEqual(S[k - 1]);
      for (let i = 0; i < N; i++) {
        for (let j = 0; j < N; j++) {
          let dot = 0;
          for (let k = 0; k < N; k++) dot += V(i, k) * V(j, k);
          expect(dot).toBeCloseTo(i === j ? 1 : 0, 10);
        }
        let norm2 = 0;
        for (let r = 0; r < M; r++) {
          let xv = 0;
          for (let k = 0; k < N; k++) xv += at(r, k) * V(i, k);
          norm2 += xv * xv;
        }
        expect(Math.sqrt(norm2)).toBeCloseTo(S[i], 8);
        let m = 0;
        for (let k = 0; k < N; k++) {
          let colMean = 0;
          for (let r = 0; r < M; r++) colMean += at(r, k);
          m += (colMean / M) * V(i, k);
        }
        expect((mu.values as Float64Array)[i]).toBeCloseTo(m / S[i], 10);
      }
    }, 15_000);
  }
});
