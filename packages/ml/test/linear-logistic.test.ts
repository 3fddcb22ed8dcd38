/**
 * Multiclass LogisticRegression against scikit-learn 1.2 (fixtures/make_linear_more.py): the
 * optimum of each smooth problem (newton-cg at tol 1e-10) is unique, so lbfgs and newton at a
 * tight tol must find the same coefficients; L1/elastic-net problems are compared with saga's.
 */
import { describe, expect, it } from 'vitest';
import * as da from '@pdask/array';
import { LogisticRegression, type LogisticRegressionOptions } from '../src/index';
import { CHUNKINGS, closePoolsAfterAll, expectClose, flat, mat, SCHEDULERS, vec } from './helpers';
import { lx, type LogisticCase } from './linear-fixtures';

closePoolsAfterAll();
const L = lx.logistic;
const I = lx.iris;
const W = lx.wine;
const Ca = lx.cancer;

async function check(m: LogisticRegression, X: ReturnType<typeof mat>, ref: LogisticCase, tol: number, opts = {}) {
  expectClose(m.coef, ref.coef.flat(), tol, 'coef');
  expectClose(m.intercepts, ref.intercept, tol, 'intercepts');
  expect(m.classes).toEqual(ref.classes);
  expectClose(flat(await m.predictProba(X).compute(opts)), ref.proba.flat(), tol, 'predictProba');
}

describe.each(SCHEDULERS)('multinomial on iris, $scheduler', (opts) => {
  it.each(CHUNKINGS)('lbfgs, $name', async ({ rows }) => {
    const X = mat(I.X, rows);
    const y = vec(I.y, rows);
    const m = await new LogisticRegression({ tol: 1e-9, maxIter: 1000 }).fit(X, y, opts);
    expect(m.converged).toBe(true);
    await check(m, X, L.irisMultinomial, 1e-6, opts);
    expect(flat(await m.predict(X).compute(opts))).toEqual(L.irisMultinomial.predict);
    expect(await m.score(X, y, opts)).toBeCloseTo(L.irisMultinomial.score, 12);
  });
});

describe('LogisticRegression multiclass options (threads, uneven blocks)', () => {
  const opts = { scheduler: 'threads' } as const;
  const Xi = mat(I.X, 40);
  const yi = vec(I.y, 40);
  const Xw = mat(W.X, 50);
  const yw = vec(W.y, 50);
  const Xc = mat(Ca.X, 100);
  const yc = vec(Ca.y, 100);
  const cases: [string, LogisticRegressionOptions, ReturnType<typeof mat>, ReturnType<typeof vec>, string, { sampleWeight?: ReturnType<typeof vec> }?][] = [
    ['iris multinomial, newton', { solver: 'newton' }, Xi, yi, 'irisMultinomial'],
    ['iris C = 0.1', { C: 0.1 }, Xi, yi, 'irisMultinomialC01'],
    ['iris C = 0.1, newton', { C: 0.1, solver: 'newton' }, Xi, yi, 'irisMultinomialC01'],
    ['iris one-vs-rest', { multiClass: 'ovr' }, Xi, yi, 'irisOvr'],
    ['iris one-vs-rest, newton', { multiClass: 'ovr', solver: 'newton' }, Xi, yi, 'irisOvr'],
    ['iris without intercept', { fitIntercept: false }, Xi, yi, 'irisNoIntercept'],
    ["wine classWeight 'balanced'", { classWeight: 'balanced' }, Xw, yw, 'wineBalanced'],
    ["wine one-vs-rest classWeight 'balanced'", { classWeight: 'balanced', multiClass: 'ovr' }, Xw, yw, 'wineOvrBalanced'],
    ['wine classWeight by label', { classWeight: { 0: 2, 2: 0.5 } }, Xw, yw, 'wineDictWeights'],
    ['wine one-vs-rest classWeight by label', { classWeight: { 0: 2, 2: 0.5 }, multiClass: 'ovr', solver: 'newton' }, Xw, yw, 'wineOvrDictWeights'],
    ['wine sampleWeight', {}, Xw, yw, 'wineSampleWeight', { sampleWeight: vec(W.sampleWeight, 50) }],
    ['wine sampleWeight, newton, y chunked unlike X', { solver: 'newton' }, Xw, vec(W.y, 7), 'wineSampleWeight', { sampleWeight: vec(W.sampleWeight, 13) }],
    ['breast cancer (binary), lbfgs', {}, Xc, yc, 'cancer'],
    ['breast cancer (binary), newton', { solver: 'newton' }, Xc, yc, 'cancer'],
    ["breast cancer 'balanced' with sampleWeight", { classWeight: 'balanced' }, Xc, yc, 'cancerBalancedSw', { sampleWeight: vec(Ca.y.map((_, i) => 1 + (i % 2)), 100) }],
    ['breast cancer multinomial (two classes)', { multiClass: 'multinomial', solver: 'newton' }, Xc, yc, 'cancerMultinomial'],
  ];
  it.each(cases)('%s', async (_name, o, X, y, key, fitOpts) => {
    const m = await new LogisticRegression({ ...o, tol: 1e-9, maxIter: 1000 }).fit(X, y, { ...opts, ...fitOpts });
    expect(m.converged).toBe(true);
    await check(m, X, L[key], 1e-6, opts);
    expect(flat(await m.predict(X).compute(opts))).toEqual(L[key].predict);
  });

  it('binary: coef has one row, intercept is a number, decisionFunction is 1-d', async () => {
    const m = await new LogisticRegression({ tol: 1e-9 }).fit(Xc, yc);
    expect(m.coefMatrix.shape).toEqual([1, 30]);
    expect(m.intercept).toBeCloseTo(L.cancer.intercept[0], 6);
    expect(m.decisionFunction(Xc).shape).toEqual([569]);
  });

  it('multiclass: intercept names intercepts; coefMatrix is classes x features', async () => {
    const m = await new LogisticRegression({ tol: 1e-9 }).fit(Xi, yi);
    expect(m.coefMatrix.shape).toEqual([3, 4]);
    expect(() => m.intercept).toThrow("LogisticRegression.intercept: the model has 3 classes; read 'intercepts' (one per class)");
    expect(m.decisionFunction(Xi).shape).toEqual([150, 3]);
  });

  it('the default fit (lbfgs, tol 1e-4) predicts as scikit-learn default', async () => {
    const m = await new LogisticRegression().fit(Xi, yi);
    expect(flat(await m.predict(Xi).compute())).toEqual(L.irisDefault.predict);
    expectClose(m.coef, L.irisDefault.coef.flat(), 1e-2, 'coef');
  });
});

describe('labels of any type', () => {
  it('strings round trip: classes sorted, predictLabels and score take strings', async () => {
    const X = mat(I.X, 40);
    const m = await new LogisticRegression({ tol: 1e-9 }).fit(X, I.yNames);
    const ref = L.irisNames;
    expect(m.classes).toEqual(['a', 'b', 'c']);
    await check(m, X, ref, 1e-6);
    expect(await m.predictLabels(X)).toEqual(ref.predict);
    expect(await m.score(X, I.yNames)).toBeCloseTo(ref.score, 12);
    expect(() => m.predict(X)).toThrow("LogisticRegression.predict: the classes are strings, which chunked arrays cannot hold; use 'await model.predictLabels(X)'");
    expect(flat(await m.predictCodes(X).compute())).toEqual(ref.predict.map((l) => ['a', 'b', 'c'].indexOf(l as string)));
  });

  it('other numeric labels map back to themselves (iris classes as 10, 20, 30)', async () => {
    const X = mat(I.X, 40);
    const m = await new LogisticRegression({ tol: 1e-9 }).fit(X, vec(I.y.map((c) => 10 * (c + 1)), 40));
    expect(m.classes).toEqual([10, 20, 30]);
    expectClose(m.coef, L.irisMultinomial.coef.flat(), 1e-6, 'coef');
    expect(flat(await m.predict(X).compute())).toEqual(L.irisMultinomial.predict.map((c) => 10 * ((c as number) + 1)));
  });

  it('booleans as a plain array and as a chunked bool array', async () => {
    const X = mat(Ca.X, 100);
    const yb = Ca.y.map((v) => v === 1);
    const a = await new LogisticRegression({ tol: 1e-9 }).fit(X, yb);
    expect(a.classes).toEqual([false, true]);
    expectClose(a.coef, L.cancer.coef.flat(), 1e-6, 'coef');
    expect(Array.from(flat(await a.predict(X).compute()), Boolean)).toEqual(L.cancer.predict.map((v) => v === 1));
    const b = await new LogisticRegression({ tol: 1e-9, solver: 'newton' }).fit(X, vec(Ca.y, 100).gt(0.5));
    expect(b.classes).toEqual([false, true]);
    expectClose(b.coef, L.cancer.coef.flat(), 1e-6, 'coef');
  });

  it('refuses one class, mixed label types and NaN', async () => {
    const X = mat(I.X.slice(0, 50), 20);
    await expect(new LogisticRegression().fit(X, vec(I.y.slice(0, 50), 20))).rejects.toThrow('LogisticRegression.fit: y needs samples of at least 2 classes, got 1 class: 0');
    await expect(new LogisticRegression().fit(X, [...Array(49).fill('a'), true] as string[])).rejects.toThrow('LogisticRegression.fit: y mixes label types (string and boolean)');
    await expect(new LogisticRegression().fit(X, vec([...Array(49).fill(0), NaN], 20))).rejects.toThrow('LogisticRegression.fit: y holds NaN');
    await expect(new LogisticRegression().fit(X, ['a', 'b'])).rejects.toThrow('LogisticRegression.fit: X has 50 samples but y has 2');
  });
});

describe('L1 and elastic-net (proximalGrad, admm) against saga', () => {
  const Xc = mat(Ca.X, 100);
  const yc = vec(Ca.y, 100);
  it.each([
    ['proximalGrad', 'cancerL1', { penalty: 'l1', C: 0.1 }, Xc, yc, 1e-8, 1e-4],
    ['admm', 'cancerL1', { penalty: 'l1', C: 0.1 }, Xc, yc, 1e-4, 5e-3],
    ['proximalGrad', 'wineElasticnet', { penalty: 'elasticnet', l1Ratio: 0.5, C: 0.5 }, mat(W.X, 50), vec(W.y, 50), 1e-8, 1e-4],
    ['proximalGrad', 'irisOvrL1', { penalty: 'l1', multiClass: 'ovr' }, mat(I.X, 40), vec(I.y, 40), 1e-8, 1e-4],
  ] as const)('%s: %s', async (solver, key, o, X, y, stop, tol) => {
    const m = await new LogisticRegression({ ...(o as LogisticRegressionOptions), solver, tol: stop, maxIter: 5000 }).fit(X, y, { scheduler: 'sync' });
    expect(m.converged).toBe(true);
    expectClose(m.coef, L[key].coef.flat(), tol, 'coef');
    // The zeros of the L1 solution are exact.
    L[key].coef.flat().forEach((c, i) => {
      if (c === 0) expect(Math.abs(m.coef[i])).toBeLessThan(tol);
    });
    expect(Math.abs((await m.score(X, y)) - L[key].score)).toBeLessThanOrEqual(0.01);
  });

  it('l2 by admm and proximalGrad reaches the lbfgs optimum', async () => {
    for (const [solver, tol, close] of [['admm', 1e-4, 5e-3], ['proximalGrad', 1e-8, 1e-5]] as const) {
      const m = await new LogisticRegression({ solver, tol, maxIter: 5000 }).fit(mat(I.X, 40), vec(I.y, 40), { scheduler: 'threads' });
      expectClose(m.coef, L.irisMultinomial.coef.flat(), close, `${solver} coef`);
    }
  });
});

describe('strict options', () => {
  it('refuses combinations scikit-learn refuses, by name', () => {
    expect(() => new LogisticRegression({ penalty: 'l1' })).toThrow("LogisticRegression: solver 'lbfgs' supports only penalties 'l2' and 'none', got 'l1'; use solver 'proximalGrad' or 'admm'");
    expect(() => new LogisticRegression({ penalty: 'elasticnet', solver: 'admm' })).toThrow("LogisticRegression: penalty 'elasticnet' needs the option 'l1Ratio'");
    expect(() => new LogisticRegression({ l1Ratio: 0.5 })).toThrow("LogisticRegression: option 'l1Ratio' is used only with penalty 'elasticnet' (penalty is 'l2')");
    expect(() => new LogisticRegression({ classWeight: { a: -1 } })).toThrow("LogisticRegression: option 'classWeight' must be 'balanced' or an object of finite weights >= 0 by label");
    expect(() => new LogisticRegression({ multiClass: 'ova' as 'ovr' })).toThrow("LogisticRegression: option 'multiClass' must be one of 'auto', 'multinomial', 'ovr'");
    expect(() => new LogisticRegression({ warmStart: true as never })).toThrow("LogisticRegression: option 'warmStart' is not supported");
  });

  it('refuses a class weight for a label y does not hold, and a misspelt fit option', async () => {
    await expect(new LogisticRegression({ classWeight: { 7: 1 } }).fit(mat(I.X, 40), vec(I.y, 40))).rejects.toThrow('LogisticRegression.fit: classWeight names labels that are not in y: 7 (classes: 0, 1, 2)');
    await expect(new LogisticRegression().fit(mat(I.X, 40), vec(I.y, 40), { sampleWeights: vec(I.y, 40) } as never)).rejects.toThrow("did you mean 'sampleWeight'?");
  });
});

describe('odd partitions and dtypes', () => {
  it('empty row blocks, int32 labels and float32 X give the same fit', async () => {
    const rows = [0, 70, 0, 80, 0];
    const X = da.fromArray(Float64Array.from(I.X.flat()), { shape: [150, 4], chunks: [rows, -1] });
    const y = da.fromArray(Int32Array.from(I.y), { chunks: [rows] });
    for (const opts of SCHEDULERS) {
      const m = await new LogisticRegression({ tol: 1e-9 }).fit(X, y, opts);
      expectClose(m.coef, L.irisMultinomial.coef.flat(), 1e-6, 'coef');
      expect(flat(await m.predict(X).compute(opts))).toEqual(L.irisMultinomial.predict);
      const w = await new LogisticRegression({ tol: 1e-9, solver: 'newton' }).fit(X, y, { ...opts, sampleWeight: da.ones([150], { chunks: [rows] }) });
      expectClose(w.coef, L.irisMultinomial.coef.flat(), 1e-6, 'coef with unit weights');
    }
    const X32 = da.fromArray(Float32Array.from(I.X.flat()), { shape: [150, 4], chunks: [40, -1] });
    const m32 = await new LogisticRegression({ tol: 1e-6 }).fit(X32, vec(I.y, 40));
    expectClose(m32.coef, L.irisMultinomial.coef.flat(), 1e-5, 'coef from float32 X');
  });
});
