/**
 * Data-set generators: the same values for any chunking and scheduler, and scikit-learn's
 * structure checked from first principles (cluster sizes, exact linear targets, redundant and
 * repeated features). Values are not NumPy's random numbers, so they are not compared with it.
 */
import { describe, expect, it } from 'vitest';
import { makeBlobs, makeClassification, makeRegression } from '../src/index';
import { closePoolsAfterAll, expectClose, flat, SCHEDULERS } from './helpers';

closePoolsAfterAll();
const rows = (v: number[], d: number) => Array.from({ length: v.length / d }, (_, i) => v.slice(i * d, (i + 1) * d));

describe('any chunking, any scheduler, same data', () => {
  const chunkings: (number | number[])[] = [1, 10, 57, [20, 0, 30, 7]];
  it.each(SCHEDULERS)('makeBlobs / makeRegression / makeClassification on $scheduler', async (opts) => {
    const ref = {
      blobs: makeBlobs({ nSamples: 57, nFeatures: 3, seed: 3, chunks: 57 }),
      reg: makeRegression({ nSamples: 57, nFeatures: 5, nInformative: 3, noise: 1, seed: 3, chunks: 57 }),
      cls: makeClassification({ nSamples: 57, nFeatures: 6, seed: 3, chunks: 57 }),
    };
    const want = await Promise.all([ref.blobs[0], ref.blobs[1], ref.reg[0], ref.reg[1], ref.cls[0], ref.cls[1]].map((a) => a.compute({ scheduler: 'sync' }).then(flat)));
    for (const chunks of chunkings) {
      const b = makeBlobs({ nSamples: 57, nFeatures: 3, seed: 3, chunks });
      const r = makeRegression({ nSamples: 57, nFeatures: 5, nInformative: 3, noise: 1, seed: 3, chunks });
      const c = makeClassification({ nSamples: 57, nFeatures: 6, seed: 3, chunks });
      expect(b[0].chunks[0]).toEqual(typeof chunks === 'number' ? Array.from({ length: Math.ceil(57 / chunks) }, (_, i) => Math.min(chunks, 57 - i * chunks)) : chunks);
      const got = await Promise.all([b[0], b[1], r[0], r[1], c[0], c[1]].map((a) => a.compute(opts).then(flat)));
      expect(got).toEqual(want);
    }
    const other = flat(await makeBlobs({ nSamples: 57, nFeatures: 3, seed: 4 })[0].compute(opts));
    expect(other).not.toEqual(want[0]);
  });
});

describe('makeBlobs', () => {
  it("cluster sizes as scikit-learn's, means near the centers, spread clusterStd", async () => {
    const [X, y, centers] = makeBlobs({ nSamples: 3001, centers: 4, nFeatures: 2, clusterStd: [0.5, 1, 1.5, 2], seed: 11, chunks: 500 });
    expect(X.shape).toEqual([3001, 2]);
    expect(y.dtype).toBe('int32');
    const lab = flat(await y.compute());
    const x = rows(flat(await X.compute()), 2);
    // 3001 = 4 * 750 + 1: the first cluster has one more (scikit-learn).
    expect([0, 1, 2, 3].map((c) => lab.filter((l) => l === c).length)).toEqual([751, 750, 750, 750]);
    for (const c of [0, 1, 2, 3]) {
      const mine = x.filter((_, i) => lab[i] === c);
      for (const j of [0, 1]) {
        const m = mine.reduce((s, r) => s + r[j], 0) / mine.length;
        const sd = Math.sqrt(mine.reduce((s, r) => s + (r[j] - m) ** 2, 0) / mine.length);
        const spread = [0.5, 1, 1.5, 2][c];
        // Standard errors: the mean's is spread / sqrt(750) (< 0.08), the std's about spread / sqrt(1500).
        expect(Math.abs(m - centers[c][j])).toBeLessThan(5 * spread / Math.sqrt(750));
        expect(Math.abs(sd - spread)).toBeLessThan(5 * spread / Math.sqrt(1500));
      }
    }
    for (const c of centers) for (const v of c) expect(Math.abs(v)).toBeLessThanOrEqual(10);
    // Without shuffle the clusters take turns, row i in cluster i % 4.
    const [, y2] = makeBlobs({ nSamples: 9, centers: 4, shuffle: false, seed: 1 });
    expect(flat(await y2.compute())).toEqual([0, 1, 2, 3, 0, 1, 2, 3, 0]);
    const [X3] = makeBlobs({ nSamples: 4, centers: [[100, 0], [0, 100]], clusterStd: 0, shuffle: false, seed: 1 });
    expect(flat(await X3.compute())).toEqual([100, 0, 0, 100, 100, 0, 0, 100]);
  });
});

describe('makeRegression', () => {
  it('y = X · coef + bias exactly without noise; nInformative non-zero coefficients; noise of the asked spread', async () => {
    const [X, y, coef] = makeRegression({ nSamples: 400, nFeatures: 6, nInformative: 2, bias: 3, seed: 5, chunks: 64 });
    const x = rows(flat(await X.compute()), 6);
    const t = flat(await y.compute());
    expect(coef.filter((c) => c[0] !== 0)).toHaveLength(2);
    for (const c of coef) expect(c[0] >= 0 && c[0] < 100).toBe(true);
    expectClose(t, x.map((r) => 3 + r.reduce((s, v, j) => s + v * coef[j][0], 0)), 1e-12, 'y');
    const xm = x.flat();
    const mean = xm.reduce((a, b) => a + b, 0) / xm.length;
    const sd = Math.sqrt(xm.reduce((a, b) => a + (b - mean) ** 2, 0) / xm.length);
    expect(Math.abs(mean)).toBeLessThan(0.1);
    expect(Math.abs(sd - 1)).toBeLessThan(0.05);
    const [Xn, yn, cn] = makeRegression({ nSamples: 2000, nFeatures: 3, nInformative: 3, noise: 2, seed: 5, chunks: 300 });
    const xn = rows(flat(await Xn.compute()), 3);
    const res = flat(await yn.compute()).map((v, i) => v - xn[i].reduce((s, u, j) => s + u * cn[j][0], 0));
    const rsd = Math.sqrt(res.reduce((a, b) => a + b * b, 0) / res.length);
    expect(Math.abs(rsd - 2)).toBeLessThan(0.15);
    const [, y2] = makeRegression({ nSamples: 10, nFeatures: 4, nTargets: 3, seed: 1 });
    expect(y2.shape).toEqual([10, 3]);
  });
});

describe('makeClassification', () => {
  it("balanced classes as scikit-learn's, redundant features linear in the informative, repeated copies", async () => {
    const [X, y] = makeClassification({ nSamples: 101, nFeatures: 7, nInformative: 3, nRedundant: 2, nRepeated: 1, flipY: 0, shuffle: false, seed: 2, chunks: 13 });
    expect(X.shape).toEqual([101, 7]);
    const lab = flat(await y.compute());
    // 4 clusters of 26, 25, 25, 25 (scikit-learn's split), clusters 0 and 2 are class 0.
    expect([lab.filter((l) => l === 0).length, lab.filter((l) => l === 1).length]).toEqual([51, 50]);
    const x = rows(flat(await X.compute()), 7);
    // Redundant columns 3, 4: least squares on columns 0..2 leaves no residual.
    for (const r of [3, 4]) {
      const G = [0, 1, 2].map((a) => [0, 1, 2].map((b) => x.reduce((s, row) => s + row[a] * row[b], 0)));
      const h = [0, 1, 2].map((a) => x.reduce((s, row) => s + row[a] * row[r], 0));
      const w = solve3(G, h);
      const resid = Math.max(...x.map((row) => Math.abs(row[r] - (w[0] * row[0] + w[1] * row[1] + w[2] * row[2]))));
      expect(resid).toBeLessThan(1e-9);
    }
    // The repeated column 5 is a copy of one of columns 0..4.
    expect([0, 1, 2, 3, 4].some((j) => x.every((row) => row[5] === row[j]))).toBe(true);
    // flipY: 1 draws every label at random: about a third in each class.
    const [, yf] = makeClassification({ nSamples: 4000, flipY: 1, nClasses: 3, nInformative: 3, seed: 4, chunks: 1000 });
    const lf = flat(await yf.compute());
    for (const c of [0, 1, 2]) expect(Math.abs(lf.filter((l) => l === c).length / 4000 - 1 / 3)).toBeLessThan(0.04);
  });

  it('errors', () => {
    expect(() => makeClassification({ nFeatures: 3, nInformative: 2, nRedundant: 2 })).toThrow('makeClassification: nInformative + nRedundant + nRepeated (4) must be at most nFeatures (3)');
    expect(() => makeClassification({ nInformative: 1, nClasses: 3, nClustersPerClass: 1, nRedundant: 0 })).toThrow('nClasses * nClustersPerClass (3) must be at most 2^nInformative (2)');
    expect(() => makeBlobs({ nSamples: 10, chunks: [3, 3] })).toThrow('makeBlobs: chunks [3, 3] do not add up to nSamples = 10');
    expect(() => makeRegression({ effectiveRank: 3 } as never)).toThrow("makeRegression: option 'effectiveRank' is not supported");
    expect(() => makeClassification({ weights: [0.9, 0.1] } as never)).toThrow("makeClassification: option 'weights' is not supported");
    expect(() => makeBlobs({ nSample: 3 } as never)).toThrow("makeBlobs: unknown option 'nSample'");
  });
});

function solve3(A: number[][], b: number[]): number[] {
  const M = A.map((r, i) => [...r, b[i]]);
  for (let c = 0; c < 3; c++) {
    let p = c;
    for (let r = c + 1; r < 3; r++) if (Math.abs(M[r][c]) > Math.abs(M[p][c])) p = r;
    [M[c], M[p]] = [M[p], M[c]];
    for (let r = 0; r < 3; r++) {
      if (r === c) continue;
      const f = M[r][c] / M[c][c];
      for (let k = c; k < 4; k++) M[r][k] -= f * M[c][k];
    }
  }
  return M.map((r, i) => r[3] / r[i]);
}
