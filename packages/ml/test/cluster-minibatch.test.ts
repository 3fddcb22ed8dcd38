/**
 * MiniBatchKMeans against scikit-learn 1.2 on iris, wine and digits (cluster_decomp.json):
 * partialFit from given centers with reassignment off is deterministic in both, so its centers
 * must agree exactly (1e-10); fit draws other mini-batches than NumPy's stream, so its inertia is
 * checked against scikit-learn's MiniBatchKMeans and KMeans inertias instead.
 */
import { describe, expect, it } from 'vitest';
import * as da from '@pdask/array';
import { MiniBatchKMeans } from '../src/index';
import { closePoolsAfterAll, expectClose, flat, SCHEDULERS } from './helpers';
import { cd, DATA_SETS, type DataSetName } from './fixtures/cluster_decomp';

closePoolsAfterAll();

function rowsOf(name: DataSetName, a: number, b: number, chunk: number): da.ChunkedArray {
  const m = cd[name].X.slice(a, b);
  return da.fromArray(Float64Array.from(m.flat()), { shape: [m.length, m[0].length], chunks: [chunk, -1] });
}

describe.each(SCHEDULERS)('MiniBatchKMeans.partialFit on $scheduler', (opts) => {
  it.each(DATA_SETS)("%s: three batches from given centers give scikit-learn's partial_fit centers (1e-10)", async (name) => {
    const R = cd[name].kmeans;
    const m = new MiniBatchKMeans({ nClusters: R.k, init: R.init, reassignmentRatio: 0 });
    for (const [i, [a, b]] of R.partialFit.batches.entries()) {
      // The batch is chunked (uneven blocks of 23 rows): one pass, sums and counts reduced as a tree.
      await m.partialFit(rowsOf(name, a, b, 23), opts);
      expect(m.nSteps).toBe(R.partialFit.steps[i].nStepsTaken);
      expectClose(flat(m.clusterCenters), R.partialFit.steps[i].centers.flat(), 1e-10, `${name} centers after batch ${i + 1}`);
    }
  });
});

describe('MiniBatchKMeans.fit', () => {
  // Stated tolerance, seed-independent as the mini-batches differ from NumPy's: over seeds 0-2,
  // each inertia is at most 2% above the worst of scikit-learn's five MiniBatchKMeans fits (batch
  // 256, n_init 3; they land 0.2-5.4% above its best KMeans on iris, 0.2-14% on wine, 1.9-8% on
  // digits) and the mean at most 3% above theirs.
  it.each(DATA_SETS)('%s: inertia within the stated tolerance of scikit-learn, for seeds 0-2', async (name) => {
    const R = cd[name].kmeans;
    const worstSk = Math.max(...R.minibatchInertias);
    const meanSk = R.minibatchInertias.reduce((a, b) => a + b, 0) / R.minibatchInertias.length;
    const X = rowsOf(name, 0, cd[name].X.length, 100);
    const ours: number[] = [];
    for (const seed of [0, 1, 2]) {
      const m = await new MiniBatchKMeans({ nClusters: R.k, batchSize: 256, seed }).fit(X);
      ours.push(m.inertia);
      expect(m.inertia / worstSk - 1, `${name} seed ${seed}`).toBeLessThanOrEqual(0.02);
      expect(m.nSteps).toBeGreaterThan(1);
      // The labels are the nearest centers, and their inertia is the reported one.
      const labels = flat(await m.labels.compute());
      const c = m.clusterCenters.toArray() as number[][];
      const inertia = cd[name].X.reduce((acc, row, i) => acc + row.reduce((t, v, j) => t + (v - c[labels[i]][j]) ** 2, 0), 0);
      expect(Math.abs(inertia / m.inertia - 1)).toBeLessThanOrEqual(1e-9);
    }
    expect(ours.reduce((a, b) => a + b, 0) / ours.length / meanSk - 1).toBeLessThanOrEqual(0.03);
  });

  it('a seed gives the same centers on both schedulers; random init runs 3 starts', async () => {
    const X = rowsOf('iris', 0, 150, 40);
    const a = await new MiniBatchKMeans({ nClusters: 3, batchSize: 32, seed: 5 }).fit(X, { scheduler: 'sync' });
    const b = await new MiniBatchKMeans({ nClusters: 3, batchSize: 32, seed: 5 }).fit(X, { scheduler: 'threads' });
    expect(flat(b.clusterCenters)).toEqual(flat(a.clusterCenters));
    expect(b.nSteps).toBe(a.nSteps);
    expect(new MiniBatchKMeans({ init: 'random' }).nInit).toBe(3);
    expect(new MiniBatchKMeans().nInit).toBe(1);
  });

  it('maxNoImprovement null and tol 0 run maxIter passes; computeLabels false skips the inertia', async () => {
    const X = rowsOf('iris', 0, 150, 40);
    const m = await new MiniBatchKMeans({ nClusters: 3, batchSize: 50, maxIter: 4, maxNoImprovement: null, computeLabels: false, seed: 1 }).fit(X);
    expect(m.nSteps).toBe(12);
    expect(m.nIter).toBe(4);
    expect(() => m.inertia).toThrow('MiniBatchKMeans.inertia: fit ran with computeLabels: false');
  });

  it('partialFit after a center lost every row reassigns it to a row of the batch', async () => {
    // Center 2 is far from every row: it never gets a row, so it moves onto a row of the batch.
    const X = rowsOf('iris', 0, 150, 40);
    const m = new MiniBatchKMeans({ nClusters: 3, init: [[5, 3.4, 1.5, 0.2], [6.5, 3, 5.2, 2], [100, 100, 100, 100]], seed: 2 });
    await m.partialFit(X);
    const c = m.clusterCenters.toArray() as number[][];
    expect(cd.iris.X.some((r) => r.every((v, j) => v === c[2][j]))).toBe(true);
    expect(m.counts[2]).toBe(Math.min(m.counts[0], m.counts[1]));
  });

  it('options are checked by name', async () => {
    expect(() => new MiniBatchKMeans({ batchSize: 0 })).toThrow("MiniBatchKMeans: option 'batchSize' must be a positive integer, got 0 (number)");
    expect(() => new MiniBatchKMeans({ maxNoImprovement: 0 })).toThrow("MiniBatchKMeans: option 'maxNoImprovement' must be a positive integer or null, got 0 (number)");
    expect(() => new MiniBatchKMeans({ init: 'k-means||' as never })).toThrow("MiniBatchKMeans: option 'init' must be 'k-means++', 'random' or an array of initial centers");
    await expect(new MiniBatchKMeans({ nClusters: 2, init: [[1, 2]] }).partialFit(rowsOf('iris', 0, 10, 5))).rejects.toThrow("MiniBatchKMeans.partialFit: option 'init' has shape [1, 2], expected [2, 4]");
    const m = new MiniBatchKMeans({ nClusters: 2, seed: 1 });
    await m.partialFit(rowsOf('iris', 0, 10, 5));
    await expect(m.partialFit(rowsOf('wine', 0, 10, 5))).rejects.toThrow('MiniBatchKMeans.partialFit: X has 13 features, but the model was fitted on 4');
    expect(() => m.inertia).toThrow("MiniBatchKMeans is not fitted yet: call 'await model.fit(X)' before 'inertia'");
  });
});
