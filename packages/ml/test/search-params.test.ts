/**
 * The searches as estimators: scikit-learn's deep get_params/set_params (`estimator__<name>`,
 * `estimator__<step>__<name>`), clone, and searches nested in pipelines and in other searches.
 */
import { describe, expect, it } from 'vitest';
import { clone, GridSearchCV, KFold, LogisticRegression, makePipeline, RandomizedSearchCV, StandardScaler, withParams } from '../src/index';
import { closePoolsAfterAll, mat, vec } from './helpers';

closePoolsAfterAll();

const pipe = () => makePipeline(new StandardScaler(), new LogisticRegression());

/** 30 rows of two features; the class is the sign of their sum (separable, so each fit is quick). */
function data(rows: number) {
  const X: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < 30; i++) {
    const a = Math.sin(i * 1.7) * 3;
    const b = Math.cos(i * 0.9) * 2;
    X.push([a, b]);
    y.push(a + b + 0.3 * Math.sin(i * 5.1) > 0 ? 1 : 0);
  }
  return { X: mat(X, rows), y: vec(y, rows) };
}

describe('GridSearchCV.getParams / setParams', () => {
  it('lists its own parameters, the estimator and the estimator’s parameters by estimator__<name>', () => {
    const cv = new KFold({ nSplits: 3 });
    const gs = new GridSearchCV(pipe(), { logisticregression__C: [0.1, 1] }, { cv, refit: false });
    const p = gs.getParams();
    expect(p.paramGrid).toEqual({ logisticregression__C: [0.1, 1] });
    expect(p.cv).toBe(cv);
    expect(p.refit).toBe(false);
    expect(p.returnTrainScore).toBe(false);
    expect(p.estimator).toBe(gs.estimator);
    expect(p.estimator__logisticregression__C).toBe(1);
    expect(p.estimator__logisticregression__solver).toBe('lbfgs');
    expect(p.estimator__standardscaler__withMean).toBe(true);
    expect(Object.keys(p)).not.toContain('scoring');
    // A search is what its estimator is (scikit-learn's _estimator_type): outer searches then stratify.
    expect(gs.estimatorType).toBe('classifier');
  });

  it('sets the estimator’s parameters through estimator__, checked as the constructors check them', () => {
    const gs = new GridSearchCV(pipe(), { logisticregression__C: [0.1, 1] });
    const before = gs.estimator;
    expect(gs.setParams({ estimator__logisticregression__maxIter: 7, refit: false })).toBe(gs);
    expect(gs.getParams().estimator__logisticregression__maxIter).toBe(7);
    expect(gs.refit).toBe(false);
    // An unfitted copy replaces the estimator; the one passed in is left as it was.
    expect(gs.estimator).not.toBe(before);
    expect(before.getParams().logisticregression__maxIter).toBe(100);
    expect(() => gs.setParams({ estimator__logisticregression__maxiter: 1 })).toThrow(/LogisticRegression: unknown option 'maxiter'/);
    expect(() => gs.setParams({ estimatr__C: 1 })).toThrow("GridSearchCV.setParams: unknown parameter 'estimatr__C'");
    expect(() => gs.setParams({ cv: 1 })).toThrow("GridSearchCV: option 'cv' must be an integer >= 2 or a splitter");
    expect(() => gs.setParams({ nJobs: 2 })).toThrow(/GridSearchCV: option 'nJobs'/);
    expect(() => gs.setParams({ paramGrid: { logisticregression__C: [] } })).toThrow("parameter 'logisticregression__C' must have a non-empty list of values");
    expect(() => gs.setParams({ estimator: 3 })).toThrow(/GridSearchCV.setParams: 'estimator' must be an estimator \(with getParams\), got Number/);
    // A failed setParams changes nothing.
    expect(gs.getParams().estimator__logisticregression__maxIter).toBe(7);
    gs.setParams({ estimator: new LogisticRegression({ C: 3 }), paramGrid: { C: [1, 2] } });
    expect(gs.getParams().estimator__C).toBe(3);
    expect(gs.paramGrid).toEqual({ C: [1, 2] });
  });

  it('RandomizedSearchCV: nIter and seed are parameters; the draws follow them', () => {
    const rs = new RandomizedSearchCV(new LogisticRegression(), { C: [0.01, 0.1, 1, 10, 100] }, { nIter: 2, seed: 3 });
    expect(rs.getParams()).toMatchObject({ nIter: 2, seed: 3, estimator__C: 1, paramDistributions: { C: [0.01, 0.1, 1, 10, 100] } });
    const again = new RandomizedSearchCV(new LogisticRegression(), { C: [0.01, 0.1, 1, 10, 100] }, { nIter: 4, seed: 5 });
    rs.setParams({ nIter: 4, seed: 5 });
    expect(rs.getParams().nIter).toBe(4);
    expect(clone(rs).getParams().seed).toBe(5);
    expect(() => rs.setParams({ nIter: 0 })).toThrow(/RandomizedSearchCV: option 'nIter'/);
    // Same parameters, same candidates (compared through cvResults after fitting both).
    return Promise.all([rs, again].map((s) => s.fit(data(7).X, data(7).y, { scheduler: 'sync' }))).then(([a, b]) => {
      expect(a.cvResults.params).toEqual(b.cvResults.params);
      expect(a.cvResults.params).toHaveLength(4);
    });
  });

  it('clone and withParams give unfitted copies with the same parameters', async () => {
    const { X, y } = data(11);
    const gs = await new GridSearchCV(pipe(), { logisticregression__C: [0.1, 1] }, { cv: new KFold({ nSplits: 3 }) }).fit(X, y, { scheduler: 'sync' });
    const c = clone(gs);
    expect(c).toBeInstanceOf(GridSearchCV);
    expect(c.estimator).not.toBe(gs.estimator);
    const { estimator: e1, ...p1 } = c.getParams();
    const { estimator: e2, ...p2 } = gs.getParams();
    expect(p1).toEqual(p2);
    expect(e1).not.toBe(e2);
    expect(() => c.bestParams).toThrow(/GridSearchCV is not fitted yet/);
    const w = withParams(gs, { estimator__logisticregression__C: 5 });
    expect(w.getParams().estimator__logisticregression__C).toBe(5);
    expect(gs.getParams().estimator__logisticregression__C).toBe(1);
  });
});

describe('searches nested in pipelines and searches', () => {
  for (const opts of [{ scheduler: 'sync' as const }, { scheduler: 'threads' as const }]) {
    it(`a pipeline step's search is reached by step__estimator__<name> (${opts.scheduler}, one-row and uneven blocks)`, async () => {
      for (const rows of [1, 7]) {
        const { X, y } = data(rows);
        const p = makePipeline(new StandardScaler(), new GridSearchCV(new LogisticRegression(), { C: [0.1, 1] }, { cv: new KFold({ nSplits: 3 }) }));
        expect(p.getParams().gridsearchcv__estimator__maxIter).toBe(100);
        p.setParams({ gridsearchcv__estimator__maxIter: 1, gridsearchcv__refit: true });
        await p.fit(X, y, opts);
        const inner = p.steps[1][1] as GridSearchCV;
        // maxIter 1 reached the refitted model: at most one iteration.
        expect((inner.bestEstimator as LogisticRegression).nIter).toBeLessThanOrEqual(1);
        expect((inner.bestEstimator as LogisticRegression).maxIter).toBe(1);
      }
    });

    it(`an outer GridSearchCV searches an inner search's estimator__<name> (${opts.scheduler})`, async () => {
      const { X, y } = data(10);
      const inner = new GridSearchCV(new LogisticRegression(), { C: [0.1, 1] }, { cv: new KFold({ nSplits: 2 }) });
      const outer = await new GridSearchCV(inner, { estimator__fitIntercept: [false, true] }, { cv: new KFold({ nSplits: 3 }) }).fit(X, y, opts);
      expect(outer.cvResults.params).toEqual([{ estimator__fitIntercept: false }, { estimator__fitIntercept: true }]);
      const best = outer.bestEstimator as GridSearchCV;
      expect(best).toBeInstanceOf(GridSearchCV);
      const fitIntercept = outer.bestParams.estimator__fitIntercept as boolean;
      expect((best.bestEstimator as LogisticRegression).fitIntercept).toBe(fitIntercept);
      if (!fitIntercept) expect((best.bestEstimator as LogisticRegression).intercept).toBe(0);
    });
  }
});
