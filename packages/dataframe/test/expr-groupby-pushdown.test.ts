/**
 * The planner through group-by aggregations, reductions, assign and series arithmetic (replayed
 * nodes): projection and predicate pushdown reach the Parquet read under them, and in-memory
 * sources carry only the columns used. Results equal the plan as built and pandas'
 * (fixtures/make_expr_groupby.py), on sync and threads.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeThreadPools } from '@pdask/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as dd from '../src/index';
import { SCHEDULERS } from './helpers';
import { after, before, computeUnplanned, fx, inMemory, writeParquetFiles } from './expr-helpers';

type Cell = number | string | null;
interface SeriesFx {
  index: Cell[];
  values: (number | null)[];
}
const gx = JSON.parse(readFileSync(new URL('./fixtures/expr_groupby.json', import.meta.url), 'utf8')) as Record<string, SeriesFx & Record<string, Cell[]>> & Record<string, number>;

let dir: string;
let pq: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pdask-expr-groupby-'));
  pq = writeParquetFiles(dir);
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await closeThreadPools();
});

const nan = (v: unknown): number | null => (typeof v === 'number' && !Number.isNaN(v) ? v : typeof v === 'bigint' ? Number(v) : null);

function expectSeries(s: dd.LocalSeries, want: SeriesFx): void {
  expect(s.indexArray()).toEqual(want.index);
  const got = s.toArray() as ArrayLike<unknown>;
  expect(got.length).toBe(want.values.length);
  want.values.forEach((v, i) => (v === null ? expect(nan(got[i])).toBeNull() : expect(nan(got[i])).toBeCloseTo(v, 9)));
}

describe.each(SCHEDULERS)('planning through group-bys and reductions (%s)', (_sched, opts) => {
  it('filter + groupby mean: reads k, x, y only, with the filter pushed into the read', async () => {
    const df = await dd.readParquet(pq);
    const q = df.filter(df.col('x').gt(12)).groupby('k').col('y').mean();
    expect(before(q)).toContain('columns=[id, x, y, k]\n');
    expect(before(q)).not.toContain('filters=');
    expect(before(q)).toMatch(/^Before optimisation:\nGroupBy SeriesGroupBy\.mean by=\[k\]\n {2}Filter/);
    // The read applies the filter row by row, exactly: the Filter node goes, and x is decoded only for it.
    expect(after(q)).toMatch(/^GroupBy SeriesGroupBy\.mean by=\[k\]\n {2}ReadParquet /);
    expect(after(q)).not.toContain('Filter');
    expect(after(q)).toContain("columns=[y, k] filters=[['x', '>', 12]]");
    expectSeries(await q.compute(opts), gx.filter_x_gt_12_groupby_k_y_mean);
    expectSeries(await computeUnplanned(q, opts), gx.filter_x_gt_12_groupby_k_y_mean);
  });

  it('a frame aggregation reads its keys and aggregated columns; size() reads the keys', async () => {
    const df = await dd.readParquet(pq);
    const f = df.filter(df.col('x').le(3));
    const q = f.groupby('k').agg({ y: 'sum', id: 'max' });
    expect(after(q)).toContain("columns=[id, y, k] filters=[['x', '<=', 3]]");
    const r = await q.compute(opts);
    const want = gx.filter_x_le_3_groupby_k_agg;
    expect(r.index ? Array.from({ length: r.numRows }, (_, i) => r.labelAt(i)) : null).toEqual(want.index);
    want.y.forEach((v, i) => expect(nan(r.col('y').at(i))).toBeCloseTo(v as number, 9));
    want.id.forEach((v, i) => expect(nan(r.col('id').at(i))).toBe(v));
    const size = df.filter(df.col('x').gt(12)).groupby('k').size();
    expect(after(size)).toContain("columns=[k] filters=[['x', '>', 12]]");
    expectSeries(await size.compute(opts), gx.filter_x_gt_12_groupby_k_size);
  });

  it('series and frame reductions see through to the read', async () => {
    const df = await dd.readParquet(pq);
    const f = df.filter(df.col('x').gt(12));
    const sum = f.col('y').sum();
    expect(after(sum)).toMatch(/^Series\.sum\n/);
    expect(after(sum)).toContain("columns=[y] filters=[['x', '>', 12]]");
    expect(await sum.compute(opts)).toBeCloseTo(gx.filter_x_gt_12_y_sum, 9);
    expect(await computeUnplanned(sum, opts)).toBeCloseTo(gx.filter_x_gt_12_y_sum, 9);
    expect(await f.col('y').mean().compute(opts)).toBeCloseTo(gx.filter_x_gt_12_y_mean, 9);
    const max = df.filter(df.col('x').ge(20)).select(['id', 'y']).max();
    expect(after(max)).toContain("columns=[id, y] filters=[['x', '>=', 20]]");
    expectSeries(await max.compute(opts), gx.filter_x_ge_20_id_y_max);
  });

  it('assign: the filter goes under it into the read, columns it does not need are dropped', async () => {
    const df = await dd.readParquet(pq);
    const z = df.assign({ z: df.col('y').mul(2) });
    const q = z.filter(z.col('x').gt(12)).groupby('k').col('z').sum();
    expect(after(q)).toContain('Assign [z]');
    expect(after(q)).toContain("columns=[y, k] filters=[['x', '>', 12]]");
    expectSeries(await q.compute(opts), gx.assign_z_filter_x_gt_12_groupby_k_z_sum);
    expectSeries(await computeUnplanned(q, opts), gx.assign_z_filter_x_gt_12_groupby_k_z_sum);
  });

  it('no filter goes into a read whose rows are paired with another source (assign of its series)', async () => {
    const a = await dd.readParquet(pq);
    const b = await dd.readParquet(pq);
    const q = a.assign({ z: b.col('y') });
    const s = q.filter(q.col('x').ge(24)).col('z').sum();
    expect(after(s)).not.toContain('filters=');
    const want = fx.data.y.reduce<number>((t, v, i) => (fx.data.x[i] >= 24 && v !== null ? t + v : t), 0);
    expect(await s.compute(opts)).toBeCloseTo(want, 9);
  });

  it('series arithmetic between columns', async () => {
    const df = await dd.readParquet(pq);
    const f = df.filter(df.col('x').gt(12));
    const q = f.col('y').mul(2).add(f.col('x')).sum();
    expect(after(q)).toContain('Series.add');
    expect(after(q)).toContain("columns=[x, y] filters=[['x', '>', 12]]");
    expect(await q.compute(opts)).toBeCloseTo(gx.filter_x_gt_12_y_mul_2_add_x_sum, 9);
    const m = f.filter(f.col('y').gt(f.col('x').div(20))).col('id').count();
    expect(after(m)).toContain("columns=[id, x, y] filters=[['x', '>', 12]]");
    expect(await m.compute(opts)).toBe(gx.filter_x_gt_12_y_gt_x_sum);
  });

  it('in-memory sources carry only the columns used', async () => {
    for (const n of [1, 3, 7]) {
      const df = inMemory(n);
      const q = df.filter(df.col('x').gt(12)).groupby('k').col('y').mean();
      expect(before(q)).toContain('FromMemory columns=[id, x, y, k]');
      expect(after(q)).toContain('FromMemory columns=[x, y, k]');
      expectSeries(await q.compute(opts), gx.filter_x_gt_12_groupby_k_y_mean);
      expectSeries(await computeUnplanned(q, opts), gx.filter_x_gt_12_groupby_k_y_mean);
    }
    const idx = dd.fromColumns({ id: Int32Array.from([3, 1, 2]), y: [0.5, 1.5, 2.5], s: ['a', 'b', 'c'] }, { npartitions: 2, index: 'id' });
    const ys = idx.col('y');
    expect(after(ys)).toContain('FromMemory columns=[y]');
    const r = await ys.compute(opts);
    expect(r.indexArray()).toEqual([1, 2, 3]);
    expect(Array.from(r.toArray() as ArrayLike<number>)).toEqual([1.5, 2.5, 0.5]);
  });
});
