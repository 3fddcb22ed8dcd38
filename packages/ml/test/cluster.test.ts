/** KMeans against scikit-learn's Lloyd iterations, over odd chunkings and both schedulers. */
import { describe, expect, it } from 'vitest';
import * as da from '@pdask/array';
import { KMeans } from '../src/index';
import { CHUNKINGS, closePoolsAfterAll, expectClose, flat, fx, mat, SCHEDULERS } from './helpers';

closePoolsAfterAll();
const K = fx.kmeans;

/** Rows of a k x d center matrix in lexicographic order (labels are arbitrary up to permutation). */
function sortedRows(c: da.NDArray): number[] {
  const rows = c.toArray() as number[][];
  return rows.sort((a, b) => a[0] - b[0] || a[1] - b[1]).flat();
}

describe.each(SCHEDULERS)('KMeans on $scheduler', (opts) => {
  it.each(CHUNKINGS)('one, two and three Lloyd steps from given centers: $name', async ({ rows }) => {
    const X = mat(K.lloydX, rows);
    for (const it of ['1', '2', '3'] as const) {
      const m = await new KMeans({ nClusters: 3, init: K.init, maxIter: Number(it), tol: 0 }).fit(X, opts);
      const ref = K.steps[it];
      expect(m.nIter, `nIter after maxIter ${it}`).toBe(ref.nIter);
      expectClose(flat(m.clusterCenters), ref.centers.flat(), 1e-12, `centers after ${it}`);
      expect(m.inertia).toBeCloseTo(ref.inertia, 9);
      expectClose(flat(await m.labels.compute(opts)), ref.labels, 0, `labels after ${it}`);
    }
  });
});

describe('KMeans', () => {
  it('runs to convergence with tol 0 (scikit-learn stops at the same iteration)', async () => {
    const m = await new KMeans({ nClusters: 3, init: K.init, tol: 0 }).fit(mat(K.lloydX, 40), { scheduler: 'threads' });
    expect(m.nIter).toBe(K.converged.nIter);
    expectClose(flat(m.clusterCenters), K.converged.centers.flat(), 1e-12, 'centers');
    expect(m.inertia).toBeCloseTo(K.converged.inertia, 9);
    expectClose(flat(await m.predict(da.fromArray(K.predictPoints)).compute()), K.predictLabels, 0, 'predict');
  });

  it('tol is relative to the mean feature variance, as in scikit-learn', async () => {
    const m = await new KMeans({ nClusters: 3, init: K.init, tol: K.tol.tol }).fit(mat(K.lloydX, 40));
    expect(m.nIter).toBe(K.tol.nIter);
    expectClose(flat(m.clusterCenters), K.tol.centers.flat(), 1e-12, 'centers');
    expect(m.inertia).toBeCloseTo(K.tol.inertia, 9);
  });

  // One k-means++ draw puts two centers in one blob ~1% of the time here (Lloyd then stays in
  // that local optimum), a uniform draw 78% of the time: several initialisations keep the best.
  it.each([
    ['k-means++', 3],
    ['random', 10],
  ] as const)('init %s with nInit %i finds scikit-learn k-means++ optimum', async (init, nInit) => {
    for (const seed of [0, 1, 2]) {
      const m = await new KMeans({ nClusters: 3, init, nInit, seed }).fit(mat(K.X, 40));
      expectClose(sortedRows(m.clusterCenters), K.plusplus.centersSorted.flat(), 1e-9, `centers (seed ${seed})`);
      expect(m.inertia).toBeCloseTo(K.plusplus.inertia, 8);
    }
  });

  it('k-means++ draws the same centers on both schedulers for a seed', async () => {
    const a = await new KMeans({ nClusters: 3, seed: 7, maxIter: 1 }).fit(mat(K.X, 40), { scheduler: 'sync' });
    const b = await new KMeans({ nClusters: 3, seed: 7, maxIter: 1 }).fit(mat(K.X, 40), { scheduler: 'threads' });
    expect(flat(b.clusterCenters)).toEqual(flat(a.clusterCenters));
  });

  it('k-means++ over one-row blocks (150 draws merged by the tree): one start per blob here', async () => {
    const m = await new KMeans({ nClusters: 3, seed: 3, maxIter: 1 }).fit(mat(K.X, 1));
    // One Lloyd step from three rows of different blobs already separates the blobs.
    expectClose(sortedRows(m.clusterCenters), K.plusplus.centersSorted.flat(), 1e-9, 'centers');
    const labels = flat(await m.labels.compute());
    expect(new Set(labels).size).toBe(3);
  });

  it('fitPredict returns the training labels', async () => {
    const labels = await new KMeans({ nClusters: 3, init: K.init, tol: 0 }).fitPredict(mat(K.lloydX, 33));
    expectClose(flat(await labels.compute()), K.converged.labels, 0, 'labels');
  });
});
