/** sortValues: sampled range boundaries, a range shuffle, and a sort per output partition. */
import { closeThreadPools } from '@pdask/core';
import { afterAll, describe, expect, it } from 'vitest';
import * as dd from '../src/index';
import { fixture, SCHEDULERS } from './helpers';

afterAll(() => closeThreadPools());

const N = fixture.data.x.length;
const id = Array.from({ length: N }, (_, i) => i);
const frame = (opts: dd.PartitionOptions) => dd.fromColumns({ id, ...fixture.data }, opts);
const ids = async (df: dd.DataFrame, opts: object) => Array.from((await df.col('id').compute(opts)).toArray() as Int32Array);

const PARTITIONINGS: [string, dd.PartitionOptions][] = [
  ['1 partition', { npartitions: 1 }],
  ['uneven (7 partitions, last 142 rows)', { npartitions: 7 }],
  ['chunks of 37 (28 partitions, last 1 row)', { chunksize: 37 }],
];

describe.each(SCHEDULERS)('sortValues against pandas (%s)', (_, opts) => {
  it.each(PARTITIONINGS)('float, string and integer keys, both directions, missing last: %s', async (_label, part) => {
    const df = frame(part);
    expect(await ids(df.sortValues('y'), opts)).toEqual(fixture.sort_y_ids);
    expect(await ids(df.sortValues('z', { ascending: false }), opts)).toEqual(fixture.sort_z_desc_ids);
    expect(await ids(df.sortValues('k'), opts)).toEqual(fixture.sort_k_ids);
    expect(await ids(df.sortValues('x', { ascending: false, npartitions: 3 }), opts)).toEqual(fixture.sort_x_desc_ids);
  });

  it('the sampled boundaries spread the rows over every output partition', async () => {
    const sorted = frame({ npartitions: 7 }).sortValues('y');
    const sizes = await sorted.mapPartitions((p: dd.LocalFrame) => ({ n: [p.numRows] }), { meta: { n: 'int32' } }).compute(opts);
    const n = Array.from(sizes.col('n').toArray() as Int32Array);
    expect(n.length).toBe(7);
    expect(n.reduce((a, b) => a + b, 0)).toBe(N);
    // y is uniform on [0, 1): every range holds some rows, none most of them.
    for (const k of n) expect(k > 0 && k < N / 2, `partition sizes ${n.join(', ')}`).toBe(true);
  });

  it('keeps every column and row; a tiny sample still sorts', async () => {
    const df = frame({ npartitions: 5 });
    const s = df.sortValues('w', { sampleSize: 1 });
    expect(s.columns).toEqual(df.columns);
    expect(s.divisions).toBeNull();
    const r = await s.compute(opts);
    const w = Array.from(r.col('w').toArray() as Int32Array);
    expect(w).toEqual([...fixture.data.w].sort((a, b) => a - b));
    // Rows stay whole: each row's id still points at its own w.
    const rid = Array.from(r.col('id').toArray() as Int32Array);
    expect(rid.every((i, j) => fixture.data.w[i] === w[j])).toBe(true);
  });
});

describe('sortValues errors', () => {
  const df = dd.fromColumns({ a: [2, 1] }, { npartitions: 1 });
  it('name the column or argument', () => {
    expect(() => df.sortValues('q')).toThrow("DataFrame.sortValues: column \"q\" not found; known columns: 'a'");
    expect(() => df.sortValues('a', { ascending: 'no' as never })).toThrow("DataFrame.sortValues: option 'ascending' must be a boolean or an array of booleans, got 'no' (string)");
    expect(() => df.sortValues([] as never)).toThrow('DataFrame.sortValues: by must be a column name or a non-empty array of column names');
  });
});
