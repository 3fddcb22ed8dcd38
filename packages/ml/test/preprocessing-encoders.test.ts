/** OneHotEncoder and OrdinalEncoder on arrays against scikit-learn 1.2, over odd chunkings and both schedulers. */
import { describe, expect, it } from 'vitest';
import { OneHotEncoder, OrdinalEncoder } from '../src/index';
import { closePoolsAfterAll, SCHEDULERS } from './helpers';
import { expectNear, flatNum, matrix, mfx, num, ROWS, values } from './preprocessing-more-fixtures';

closePoolsAfterAll();
const E = mfx.encoders;
const n = E.X.length;
/** The fixture's categories with its 'NaN' marker as NaN. */
const cats = (c: (number | string | boolean | null)[][]) => c.map((col) => col.map((v) => (v === 'NaN' ? Number.NaN : v)));

describe.each(SCHEDULERS)('encoders on $scheduler', (opts) => {
  it.each(ROWS)('OneHotEncoder on numbers, with NaN: $name', async ({ rows }) => {
    const enc = await new OneHotEncoder().fit(matrix(E.X, rows(n)), opts);
    expect(enc.categories).toEqual(cats(E.onehot.categories));
    expect(enc.getFeatureNamesOut()).toEqual(E.onehot.names);
    expect(await values(enc.transform(matrix(E.X, rows(n))), opts)).toEqual(flatNum(E.onehot.transform));
    const withNan = await new OneHotEncoder().fit(matrix(E.Xnan, rows(n)), opts);
    expect(withNan.categories).toEqual(cats(E.onehotNan.categories));
    expect(withNan.getFeatureNamesOut()).toEqual(E.onehotNan.names);
    expect(await values(withNan.transform(matrix(E.Xnan, rows(n))), opts)).toEqual(flatNum(E.onehotNan.transform));
  });

  it.each(ROWS)('OrdinalEncoder with NaN (encoded as NaN, the category last): $name', async ({ rows }) => {
    const enc = await new OrdinalEncoder().fit(matrix(E.Xnan, rows(n)), opts);
    expect(enc.categories).toEqual(cats(E.ordinal.categories));
    expectNear(await values(enc.transform(matrix(E.Xnan, rows(n))), opts), flatNum(E.ordinal.transform), 0, 'ordinal');
    expect(enc.getFeatureNamesOut()).toEqual(['x0', 'x1', 'x2']);
    expectNear(await values(enc.inverseTransform(enc.transform(matrix(E.Xnan, rows(n)))), opts), flatNum(E.ordinal.inverse), 0, 'inverse');
  });
});

describe('encoder options', () => {
  it("integer input is named without '.0'; given input names", async () => {
    const enc = await new OneHotEncoder().fit(matrix(E.X, 50, 'int32'));
    expect(enc.getFeatureNamesOut()).toEqual(E.onehot.namesInt);
    const f = await new OneHotEncoder().fit(matrix(E.X, 50));
    expect(f.getFeatureNamesOut(['a', 'b', 'c'])).toEqual(E.onehot.namesCols);
    expect(() => f.getFeatureNamesOut(['a'])).toThrow(/inputFeatures must be 3 names/);
  });

  it("drop 'first' and 'if_binary', given categories", async () => {
    const first = await new OneHotEncoder({ drop: 'first' }).fit(matrix(E.X, 7));
    expect(first.getFeatureNamesOut()).toEqual(E.onehotFirst.names);
    expect(first.dropIdx).toEqual([0, 0, 0]);
    expect(await values(first.transform(matrix(E.X, 7)))).toEqual(flatNum(E.onehotFirst.transform));
    const bin = await new OneHotEncoder({ drop: 'if_binary' }).fit(matrix(E.onehotIfBinary.X, 1));
    expect(bin.getFeatureNamesOut()).toEqual(E.onehotIfBinary.names);
    expect(await values(bin.transform(matrix(E.onehotIfBinary.X, 1)))).toEqual(flatNum(E.onehotIfBinary.transform));
    const given = await new OneHotEncoder({ categories: E.given }).fit(matrix(E.X, 30));
    expect(given.getFeatureNamesOut()).toEqual(E.onehotGiven.names);
    expect(await values(given.transform(matrix(E.X, 30)))).toEqual(flatNum(E.onehotGiven.transform));
  });

  it("unknown categories: 'error' fails the computation naming them, 'ignore' gives zeros, 'useEncodedValue' its value", async () => {
    const enc = await new OneHotEncoder().fit(matrix(E.X, 50));
    await expect(values(enc.transform(matrix(E.Xtest, 1)))).rejects.toThrow(/OneHotEncoder.transform: found unknown categories \[99\] in column 'x0'/);
    const ign = await new OneHotEncoder({ handleUnknown: 'ignore' }).fit(matrix(E.X, 50));
    expect(await values(ign.transform(matrix(E.Xtest, 2)))).toEqual(flatNum(E.onehotIgnore.test));
    const od = await new OrdinalEncoder({ handleUnknown: 'useEncodedValue', unknownValue: -1 }).fit(matrix(E.X, 50));
    expect(await values(od.transform(matrix(E.Xtest, 2)))).toEqual(flatNum(E.ordinalUnknown.test));
    const strict = await new OrdinalEncoder().fit(matrix(E.X, 50));
    await expect(values(strict.transform(matrix(E.Xtest, 3)))).rejects.toThrow(/found unknown categories \[99\] in column 'x0'/);
    // NaN not seen in fit is unknown too.
    await expect(values(enc.transform(matrix([[13, Number.NaN, 1]] as never, 1)))).rejects.toThrow(/NaN \(a missing value\)/);
  });

  it('given categories are checked at fit: unsorted numbers, values outside them', async () => {
    await expect(new OneHotEncoder({ categories: [[12, 11], [3], [0]] }).fit(matrix(E.X, 50))).rejects.toThrow(/must be sorted ascending/);
    await expect(new OneHotEncoder({ categories: [[11, 12], E.given[1], E.given[2]] }).fit(matrix(E.X, 50))).rejects.toThrow(/found unknown categories \[13, 14, 15\] in column 'x0' during fit/);
    await expect(new OneHotEncoder({ categories: [[11]] }).fit(matrix(E.X, 50))).rejects.toThrow(/categories has 1 lists for 3 columns/);
    // handleUnknown 'ignore' accepts data outside the given categories, as scikit-learn.
    const e = await new OneHotEncoder({ categories: [[11, 12], E.given[1], E.given[2]], handleUnknown: 'ignore' }).fit(matrix(E.X, 50));
    expect(e.getFeatureNamesOut().slice(0, 3)).toEqual(['x0_11.0', 'x0_12.0', 'x1_3.0']);
  });

  it('strict options: unknown and unimplemented options are refused by name', () => {
    expect(() => new OneHotEncoder({ handleUnknow: 'ignore' } as never)).toThrow(/unknown option 'handleUnknow'.*did you mean 'handleUnknown'/);
    expect(() => new OneHotEncoder({ sparseOutput: true } as never)).toThrow(/sparseOutput/);
    expect(() => new OneHotEncoder({ sparse: true } as never)).toThrow(/sparse/);
    expect(() => new OneHotEncoder({ minFrequency: 2 } as never)).toThrow(/minFrequency/);
    expect(() => new OneHotEncoder({ handleUnknown: 'infrequent_if_exist' } as never)).toThrow(/handleUnknown/);
    expect(() => new OrdinalEncoder({ handleUnknown: 'useEncodedValue' })).toThrow(/'unknownValue' is required/);
    expect(() => new OrdinalEncoder({ unknownValue: 1.5 } as never)).toThrow(/unknownValue/);
    expect(() => new OneHotEncoder().getFeatureNamesOut()).toThrow(/not fitted/);
  });

  it('OrdinalEncoder.inverseTransform refuses codes that are not codes, and string categories', async () => {
    const enc = await new OrdinalEncoder().fit(matrix(E.X, 50));
    await expect(values(enc.inverseTransform(matrix([[0, 0, 7]] as never, 1)))).rejects.toThrow(/7 is not a code of column 'x2' \(0..2\)/);
  });

  it('OrdinalEncoder refuses an unknownValue that is a code', async () => {
    await expect(new OrdinalEncoder({ handleUnknown: 'useEncodedValue', unknownValue: 1 }).fit(matrix(E.X, 50))).rejects.toThrow(/unknownValue 1 is already the code/);
  });

  it('dtype option', async () => {
    const enc = await new OneHotEncoder({ dtype: 'uint8' }).fit(matrix(E.X, 50));
    const t = await enc.transform(matrix(E.X, 50)).compute();
    expect(t.dtype).toBe('uint8');
    expect(Array.from(t.data as Uint8Array)).toEqual(num(E.onehot.transform.flat()));
  });
});
