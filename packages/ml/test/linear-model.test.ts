/** LinearRegression and LogisticRegression against scikit-learn, over odd chunkings and both schedulers. */
import { describe, expect, it } from 'vitest';
import { LinearRegression, LogisticRegression } from '../src/index';
import { CHUNKINGS, closePoolsAfterAll, expectClose, flat, fx, mat, SCHEDULERS, vec } from './helpers';

closePoolsAfterAll();
const R = fx.regression;
const C = fx.classification;

describe.each(SCHEDULERS)('LinearRegression on $scheduler', (opts) => {
  it.each(CHUNKINGS)('$name', async ({ rows }) => {
    const X = mat(R.X, rows);
    const y = vec(R.y, rows);
    const m = await new LinearRegression().fit(X, y, opts);
    expectClose(m.coef, R.coef, 1e-9, 'coef');
    expect(m.intercept).toBeCloseTo(R.intercept, 9);
    expectClose(flat(await m.predict(X).compute(opts)), R.predict, 1e-9, 'predict');
    expect(await m.score(X, y, opts)).toBeCloseTo(R.score, 12);
  });
});

describe('LinearRegression options', () => {
  it('fitIntercept: false fits through the origin', async () => {
    const m = await new LinearRegression({ fitIntercept: false }).fit(mat(R.X, 30), vec(R.y, 30));
    expectClose(m.coef, R.coefNoIntercept, 1e-9, 'coef');
    expect(m.intercept).toBe(0);
  });

  it('y chunked differently from X is aligned to X', async () => {
    const m = await new LinearRegression().fit(mat(R.X, 40), vec(R.y, 17), { scheduler: 'threads' });
    expectClose(m.coef, R.coef, 1e-9, 'coef');
  });
});

describe.each(SCHEDULERS)('LogisticRegression on $scheduler', (opts) => {
  it.each(CHUNKINGS)('C = 1: $name', async ({ rows }) => {
    const X = mat(C.X, rows);
    const y = vec(C.y, rows);
    const m = await new LogisticRegression({ tol: 1e-10, solver: 'newton' }).fit(X, y, opts);
    expect(m.converged).toBe(true);
    expectClose(m.coef, C.C1.coef, 1e-8, 'coef');
    expect(m.intercept).toBeCloseTo(C.C1.intercept, 8);
    expectClose(flat(await m.predictProba(X).compute(opts)), C.C1.proba.flat(), 1e-9, 'predictProba');
    expectClose(flat(await m.predict(X).compute(opts)), C.C1.predict, 0, 'predict');
    expect(await m.score(X, y, opts)).toBeCloseTo(C.C1.score, 12);
  });
});

describe('LogisticRegression options', () => {
  it.each([
    ['C = 0.1', { C: 0.1 }, 'C01'],
    ["penalty 'none'", { penalty: 'none' }, 'none'],
    ['fitIntercept: false', { fitIntercept: false }, 'noIntercept'],
  ] as const)('%s', async (_name, o, key) => {
    const m = await new LogisticRegression({ ...o, tol: 1e-10, solver: 'newton' }).fit(mat(C.X, 40), vec(C.y, 40), { scheduler: 'threads' });
    expectClose(m.coef, C[key].coef, 1e-8, 'coef');
    expect(m.intercept).toBeCloseTo(C[key].intercept, 8);
    expect(await m.score(mat(C.X, 40), vec(C.y, 40))).toBeCloseTo(C[key].score, 12);
  });

  it('accepts boolean labels', async () => {
    const yb = vec(C.y, 40).gt(0.5);
    const m = await new LogisticRegression({ tol: 1e-10 }).fit(mat(C.X, 40), yb);
    expectClose(m.coef, C.C1.coef, 1e-6, 'coef');
  });

  it('maxIter bounds the Newton passes and reports non-convergence', async () => {
    const m = await new LogisticRegression({ maxIter: 1, tol: 1e-12 }).fit(mat(C.X, 40), vec(C.y, 40));
    expect(m.nIter).toBe(1);
    expect(m.converged).toBe(false);
  });
});
