/** setIndex (a sort, then the column as the index) and resetIndex (index levels back to columns). */
import { closeThreadPools } from '@pdask/core';
import { afterAll, describe, expect, it } from 'vitest';
import * as dd from '../src/index';
import { expectClose, fixture, SCHEDULERS } from './helpers';

afterAll(() => closeThreadPools());

const N = fixture.data.x.length;
const id = Array.from({ length: N }, (_, i) => i);
const frame = (opts: dd.PartitionOptions) => dd.fromColumns({ id, ...fixture.data }, opts);

describe.each(SCHEDULERS)('setIndex and resetIndex (%s)', (_, opts) => {
  it.each([
    ['1 partition', { npartitions: 1 }],
    ['uneven (7 partitions)', { npartitions: 7 }],
    ['chunks of 37 (last 1 row)', { chunksize: 37 }],
  ] as [string, dd.PartitionOptions][])('setIndex sorts by the column and indexes by it, as pandas set_index().sort_index(): %s', async (_l, part) => {
    const s = await frame(part).setIndex('y', opts);
    expect(s.columns).toEqual(['id', 'x', 'z', 'k', 'fkey', 'w']);
    const r = await s.compute(opts);
    expect(r.indexName).toBe('y');
    expect(Array.from(r.col('id').toArray() as Int32Array)).toEqual(fixture.sort_y_ids);
    expect(Array.from(r.index!.toArray() as Float64Array)).toEqual(fixture.sort_y_ids.map((i) => fixture.data.y[i]));
    const byK = await (await frame(part).setIndex('k', opts)).compute(opts);
    expect(Array.from(byK.col('id').toArray() as Int32Array)).toEqual(fixture.sort_k_ids);
  });

  it('setIndex({ sorted: true }) does not shuffle; resetIndex gives the keys as columns', async () => {
    const df = dd.fromColumns({ t: [1, 2, 3, 4], v: [0.5, 1.5, 2.5, 3.5] }, { npartitions: 2 });
    const s = await df.setIndex('t', { sorted: true, ...opts });
    expect(s.npartitions).toBe(2);
    expect((await s.compute(opts)).toRecords()).toEqual([
      { t: 1, v: 0.5 },
      { t: 2, v: 1.5 },
      { t: 3, v: 2.5 },
      { t: 4, v: 3.5 },
    ]);
    const back = s.resetIndex();
    expect(back.columns).toEqual(['t', 'v']);
    expect((await back.compute(opts)).index).toBeUndefined();
    const g = frame({ npartitions: 4 }).groupby(['x', 'k']).col('z').mean().resetIndex();
    expect(g.columns).toEqual(['x', 'k', 'z']);
    expect(g.dtypes).toEqual({ x: 'int32', k: 'string', z: 'float64' });
    const r = await g.compute(opts);
    expect(r.indexLevels.length).toBe(0);
    const want = fixture.groupby_xk_z.mean;
    expect(Array.from({ length: r.numRows }, (_, i) => [r.col('x').at(i), r.col('k').at(i)])).toEqual(want.index);
    want.values.forEach((v, i) => expectClose(r.col('z').at(i) as number, v, `z[${i}]`));
    // Group means merged back onto the rows (two key columns): each row meets its group's mean.
    const joined = await dd.merge(frame({ npartitions: 5 }).select(['id', 'x', 'k']), g, { on: ['x', 'k'] }).compute(opts);
    expect(joined.numRows).toBe(fixture.data.k.filter((k) => k !== null).length);
    const mean = new Map(want.index.map((l, i) => [JSON.stringify(l), want.values[i]]));
    for (let i = 0; i < joined.numRows; i++) {
      const row = joined.row(i);
      expect(row.k).toBe(fixture.data.k[row.id as number]);
      expectClose(row.z as number, mean.get(JSON.stringify([row.x, row.k]))!, `row ${row.id}`);
    }
  });
});

describe('setIndex and resetIndex errors', () => {
  it('name the column', () => {
    const df = dd.fromColumns({ a: [1, 2], b: [3, 4] }, { npartitions: 1 });
    expect(() => df.setIndex('q')).toThrow("DataFrame.setIndex: column \"q\" not found; known columns: 'a', 'b'");
    const g = dd.fromColumns({ a: [1, 2], b: [3, 4] }, { npartitions: 1 }).groupby('a').agg({ b: 'sum' }).rename({ columns: { b: 'a' } });
    expect(() => g.resetIndex()).toThrow("DataFrame.resetIndex: the index level 'a' cannot become a column: a column of that name exists");
  });
});
