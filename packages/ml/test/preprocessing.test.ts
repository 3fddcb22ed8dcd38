/** StandardScaler and MinMaxScaler against scikit-learn, over odd chunkings and both schedulers. */
import { describe, expect, it } from 'vitest';
import { MinMaxScaler, StandardScaler } from '../src/index';
import { CHUNKINGS, closePoolsAfterAll, expectClose, flat, fx, mat, SCHEDULERS } from './helpers';

closePoolsAfterAll();
const S = fx.scalers;

describe.each(SCHEDULERS)('scalers on $scheduler', (opts) => {
  it.each(CHUNKINGS)('StandardScaler: $name', async ({ rows }) => {
    const X = mat(S.X, rows);
    const s = await new StandardScaler().fit(X, opts);
    expectClose(s.mean, S.standard.mean, 1e-12, 'mean');
    expectClose(s.var, S.standard.var, 1e-10, 'var');
    // Column 1 is constant: its scale is 1, as scikit-learn's.
    expectClose(s.scale!, S.standard.scale, 1e-10, 'scale');
    expect(s.nSamplesSeen).toBe(S.X.length);
    const t = await s.transform(X).compute(opts);
    expect(t.shape).toEqual([S.X.length, 3]);
    expectClose(flat(t), S.standard.transform.flat(), 1e-10, 'transform');
    const back = await s.inverseTransform(s.transform(X)).compute(opts);
    expectClose(flat(back), S.X.flat(), 1e-10, 'inverseTransform');
  });

  it.each(CHUNKINGS)('MinMaxScaler(featureRange [-1, 2]): $name', async ({ rows }) => {
    const X = mat(S.X, rows);
    const m = new MinMaxScaler({ featureRange: [-1, 2] });
    const t = await (await m.fitTransform(X, opts)).compute(opts);
    expectClose(m.dataMin, S.minmax.dataMin, 1e-12, 'dataMin');
    expectClose(m.dataMax, S.minmax.dataMax, 1e-12, 'dataMax');
    expectClose(m.scale, S.minmax.scale, 1e-12, 'scale');
    expectClose(m.min, S.minmax.min, 1e-12, 'min');
    expectClose(flat(t), S.minmax.transform.flat(), 1e-12, 'transform');
    const back = await m.inverseTransform(m.transform(X)).compute(opts);
    expectClose(flat(back), S.X.flat(), 1e-12, 'inverseTransform');
  });
});

describe('scaler options', () => {
  it('withMean: false only divides; withStd: false only centres', async () => {
    const X = mat(S.X, 7);
    const a = await new StandardScaler({ withMean: false }).fit(X);
    const ta = await a.transform(X).compute();
    const b = await new StandardScaler({ withStd: false }).fit(X);
    const tb = await b.transform(X).compute();
    expect(b.scale).toBeNull();
    const d = 3;
    S.X.forEach((row, i) =>
      row.forEach((v, j) => {
        expect(ta.get(i, j)).toBeCloseTo(v / S.standard.scale[j], 10);
        expect(tb.get(i, j)).toBeCloseTo(v - S.standard.mean[j], 10);
      }),
    );
    expect(ta.shape).toEqual([S.X.length, d]);
  });
});
