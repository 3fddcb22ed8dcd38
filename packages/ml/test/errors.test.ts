/** Bad input gets a clear error naming the method and the argument. */
import { describe, expect, it } from 'vitest';
import * as da from '@pdask/array';
import { KMeans, LinearRegression, LogisticRegression, MinMaxScaler, NotFittedError, PCA, r2Score, StandardScaler, trainTestSplit } from '../src/index';
import { closePoolsAfterAll, fx, mat, vec } from './helpers';

closePoolsAfterAll();
const R = fx.regression;
const X = mat(R.X, 40);
const y = vec(R.y, 40);

describe('errors', () => {
  it('X and y of different lengths', async () => {
    await expect(new LinearRegression().fit(X, vec(R.y.slice(1), 40))).rejects.toThrow('LinearRegression.fit: X has 103 samples but y has 102');
    await expect(new LogisticRegression().fit(X, vec(R.y.slice(3), 40))).rejects.toThrow('LogisticRegression.fit: X has 103 samples but y has 100');
    expect(() => trainTestSplit(X, vec([1, 2, 3], 2), { seed: 0 })).toThrow('trainTestSplit: X has 103 samples but y has 3');
    await expect(r2Score(vec([1, 2], 1), vec([1, 2, 3], 1))).rejects.toThrow('r2Score: yTrue has 2 values but yPred has 3');
  });

  it('wrong dimensions', async () => {
    await expect(new KMeans().fit(vec(R.y, 40))).rejects.toThrow(/KMeans.fit: X must be 2-d \(samples x features\), got 1-d.*reshape\(\[-1, 1\]\)/);
    await expect(new LinearRegression().fit(X, X)).rejects.toThrow('LinearRegression.fit: y must be 1-d (one value per sample), got 2-d shape [103, 4]');
    await expect(new PCA().fit(da.zeros([2, 3, 4]))).rejects.toThrow('PCA.fit: X must be 2-d');
    const m = await new StandardScaler().fit(X);
    expect(() => m.transform(mat([[1, 2]], 1))).toThrow('StandardScaler.transform: X has 2 features, but the model was fitted on 4');
    await expect(new PCA().fit(mat([[1, 2, 3]], 1))).rejects.toThrow('PCA.fit: X has 1 samples and 3 features');
  });

  it('using a model before fit', () => {
    expect(() => new LinearRegression().predict(X)).toThrow(NotFittedError);
    expect(() => new LinearRegression().predict(X)).toThrow("LinearRegression is not fitted yet: call 'await model.fit(X, y)' before 'predict'");
    expect(() => new KMeans().clusterCenters).toThrow("KMeans is not fitted yet: call 'await model.fit(X)' before 'clusterCenters'");
    expect(() => new LogisticRegression().predictProba(X)).toThrow("before 'predictProba'");
    expect(() => new PCA().transform(X)).toThrow("PCA is not fitted yet: call 'await model.fit(X)' before 'transform'");
    expect(() => new MinMaxScaler().inverseTransform(X)).toThrow("before 'inverseTransform'");
  });

  it('bad options name the option', async () => {
    expect(() => new KMeans({ nClusters: 0 })).toThrow("KMeans: option 'nClusters' must be a positive integer, got 0");
    expect(() => new KMeans({ nClusters: 2.5 })).toThrow("option 'nClusters'");
    expect(() => new KMeans({ init: 'kmeans' as never })).toThrow("KMeans: option 'init' must be 'k-means++', 'random' or an array of initial centers");
    expect(() => new KMeans({ tol: -1 })).toThrow("KMeans: option 'tol' must be a finite number >= 0, got -1");
    expect(() => new KMeans({ seed: -3 })).toThrow("KMeans: option 'seed' must be an integer in [0, 2^32)");
    expect(() => new LogisticRegression({ C: 0 })).toThrow("LogisticRegression: option 'C' must be a finite number > 0, got 0");
    expect(() => new LogisticRegression({ penalty: 'l3' as never })).toThrow("option 'penalty' must be one of 'l2', 'l1', 'elasticnet', 'none'");
    expect(() => new LogisticRegression({ maxiter: 3 } as never)).toThrow("LogisticRegression: unknown option 'maxiter'");
    expect(() => new MinMaxScaler({ featureRange: [1, 0] })).toThrow("MinMaxScaler: option 'featureRange' must be [low, high] with low < high");
    expect(() => new PCA({ nComponents: -1 })).toThrow("PCA: option 'nComponents' must be a positive integer");
    expect(() => trainTestSplit(X, { testSize: 1.5 })).toThrow("trainTestSplit: option 'testSize' must be a fraction in (0, 1), got 1.5");
    await expect(new PCA({ nComponents: 9 }).fit(X)).rejects.toThrow("PCA.fit: option 'nComponents' = 9 exceeds min(samples, features) = 4");
    await expect(new KMeans({ nClusters: 2, init: [[1, 2]] }).fit(X)).rejects.toThrow("KMeans.fit: option 'init' has shape [1, 2], expected [2, 4]");
    await expect(new KMeans({ nClusters: 200 }).fit(X)).rejects.toThrow('KMeans.fit: X has 103 samples, fewer than nClusters = 200');
  });

  it('continuous labels fail the fit, and the pool stays usable', async () => {
    await expect(new LogisticRegression().fit(X, y, { scheduler: 'threads' })).rejects.toThrow(/LogisticRegression.fit: y holds continuous values \(.*\); class labels must be integers, strings or booleans/);
    const m = await new LinearRegression().fit(X, y, { scheduler: 'threads' });
    expect(m.coef[0]).toBeCloseTo(R.coef[0], 9);
  });
});
