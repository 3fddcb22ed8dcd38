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

/** Exports that take no options object anywhere (classes: neither constructor nor method). */
const NO_OPTIONS = new Set(['NotFittedError']);
/** Methods of the estimators that take no options object, and private ones (TypeScript's `private` is still on the prototype). */
const METHODS_WITHOUT_OPTIONS = new Set(['predict', 'predictProba', 'decisionFunction', 'transform', 'inverseTransform', 'split', 'splitArrays', 'getNSplits', 'predictCodes']);
const PRIVATE_METHODS = new Set(['state', 'initialCenters', 'lloyd', 'runOnce']);


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
    expect(() => new ml.PCA(typo({ whiten: true }))).toThrow("PCA: option 'whiten' is not supported: not implemented yet");
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
