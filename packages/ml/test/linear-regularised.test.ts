/**
 * Ridge, Lasso, ElasticNet and PoissonRegression against scikit-learn 1.2 on the diabetes data
 * (fixtures/make_linear_more.py): each objective has one optimum, found by scikit-learn at tol
 * 1e-12 (Ridge: its closed form), so the coefficients must agree closely.
 */
import { describe, expect, it } from 'vitest';
import { ElasticNet, Lasso, PoissonRegression, Ridge } from '../src/index';
import { CHUNKINGS, closePoolsAfterAll, expectClose, flat, mat, SCHEDULERS, vec } from './helpers';
import { lx, type RegCase } from './linear-fixtures';

closePoolsAfterAll();
const D = lx.diabetes;

async function check(m: { coef: Float64Array; intercept: number; predict(x: ReturnType<typeof mat>): { compute(o?: object): Promise<unknown> }; score(x: ReturnType<typeof mat>, y: ReturnType<typeof vec>, o?: object): Promise<number> }, X: ReturnType<typeof mat>, y: ReturnType<typeof vec>, ref: RegCase, tol: number, opts = {}) {
  expectClose(m.coef, ref.coef, tol, 'coef');
  expectClose([m.intercept], [ref.intercept], tol, 'intercept');
  expectClose(flat((await m.predict(X).compute(opts)) as never), ref.predict, tol, 'predict');
  expect(Math.abs((await m.score(X, y, opts)) - ref.score)).toBeLessThanOrEqual(tol);
}

describe.each(SCHEDULERS)('on $scheduler', (opts) => {
  it.each(CHUNKINGS)('Ridge, Lasso, ElasticNet, PoissonRegression: $name', async ({ rows }) => {
    const X = mat(D.X, rows);
    const Xs = mat(D.Xstd, rows);
    const y = vec(D.y, rows);
    await check(await new Ridge().fit(X, y, opts), X, y, lx.ridge.alpha1, 1e-9, opts);
    await check(await new Lasso({ alpha: 0.1, tol: 1e-12, maxIter: 100000 }).fit(X, y, opts), X, y, lx.lasso.alpha01, 1e-7, opts);
    await check(await new ElasticNet({ alpha: 0.1, l1Ratio: 0.5, tol: 1e-12, maxIter: 100000 }).fit(Xs, y, opts), Xs, y, lx.elasticnet.a01r05, 1e-7, opts);
    const p = await new PoissonRegression({ tol: 1e-12 }).fit(Xs, y, opts);
    await check(p, Xs, y, lx.poisson.alpha1, 1e-6, opts);
  });
});

describe('options (threads, uneven blocks)', () => {
  const opts = { scheduler: 'threads' } as const;
  const X = mat(D.X, 100);
  const Xs = mat(D.Xstd, 100);
  const y = vec(D.y, 100);
  it('Ridge alpha 0.1, no intercept, sample weights', async () => {
    await check(await new Ridge({ alpha: 0.1 }).fit(X, y, opts), X, y, lx.ridge.alpha01, 1e-9, opts);
    await check(await new Ridge({ fitIntercept: false }).fit(X, y, opts), X, y, lx.ridge.noIntercept, 1e-9, opts);
    const w = await new Ridge().fit(X, vec(D.y, 33), { ...opts, sampleWeight: vec(lx.ridge.sampleWeight.sampleWeight, 7) });
    expectClose(w.coef, lx.ridge.sampleWeight.coef, 1e-9, 'coef');
    expect(w.intercept).toBeCloseTo(lx.ridge.sampleWeight.intercept, 9);
  });

  it('Lasso alpha 1 (sparse) and without intercept; the zeros are exact', async () => {
    const a = await new Lasso({ alpha: 1, tol: 1e-12, maxIter: 100000 }).fit(X, y, opts);
    await check(a, X, y, lx.lasso.alpha1, 1e-7, opts);
    lx.lasso.alpha1.coef.forEach((c, i) => c === 0 && expect(a.coef[i]).toBe(0));
    await check(await new Lasso({ alpha: 0.1, fitIntercept: false, tol: 1e-12, maxIter: 100000 }).fit(X, y, opts), X, y, lx.lasso.noIntercept, 1e-7, opts);
  });

  it('ElasticNet alpha 0.01, l1Ratio 0.9; the default tol stops near the optimum', async () => {
    await check(await new ElasticNet({ alpha: 0.01, l1Ratio: 0.9, tol: 1e-12, maxIter: 100000 }).fit(Xs, y, opts), Xs, y, lx.elasticnet.a001r09, 1e-7, opts);
    const m = await new ElasticNet({ alpha: 0.01, l1Ratio: 0.9 }).fit(Xs, y, opts);
    expect(m.converged).toBe(true);
    expectClose(m.coef, lx.elasticnet.a001r09.coef, 1e-2, 'coef at tol 1e-4');
  });

  it('PoissonRegression alpha 0.01, no intercept, newton', async () => {
    await check(await new PoissonRegression({ alpha: 0.01, tol: 1e-10 }).fit(Xs, y, opts), Xs, y, lx.poisson.alpha001, 1e-6, opts);
    await check(await new PoissonRegression({ alpha: 0.01, tol: 1e-10, solver: 'newton' }).fit(Xs, y, opts), Xs, y, lx.poisson.alpha001, 1e-6, opts);
    const y100 = vec(D.y.map((v) => v / 100), 100);
    await check(await new PoissonRegression({ alpha: 0.1, fitIntercept: false, tol: 1e-10 }).fit(Xs, y100, opts), Xs, y100, lx.poisson.noIntercept, 1e-6, opts);
  });

  it('PoissonRegression refuses negative targets and a non-positive mean', async () => {
    await expect(new PoissonRegression().fit(Xs, vec(D.y.map(() => 0), 100))).rejects.toThrow('PoissonRegression.fit: the (weighted) mean of y must be positive for a log link, got 0');
    await expect(new PoissonRegression().fit(Xs, vec(D.y.map((v, i) => (i === 5 ? -1 : v)), 100))).rejects.toThrow('y must be non-negative for a Poisson model, found -1');
  });

  it('strict options', () => {
    expect(() => new Ridge({ solver: 'svd' } as never)).toThrow("Ridge: option 'solver' is not supported");
    expect(() => new Lasso({ l1Ratio: 0.5 } as never)).toThrow("Lasso: unknown option 'l1Ratio'");
    expect(() => new ElasticNet({ l1Ratio: 2 })).toThrow("ElasticNet: option 'l1Ratio' must be a number in [0, 1], got 2 (number)");
    expect(() => new PoissonRegression({ alpha: -1 })).toThrow("PoissonRegression: option 'alpha' must be a finite number >= 0, got -1 (number)");
  });
});

describe('bad values in the data', () => {
  it('NaN in X, NaN in y and negative sample weights fail the fit by name, on both schedulers', async () => {
    const bad = D.X.map((r, i) => (i === 150 ? [NaN, ...r.slice(1)] : r));
    for (const opts of SCHEDULERS) {
      await expect(new Ridge().fit(mat(bad, 100), vec(D.y, 100), opts)).rejects.toThrow('X holds NaN or infinite values');
      await expect(new Lasso().fit(mat(D.X, 100), vec(D.y.map((v, i) => (i === 3 ? NaN : v)), 100), opts)).rejects.toThrow('y holds NaN');
      await expect(new PoissonRegression().fit(mat(bad, 100), vec(D.y, 100), opts)).rejects.toThrow('X holds NaN');
      await expect(new Ridge().fit(mat(D.X, 100), vec(D.y, 100), { ...opts, sampleWeight: vec(D.y.map((_, i) => (i === 7 ? -1 : 1)), 100) })).rejects.toThrow('sampleWeight must be finite and >= 0, found -1');
    }
  });
});
