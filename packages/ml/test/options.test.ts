/**
 * Strict options: every export of @pdask/ml that takes an options object (constructors, fit/score
 * methods, functions) rejects a misspelt key by name, and options scikit-learn has that pdask
 * does not implement are refused by name. The table is checked against the package's exports, so
 * a new options-taking export without a row fails here.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expectUnknownOption } from '../../../test/helpers/options';
import { describe, expect, it } from 'vitest';
import * as ml from '../src/index';
import { closePoolsAfterAll, fx, mat, vec } from './helpers';

closePoolsAfterAll();
const X = mat(fx.regression.X, 40);
const y = vec(fx.regression.y, 40);
const yc = vec(fx.classification.y, 40);
const Xc = mat(fx.classification.X, 40);

/** A misspelt option object (a typo of a real option, as users make them). */
const typo = <T>(o: Record<string, unknown>): T => o as T;

type Call = () => unknown;
/** [public name, misspelt key, call]: the call passes the misspelt key to that name. */
const calls: [string, string, Call][] = [
  ['KMeans', 'nCluster', () => new ml.KMeans(typo({ nCluster: 3 }))],
  ['KMeans.fit', 'schedular', () => new ml.KMeans({ nClusters: 2 }).fit(X, typo({ schedular: 'sync' }))],
  ['KMeans.fitPredict', 'schedular', () => new ml.KMeans({ nClusters: 2 }).fitPredict(X, typo({ schedular: 'sync' }))],
  ['LogisticRegression', 'maxiter', () => new ml.LogisticRegression(typo({ maxiter: 3 }))],
  ['LogisticRegression.fit', 'retry', () => new ml.LogisticRegression().fit(Xc, yc, typo({ retry: 1 }))],
  ['LogisticRegression.score', 'numWorker', () => new ml.LogisticRegression().score(Xc, yc, typo({ numWorker: 1 }))],
  ['LinearRegression', 'fit_intercept', () => new ml.LinearRegression(typo({ fit_intercept: false }))],
  ['LinearRegression.fit', 'schedular', () => new ml.LinearRegression().fit(X, y, typo({ schedular: 'sync' }))],
  ['LinearRegression.score', 'progres', () => new ml.LinearRegression().score(X, y, typo({ progres: false }))],
  ['PCA', 'ncomponents', () => new ml.PCA(typo({ ncomponents: 2 }))],
  ['PCA.fit', 'schedular', () => new ml.PCA().fit(X, typo({ schedular: 'sync' }))],
  ['PCA.fitTransform', 'schedular', () => new ml.PCA().fitTransform(X, typo({ schedular: 'sync' }))],
  ['StandardScaler', 'withmean', () => new ml.StandardScaler(typo({ withmean: false }))],
  ['StandardScaler.fit', 'schedular', () => new ml.StandardScaler().fit(X, typo({ schedular: 'sync' }))],
  ['StandardScaler.fitTransform', 'schedular', () => new ml.StandardScaler().fitTransform(X, typo({ schedular: 'sync' }))],
  ['MinMaxScaler', 'range', () => new ml.MinMaxScaler(typo({ range: [0, 2] }))],
  ['MinMaxScaler.fit', 'schedular', () => new ml.MinMaxScaler().fit(X, typo({ schedular: 'sync' }))],
  ['MinMaxScaler.fitTransform', 'schedular', () => new ml.MinMaxScaler().fitTransform(X, typo({ schedular: 'sync' }))],
  ['KFold', 'nsplits', () => new ml.KFold(typo({ nsplits: 3 }))],
  ['trainTestSplit', 'test_size', () => ml.trainTestSplit(X, y, typo({ test_size: 0.3 }))],
  ['trainTestSplit', 'testsize', () => ml.trainTestSplit(X, typo({ testsize: 0.3 }))],
  ['accuracyScore', 'schedular', () => ml.accuracyScore(yc, yc, typo({ schedular: 'sync' }))],
  ['meanSquaredError', 'schedular', () => ml.meanSquaredError(y, y, typo({ schedular: 'sync' }))],
  ['meanAbsoluteError', 'schedular', () => ml.meanAbsoluteError(y, y, typo({ schedular: 'sync' }))],
  ['r2Score', 'schedular', () => ml.r2Score(y, y, typo({ schedular: 'sync' }))],
  ['OneHotEncoder', 'handleUnknow', () => new ml.OneHotEncoder(typo({ handleUnknow: 1 }))],
  ['OneHotEncoder.fit', 'schedular', () => new ml.OneHotEncoder().fit(X, typo({ schedular: 'sync' }))],
  ['OneHotEncoder.fitTransform', 'schedular', () => new ml.OneHotEncoder().fitTransform(X, typo({ schedular: 'sync' }))],
  ['OrdinalEncoder', 'unknown_value', () => new ml.OrdinalEncoder(typo({ unknown_value: 1 }))],
  ['OrdinalEncoder.fit', 'schedular', () => new ml.OrdinalEncoder().fit(X, typo({ schedular: 'sync' }))],
  ['OrdinalEncoder.fitTransform', 'schedular', () => new ml.OrdinalEncoder().fitTransform(X, typo({ schedular: 'sync' }))],
  ['PolynomialFeatures', 'interaction_only', () => new ml.PolynomialFeatures(typo({ interaction_only: 1 }))],
  ['PolynomialFeatures.fit', 'schedular', () => new ml.PolynomialFeatures().fit(X, typo({ schedular: 'sync' }))],
  ['PolynomialFeatures.fitTransform', 'schedular', () => new ml.PolynomialFeatures().fitTransform(X, typo({ schedular: 'sync' }))],
  ['RobustScaler', 'withCentring', () => new ml.RobustScaler(typo({ withCentring: 1 }))],
  ['RobustScaler.fit', 'schedular', () => new ml.RobustScaler().fit(X, typo({ schedular: 'sync' }))],
  ['RobustScaler.fitTransform', 'schedular', () => new ml.RobustScaler().fitTransform(X, typo({ schedular: 'sync' }))],
  ['QuantileTransformer', 'nQuantile', () => new ml.QuantileTransformer(typo({ nQuantile: 1 }))],
  ['QuantileTransformer.fit', 'schedular', () => new ml.QuantileTransformer().fit(X, typo({ schedular: 'sync' }))],
  ['QuantileTransformer.fitTransform', 'schedular', () => new ml.QuantileTransformer().fitTransform(X, typo({ schedular: 'sync' }))],
  ['SimpleImputer', 'fill_value', () => new ml.SimpleImputer(typo({ fill_value: 1 }))],
  ['SimpleImputer.fit', 'schedular', () => new ml.SimpleImputer().fit(X, typo({ schedular: 'sync' }))],
  ['SimpleImputer.fitTransform', 'schedular', () => new ml.SimpleImputer().fitTransform(X, typo({ schedular: 'sync' }))],
  ['LabelEncoder', 'classes', () => new ml.LabelEncoder(typo({ classes: [0, 1] }))],
  ['LabelEncoder.fit', 'schedular', () => new ml.LabelEncoder().fit(yc, typo({ schedular: 'sync' }))],
  ['LabelEncoder.fitTransform', 'schedular', () => new ml.LabelEncoder().fitTransform(yc, typo({ schedular: 'sync' }))],
  ['LabelEncoder.inverseTransform', 'schedular', async () => (await new ml.LabelEncoder().fit(yc)).inverseTransform(yc, typo({ schedular: 'sync' }))],
  ['Categorizer', 'column', () => new ml.Categorizer(typo({ column: true }))],
  ['Categorizer.fit', 'schedular', () => new ml.Categorizer().fit(typo({}), typo({ schedular: 'sync' }))],
  ['Categorizer.fitTransform', 'schedular', () => new ml.Categorizer().fitTransform(typo({}), typo({ schedular: 'sync' }))],
  ['DummyEncoder', 'drop_first', () => new ml.DummyEncoder(typo({ drop_first: true }))],
  ['DummyEncoder.fit', 'schedular', () => new ml.DummyEncoder().fit(typo({}), typo({ schedular: 'sync' }))],
  ['DummyEncoder.fitTransform', 'schedular', () => new ml.DummyEncoder().fitTransform(typo({}), typo({ schedular: 'sync' }))],
  ['DummyEncoder.transform', 'schedular', () => new ml.DummyEncoder().transform(typo({}), typo({ schedular: 'sync' }))],
  ['TruncatedSVD', 'ncomponents', () => new ml.TruncatedSVD(typo({ ncomponents: 2 }))],
  ['TruncatedSVD.fit', 'schedular', () => new ml.TruncatedSVD().fit(X, typo({ schedular: 'sync' }))],
  ['TruncatedSVD.fitTransform', 'schedular', () => new ml.TruncatedSVD().fitTransform(X, typo({ schedular: 'sync' }))],
  ['IncrementalPCA', 'batch_size', () => new ml.IncrementalPCA(typo({ batch_size: 10 }))],
  ['IncrementalPCA.fit', 'schedular', () => new ml.IncrementalPCA().fit(X, typo({ schedular: 'sync' }))],
  ['IncrementalPCA.partialFit', 'schedular', () => new ml.IncrementalPCA().partialFit(X, typo({ schedular: 'sync' }))],
  ['IncrementalPCA.fitTransform', 'schedular', () => new ml.IncrementalPCA().fitTransform(X, typo({ schedular: 'sync' }))],
  ['MiniBatchKMeans', 'batch_size', () => new ml.MiniBatchKMeans(typo({ batch_size: 10 }))],
  ['MiniBatchKMeans.fit', 'schedular', () => new ml.MiniBatchKMeans({ nClusters: 2 }).fit(X, typo({ schedular: 'sync' }))],
  ['MiniBatchKMeans.partialFit', 'schedular', () => new ml.MiniBatchKMeans({ nClusters: 2 }).partialFit(X, typo({ schedular: 'sync' }))],
  ['MiniBatchKMeans.fitPredict', 'schedular', () => new ml.MiniBatchKMeans({ nClusters: 2 }).fitPredict(X, typo({ schedular: 'sync' }))],
  // Composition, model selection, metrics and data sets (issue 14).
  ['StratifiedKFold', 'nsplits', () => new ml.StratifiedKFold(typo({ nsplits: 3 }))],
  ['ShuffleSplit', 'test_size', () => new ml.ShuffleSplit(typo({ test_size: 0.3 }))],
  ['crossValScore', 'cV', () => ml.crossValScore(new ml.LinearRegression(), X, y, typo({ cV: 3 }))],
  ['GridSearchCV', 'refitt', () => new ml.GridSearchCV(new ml.LinearRegression(), { fitIntercept: [true] }, typo({ refitt: true }))],
  ['GridSearchCV.fit', 'schedular', () => new ml.GridSearchCV(new ml.LinearRegression(), { fitIntercept: [true] }).fit(X, y, typo({ schedular: 'sync' }))],
  ['GridSearchCV.score', 'schedular', () => new ml.GridSearchCV(new ml.LinearRegression(), { fitIntercept: [true] }).score(X, y, typo({ schedular: 'sync' }))],
  ['RandomizedSearchCV', 'niter', () => new ml.RandomizedSearchCV(new ml.LinearRegression(), { fitIntercept: [true] }, typo({ niter: 3 }))],
  ['SuccessiveHalvingSearchCV', 'nInitialIters', () => new ml.SuccessiveHalvingSearchCV(new ml.LinearRegression() as never, {}, typo({ nInitialIters: 3 }))],
  ['HyperbandSearchCV', 'max_iter', () => new ml.HyperbandSearchCV(new ml.LinearRegression() as never, {}, typo({ max_iter: 3 }))],
  ['Pipeline', 'memmory', () => new ml.Pipeline([['s', new ml.StandardScaler()]], typo({ memmory: 1 }))],
  ['Pipeline.fit', 'schedular', () => ml.makePipeline(new ml.StandardScaler()).fit(X, typo({ schedular: 'sync' }))],
  ['Pipeline.fitTransform', 'schedular', () => ml.makePipeline(new ml.StandardScaler()).fitTransform(X, typo({ schedular: 'sync' }))],
  ['Pipeline.score', 'schedular', () => ml.makePipeline(new ml.LinearRegression()).score(X, y, typo({ schedular: 'sync' }))],
  ['ColumnTransformer', 'remaindr', () => new ml.ColumnTransformer([['s', new ml.StandardScaler(), [0]]], typo({ remaindr: 'drop' }))],
  ['ColumnTransformer.fit', 'schedular', () => new ml.ColumnTransformer([['s', new ml.StandardScaler(), [0]]]).fit(X, typo({ schedular: 'sync' }))],
  ['ColumnTransformer.fitTransform', 'schedular', () => new ml.ColumnTransformer([['s', new ml.StandardScaler(), [0]]]).fitTransform(X, typo({ schedular: 'sync' }))],
  ['ParallelPostFit', 'scorin', () => new ml.ParallelPostFit(new ml.LinearRegression(), typo({ scorin: 'r2' }))],
  ['ParallelPostFit.fit', 'schedular', () => new ml.ParallelPostFit(new ml.LinearRegression()).fit(X, y, typo({ schedular: 'sync' }))],
  ['ParallelPostFit.score', 'schedular', () => new ml.ParallelPostFit(new ml.LinearRegression()).score(X, y, typo({ schedular: 'sync' }))],
  ['Incremental', 'shuffle_blocks', () => new ml.Incremental(new ml.LinearRegression() as never, typo({ shuffle_blocks: false }))],
  ['Incremental.fit', 'schedular', () => Object.create(ml.Incremental.prototype).fit(X, y, typo({ schedular: 'sync' }))],
  ['Incremental.partialFit', 'schedular', () => Object.create(ml.Incremental.prototype).partialFit(X, y, typo({ schedular: 'sync' }))],
  ['confusionMatrix', 'normalise', () => ml.confusionMatrix(yc, yc, typo({ normalise: 'all' }))],
  ['precisionScore', 'averge', () => ml.precisionScore(yc, yc, typo({ averge: 'micro' }))],
  ['recallScore', 'pos_label', () => ml.recallScore(yc, yc, typo({ pos_label: 1 }))],
  ['f1Score', 'zero_division', () => ml.f1Score(yc, yc, typo({ zero_division: 1 }))],
  ['logLoss', 'epsilon', () => ml.logLoss(yc, yc, typo({ epsilon: 1e-9 }))],
  ['rocAucScore', 'schedular', () => ml.rocAucScore(yc, yc, typo({ schedular: 'sync' }))],
  ['pairwiseDistances', 'metrics', () => ml.pairwiseDistances(X, undefined, typo({ metrics: 'cosine' }))],
  ['euclideanDistances', 'squard', () => ml.euclideanDistances(X, undefined, typo({ squard: true }))],
  ['makeBlobs', 'n_samples', () => ml.makeBlobs(typo({ n_samples: 10 }))],
  ['makeRegression', 'nfeatures', () => ml.makeRegression(typo({ nfeatures: 3 }))],
  ['makeClassification', 'nClass', () => ml.makeClassification(typo({ nClass: 3 }))],
  ['Ridge', 'alpah', () => new ml.Ridge(typo({ alpah: 1 }))],
  ['Ridge.fit', 'sampleWeights', () => new ml.Ridge().fit(X, y, typo({ sampleWeights: y }))],
  ['Lasso', 'maxiter', () => new ml.Lasso(typo({ maxiter: 3 }))],
  ['ElasticNet', 'l1_ratio', () => new ml.ElasticNet(typo({ l1_ratio: 0.5 }))],
  ['ElasticNet.fit', 'schedular', () => new ml.ElasticNet().fit(X, y, typo({ schedular: 'sync' }))],
  ['PoissonRegression', 'alpah', () => new ml.PoissonRegression(typo({ alpah: 1 }))],
  ['PoissonRegression.fit', 'schedular', () => new ml.PoissonRegression().fit(X, y.add(200), typo({ schedular: 'sync' }))],
  ['PoissonRegression.score', 'schedular', async () => (await new ml.PoissonRegression().fit(X, y.add(200))).score(X, y.add(200), typo({ schedular: 'sync' }))],
  ['SGDClassifier', 'los', () => new ml.SGDClassifier(typo({ los: 'hinge' }))],
  ['SGDClassifier.fit', 'schedular', () => new ml.SGDClassifier().fit(Xc, yc, typo({ schedular: 'sync' }))],
  ['SGDClassifier.partialFit', 'classs', () => new ml.SGDClassifier().partialFit(Xc, yc, typo({ classs: [0, 1] }))],
  ['SGDClassifier.score', 'schedular', async () => (await new ml.SGDClassifier({ maxIter: 2 }).fit(Xc, yc)).score(Xc, yc, typo({ schedular: 'sync' }))],
  ['SGDRegressor', 'eta', () => new ml.SGDRegressor(typo({ eta: 0.1 }))],
  ['SGDRegressor.fit', 'schedular', () => new ml.SGDRegressor().fit(X, y, typo({ schedular: 'sync' }))],
  ['SGDRegressor.partialFit', 'sampleWeights', () => new ml.SGDRegressor().partialFit(X, y, typo({ sampleWeights: y }))],
  ['SGDRegressor.score', 'schedular', async () => (await new ml.SGDRegressor({ maxIter: 2 }).fit(X, y)).score(X, y, typo({ schedular: 'sync' }))],
  ['LogisticRegression.predictLabels', 'schedular', async () => (await new ml.LogisticRegression().fit(Xc, yc)).predictLabels(Xc, typo({ schedular: 'sync' }))],
];
// getFeatureNamesOut takes input names, never options.
const NAMES_METHODS = ['getFeatureNamesOut'];

/** Exports that take no options object anywhere (classes: neither constructor nor method). */
const NO_OPTIONS = new Set(['NotFittedError', 'clone', 'getParams', 'withParams', 'makePipeline', 'parameterGrid', 'uniform', 'logUniform', 'randInt', 'halvingSchedule']);
/** Methods of the estimators that take no options object, and private ones (TypeScript's `private` is still on the prototype). */
const METHODS_WITHOUT_OPTIONS = new Set(['predict', 'predictProba', 'decisionFunction', 'transform', 'inverseTransform', 'split', 'splitArrays', 'getNSplits', 'getParams', 'setParams', 'clone', 'testFolds', 'sizes', 'candidates', 'brackets', 'predictCodes']);
const PRIVATE_METHODS = new Set(['state', 'initialCenters', 'lloyd', 'runOnce', 'fitTransformers', 'through', 'final', 'resolve', 'blocks', 'draw', 'call', 'ownParams', 'make', 'searchOptions']);
for (const m of NAMES_METHODS) METHODS_WITHOUT_OPTIONS.add(m);


describe('strict options', () => {
  it.each(calls)('%s rejects the misspelt option %s by name', (name, key, call) => expectUnknownOption(name, key, call));

  it('the table covers every export and every method that takes options', () => {
    const covered = new Set(calls.map(([n]) => n));
    const missing: string[] = [];
    for (const [name, value] of Object.entries(ml)) {
      if (typeof value !== 'function' || NO_OPTIONS.has(name)) continue;
      const isClass = /^[A-Z]/.test(name);
      if (!covered.has(name)) missing.push(name);
      if (!isClass) continue;
      for (const m of Object.getOwnPropertyNames(value.prototype)) {
        const d = Object.getOwnPropertyDescriptor(value.prototype, m)!;
        if (m === 'constructor' || typeof d.value !== 'function' || METHODS_WITHOUT_OPTIONS.has(m) || PRIVATE_METHODS.has(m)) continue;
        if (!covered.has(`${name}.${m}`)) missing.push(`${name}.${m}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('names the nearest option', () => {
    expect(() => new ml.LogisticRegression(typo({ maxiter: 3 }))).toThrow(
      "LogisticRegression: unknown option 'maxiter' (known: penalty, C, l1Ratio, fitIntercept, maxIter, tol, solver, multiClass, classWeight, rho); did you mean 'maxIter'?",
    );
  });

  it('refuses options of scikit-learn that are not implemented, by name', () => {
    expect(() => new ml.PCA(typo({ powerIterationNormalizer: 'LU' }))).toThrow("PCA: option 'powerIterationNormalizer' is not supported");
    expect(() => new ml.LogisticRegression(typo({ warmStart: true }))).toThrow("LogisticRegression: option 'warmStart' is not supported");
    expect(() => new ml.KMeans(typo({ algorithm: 'elkan' }))).toThrow("KMeans: option 'algorithm' is not supported");
    expect(() => new ml.MinMaxScaler(typo({ clip: true }))).toThrow("MinMaxScaler: option 'clip' is not supported");
    expect(() => new ml.LinearRegression(typo({ positive: true }))).toThrow("LinearRegression: option 'positive' is not supported");
    expect(() => ml.trainTestSplit(X, y, typo({ stratify: y }))).toThrow("trainTestSplit: option 'stratify' is not supported");
  });

  it('names a value of the wrong type', () => {
    expect(() => new ml.StandardScaler(typo({ withMean: 'no' }))).toThrow("StandardScaler: option 'withMean' must be a boolean, got 'no' (string)");
    expect(() => new ml.KFold(typo({ shuffle: 1 }))).toThrow("KFold: option 'shuffle' must be a boolean, got 1 (number)");
    expect(() => ml.trainTestSplit(X, { seed: 1.5 })).toThrow("trainTestSplit: option 'seed' must be an integer in [0, 2^32), got 1.5 (number)");
  });
});

describe('operations are named only in the catalogue', () => {
  it("no opRef('…'), { k: 'mod' } literal, defineOp or '@pdask/ml/ops' string outside src/ops/index.ts", () => {
    const src = fileURLToPath(new URL('../src', import.meta.url));
    const files = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)]));
    const stray: string[] = [];
    for (const file of files(src)) {
      if (file === join(src, 'ops', 'index.ts')) continue;
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          if (/opRef\(|k:\s*'mod'|defineOp\(|'@pdask\/ml\/ops'|(partial|combine):\s*'/.test(line)) stray.push(`${file.slice(src.length + 1)}:${i + 1}: ${line.trim()}`);
        });
    }
    expect(stray).toEqual([]);
  });
});
