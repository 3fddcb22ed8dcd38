/** mapPartitions: user functions on each partition, shipped to worker threads; meta given or inferred. */
import { closeThreadPools } from '@pdask/core';
import { afterAll, describe, expect, it } from 'vitest';
import * as dd from '../src/index';
import { fixture, SCHEDULERS } from './helpers';

afterAll(() => closeThreadPools());

const frame = (opts: dd.PartitionOptions) => dd.fromColumns(fixture.data, opts);
const N = fixture.data.x.length;

/** Partition sizes as from_pandas makes them: chunks of ceil(n / npartitions). */
function sizes(n: number, npartitions: number): number[] {
  const c = Math.ceil(n / npartitions);
  return Array.from({ length: Math.ceil(n / c) }, (_, i) => Math.min(c, n - i * c));
}

const PARTITIONINGS: [string, dd.PartitionOptions][] = [
  ['1 partition', { npartitions: 1 }],
  ['uneven (7 partitions, last 142 rows)', { npartitions: 7 }],
  ['one-row partitions (chunksize 1, 12 rows)', { chunksize: 1 }],
];

describe.each(SCHEDULERS)('mapPartitions (%s)', (_, opts) => {
  it.each(PARTITIONINGS)('a row-wise function, meta inferred from an empty partition, %s', async (_label, part) => {
    const df = part.chunksize === 1 ? dd.fromColumns({ x: fixture.data.x.slice(0, 12), y: fixture.data.y.slice(0, 12) }, part) : frame(part);
    const out = df.mapPartitions((p: dd.LocalFrame) => ({
      x: p.col('x').toArray(),
      t: Float64Array.from(p.col('y').toArray() as Float64Array, (v, i) => v * 2 + (p.col('x').at(i) as number)),
    }));
    expect(out).toBeInstanceOf(dd.DataFrame);
    expect(out.columns).toEqual(['x', 't']);
    expect(out.dtypes).toEqual({ x: 'int32', t: 'float64' });
    expect(out.divisions).toBeNull();
    const r = await out.compute(opts);
    const n = r.numRows;
    expect(Array.from(r.col('x').toArray() as Int32Array)).toEqual(fixture.data.x.slice(0, n));
    const want = fixture.data.y.slice(0, n).map((y, i) => y * 2 + fixture.data.x[i]);
    expect(Array.from(r.col('t').toArray() as Float64Array)).toEqual(want);
  });

  it('one row per partition with a given meta (the per-partition sizes and sums)', async () => {
    const df = frame({ npartitions: 7 });
    const out = df.mapPartitions(
      (p: dd.LocalFrame) => {
        let s = 0;
        for (const v of p.col('w').toArray() as Int32Array) s += v;
        return { n: [p.numRows], s: [s / 2] };
      },
      { meta: { n: 'int32', s: 'float64' } },
    );
    const r = await out.compute(opts);
    const want = sizes(N, 7);
    expect(Array.from(r.col('n').toArray() as Int32Array)).toEqual(want);
    let at = 0;
    const sums = want.map((k) => {
      const s = fixture.data.w.slice(at, at + k).reduce((a, b) => a + b, 0) / 2;
      at += k;
      return s;
    });
    expect(Array.from(r.col('s').toArray() as Float64Array)).toEqual(sums);
  });

  it('extra arguments: a number, and a series partitioned alike (its matching partition)', async () => {
    const df = frame({ npartitions: 3 });
    const out = df.col('y').mapPartitions((s: dd.LocalSeries, k: number, other: dd.LocalSeries) => Float64Array.from(s.toArray() as Float64Array, (v, i) => v * k - (other.at(i) as number)), 10, df.col('x'));
    expect(out).toBeInstanceOf(dd.Series);
    expect(out.dtype).toBe('float64');
    const r = await out.compute(opts);
    expect(Array.from(r.toArray() as Float64Array)).toEqual(fixture.data.y.map((y, i) => y * 10 - fixture.data.x[i]));
    // A series as the result keeps its name; the mean of a computed column against the data.
    const same = df.col('z').mapPartitions((s: dd.LocalSeries) => s);
    expect(same.seriesName).toBe('z');
    expect((await same.compute(opts)).name).toBe('z');
  });

  it('results are cast to the meta (ints declared float64), and kept with a group-by index', async () => {
    const df = dd.fromColumns({ a: [1, 2, 3, 4, 5] }, { npartitions: 2 });
    const r = await df.mapPartitions((p: dd.LocalFrame) => ({ b: Array.from(p.col('a').toArray() as Int32Array, (v) => v * 3) }), { meta: { b: 'float64' } }).compute(opts);
    expect(r.dtypes).toEqual({ b: 'float64' });
    expect(Array.from(r.col('b').toArray() as Float64Array)).toEqual([3, 6, 9, 12, 15]);
    const g = dd.fromColumns({ k: [2, 1, 2, 1], v: [1, 2, 3, 4] }, { npartitions: 2 }).groupby('k').col('v').sum();
    const doubled = g.mapPartitions((s: dd.LocalSeries) => s);
    expect((await doubled.compute(opts)).entries()).toEqual([
      [1, 6],
      [2, 4],
    ]);
  });

  it('a function returning something else fails the computation, naming it', async () => {
    const df = dd.fromColumns({ a: [1, 2, 3] }, { npartitions: 2 });
    const bad = df.mapPartitions(function countRows(p: dd.LocalFrame) {
      return p.numRows as never;
    }, { meta: { a: 'int32' } });
    await expect(bad.compute(opts)).rejects.toThrow(/mapPartitions: 'countRows' returned number [12]; expected a LocalFrame, a LocalSeries, an Arrow Table or Vector, an object of columns/);
    const wrong = df.mapPartitions((p: dd.LocalFrame) => ({ b: p.col('a').toArray() }), { meta: { a: 'int32' } });
    await expect(wrong.compute(opts)).rejects.toThrow("the function returned columns ['b'], but its meta has ['a']; missing ['a']; unexpected ['b']");
  });
});

describe('mapPartitions errors at graph construction', () => {
  const df = dd.fromColumns({ a: [1, 2, 3] }, { npartitions: 2 });
  it('refuses functions that capture variables, naming them', () => {
    const factor = 3;
    expect(() => df.mapPartitions((p: dd.LocalFrame) => ({ b: Array.from(p.col('a').toArray() as Int32Array, (v) => v * factor) }))).toThrow(
      "DataFrame.mapPartitions: the function captures 'factor' from its enclosing scope, which a worker thread does not have. Pass it as extra arguments instead: ddf.mapPartitions((df, factor) => ..., factor)",
    );
  });
  it('explains a failed meta inference and bad meta', () => {
    expect(() => df.mapPartitions(() => 42 as never)).toThrow("DataFrame.mapPartitions: could not infer the output's columns by running the function on an empty partition (mapPartitions: the function returned number 42");
    expect(() => df.mapPartitions((p: dd.LocalFrame) => p, { meta: { a: 'float128' as dd.Dtype } })).toThrow('DataFrame.mapPartitions: unknown dtype "float128" for column \'a\' in meta; known: float64');
    expect(() => df.mapPartitions('nope' as never)).toThrow('DataFrame.mapPartitions: expected a function (or fromModule(...)) as the first argument, got string');
    const other = dd.fromColumns({ a: [1, 2, 3] }, { npartitions: 3 });
    expect(() => df.mapPartitions((p: dd.LocalFrame, o: dd.LocalFrame) => o, other)).toThrow('DataFrame.mapPartitions (argument 1): the operands have 2 and 3 partitions');
  });
});
