/** Metrics against scikit-learn. */
import { describe, expect, it } from 'vitest';
import * as da from '@pdask/array';
import { accuracyScore, meanAbsoluteError, meanSquaredError, r2Score } from '../src/index';
import { closePoolsAfterAll, fx, SCHEDULERS, vec } from './helpers';

closePoolsAfterAll();
const T = fx.metrics;

describe.each(SCHEDULERS)('metrics on $scheduler', (opts) => {
  it.each([1, 10, -1])('row blocks of %i', async (rows) => {
    expect(await accuracyScore(vec(T.yTrue, rows), vec(T.yPred, rows), opts)).toBeCloseTo(T.accuracy, 14);
    expect(await meanSquaredError(vec(T.rTrue, rows), vec(T.rPred, rows), opts)).toBeCloseTo(T.mse, 13);
    expect(await meanAbsoluteError(vec(T.rTrue, rows), vec(T.rPred, rows), opts)).toBeCloseTo(T.mae, 13);
    expect(await r2Score(vec(T.rTrue, rows), vec(T.rPred, rows), opts)).toBeCloseTo(T.r2, 13);
  });
});

describe('metrics', () => {
  it('arrays chunked differently, and eager inputs', async () => {
    expect(await r2Score(vec(T.rTrue, 5), vec(T.rPred, 8))).toBeCloseTo(T.r2, 13);
    expect(await accuracyScore(Float64Array.from(T.yTrue), Float64Array.from(T.yPred))).toBeCloseTo(T.accuracy, 14);
  });

  it('r2Score of a constant yTrue: 1 when exact, 0 otherwise (scikit-learn)', async () => {
    const c = da.full([6], 2, { chunks: 4 });
    expect(await r2Score(c, c)).toBe(1);
    expect(await r2Score(c, da.full([6], 3, { chunks: 4 }))).toBe(0);
  });
});
