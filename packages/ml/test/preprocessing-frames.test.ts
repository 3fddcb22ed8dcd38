/**
 * Estimators on @pdask/dataframe frames (strings, categories, NaN, ints, booleans) against
 * scikit-learn 1.2 and pandas 1.5 (Dask-ML's Categorizer + DummyEncoder run pandas' astype('category')
 * and get_dummies), over several partitionings and both schedulers.
 */
import { describe, expect, it } from 'vitest';
import * as dd from '@pdask/dataframe';
import { Categorizer, DummyEncoder, LabelEncoder, MinMaxScaler, OneHotEncoder, OrdinalEncoder, StandardScaler } from '../src/index';
import { closePoolsAfterAll, SCHEDULERS } from './helpers';
import { expectNear, flatNum, mfx, mixedFrame, values } from './preprocessing-more-fixtures';

closePoolsAfterAll();
const F = mfx.frame;
/** 11 rows: one partition per row, uneven partitions, one partition. */
const PARTS = [{ npartitions: 11 }, { npartitions: 4 }, { npartitions: 1 }];
const cats = (c: (number | string | boolean | null)[][]) => c.map((col) => col.map((v) => (v === 'NaN' ? Number.NaN : v)));

describe.each(SCHEDULERS)('frames on $scheduler', (opts) => {
  it.each(PARTS)('OneHotEncoder on the mixed frame ($npartitions partitions)', async ({ npartitions }) => {
    const df = mixedFrame(npartitions);
    const enc = await new OneHotEncoder().fit(df, opts);
    // scikit-learn: a missing string is None (named 'None'), a missing category NaN ('nan').
    const want = cats(F.onehot.categories);
    want[1][want[1].length - 1] = null;
    expect(enc.categories).toEqual(want);
    expect(enc.getFeatureNamesOut()).toEqual(F.onehot.names);
    expect(enc.featureNamesIn).toEqual(['city', 'size', 'n', 'v', 'flag']);
    expect(await values(enc.transform(df), opts)).toEqual(flatNum(F.onehot.transform));
  });

  it.each(PARTS)('OrdinalEncoder on strings, categories and ints ($npartitions partitions)', async ({ npartitions }) => {
    const df = mixedFrame(npartitions).select(['city', 'size', 'n']);
    const enc = await new OrdinalEncoder().fit(df, opts);
    expect(enc.getFeatureNamesOut()).toEqual(F.ordinal.names);
    expectNear(await values(enc.transform(df), opts), flatNum(F.ordinal.transform), 0, 'ordinal');
    const codes = await enc.transform(df);
    expect(() => enc.inverseTransform(codes)).toThrow(/column 'city' has string categories/);
  });

  it.each(PARTS)('Categorizer then DummyEncoder, as Dask-ML ($npartitions partitions)', async ({ npartitions }) => {
    const df = mixedFrame(npartitions);
    const cz = await new Categorizer().fit(df, opts);
    expect(cz.categories).toEqual({ city: F.categorizer.city, size: F.categorizer.size });
    const cdf = cz.transform(df);
    expect(cdf.dtypes).toEqual({ city: 'category', size: 'category', n: 'int32', v: 'float64', flag: 'bool' });
    const de = await new DummyEncoder().fit(cdf, opts);
    expect(de.getFeatureNamesOut()).toEqual(F.dummies.columns);
    expect(await values(de.transform(cdf, opts), opts)).toEqual(flatNum(F.dummies.values));
    const first = await new DummyEncoder({ dropFirst: true }).fit(cdf, opts);
    expect(first.getFeatureNamesOut()).toEqual(F.dummiesFirst.columns);
    expect(await values(first.transform(cdf, opts), opts)).toEqual(flatNum(F.dummiesFirst.values));
  });

  it.each(PARTS)('LabelEncoder on a string series ($npartitions partitions)', async ({ npartitions }) => {
    const y = dd.fromColumns({ y: F.label.y }, { npartitions: Math.min(npartitions, F.label.y.length) }).col('y');
    const le = await new LabelEncoder().fit(y, opts);
    expect(le.classes).toEqual(F.label.classes);
    const codes = await le.transform(y);
    expect(codes.dtype).toBe('int32');
    expect(await values(codes, opts)).toEqual(F.label.transform);
    expect(await le.inverseTransform(codes)).toEqual(F.label.y);
  });
});

describe('frame rules', () => {
  it('scalers take numeric frames (booleans as 0/1) and give the column names', async () => {
    const df = mixedFrame(3).select(['n', 'v', 'flag']);
    const s = await new StandardScaler().fit(df);
    expect(s.getFeatureNamesOut()).toEqual(['n', 'v', 'flag']);
    // First principles: column means with NaN propagating, as NumPy's mean over the values.
    const n = F.n;
    expect(s.mean[0]).toBeCloseTo(n.reduce((a, b) => a + b, 0) / n.length, 14);
    expect(Number.isNaN(s.mean[1])).toBe(true);
    expect(s.mean[2]).toBeCloseTo(F.flag.filter(Boolean).length / F.flag.length, 14);
    const m = await new MinMaxScaler().fit(df.select(['n', 'flag']));
    const t = await values(m.transform(df.select(['n', 'flag'])));
    expect(t).toEqual(F.n.flatMap((v, i) => [(v - 1) / 2, F.flag[i] ? 1 : 0]));
    expect(new StandardScaler().getFeatureNamesOut).toBeDefined();
  });

  it('string columns need an encoder; a series is not X; columns must match fit', async () => {
    const df = mixedFrame(2);
    await expect(new StandardScaler().fit(df)).rejects.toThrow(/StandardScaler.fit: column 'city' of X is string; encode string and category columns first/);
    await expect(new StandardScaler().fit(df.col('v') as never)).rejects.toThrow(/X must be 2-d .* got a series \('v'\)/);
    const s = await new StandardScaler().fit(df.select(['n', 'v']));
    await expect(s.transform(df.select(['v', 'n']))).rejects.toThrow(/the columns of X \[v, n\] are not those seen in fit \[n, v\]/);
    expect(() => s.getFeatureNamesOut(['a', 'b'])).toThrow(/not the names seen in fit/);
    const enc = await new OneHotEncoder().fit(df.select(['city']));
    const other = dd.fromColumns({ city: ['Oslo', 'Rome'] }, { npartitions: 1 });
    await expect(values(enc.transform(other))).rejects.toThrow(/unknown categories \[a value not seen in fit\] in column 'city'/);
    const ign = await new OneHotEncoder({ handleUnknown: 'ignore' }).fit(df.select(['city']));
    expect(await values(ign.transform(other))).toEqual([0, 0, 0, 1, 0, 0, 0, 0, 0, 0]);
  });

  it('DummyEncoder refuses string columns left unencoded; Categorizer maps unseen values to missing', async () => {
    const df = mixedFrame(2);
    await expect(new DummyEncoder().fit(df)).rejects.toThrow(/column 'city' is string and not encoded/);
    const cz = await new Categorizer().fit(df);
    const other = dd.fromColumns({ city: ['Oslo', 'Rome'], size: ['S', 'XL'], n: [1, 2], v: [0.5, 1], flag: [true, false] }, { npartitions: 1 });
    const de = await new DummyEncoder().fit(cz.transform(df));
    // Rome and XL are not categories: their indicators are all zero (pandas' astype with categories makes them NaN).
    expect(await values(de.transform(cz.transform(other.assign({ size: other.col('size').astype('category') }))))).toEqual([1, 0.5, 1, 0, 0, 0, 1, 0, 0, 1, 2, 1, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(() => new Categorizer({ column: ['x'] } as never)).toThrow(/unknown option 'column'/);
  });

  it('given categories for string columns follow the given order', async () => {
    const df = mixedFrame(2).select(['city']);
    const enc = await new OrdinalEncoder({ categories: [['Oslo', 'Lima', 'Bern', 'Kyiv', null]] }).fit(df);
    // A missing string is the category null (scikit-learn's None), so its code is its place, 4.
    expect(await values(enc.transform(df))).toEqual([0, 1, 4, 0, 2, 1, 0, 2, 1, 0, 3]);
    await expect(new OrdinalEncoder({ categories: [['Oslo', 'Lima']] }).fit(df)).rejects.toThrow(/found unknown categories \[Bern, Kyiv, null\] in column 'city' during fit/);
    await expect(new OrdinalEncoder({ categories: [[1, 2]] }).fit(df)).rejects.toThrow(/must be strings/);
  });
});
