import { closeThreadPools, compute } from '@pdask/core';
import { tableFromArrays, vectorFromArray, Utf8, Dictionary, Int32 } from 'apache-arrow';
import { afterAll, describe, expect, it } from 'vitest';
import * as dd from '../src/index';
import { expectClose, expectSeries, fixture, SCHEDULERS } from './helpers';

afterAll(() => closeThreadPools());

const frame = (opts: dd.PartitionOptions) => dd.fromColumns(fixture.data, opts);

describe('creation and metadata', () => {
  it('fromColumns splits rows as Dask from_pandas does, with divisions', () => {
    const df = frame({ npartitions: 4 });
    expect(df.npartitions).toBe(4);
    expect(df.divisions).toEqual([0, 250, 500, 750, 999]);
    expect(df.columns).toEqual(['x', 'y', 'z', 'k', 'fkey', 'w']);
    expect(df.dtypes).toEqual({ x: 'int32', y: 'float64', z: 'float64', k: 'string', fkey: 'float64', w: 'int32' });
    // ceil(10 / 4) = 3 rows per partition: 3, 3, 3, 1.
    const small = dd.fromColumns({ a: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] }, { npartitions: 4 });
    expect(small.npartitions).toBe(4);
    expect(small.divisions).toEqual([0, 3, 6, 9, 9]);
    expect(dd.fromColumns({ a: [1, 2, 3] }, { chunksize: 2 }).npartitions).toBe(2);
    expect(dd.fromColumns({ a: [1, 2] }, { npartitions: 10 }).npartitions).toBe(2);
  });

  it('equal data gives equal names, different data different ones', () => {
    expect(frame({ npartitions: 4 }).name).toBe(frame({ npartitions: 4 }).name);
    expect(frame({ npartitions: 4 }).name).not.toBe(frame({ npartitions: 3 }).name);
    expect(dd.fromColumns({ a: [1, 2] }, { npartitions: 1 }).name).not.toBe(dd.fromColumns({ a: [1, 3] }, { npartitions: 1 }).name);
  });

  it('bad npartitions and inputs give clear errors', () => {
    expect(() => dd.fromColumns({ a: [1] }, { npartitions: 0 })).toThrow("fromColumns: option 'npartitions' must be an integer >= 1, got 0 (number)");
    expect(() => dd.fromColumns({ a: [1] }, { npartitions: 1.5 })).toThrow("option 'npartitions' must be an integer >= 1, got 1.5 (number)");
    expect(() => dd.fromColumns({ a: [1] }, {})).toThrow('give npartitions or chunksize');
    expect(() => dd.fromColumns({ a: [1] }, { npartitions: 1, chunksize: 1 })).toThrow('not both');
    expect(() => dd.fromColumns({ a: [1, 2], b: [1] }, { npartitions: 1 })).toThrow("column 'b' has 1 rows, column 'a' has 2");
    expect(() => dd.fromColumns({ a: [1, 'x'] as never }, { npartitions: 1 })).toThrow("column 'a' mixes numbers and strings");
    expect(() => dd.fromArrow({} as never, { npartitions: 1 })).toThrow('fromArrow: expected an apache-arrow Table');
  });

  it('unknown columns are named, with the known ones', () => {
    const df = frame({ npartitions: 2 });
    expect(() => df.col('q')).toThrow("DataFrame.col: column \"q\" not found; known columns: 'x', 'y', 'z', 'k', 'fkey', 'w'");
    expect(() => df.select(['x', 'nope'])).toThrow("DataFrame.select: column \"nope\" not found; known columns: 'x', 'y', 'z', 'k', 'fkey', 'w'");
  });
});

describe.each(SCHEDULERS)('computing (%s)', (_, opts) => {
  it('compute returns the rows in order, with pandas-like text', async () => {
    const r = await dd.fromColumns({ a: [1, 2, 3, 4, 5], b: [0.5, 0.25, null, 2, 1e3], s: ['u', null, 'w', 'x', 'yy'], t: [true, false, true, null, false] }, { npartitions: 2 }).compute(opts);
    expect(r.shape).toEqual([5, 4]);
    expect(r.row(2)).toEqual({ a: 3, b: NaN, s: 'w', t: true });
    expect(String(r)).toBe(
      [
        '   a        b     s      t',
        '0  1     0.50     u   True',
        '1  2     0.25  None  False',
        '2  3      NaN     w   True',
        '3  4     2.00     x   None',
        '4  5  1000.00    yy  False',
      ].join('\n'),
    );
    const t = r.toArrow();
    expect(t.numRows).toBe(5);
    expect(t.schema.fields.map((f) => f.name)).toEqual(['a', 'b', 's', 't']);
  });

  it("the seed: groupby('x').col('y').mean() prints as pandas does", async () => {
    const r = await frame({ npartitions: 4 }).groupby('x').col('y').mean().compute(opts);
    expect(String(r)).toBe(fixture.seed_repr);
  });

  it('fromArrow keeps Arrow types (dictionary, utf8), columns named like integers keep their order', async () => {
    const table = tableFromArrays({ '1': new Int32Array([5, 6, 7]), a: new Float64Array([1, 2, 3]) });
    const df = dd.fromArrow(table, { npartitions: 2 });
    expect(df.columns).toEqual(['1', 'a']);
    const r = await df.compute(opts);
    expect(r.columns).toEqual(['1', 'a']);
    expect(Array.from(r.col('1').toArray() as Int32Array)).toEqual([5, 6, 7]);
    expect(r.toArrow().schema.fields.map((f) => f.name)).toEqual(['1', 'a']);
    const dict = vectorFromArray(['p', 'q', 'p', null, 'q'], new Dictionary(new Utf8(), new Int32()));
    const t2 = tableFromArrays({ c: new Float64Array([1, 2, 3, 4, 5]) });
    const withDict = dd.fromColumns({ c: t2.getChild('c')!, d: dict }, { npartitions: 3 });
    expect(withDict.dtypes).toEqual({ c: 'float64', d: 'category' });
    const g = await withDict.groupby('d').col('c').sum().compute(opts);
    expect(g.entries()).toEqual([['p', 4], ['q', 7]]);
  });

  it('reductions of series and frames, NaN skipped', async () => {
    const df = frame({ npartitions: 7 });
    for (const a of ['sum', 'mean', 'min', 'max', 'count', 'var', 'std'] as const) {
      expectClose(await df.col('z')[a]({ splitEvery: 2 }).compute(opts), fixture.reductions_z[a], `z.${a}`);
      expectClose(await df.col('y')[a]().compute(opts), fixture.reductions_y[a], `y.${a}`);
    }
    expectSeries(await df.select(['x', 'y', 'z', 'w']).mean().compute(opts), fixture.frame_mean, 'df.mean()');
    expectSeries(await df.count().compute(opts), fixture.frame_count, 'df.count()');
  });

  it('filter, assign, arithmetic and comparison', async () => {
    const df = frame({ npartitions: 6 });
    const kept = df.filter(df.col('y').gt(0.5));
    expect(kept.divisions).toBeNull();
    expect(await kept.len(opts)).toBe(fixture.filter_len);
    expectSeries(await kept.groupby('x').col('y').sum().compute(opts), fixture.filter_y_gt_half_groupby_x_sum, 'filtered groupby sum');
    const withT = df.assign({ t: df.col('y').mul(2).add(df.col('z')), one: 1 });
    expect(withT.columns).toEqual(['x', 'y', 'z', 'k', 'fkey', 'w', 't', 'one']);
    expect(withT.dtypes.one).toBe('int32');
    expectClose(await withT.col('t').mean().compute(opts), fixture.assign_t_mean, '(2y + z).mean()');
    // From first principles.
    const s = dd.fromColumns({ a: [1, 2, 3, 4, -5], b: [2, 2, 0, 8, 3] }, { npartitions: 2 });
    const a = s.col('a');
    const b = s.col('b');
    const vals = async (x: dd.Series) => Array.from((await x.compute(opts)).toArray() as ArrayLike<unknown>);
    expect(await vals(a.add(b))).toEqual([3, 4, 3, 12, -2]);
    expect(await vals(a.sub(1))).toEqual([0, 1, 2, 3, -6]);
    expect(await vals(a.rsub(10))).toEqual([9, 8, 7, 6, 15]);
    expect(await vals(a.div(b))).toEqual([0.5, 1, Infinity, 0.5, -5 / 3]);
    expect(await vals(a.mod(3))).toEqual([1, 2, 0, 1, 1]);
    expect(await vals(a.pow(2))).toEqual([1, 4, 9, 16, 25]);
    expect(await vals(a.ge(b))).toEqual([false, true, true, false, false]);
    expect(await vals(a.eq(4).or(a.lt(0)))).toEqual([false, false, false, true, true]);
    expect(await vals(a.gt(1).and(b.ne(0)).not())).toEqual([true, false, true, false, true]);
    const strs = dd.fromColumns({ s: ['a', 'b', null, 'a'] }, { npartitions: 2 });
    expect(await vals(strs.col('s').eq('a'))).toEqual([true, false, false, true]);
    // NaN compares false, except ne.
    const n = dd.fromColumns({ v: [1, null, 3] }, { npartitions: 1 }).col('v');
    expect(await vals(n.gt(0))).toEqual([true, false, true]);
    expect(await vals(n.ne(3))).toEqual([true, true, false]);
  });

  it('head and len', async () => {
    const df = frame({ npartitions: 4 });
    const h = await df.head(3, opts);
    expect(h.numRows).toBe(3);
    expect(Array.from(h.col('x').toArray() as Int32Array)).toEqual(fixture.data.x.slice(0, 3));
    const across = await df.head(300, { ...opts, npartitions: 2 });
    expect(Array.from(across.col('w').toArray() as Int32Array)).toEqual(fixture.data.w.slice(0, 300));
    expect((await df.col('y').head(2, opts)).length).toBe(2);
    expect(await df.len(opts)).toBe(1000);
    expect(await dd.fromColumns({ a: [] as number[] }, { npartitions: 3 }).len(opts)).toBe(0);
    await expect(df.head(3, { ...opts, npartitions: 5 })).rejects.toThrow('npartitions is 5 but the collection has only 4 partitions');
  });

  it('persist, and compute of several collections at once', async () => {
    const df = await frame({ npartitions: 3 }).persist(opts);
    const [m, c] = await compute(df.col('y').mean(), df.col('z').count(), opts);
    expectClose(m, fixture.reductions_y.mean);
    expect(c).toBe(fixture.reductions_z.count);
  });

  it('a failing task fails the computation with the column named', async () => {
    const df = dd.fromColumns({ a: [1, 2] }, { npartitions: 1 });
    // Divisions known on one side only: caught when the graph is built (Dask cannot align them either).
    const other = dd.fromColumns({ a: [1, 2, 3] }, { npartitions: 2 }).clearDivisions();
    expect(() => df.col('a').add(other.col('a'))).toThrow("Not all divisions are known, can't align partitions");
  });
});

describe.each(SCHEDULERS)('more inputs (%s)', (_, opts) => {
  it('fromRecords: columns in first-seen order, missing fields as nulls', async () => {
    const df = dd.fromRecords([{ a: 1, b: 'x' }, { a: 2, c: true }, { b: 'y', a: 3.5 }], { npartitions: 2 });
    expect(df.columns).toEqual(['a', 'b', 'c']);
    expect(df.dtypes).toEqual({ a: 'float64', b: 'string', c: 'bool' });
    const r = await df.compute(opts);
    expect(r.toRecords()).toEqual([
      { a: 1, b: 'x', c: null },
      { a: 2, b: null, c: true },
      { a: 3.5, b: 'y', c: null },
    ]);
  });

  it('integer keys with nulls (Arrow) are dropped; empty frames aggregate to nothing', async () => {
    const k = vectorFromArray([1, null, 2, 1, null, 2, 2], new Int32());
    const df = dd.fromColumns({ k, v: [1, 2, 3, 4, 5, 6, 7] }, { npartitions: 3 });
    const r = await df.groupby('k').col('v').sum().compute(opts);
    expect(r.entries()).toEqual([[1, 5], [2, 16]]);
    expect(r.dtype).toBe('float64');
    const empty = dd.fromColumns({ k: new Int32Array(0), v: new Float64Array(0) }, { npartitions: 2 });
    expect(empty.npartitions).toBe(1);
    const g = await empty.groupby('k').col('v').mean().compute(opts);
    expect(g.length).toBe(0);
    expect(await empty.col('v').sum().compute(opts)).toBe(0);
    expect(await empty.col('v').mean().compute(opts)).toBeNaN();
  });
});
