/** PolynomialFeatures, RobustScaler, QuantileTransformer and SimpleImputer against scikit-learn 1.2 (diabetes, wine), over odd chunkings and both schedulers. */
import { describe, expect, it } from 'vitest';
import * as dd from '@pdask/dataframe';
import { PolynomialFeatures, QuantileTransformer, RobustScaler, SimpleImputer } from '../src/index';
import { closePoolsAfterAll, SCHEDULERS } from './helpers';
import { expectNear, flatNum, matrix, mfx, num, ROWS, values } from './preprocessing-more-fixtures';

closePoolsAfterAll();
const P = mfx.poly;
const R = mfx.robust;
const Q = mfx.quantile;
const I = mfx.imputer;
/** Quantiles are sklearn's (nQuantiles x features); ours come as the same. */
const flatQ = (q: number[][]) => q.flat();

describe.each(SCHEDULERS)('numeric transformers on $scheduler', (opts) => {
  it.each(ROWS)('PolynomialFeatures: $name', async ({ rows }) => {
    const n = P.X.length;
    const cases = [
      ['d2', {}],
      ['d3interaction', { degree: 3, interactionOnly: true }],
      ['d2noBias', { includeBias: false }],
      ['d23', { degree: [2, 3] as [number, number] }],
      ['d0', { degree: 0 }],
    ] as const;
    for (const [key, o] of cases) {
      const p = await new PolynomialFeatures(o).fit(matrix(P.X, rows(n)), opts);
      expect(p.getFeatureNamesOut(), key).toEqual(P[key].names);
      expect(p.powers, key).toEqual(P[key].powers);
      expectNear(await values(p.transform(matrix(P.X, rows(n))), opts), flatNum(P[key].transform), 1e-15, key);
    }
  });

  it.each(ROWS)('RobustScaler (exact percentiles, NaN ignored): $name', async ({ rows }) => {
    const n = R.X.length;
    const cases = [
      ['default', {}, R.X],
      ['q1090', { quantileRange: [10, 90] as [number, number] }, R.X],
      ['nan', {}, R.Xnan],
    ] as const;
    for (const [key, o, X] of cases) {
      const s = await new RobustScaler(o).fit(matrix(X, rows(n)), opts);
      expectNear(s.center!, num(R[key].center), 0, `${key} center`);
      expectNear(s.scale!, num(R[key].scale), 0, `${key} scale`);
      expectNear(await values(s.transform(matrix(X, rows(n))), opts), flatNum(R[key].transform), 1e-15, `${key} transform`);
      expectNear(await values(s.inverseTransform(s.transform(matrix(X, rows(n)))), opts), flatNum(X), 1e-15, `${key} inverse`);
    }
    const u = await new RobustScaler({ withCentering: false, unitVariance: true }).fit(matrix(R.X, rows(n)), opts);
    expect(u.center).toBeNull();
    expectNear(u.scale!, num(R.noCenterUnitVar.scale), 1e-15, 'unitVariance scale');
    expectNear(await values(u.transform(matrix(R.X, rows(n))), opts), flatNum(R.noCenterUnitVar.transform), 1e-14, 'unitVariance transform');
  });

  it.each(ROWS)('QuantileTransformer uniform and normal, NaN kept: $name', async ({ rows }) => {
    const n = Q.X.length;
    const cases = [
      ['u100', { nQuantiles: 100 }, Q.X],
      ['n100', { nQuantiles: 100, outputDistribution: 'normal' as const }, Q.X],
      ['u1000', {}, Q.X],
      ['n50nan', { nQuantiles: 50, outputDistribution: 'normal' as const }, Q.Xnan],
    ] as const;
    for (const [key, o, X] of cases) {
      const q = await new QuantileTransformer(o).fit(matrix(X, rows(n)), opts);
      expectNear(q.references, num(Q[key].references), 0, `${key} references`);
      expectNear(flatQ(q.quantiles), flatNum(Q[key].quantiles), 0, `${key} quantiles`);
      const t = await values(q.transform(matrix(X, rows(n))), opts);
      expectNear(t, flatNum(Q[key].transform), 1e-12, `${key} transform`);
      expectNear(await values(q.inverseTransform(matrix(Q[key].transform, rows(n))), opts), flatNum(Q[key].inverse), 1e-9, `${key} inverse`);
      const test = Q[key].test;
      if (test) expectNear(await values(q.transform(matrix(Q.Xtest, 2)), opts), flatNum(test), 1e-12, `${key} outside the range`);
    }
  });

  it.each(ROWS)('SimpleImputer strategies, an all-NaN column: $name', async ({ rows }) => {
    const n = I.X.length;
    const cases = [
      ['mean', {}],
      ['median', { strategy: 'median' as const }],
      ['most_frequent', { strategy: 'mostFrequent' as const }],
      ['constant', { strategy: 'constant' as const, fillValue: 7 }],
      ['meanKeep', { keepEmptyFeatures: true }],
    ] as const;
    for (const [key, o] of cases) {
      const s = await new SimpleImputer(o).fit(matrix(I.X, rows(n)), opts);
      expectNear(s.statistics, num(I[key].statistics), 1e-14, `${key} statistics`);
      expect(s.getFeatureNamesOut(), key).toEqual(I[key].names);
      expectNear(await values(s.transform(matrix(I.X, rows(n))), opts), flatNum(I[key].transform), 1e-14, `${key} transform`);
    }
    const m = await new SimpleImputer({ missingValues: -1, strategy: 'median' }).fit(matrix(I.minusOne.X, rows(I.minusOne.X.length)), opts);
    expectNear(m.statistics, num(I.minusOne.statistics), 0, 'missingValues -1');
    expectNear(await values(m.transform(matrix(I.minusOne.X, rows(I.minusOne.X.length))), opts), flatNum(I.minusOne.transform), 0, 'missingValues -1 transform');
  });
});

describe('numeric transformers: frames, names, options', () => {
  it('PolynomialFeatures on a frame uses the column names', async () => {
    const cols = ['age', 'sex', 'bmi'];
    const df = dd.fromColumns(Object.fromEntries(cols.map((c, j) => [c, P.X.map((r) => r[j] as number)])), { npartitions: 7 });
    const p = await new PolynomialFeatures().fit(df);
    expect(p.getFeatureNamesOut()).toEqual(P.namesCols);
    expectNear(await values(p.transform(df)), flatNum(P.d2.transform), 1e-15, 'frame transform');
  });

  it('RobustScaler and SimpleImputer on a frame with NaN', async () => {
    const df = dd.fromColumns(Object.fromEntries(Array.from({ length: 5 }, (_, j) => [`c${j}`, num(I.X.map((r) => r[j]))])), { npartitions: 6 });
    const s = await new SimpleImputer({ strategy: 'median' }).fit(df);
    expect(s.getFeatureNamesOut()).toEqual(['c0', 'c1', 'c2', 'c4']);
    expectNear(await values(s.transform(df)), flatNum(I.median.transform), 0, 'imputer on a frame');
  });

  it('strict options and refusals', async () => {
    expect(() => new PolynomialFeatures({ degree: -1 })).toThrow(/degree/);
    expect(() => new PolynomialFeatures({ degree: 0, includeBias: false })).toThrow(/no features/);
    expect(() => new PolynomialFeatures({ order: 'F' } as never)).toThrow(/order/);
    expect(() => new RobustScaler({ quantileRange: [80, 20] })).toThrow(/quantileRange/);
    expect(() => new RobustScaler({ copy: true } as never)).toThrow(/unknown option 'copy'/);
    expect(() => new QuantileTransformer({ nQuantiles: 0 })).toThrow(/nQuantiles/);
    expect(() => new QuantileTransformer({ ignoreImplicitZeros: true } as never)).toThrow(/ignoreImplicitZeros/);
    expect(() => new QuantileTransformer({ nQuantiles: 10, subsample: 5 })).toThrow(/must not exceed subsample/);
    expect(() => new SimpleImputer({ strategy: 'most_frequent' } as never)).toThrow(/strategy/);
    expect(() => new SimpleImputer({ addIndicator: true } as never)).toThrow(/addIndicator/);
    expect(() => new SimpleImputer({ fillValue: 3 })).toThrow(/only used with strategy: 'constant'/);
    const r = await new RobustScaler().fit(matrix(R.X, 100));
    expect(() => r.transform(matrix(P.X, 10))).toThrow(/X has 3 features, but the model was fitted on 10/);
  });

  it('QuantileTransformer draws `subsample` rows when there are more (seeded)', async () => {
    const X = Array.from({ length: 300 }, (_, i) => [i]);
    const a = await new QuantileTransformer({ nQuantiles: 11, subsample: 100, seed: 3 }).fit(matrix(X, 37));
    const b = await new QuantileTransformer({ nQuantiles: 11, subsample: 100, seed: 3 }).fit(matrix(X, 300));
    expect(a.quantiles).toEqual(b.quantiles);
    const q = a.quantiles.map((r) => r[0]);
    // 100 of the 300 values: the quantiles are values of the data, ascending, spanning most of it.
    expect(q.every((v, i) => i === 0 || v >= q[i - 1])).toBe(true);
    expect(q[0]).toBeLessThan(30);
    expect(q[10]).toBeGreaterThan(270);
  });
});
