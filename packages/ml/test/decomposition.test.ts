/** PCA against scikit-learn (svd_solver 'full'), over odd chunkings and both schedulers. */
import { describe, expect, it } from 'vitest';
import { PCA } from '../src/index';
import { CHUNKINGS, closePoolsAfterAll, expectClose, flat, fx, mat, SCHEDULERS } from './helpers';

closePoolsAfterAll();
const P = fx.pca;

/**
 * Components are defined up to sign; pdask makes each one's largest loading positive (see the
 * README). The reference's signs are aligned the same way, from its own values, before comparing.
 */
function signsOf(components: number[][]): number[] {
  return components.map((row) => {
    let big = 0;
    row.forEach((v, t) => {
      if (Math.abs(v) > Math.abs(row[big])) big = t;
    });
    return row[big] < 0 ? -1 : 1;
  });
}

describe.each(SCHEDULERS)('PCA on $scheduler', (opts) => {
  it.each(CHUNKINGS)('3 of 5 components: $name', async ({ rows }) => {
    const X = mat(P.X, rows);
    const m = await new PCA({ nComponents: 3 }).fit(X, opts);
    const sg = signsOf(P.components);
    expectClose(flat(m.components), P.components.flatMap((r, c) => r.map((v) => v * sg[c])), 1e-9, 'components');
    expectClose(m.explainedVariance, P.explainedVariance, 1e-9, 'explainedVariance');
    expectClose(m.explainedVarianceRatio, P.explainedVarianceRatio, 1e-9, 'explainedVarianceRatio');
    expectClose(m.singularValues, P.singularValues, 1e-9, 'singularValues');
    expectClose(m.mean, P.mean, 1e-12, 'mean');
    expect(m.noiseVariance).toBeCloseTo(P.noiseVariance, 9);
    const t = await m.transform(X).compute(opts);
    expect(t.shape).toEqual([P.X.length, 3]);
    expectClose(flat(t), P.transform.flatMap((r) => r.map((v, c) => v * sg[c])), 1e-9, 'transform');
  });
});

describe('PCA', () => {
  it('keeps every component by default; the data are rank 4, so the last singular value is ~0', async () => {
    const m = await new PCA().fit(mat(P.X, 40));
    expect(m.nComponentsFitted).toBe(5);
    expectClose(m.singularValues, P.fullSingularValues, 1e-9, 'singularValues');
    expect(m.explainedVarianceRatio.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  it('inverseTransform of all components gives X back', async () => {
    const X = mat(P.X, 40);
    const m = await new PCA().fit(X, { scheduler: 'threads' });
    const back = await m.inverseTransform(m.transform(X)).compute();
    expectClose(flat(back), P.X.flat(), 1e-9, 'inverseTransform');
  });
});
