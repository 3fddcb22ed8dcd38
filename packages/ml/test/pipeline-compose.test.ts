/** Pipeline, makePipeline, ColumnTransformer and the estimator protocol (clone, getParams, withParams). */
import { describe, expect, it } from 'vitest';
import * as da from '@pdask/array';
import { clone, ColumnTransformer, getParams, KMeans, LinearRegression, LogisticRegression, makePipeline, MinMaxScaler, PCA, Pipeline, StandardScaler, withParams } from '../src/index';
import { closePoolsAfterAll, CHUNKINGS, expectClose, flat, fx, mat, SCHEDULERS, vec } from './helpers';

closePoolsAfterAll();
const S = fx.scalers;
const C = fx.classification;

describe('estimator protocol', () => {
  it('getParams gives the constructor options and clone an unfitted copy', async () => {
    const lr = new LogisticRegression({ C: 0.5, maxIter: 7 });
    expect(getParams(lr)).toEqual({ penalty: 'l2', C: 0.5, fitIntercept: true, maxIter: 7, tol: 1e-4, solver: 'lbfgs', multiClass: 'auto', rho: 1 });
    await lr.fit(mat(C.X, 40), vec(C.y, 40));
    const c = clone(lr);
    expect(c).not.toBe(lr);
    expect(c.getParams()).toEqual(lr.getParams());
    expect(() => c.coef).toThrow('not fitted');
    expect(withParams(lr, { C: 3 }).C).toBe(3);
    expect(lr.C).toBe(0.5);
    expect(() => withParams(lr, { c: 3 })).toThrow("LogisticRegression: unknown option 'c'");
    expect(new KMeans({ nClusters: 3, seed: 2 }).getParams()).toEqual({ nClusters: 3, init: 'k-means||', maxIter: 300, tol: 1e-4, nInit: 1, seed: 2, oversamplingFactor: 2 });
    expect(new PCA().getParams()).toEqual({ whiten: false, svdSolver: 'auto', iteratedPower: 'auto', nOversamples: 10 });
    expect(clone(new PCA({ nComponents: 2, whiten: true, svdSolver: 'randomized', seed: 4 })).getParams()).toEqual({ nComponents: 2, whiten: true, svdSolver: 'randomized', iteratedPower: 'auto', nOversamples: 10, seed: 4 });
    expect(new MinMaxScaler({ featureRange: [-1, 2] }).getParams()).toEqual({ featureRange: [-1, 2] });
    expect(new LinearRegression().estimatorType).toBe('regressor');
  });
});

describe.each(SCHEDULERS)('Pipeline on $scheduler', (opts) => {
  it.each(CHUNKINGS)('scaler + logistic equals the steps run by hand ($name)', async ({ rows }) => {
    const X = mat(C.X, rows);
    const y = vec(C.y, rows);
    const p = await makePipeline(new StandardScaler(), new LogisticRegression({ C: 1, tol: 1e-10 })).fit(X, y, opts);
    const sc = await new StandardScaler().fit(X, opts);
    const lr = await new LogisticRegression({ C: 1, tol: 1e-10 }).fit(sc.transform(X), y, opts);
    const pLr = p.finalEstimator as LogisticRegression;
    expectClose(pLr.coef, lr.coef, 1e-12, 'coef');
    expect(flat(await p.predict(X).compute(opts))).toEqual(flat(await lr.predict(sc.transform(X)).compute(opts)));
    expectClose(flat(await p.predictProba(X).compute(opts)), flat(await lr.predictProba(sc.transform(X)).compute(opts)), 1e-12, 'proba');
    expect(await p.score(X, y, opts)).toBe(await lr.score(sc.transform(X), y, opts));
  });

  it('transformers only: transform and fitTransform equal scikit-learn StandardScaler then identity', async () => {
    const X = mat(S.X, 3);
    const p = new Pipeline([['s', new StandardScaler()], ['id', 'passthrough']]);
    const out = await p.fitTransform(X, opts);
    expectClose(flat(await out.compute(opts)), S.standard.transform.flat(), 1e-12, 'transform');
  });
});

describe('Pipeline parameters', () => {
  it('step__param names, deep getParams, setParams replaces a step by an unfitted copy', () => {
    const p = makePipeline(new StandardScaler(), new MinMaxScaler(), new StandardScaler(), new LogisticRegression());
    expect(p.steps.map(([n]) => n)).toEqual(['standardscaler-1', 'minmaxscaler', 'standardscaler-2', 'logisticregression']);
    const params = p.getParams();
    expect(params['standardscaler-1__withMean']).toBe(true);
    expect(params.logisticregression__C).toBe(1);
    expect(params.minmaxscaler).toBe(p.namedSteps.minmaxscaler);
    p.setParams({ logisticregression__C: 10, 'standardscaler-2__withStd': false });
    expect((p.finalEstimator as LogisticRegression).C).toBe(10);
    expect((p.namedSteps['standardscaler-2'] as StandardScaler).withStd).toBe(false);
    p.setParams({ minmaxscaler: 'passthrough' });
    expect(p.namedSteps.minmaxscaler).toBe('passthrough');
    const nested = new Pipeline([['inner', p], ['pca', new PCA()]]);
    nested.setParams({ inner__logisticregression__C: 2 });
    expect(((nested.namedSteps.inner as Pipeline).finalEstimator as LogisticRegression).C).toBe(2);
    expect(nested.getParams()['inner__logisticregression__C']).toBe(2);
  });

  it('errors name the step', async () => {
    expect(() => new Pipeline([])).toThrow('Pipeline: steps must be a non-empty list of [name, estimator] pairs');
    expect(() => new Pipeline([['a', new PCA()], ['a', new PCA()]])).toThrow("step names must be unique; 'a' is repeated");
    expect(() => new Pipeline([['a__b', new PCA()]])).toThrow("must not contain '__'");
    expect(() => new Pipeline([['x', {} as unknown as PCA]])).toThrow("step 'x' must be an estimator");
    expect(() => makePipeline(new PCA()).setParams({ nope__x: 1 })).toThrow("Pipeline.setParams: no step named 'nope' (steps: pca) for parameter 'nope__x'");
    const p = makePipeline(new LogisticRegression(), new StandardScaler());
    await expect(p.fit(mat(C.X, 40), vec(C.y, 40))).rejects.toThrow("Pipeline.fit: step 'logisticregression' (LogisticRegression) is not a transformer (no transform()), so it can only be the last step");
    await expect(makePipeline(new StandardScaler(), new LogisticRegression()).fit(mat(C.X, 40))).rejects.toThrow('Pipeline.fit: LogisticRegression needs targets: pass y');
    expect(() => new Pipeline([['s', new StandardScaler()]], { memory: 'x' } as never)).toThrow("Pipeline: option 'memory' is not supported");
  });
});

describe.each(SCHEDULERS)('ColumnTransformer on $scheduler', (opts) => {
  it.each(CHUNKINGS)('columns by index and by name, remainder ($name)', async ({ rows }) => {
    // scikit-learn's scaler fixture (3 columns, column 1 constant) and a fourth column i % 7.
    const X4 = S.X.map((r, i) => [...r, i % 7]);
    const X = mat(X4, rows);
    const names = ['a', 'b', 'c', 'd'];
    const ct = new ColumnTransformer(
      [
        ['std', new StandardScaler(), [2, 0]],
        ['mm', new MinMaxScaler(), 'd'],
      ],
      { remainder: 'passthrough', featureNames: names },
    );
    const out = await (await ct.fitTransform(X, opts)).compute(opts);
    expect(out instanceof da.NDArray && out.shape).toEqual([X4.length, 4]);
    const got = flat(out);
    const col = (j: number) => got.filter((_, i) => i % 4 === j);
    const stdT = S.standard.transform;
    expectClose(col(0), stdT.map((r) => r[2]), 1e-12, 'std c');
    expectClose(col(1), stdT.map((r) => r[0]), 1e-12, 'std a');
    // MinMaxScaler with the default range, from first principles: (x - 0) / (6 - 0).
    expectClose(col(2), X4.map((r) => r[3] / 6), 1e-12, 'mm d');
    expectClose(col(3), X4.map((r) => r[1]), 0, 'passthrough b');
  });
});

describe('ColumnTransformer', () => {
  it('drop, setParams, errors', async () => {
    const X = mat(S.X, 5);
    const ct = new ColumnTransformer([['a', new StandardScaler(), [1]], ['b', 'drop', [0]]]);
    expect((await ct.fitTransform(X)).shape).toEqual([S.X.length, 1]);
    ct.setParams({ a__withMean: false });
    expect(ct.getParams().a__withMean).toBe(false);
    await expect(new ColumnTransformer([['a', new StandardScaler(), 'x']]).fit(X)).rejects.toThrow("ColumnTransformer.fit: 'a' selects column 'x' by name, but no featureNames were given");
    await expect(new ColumnTransformer([['a', new StandardScaler(), [99]]]).fit(X)).rejects.toThrow("ColumnTransformer.fit: column 99 of 'a' is out of range");
    expect(() => new ColumnTransformer([['a', new LogisticRegression(), [0]]])).toThrow("ColumnTransformer: 'a' must be a transformer, 'passthrough' or 'drop', got LogisticRegression");
    expect(() => new ColumnTransformer([['a', 'drop', [0]]], { sparseThreshold: 0.3 } as never)).toThrow("ColumnTransformer: option 'sparseThreshold' is not supported");
  });
});
