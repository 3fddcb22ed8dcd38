/**
 * SGDClassifier / SGDRegressor against scikit-learn 1.2 (fixtures/make_linear_more.py). With
 * `shuffle: false` scikit-learn's SGD is deterministic (rows in order), so the coefficients,
 * epochs and step counter must agree to rounding on any row blocks; shuffled fits use different
 * random orders (NumPy's generator is not reproduced), so their scores are compared with a
 * tolerance.
 */
import { describe, expect, it } from 'vitest';
import { SGDClassifier, SGDRegressor } from '../src/index';
import { closePoolsAfterAll, expectClose, mat, SCHEDULERS, vec } from './helpers';
import { lx } from './linear-fixtures';

closePoolsAfterAll();
const S = lx.sgd;
const I = lx.iris;
const D = lx.diabetes;
const flatten = (v: number[][] | number[]) => (v as (number | number[])[]).flat() as number[];

describe.each(SCHEDULERS)('shuffle: false equals scikit-learn, $scheduler', (opts) => {
  it('SGDClassifier hinge, one-vs-rest on iris, uneven and one-row blocks', async () => {
    for (const rows of [40, 1]) {
      const m = await new SGDClassifier({ shuffle: false }).fit(mat(I.X, rows), vec(I.y, rows), opts);
      expectClose(m.coef, flatten(S.irisHinge.coef), 1e-9, 'coef');
      expectClose(m.intercepts, S.irisHinge.intercept, 1e-9, 'intercepts');
      expect(m.nIter).toBe(S.irisHinge.nIter);
      expect(m.t).toBe(S.irisHinge.t);
      expect(await m.score(mat(I.X, rows), vec(I.y, rows), opts)).toBeCloseTo(S.irisHinge.score, 12);
      if (opts.scheduler === 'threads') break; // one-row blocks on threads: 150 tasks x 10 epochs in sequence
    }
  });
});

describe('SGD options (sync)', () => {
  const opts = { scheduler: 'sync' } as const;
  it('logLoss with l1 on breast cancer (binary)', async () => {
    const m = await new SGDClassifier({ loss: 'logLoss', penalty: 'l1', alpha: 1e-3, shuffle: false }).fit(mat(lx.cancer.X, 100), vec(lx.cancer.y, 100), opts);
    expectClose(m.coef, flatten(S.cancerLogL1.coef), 1e-8, 'coef');
    expectClose(m.intercepts, S.cancerLogL1.intercept, 1e-8, 'intercept');
    expect(m.nIter).toBe(S.cancerLogL1.nIter);
  });

  it("modifiedHuber, elasticnet, classWeight 'balanced' on wine", async () => {
    const m = await new SGDClassifier({ loss: 'modifiedHuber', penalty: 'elasticnet', classWeight: 'balanced', shuffle: false }).fit(mat(lx.wine.X, 50), vec(lx.wine.y, 50), opts);
    expectClose(m.coef, flatten(S.wineModHuberEnetBalanced.coef), 1e-8, 'coef');
    expect(m.nIter).toBe(S.wineModHuberEnetBalanced.nIter);
  });

  it('SGDRegressor: invscaling for 1000 epochs; elasticnet, constant rate, sample weights', async () => {
    const m = await new SGDRegressor({ shuffle: false }).fit(mat(D.Xstd, -1), vec(D.y, -1), opts);
    expectClose(m.coef, flatten(S.diabetes.coef), 1e-8, 'coef');
    expect(m.intercept).toBeCloseTo(S.diabetes.intercept[0], 8);
    expect(m.nIter).toBe(1000);
    const sw = D.y.map((_, i) => 1 + (i % 4));
    const e = await new SGDRegressor({ penalty: 'elasticnet', alpha: 0.01, shuffle: false, learningRate: 'constant', eta0: 0.001 }).fit(mat(D.Xstd, 200), vec(D.y, 200), { ...opts, sampleWeight: vec(sw, 200) });
    expectClose(e.coef, flatten(S.diabetesEnetSw.coef), 1e-8, 'coef');
    expect(e.nIter).toBe(S.diabetesEnetSw.nIter);
  });

  it('partialFit continues the step counter as scikit-learn does', async () => {
    const r = new SGDRegressor({ shuffle: false });
    await r.partialFit(mat(D.Xstd, 100), vec(D.y, 100), opts);
    await r.partialFit(mat(D.Xstd, 100), vec(D.y, 100), opts);
    expectClose(r.coef, flatten(S.diabetesPartial2.coef), 1e-9, 'regressor coef');
    expect(r.t).toBe(S.diabetesPartial2.t);
    const c = new SGDClassifier({ shuffle: false });
    await c.partialFit(mat(I.X.slice(0, 75), 30), vec(I.y.slice(0, 75), 30), { ...opts, classes: [0, 1, 2] });
    await c.partialFit(mat(I.X.slice(75), 30), vec(I.y.slice(75), 30), opts);
    expectClose(c.coef, flatten(S.irisPartial.coef), 1e-9, 'classifier coef');
    expect(c.t).toBe(S.irisPartial.t);
    await expect(new SGDClassifier().partialFit(mat(I.X, 40), vec(I.y, 40))).rejects.toThrow("SGDClassifier.partialFit: pass every label as the option 'classes' on the first call");
  });

  it('a seed repeats a shuffled fit on any scheduler; a shuffled regressor scores within 0.02 of scikit-learn', async () => {
    const a = await new SGDClassifier({ seed: 3 }).fit(mat(I.X, 40), vec(I.y, 40), opts);
    const b = await new SGDClassifier({ seed: 3 }).fit(mat(I.X, 40), vec(I.y, 40), { scheduler: 'threads' });
    expect(Array.from(b.coef)).toEqual(Array.from(a.coef));
    expect(a.nIter).toBe(b.nIter);
    const r = await new SGDRegressor({ seed: 3 }).fit(mat(D.Xstd, 100), vec(D.y, 100), opts);
    expect(Math.abs((await r.score(mat(D.Xstd, 100), vec(D.y, 100))) - S.diabetesShuffled.score)).toBeLessThanOrEqual(0.02);
  });

  it('strict options', () => {
    expect(() => new SGDClassifier({ loss: 'log' as 'logLoss' })).toThrow("SGDClassifier: option 'loss' must be one of 'hinge', 'logLoss', 'modifiedHuber', 'squaredHinge', 'perceptron'");
    expect(() => new SGDRegressor({ average: true as never })).toThrow("SGDRegressor: option 'average' is not supported");
    expect(() => new SGDRegressor({ learningRate: 'constant', eta0: 0 })).toThrow("SGDRegressor: learningRate 'constant' needs eta0 > 0");
  });
});
