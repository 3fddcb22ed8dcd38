/**
 * Every estimator the package exports speaks the estimator protocol (base/estimator.ts): found by
 * enumerating the exports, so an estimator added without getParams/estimatorType fails here. Then
 * the estimators merged for issue 14 where composition needs them: a PolynomialFeatures + Ridge
 * grid search against scikit-learn 1.2 (fixtures/make_protocol.py), and SGDClassifier under
 * Incremental and HyperbandSearchCV.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as ml from '../src/index';
import { clone, type EstimatorType, type Params } from '../src/index';
import { closePoolsAfterAll, expectClose, mat, vec } from './helpers';

closePoolsAfterAll();

type AnyCtor = new (...args: never[]) => object;
type Protocol = { getParams(): Params; estimatorType?: EstimatorType };

const TYPES: readonly EstimatorType[] = ['classifier', 'regressor', 'clusterer', 'transformer'];

/** Every exported class with fit on its prototype. */
const exported = Object.entries(ml).filter(([, v]) => typeof v === 'function' && typeof (v as { prototype?: { fit?: unknown } }).prototype?.fit === 'function') as [string, AnyCtor][];

/**
 * Estimators built from an options object: scikit-learn's estimator type, and non-default options
 * that must survive clone (covering every option that has no default, so getParams is seen whole).
 */
const PLAIN: Record<string, { type: EstimatorType; nonDefault: Params }> = {
  StandardScaler: { type: 'transformer', nonDefault: { withMean: false, withStd: false } },
  MinMaxScaler: { type: 'transformer', nonDefault: { featureRange: [-1, 2] } },
  OneHotEncoder: { type: 'transformer', nonDefault: { categories: [['a', 'b'], [1, 2]], drop: 'first', dtype: 'float32' } },
  OrdinalEncoder: { type: 'transformer', nonDefault: { handleUnknown: 'useEncodedValue', unknownValue: -1, encodedMissingValue: -2, dtype: 'float32' } },
  LabelEncoder: { type: 'transformer', nonDefault: {} },
  Categorizer: { type: 'transformer', nonDefault: { columns: ['a'], categories: { a: ['x', 'y'] } } },
  DummyEncoder: { type: 'transformer', nonDefault: { columns: ['a'], dropFirst: true } },
  PolynomialFeatures: { type: 'transformer', nonDefault: { degree: [1, 3], interactionOnly: true, includeBias: false } },
  RobustScaler: { type: 'transformer', nonDefault: { withCentering: false, quantileRange: [10, 90], unitVariance: true } },
  QuantileTransformer: { type: 'transformer', nonDefault: { nQuantiles: 50, outputDistribution: 'normal', subsample: 500, seed: 4 } },
  SimpleImputer: { type: 'transformer', nonDefault: { strategy: 'constant', fillValue: 7, missingValues: -1, keepEmptyFeatures: true } },
  LinearRegression: { type: 'regressor', nonDefault: { fitIntercept: false } },
  LogisticRegression: { type: 'classifier', nonDefault: { penalty: 'elasticnet', l1Ratio: 0.3, C: 0.5, solver: 'admm', classWeight: 'balanced' } },
  Ridge: { type: 'regressor', nonDefault: { alpha: 3, fitIntercept: false } },
  ElasticNet: { type: 'regressor', nonDefault: { alpha: 0.2, l1Ratio: 0.9, maxIter: 50, tol: 1e-6 } },
  Lasso: { type: 'regressor', nonDefault: { alpha: 0.2, maxIter: 50 } },
  PoissonRegression: { type: 'regressor', nonDefault: { alpha: 0.1, solver: 'newton', maxIter: 20 } },
  SGDClassifier: { type: 'classifier', nonDefault: { loss: 'logLoss', penalty: 'elasticnet', classWeight: { 0: 2, 1: 1 }, seed: 9, tol: null, learningRate: 'constant', eta0: 0.1 } },
  SGDRegressor: { type: 'regressor', nonDefault: { alpha: 0.01, l1Ratio: 0.5, shuffle: false, seed: 9, powerT: 0.3 } },
  KMeans: { type: 'clusterer', nonDefault: { nClusters: 3, init: 'k-means++', nInit: 4, seed: 5, initMaxIter: 2 } },
  MiniBatchKMeans: { type: 'clusterer', nonDefault: { nClusters: 4, init: 'random', batchSize: 64, initSize: 100, maxNoImprovement: null, seed: 5 } },
  PCA: { type: 'transformer', nonDefault: { nComponents: 2, whiten: true, svdSolver: 'randomized', seed: 1 } },
  TruncatedSVD: { type: 'transformer', nonDefault: { nComponents: 3, algorithm: 'randomized', nIter: 2, seed: 1 } },
  IncrementalPCA: { type: 'transformer', nonDefault: { nComponents: 2, whiten: true, batchSize: 20 } },
};

/** Options accepted but left out of getParams: KMeans' `algorithm` takes only 'lloyd' (its one value, the default). */
const NOT_IN_PARAMS: Record<string, readonly string[]> = { KMeans: ['algorithm'] };

/** Meta-estimators (constructed from estimators): how to build one. They clone by their own clone(). */
const META: Record<string, () => object> = {
  Pipeline: () => new ml.Pipeline([['scale', new ml.StandardScaler({ withStd: false })], ['ridge', new ml.Ridge({ alpha: 2 })]]),
  ColumnTransformer: () => new ml.ColumnTransformer([['scale', new ml.RobustScaler({ unitVariance: true }), [0, 1]]], { remainder: 'passthrough' }),
  ParallelPostFit: () => new ml.ParallelPostFit(new ml.Lasso({ alpha: 0.5 })),
  Incremental: () => new ml.Incremental(new ml.SGDRegressor({ alpha: 0.01, seed: 1 }), { shuffleBlocks: false, seed: 3 }),
  GridSearchCV: () => new ml.GridSearchCV(new ml.Ridge(), { alpha: [1, 2] }, { cv: 3 }),
  RandomizedSearchCV: () => new ml.RandomizedSearchCV(new ml.Ridge(), { alpha: [1, 2] }, { nIter: 2 }),
};

/** The halving searches fit but are not estimators to nest (no getParams: they are used at the top). */
const SEARCHES: Record<string, () => object> = {
  SuccessiveHalvingSearchCV: () => new ml.SuccessiveHalvingSearchCV(new ml.SGDRegressor(), { alpha: [1, 2] }, { nInitialIter: 1 }),
  HyperbandSearchCV: () => new ml.HyperbandSearchCV(new ml.SGDRegressor(), { alpha: [1, 2] }, { maxIter: 3 }),
};

/** The options the constructor accepts, from its refusal of an unknown one (core checkOptions names them). */
function knownOptions(Ctor: AnyCtor, name: string): string[] {
  try {
    new (Ctor as new (o: Params) => object)({ __probe: 1 });
  } catch (e) {
    const m = /unknown option '__probe' \(known: (.*?)\)/.exec((e as Error).message);
    if (m) return m[1] === 'none' ? [] : m[1].split(', ');
  }
  throw new Error(`${name}: the constructor did not refuse an unknown option by name`);
}

const asProtocol = (e: object) => e as Protocol;

describe('the estimator protocol, over every exported estimator', () => {
  it('the exports hold the estimators (the enumeration finds them)', () => {
    expect(exported.length).toBeGreaterThanOrEqual(Object.keys(PLAIN).length + Object.keys(META).length + Object.keys(SEARCHES).length);
  });

  it.each(exported)('%s is in a table or constructible with no arguments, and speaks the protocol', (name, Ctor) => {
    if (name in SEARCHES) {
      expect(typeof (SEARCHES[name]() as { fit?: unknown }).fit).toBe('function');
      return;
    }
    if (name in META) {
      const e = asProtocol(META[name]());
      expect(e).toBeInstanceOf(Ctor);
      expect(typeof e.getParams).toBe('function');
      expect(TYPES).toContain(e.estimatorType);
      const c = clone(e);
      expect(c).toBeInstanceOf(Ctor);
      expect(c).not.toBe(e);
      expect(c.getParams()).toEqual(e.getParams());
      return;
    }
    let e: Protocol;
    try {
      e = asProtocol(new (Ctor as new () => object)());
    } catch (err) {
      throw new Error(`${name} has fit but is neither in this test's tables nor constructible with no arguments: ${(err as Error).message}`);
    }
    const entry = PLAIN[name];
    expect(entry, `${name}: add it to PLAIN with its estimator type and non-default options`).toBeDefined();
    expect(typeof e.getParams, `${name}.getParams`).toBe('function');
    expect(TYPES).toContain(e.estimatorType);
    expect(e.estimatorType).toBe(entry.type);

    // The defaults round-trip: the constructor takes getParams() and gives the same parameters.
    const P = Ctor as new (o: Params) => Protocol;
    const d = e.getParams();
    expect(new P(d).getParams()).toEqual(d);
    const c = clone(e);
    expect(c).toBeInstanceOf(Ctor);
    expect(c).not.toBe(e);
    expect(c.getParams()).toEqual(d);

    // Non-default options survive clone and round trips, and each differs from its default.
    const nd = new P(entry.nonDefault);
    const p = nd.getParams();
    expect(p).toMatchObject(entry.nonDefault);
    for (const k of Object.keys(entry.nonDefault)) expect(p[k], `${name}: '${k}' is not a non-default`).not.toEqual(d[k]);
    expect(clone(nd).getParams()).toEqual(p);
    expect(new P(p).getParams()).toEqual(p);

    // getParams is the constructor's options, all of them (every option is set in `nonDefault` or has a default).
    const known = knownOptions(Ctor, name).filter((k) => !NOT_IN_PARAMS[name]?.includes(k));
    expect(Object.keys(p).sort()).toEqual([...known].sort());
  });

  it('SimpleImputer takes its own default missingValues, NaN, when given (as scikit-learn\'s missing_values=np.nan)', () => {
    expect(new ml.SimpleImputer({ missingValues: Number.NaN }).missingValues).toBeNaN();
    expect(() => new ml.SimpleImputer({ missingValues: 'NaN' as never })).toThrow("SimpleImputer: option 'missingValues' must be a number (NaN included), got 'NaN'");
  });
});

interface ProtocolFx {
  versions: { sklearn: string };
  polyRidge: {
    X: number[][];
    y: number[];
    degrees: number[];
    interactionOnly: boolean[];
    alphas: number[];
    params: { degree: number; interactionOnly: boolean; alpha: number }[];
    meanTestScore: number[];
    rankTestScore: number[];
    best: { degree: number; interactionOnly: boolean; alpha: number };
    bestScore: number;
    bestCoef: number[];
    bestIntercept: number;
  };
  sgdAlpha1: { X: number[][]; y: number[]; cases: { loss: 'hinge' | 'logLoss' | 'modifiedHuber'; coef: number[]; intercept: number; nIter: number; t: number; score: number }[] };
}
const px = JSON.parse(readFileSync(new URL('./fixtures/protocol.json', import.meta.url), 'utf8')) as ProtocolFx;

describe('GridSearchCV of PolynomialFeatures + Ridge on diabetes (KFold(5), as scikit-learn 1.2)', () => {
  const R = px.polyRidge;
  const grid = { polynomialfeatures__degree: R.degrees, polynomialfeatures__interactionOnly: R.interactionOnly, ridge__alpha: R.alphas };
  it.each([
    { rows: 100, scheduler: 'sync' as const },
    { rows: 37, scheduler: 'threads' as const },
  ])('same candidates, scores and best parameters (row blocks of $rows, $scheduler)', async ({ rows, scheduler }) => {
    const gs = await new ml.GridSearchCV(ml.makePipeline(new ml.PolynomialFeatures(), new ml.Ridge()), grid, { cv: new ml.KFold({ nSplits: 5 }) }).fit(mat(R.X, rows), vec(R.y, rows), { scheduler });
    expect(gs.cvResults.params).toEqual(R.params.map((p) => ({ polynomialfeatures__degree: p.degree, polynomialfeatures__interactionOnly: p.interactionOnly, ridge__alpha: p.alpha })));
    expectClose(gs.cvResults.meanTestScore, R.meanTestScore, 1e-7, 'meanTestScore');
    expect(Array.from(gs.cvResults.rankTestScore)).toEqual(R.rankTestScore);
    expect(gs.bestParams).toEqual({ polynomialfeatures__degree: R.best.degree, polynomialfeatures__interactionOnly: R.best.interactionOnly, ridge__alpha: R.best.alpha });
    expect(gs.bestScore).toBeCloseTo(R.bestScore, 9);
    const ridge = (gs.bestEstimator as ml.Pipeline).finalEstimator as ml.Ridge;
    expectClose(ridge.coef, R.bestCoef, 1e-6, 'best coef');
    expect(ridge.intercept).toBeCloseTo(R.bestIntercept, 6);
  });
});

describe('SGDClassifier in Incremental and HyperbandSearchCV', () => {
  // 600 rows of 2 well-separated classes, in uneven row blocks (47 rows, the last 36).
  const [X, y] = ml.makeClassification({ nSamples: 600, nFeatures: 6, nInformative: 3, nRedundant: 1, classSep: 2, flipY: 0, chunks: 47, seed: 11 });
  const sgd = () => new ml.SGDClassifier({ loss: 'logLoss', alpha: 1e-3, seed: 3 });

  it('Incremental forwards classes to every partialFit: deterministic, and accurate', async () => {
    const fitted = async (scheduler: 'sync' | 'threads') => new ml.Incremental(sgd(), { seed: 5 }).fit(X, y, { classes: [0, 1], scheduler });
    const a = await fitted('sync');
    const b = await fitted('sync');
    const t = await fitted('threads');
    const ea = a.estimator as ml.SGDClassifier;
    expect(ea.classes).toEqual([0, 1]);
    // One epoch per block, as scikit-learn's partial_fit: 13 blocks.
    expect(ea.t).toBeGreaterThan(0);
    expect(Array.from(ea.coef)).toEqual(Array.from((b.estimator as ml.SGDClassifier).coef));
    expect(Array.from(ea.coef)).toEqual(Array.from((t.estimator as ml.SGDClassifier).coef));
    expect(await a.score(X, y)).toBeGreaterThan(0.9);
    // The wrapped estimator is untouched (fit trains a clone), and cloning the wrapper keeps its parameters.
    const inc = new ml.Incremental(sgd(), { seed: 5 });
    expect(clone(inc).getParams()).toEqual(inc.getParams());
    await expect(new ml.Incremental(sgd()).fit(X, y)).rejects.toThrow("SGDClassifier.partialFit: pass every label as the option 'classes'");
    // A regressor's partialFit takes no classes: refused by name, not ignored.
    await expect(new ml.Incremental(new ml.SGDRegressor()).fit(X, y, { classes: [0, 1] })).rejects.toThrow(/SGDRegressor.partialFit: unknown option 'classes'/);
  });

  it.each(px.sgdAlpha1.cases.flatMap((c) => [{ ...c, scheduler: 'sync' as const }, { ...c, scheduler: 'threads' as const }]))(
    "alpha 1 (the 'optimal' first step zeroes the weights) equals scikit-learn: $loss, $scheduler",
    async ({ loss, coef, intercept, nIter, t, scheduler }) => {
      const S = px.sgdAlpha1;
      const m = await new ml.SGDClassifier({ loss, alpha: 1, shuffle: false }).fit(mat(S.X, 47), vec(S.y, 47), { scheduler });
      expect(m.nIter).toBe(nIter);
      expect(m.t).toBe(t);
      expectClose(m.coef, coef, 1e-9, 'coef');
      expect(m.intercepts[0]).toBeCloseTo(intercept, 9);
    },
  );

  it('HyperbandSearchCV over SGDClassifier: deterministic with a seed, and a sensible best', async () => {
    const dist = { alpha: [1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1], loss: ['hinge', 'logLoss', 'modifiedHuber'] };
    const run = () => new ml.HyperbandSearchCV(sgd(), dist, { maxIter: 9, seed: 2 }).fit(X, y, { classes: [0, 1], scheduler: 'sync' });
    const a = await run();
    const b = await run();
    expect(a.cvResults.params).toEqual(b.cvResults.params);
    expect(Array.from(a.cvResults.testScore)).toEqual(Array.from(b.cvResults.testScore));
    expect(a.bestParams).toEqual(b.bestParams);
    expect(a.cvResults.params).toHaveLength(17);
    expect(a.bestScore).toBe(Math.max(...a.cvResults.testScore));
    expect(a.bestScore).toBeGreaterThan(0.9);
    const best = a.bestEstimator as unknown as ml.SGDClassifier;
    expect(best).toBeInstanceOf(ml.SGDClassifier);
    expect(best.getParams()).toMatchObject(a.bestParams);
    expect(await a.score(X, y)).toBeGreaterThan(0.9);
  });
});
