/**
 * toArray (Dask's to_dask_array) against Dask 2022.12's chunks, dtypes and values recorded by
 * test/fixtures/make_output.py, on Dask's own partitionings (an index makes pdask cut as
 * from_pandas does), plus one-row and empty partitions checked from first principles.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import * as dd from '../src/index';
import { SCHEDULERS } from './helpers';

interface ArrFixture {
  data: { arr: { i: number[]; f: number[] } };
  to_dask_array: Record<string, { chunks: number[][]; unknown_chunks?: (number | null)[][]; dtype: string; values: unknown[] }>;
}
const F = JSON.parse(readFileSync(new URL('./fixtures/output.json', import.meta.url), 'utf8')) as ArrFixture;
const { i, f } = F.data.arr;
const t = Int32Array.from(i, (_, k) => k);
const columns = { t, i: Int32Array.from(i), f: Float64Array.from(f), i64: BigInt64Array.from(i.map(BigInt)), f32: Float32Array.from(f) };

describe.each(SCHEDULERS)('toArray (%s)', (_, opts) => {
  for (const nparts of [1, 3, 4]) {
    const df = dd.fromColumns(columns, { index: 't', npartitions: nparts });
    for (const cols of [['i'], ['i', 'f'], ['i', 'f32'], ['i64'], ['f32'], ['i', 'i64']]) {
      test(`${nparts} partitions, columns ${cols.join(', ')}: Dask's chunks, dtype and values`, async () => {
        const want = F.to_dask_array[`${nparts}:${cols.join(',')}`];
        const a = await df.select(cols).toArray({ lengths: true, ...opts });
        expect(a.chunks).toEqual(want.chunks);
        expect(a.dtype).toBe(want.dtype);
        const r = await a.compute(opts);
        expect(r.toArray()).toEqual(want.values);
        // Without lengths the row chunks are unknown (NaN), as Dask's; computeChunkSizes finds them.
        const u = await df.select(cols).toArray(opts);
        expect(u.chunks.map((c) => c.map((x) => (Number.isNaN(x) ? null : x)))).toEqual(want.unknown_chunks);
        expect(Number.isNaN(u.shape[0])).toBe(true);
        expect((await u.computeChunkSizes(opts)).chunks).toEqual(want.chunks);
        expect((await u.compute(opts)).toArray()).toEqual(want.values);
      });
    }
    test(`${nparts} partitions, a series: 1-D`, async () => {
      const want = F.to_dask_array[`${nparts}:series f`];
      const a = await df.col('f').toArray({ lengths: true, ...opts });
      expect(a.chunks).toEqual(want.chunks);
      expect(a.dtype).toBe(want.dtype);
      expect((await a.compute(opts)).toArray()).toEqual(want.values);
    });
  }

  test('one-row and empty partitions; NaN kept; lengths given', async () => {
    const x = [1.5, Number.NaN, 3, 4, 5, 6, 7];
    const df = dd.fromColumns({ x: Float64Array.from(x), k: Int32Array.from([1, 2, 3, 4, 5, 6, 7]) }, { npartitions: 7 });
    const a = await df.toArray({ lengths: true, ...opts });
    expect(a.chunks).toEqual([[1, 1, 1, 1, 1, 1, 1], [2]]);
    expect(a.dtype).toBe('float64');
    expect((await a.compute(opts)).toArray()).toEqual(x.map((v, r) => [v, r + 1]));
    // A filter leaves partitions empty: their chunks are 0.
    const kept = df.filter(df.col('k').gt(4));
    const b = await kept.toArray({ lengths: true, ...opts });
    expect(b.chunks).toEqual([[0, 0, 0, 0, 1, 1, 1], [2]]);
    expect((await b.compute(opts)).toArray()).toEqual([[5, 5], [6, 6], [7, 7]]);
    const c = await kept.col('k').toArray({ lengths: [0, 0, 0, 0, 1, 1, 1], ...opts });
    expect(c.dtype).toBe('int32');
    expect(Array.from((await c.compute(opts)).data)).toEqual([5, 6, 7]);
    // Wrong lengths fail when the blocks are computed, naming the shapes.
    const w = await kept.col('k').toArray({ lengths: [1, 0, 0, 0, 1, 1, 0], ...opts });
    await expect(w.compute(opts)).rejects.toThrow(/shape \[0\].*\[1\] was declared/);
  });

  test('non-numeric columns are refused by name; booleans alone make a bool array', async () => {
    const df = dd.fromColumns({ x: [1.5, 2], s: ['a', 'b'], b: [true, false] }, { npartitions: 1 });
    await expect(df.toArray()).rejects.toThrow(/column 's' is string/);
    await expect(df.select(['x', 'b']).toArray()).rejects.toThrow(/booleans mixed with numbers/);
    const b = await df.select(['b']).toArray({ lengths: true, ...opts });
    expect(b.dtype).toBe('bool');
    expect((await b.compute(opts)).toArray()).toEqual([[true], [false]]);
    await expect(df.toArray({ length: true } as never)).rejects.toThrow(/unknown option 'length'/);
  });
});
