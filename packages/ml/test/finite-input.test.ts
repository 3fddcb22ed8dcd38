/**
 * KMeans and PCA refuse NaN and infinite values in X by name (scikit-learn's check_array: "Input X
 * contains NaN", "... contains infinity"), where they used to return NaN centers, inertia and
 * components. Over one-row, uneven and single blocks, with the bad value in the first, a middle
 * and the last block, on both schedulers.
 */
import { describe, expect, it } from 'vitest';
import * as da from '@pdask/array';
import { KMeans, PCA } from '../src/index';
import { closePoolsAfterAll, SCHEDULERS } from './helpers';

closePoolsAfterAll();

const N = 23;
const D = 3;

function x(bad: number, at: number, rows: number): da.ChunkedArray {
  const v = Float64Array.from({ length: N * D }, (_, i) => Math.sin(i * 0.7) * 4 + (i % D));
  v[at] = bad;
  return da.fromArray(v, { shape: [N, D], chunks: [rows, D] });
}

type Fit = (X: da.ChunkedArray, o: object) => Promise<unknown>;
const MODELS: [string, Fit][] = [
  ['KMeans (k-means||, tol 1e-4)', (X, o) => new KMeans({ nClusters: 3, seed: 0, nInit: 1 }).fit(X, o)],
  ['KMeans (k-means++, tol 0)', (X, o) => new KMeans({ nClusters: 3, seed: 0, init: 'k-means++', tol: 0, nInit: 1 }).fit(X, o)],
  ['KMeans (given centers, tol 0)', (X, o) => new KMeans({ nClusters: 2, init: [[0, 0, 0], [1, 1, 1]], tol: 0, maxIter: 3 }).fit(X, o)],
  ['PCA full', (X, o) => new PCA({ nComponents: 2, svdSolver: 'full' }).fit(X, o)],
  ['PCA tsqr', (X, o) => new PCA({ nComponents: 2, svdSolver: 'tsqr' }).fit(X, o)],
  ['PCA randomized', (X, o) => new PCA({ nComponents: 2, svdSolver: 'randomized', seed: 0 }).fit(X, o)],
];

describe('NaN and infinity in X are refused by name', () => {
  for (const [name, fit] of MODELS) {
    const who = name.startsWith('KMeans') ? 'KMeans.fit' : 'PCA.fit';
    for (const opts of SCHEDULERS) {
      it(`${name} (${opts.scheduler})`, async () => {
        for (const [rows, at] of [[1, 0], [5, 37], [N, N * D - 1]] as const) {
          await expect(fit(x(NaN, at, rows), opts), `NaN, blocks of ${rows}`).rejects.toThrow(`${who}: X contains NaN`);
          await expect(fit(x(Infinity, at, rows), opts), `+inf, blocks of ${rows}`).rejects.toThrow(`${who}: X contains infinity`);
          await expect(fit(x(-Infinity, at, rows), opts), `-inf, blocks of ${rows}`).rejects.toThrow(`${who}: X contains infinity`);
        }
        // NaN wins when both occur, as in scikit-learn's check.
        const both = Float64Array.from({ length: N * D }, (_, i) => i % 5);
        both[4] = Infinity;
        both[50] = NaN;
        await expect(fit(da.fromArray(both, { shape: [N, D], chunks: [7, D] }), opts)).rejects.toThrow(`${who}: X contains NaN`);
      });
    }
  }

  it('finite values too large for the sums are refused as such (PCA full)', async () => {
    const v = Float64Array.from({ length: N * D }, (_, i) => 1e308 * (0.5 + 0.2 * (i % 3)));
    await expect(new PCA({ nComponents: 2 }).fit(da.fromArray(v, { shape: [N, D], chunks: [4, D] }), { scheduler: 'sync' })).rejects.toThrow('PCA.fit: X holds values too large for float64 arithmetic');
  });

  it('integer data are checked without a cost (nothing to refuse)', async () => {
    const v = Int32Array.from({ length: N * D }, (_, i) => (i * 7) % 11);
    const m = await new KMeans({ nClusters: 2, seed: 0, nInit: 1 }).fit(da.fromArray(v, { shape: [N, D], chunks: [6, D] }), { scheduler: 'sync' });
    expect(Number.isFinite(m.inertia)).toBe(true);
  });
});
