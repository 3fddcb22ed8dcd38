/**
 * Bag.toDataFrame → @pdask/dataframe (through its public fromBag): records by column name or
 * position, meta given or inferred from the first element, empty and size-1 partitions; the
 * expected frames are the records themselves (first principles).
 */
import { closeThreadPools } from '@pdask/core';
import { DataFrame } from '@pdask/dataframe';
import { afterAll, describe, expect, it } from 'vitest';
import { Bag, fromSequence, range } from '../src/index';
import { SCHEDULERS } from './helpers';

afterAll(() => closeThreadPools());

const people = [
  { name: 'Alice', age: 31, member: true },
  { name: 'Bob', age: 27.5, member: false },
  { name: 'Chloé', age: 45, member: true },
  { name: 'Dan', member: false },
  { name: 'Eve', age: 19, member: true },
];

describe.each(SCHEDULERS)('Bag.toDataFrame (%s)', (_s, opts) => {
  it('objects with meta: columns in meta order, a missing number NaN, partitions kept', async () => {
    const b = fromSequence(people, { npartitions: 3 });
    const df = await b.toDataFrame({ meta: { age: 'float64', name: 'string', member: 'bool' } });
    expect(df).toBeInstanceOf(DataFrame);
    expect(df.npartitions).toBe(3);
    expect(df.columns).toEqual(['age', 'name', 'member']);
    const local = await df.compute(opts);
    // A missing number is NaN, as pandas makes it for a float column.
    expect(local.toRecords()).toEqual(people.map((p) => ({ age: p.age ?? Number.NaN, name: p.name, member: p.member })));
    // The frame is lazy and composes with dataframe operations.
    expect(await df.col('age').sum().compute(opts)).toBe(31 + 27.5 + 45 + 19);
  });

  it('meta inferred from the first element (computed), and arrays read by position with columns', async () => {
    const b = fromSequence(people, { npartitions: 5 });
    const df = await b.toDataFrame(opts);
    expect(df.columns).toEqual(['name', 'age', 'member']);
    expect((await df.compute(opts)).dtypes).toEqual({ name: 'string', age: 'float64', member: 'bool' });
    const rows = range(7, { npartitions: 9 }).map((i) => [i, `r${i}`, i % 2 === 0]);
    const ta = await rows.toDataFrame({ ...opts, columns: ['i', 's', 'even'] });
    expect(ta.npartitions).toBe(9);
    expect((await ta.compute(opts)).toRecords()).toEqual(Array.from({ length: 7 }, (_, i) => ({ i, s: `r${i}`, even: i % 2 === 0 })));
    // Without columns, array positions name the columns '0', '1', ….
    expect((await (await rows.toDataFrame(opts)).compute(opts)).toRecords()[1]).toEqual({ 0: 1, 1: 'r1', 2: false });
  });

  it('refuses what it cannot do, by name', async () => {
    const b = fromSequence(people, { npartitions: 2 });
    await expect(b.toDataFrame({ meta: { age: 'float64' }, columns: ['age'] })).rejects.toThrow(/give meta or columns, not both/);
    await expect(b.toDataFrame({ metas: {} } as never)).rejects.toThrow(/unknown option 'metas'.*did you mean 'meta'/);
    await expect(fromSequence([1, 2], { npartitions: 1 }).toDataFrame(opts)).rejects.toThrow(/the first element is number 1; elements must be objects/);
    await expect(fromSequence([{ a: null }], { npartitions: 1 }).toDataFrame(opts)).rejects.toThrow(/cannot infer the dtype of column 'a'/);
    await expect(Bag.fromPartitions('e', [[], [{ a: 1 }]]).toDataFrame(opts)).rejects.toThrow(/the first partition is empty/);
    await expect(b.toDataFrame({ meta: { age: 'float65' as never } })).rejects.toThrow(/unknown dtype "float65"/);
    const bad = await fromSequence([{ a: 1 }, 5] as unknown[], { npartitions: 1 }).toDataFrame({ meta: { a: 'float64' } });
    await expect(bad.compute(opts)).rejects.toThrow(/element 1 of partition 0 is number/);
  });
});
