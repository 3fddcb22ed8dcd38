/**
 * The query planner's rules: for each, a plan whose explain() shows the rewrite, and whose result
 * equals the plan computed as built and pandas' (fixtures/make_expr.py).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeThreadPools } from '@pdask/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as dd from '../src/index';
import { headOf } from '../src/frame';
import { SCHEDULERS } from './helpers';
import { after, before, computeUnplanned, frameColumns, fx, inMemory, seriesCells, writeCsvFile, writeParquetFiles } from './expr-helpers';

let dir: string;
let pq: string;
let csv: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pdask-expr-'));
  pq = writeParquetFiles(dir);
  csv = writeCsvFile(dir);
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await closeThreadPools();
});

describe.each(SCHEDULERS)('query planning (%s)', (_sched, opts) => {
  it('projection pushdown: a Parquet read reads only the columns selected', async () => {
    const df = await dd.readParquet(pq);
    const q = df.select(['y', 'k']);
    expect(before(q)).toContain('columns=[id, x, y, k]');
    expect(after(q)).toMatch(/^ReadParquet \S+ columns=\[y, k\]$/);
    const r = await q.compute(opts);
    expect(frameColumns(r)).toEqual(fx.select_y_k);
    expect(frameColumns(await computeUnplanned(q, opts))).toEqual(fx.select_y_k);
  });

  it('projection pushdown into readCsv (usecols) and through a filter', async () => {
    const df = await dd.readCsv(csv);
    const q = df.filter(df.col('x').gt(12)).select(['id', 'y']);
    expect(after(q)).toContain('ReadCsv');
    expect(after(q)).toContain('columns=[id, x, y]');
    expect(frameColumns(await q.compute(opts))).toEqual(fx.filter_x_gt_12_id_y);
    expect(frameColumns(await computeUnplanned(q, opts))).toEqual(fx.filter_x_gt_12_id_y);
  });

  it('predicate pushdown: a comparison with a number becomes a Parquet filter', async () => {
    const df = await dd.readParquet(pq);
    const q = df.filter(df.col('x').gt(12)).select(['id', 'y']);
    expect(after(q)).toContain("filters=[['x', '>', 12]]");
    // x is decoded for the read's row test only; no Filter node is left above the read.
    expect(after(q)).toContain('columns=[id, y] filters=');
    expect(after(q)).not.toContain('Filter');
    expect(frameColumns(await q.compute(opts))).toEqual(fx.filter_x_gt_12_id_y);
    expect(frameColumns(await computeUnplanned(q, opts))).toEqual(fx.filter_x_gt_12_id_y);

    const s = df.filter(df.col('x').le(3)).col('y');
    expect(after(s)).toContain("filters=[['x', '<=', 3]]");
    expect(seriesCells(await s.compute(opts))).toEqual(fx.filter_x_le_3_y);

    // Every row group of the second file is pruned but one: its partition is one row group; the first file's reads none.
    const e = df.filter(df.col('x').eq(20));
    expect(after(e)).toContain("filters=[['x', '==', 20]]");
    expect(frameColumns(await e.compute(opts))).toEqual(fx.filter_x_eq_20);

    const g = df.filter(df.col('x').ge(24)).col('k');
    expect(seriesCells(await g.compute(opts))).toEqual(fx.filter_x_ge_24_k);
  });

  it('a pushed filter replaces the Filter node: missing values fail both, as in pandas', async () => {
    // x holds nulls (NaN in memory, written as Parquet nulls): pandas' x > 2 and x <= 7 are False there.
    const x = [1, NaN, 5, 3, NaN, 7, 9, 2];
    const sub = join(dir, 'nulls');
    await dd.fromColumns({ i: Int32Array.from(x.map((_, i) => i)), x }, { npartitions: 2 }).toParquet(sub);
    const df = await dd.readParquet(join(sub, '*.parquet'));
    for (const [q, keep] of [
      [df.filter(df.col('x').gt(2)), (v: number) => v > 2],
      [df.filter(df.col('x').le(7)), (v: number) => v <= 7],
      [df.filter(df.col('x').eq(5)), (v: number) => v === 5],
    ] as const) {
      expect(after(q)).not.toContain('Filter');
      const want = x.map((v, i) => [v, i] as const).filter(([v]) => keep(v)).map(([, i]) => i);
      expect(seriesCells((await q.compute(opts)).col('i'))).toEqual(want);
      expect(seriesCells((await computeUnplanned(q, opts)).col('i'))).toEqual(want);
    }
  });

  it('predicate pushdown leaves a read that is also used unfiltered alone', async () => {
    const df = await dd.readParquet(pq);
    const m = df.col('x').gt(12);
    // The mask is computed from the same read, so that read is shared; an unrelated use of it outside the filter blocks pushdown.
    const q = df.filter(m).merge(df.select(['id', 'k']), { on: 'id' });
    expect(after(q)).not.toContain('filters=');
    const r = await q.compute(opts);
    expect(r.numRows).toBe((fx.filter_x_gt_12_id_y as { id: number[] }).id.length);
  });

  it('head pushdown: only the first partitions of the source are read', async () => {
    const df = await dd.readParquet(pq);
    expect(df.npartitions).toBe(2);
    const rows = headOf(df.select(['k', 'y']), 7, 1, 'head');
    expect(after(rows)).toBe('Project [k, y]\n  Head n=7 partitions=1\n    ReadParquet ' + pq + ' columns=[y, k] partitions=:1');
    expect(frameColumns(await rows.compute(opts))).toEqual(fx.head_7_k_y);
    expect(frameColumns(await df.select(['k', 'y']).head(7, opts))).toEqual(fx.head_7_k_y);

    const f = headOf(df.filter(df.col('x').lt(5)).select(['id']), 3, 1, 'head');
    expect(after(f)).toContain('partitions=:1');
    expect(frameColumns(await f.compute(opts))).toEqual(fx.head_3_filter_x_lt_5_id);
    expect(frameColumns(await computeUnplanned(f, opts))).toEqual(fx.head_3_filter_x_lt_5_id);
  });

  it.each([1, 3, 7])('blockwise fusion: filter by a mask of the same frame and a projection run as one task per partition (%i partitions)', async (n) => {
    const df = inMemory(n);
    const q = df.filter(df.col('y').gt(0.5)).select(['id', 'x']);
    expect(after(q).split('\n')[0]).toBe('Fused (one task per partition)');
    const built = await q.visualize({ format: 'dot', optimized: false });
    const planned = await q.visualize({ format: 'dot' });
    const tasks = (dot: string): number => (dot.match(/^\s*"?[^\s"]+"? \[/gm) ?? []).length;
    expect(tasks(planned)).toBeLessThan(tasks(built));
    expect(frameColumns(await q.compute(opts))).toEqual(fx.filter_y_gt_half_id_x);
    expect(frameColumns(await computeUnplanned(q, opts))).toEqual(fx.filter_y_gt_half_id_x);
  });

  it('no-op projections and repartitions are removed', async () => {
    const df = inMemory(3);
    const q = df.select(df.columns).repartition({ npartitions: 2 }).repartition({ npartitions: 3 });
    expect(before(q)).toContain('Repartition npartitions=2');
    expect(after(q)).toMatch(/^FromMemory columns=\[id, x, y, k\]$/);
    expect(frameColumns(await q.compute(opts))).toEqual(fx.data);
    expect(frameColumns(await computeUnplanned(q, opts))).toEqual(fx.data);
  });

  it('merge strategy: a side of few known bytes is broadcast; the result equals the hash join', async () => {
    const left = inMemory(4);
    const right = dd.fromColumns({ k: fx.right.k, bonus: Int32Array.from(fx.right.bonus) }, { npartitions: 2 });
    const m = left.merge(right, { on: 'k' });
    expect(after(m)).toContain('Merge how=inner strategy=broadcast-right');
    const byId = (r: dd.LocalFrame): Record<string, unknown[]> => {
      const c = frameColumns(r);
      const order = c.id.map((v, i) => [v as number, i]).sort((a, b) => a[0] - b[0]).map(([, i]) => i);
      return Object.fromEntries(['id', 'k', 'bonus'].map((n) => [n, order.map((i) => c[n][i])]));
    };
    expect(byId(await m.compute(opts))).toEqual(fx.merge_k_inner);
    expect(byId(await computeUnplanned(m, opts))).toEqual(fx.merge_k_inner);
    const l = left.merge(right, { on: 'k', how: 'left' });
    expect(after(l)).toContain('strategy=broadcast-right');
    const r = await l.compute(opts);
    expect(r.numRows).toBe(fx.merge_k_left_len);
    expect(seriesCells(r.col('bonus')).reduce((a: number, v) => a + (v === null ? 0 : (v as number)), 0)).toBe(fx.merge_k_left_sum_bonus);
    // An explicit npartitions asks for a shuffle join: kept.
    expect(after(left.merge(right, { on: 'k', npartitions: 3 }))).toContain('strategy=hash');
  });

  it('projection pushdown through a merge: each side reads its keys, the columns used and the shared ones', async () => {
    const df = await dd.readParquet(pq);
    const right = dd.fromColumns({ k: fx.right.k, bonus: Int32Array.from(fx.right.bonus) }, { npartitions: 1 });
    const q = df.merge(right, { on: 'k' }).select(['id', 'bonus']);
    expect(after(q)).toContain('columns=[id, k]');
    const sorted = (r: dd.LocalFrame): Record<string, unknown[]> => {
      const c = frameColumns(r);
      const order = c.id.map((v, i) => [v as number, i]).sort((a, b) => a[0] - b[0]).map(([, i]) => i);
      return Object.fromEntries(['id', 'bonus'].map((n) => [n, order.map((i) => c[n][i])]));
    };
    const want = fx.merge_k_inner as Record<string, unknown[]>;
    expect(sorted(await q.compute(opts))).toEqual({ id: want.id, bonus: want.bonus });
    expect(sorted(await computeUnplanned(q, opts))).toEqual({ id: want.id, bonus: want.bonus });
    // A column on both sides keeps both (the suffixes stay those of the frame as built).
    const both = df.merge(df.select(['id', 'y']), { on: 'id' }).select(['y_x']);
    expect(after(both)).toContain('columns=[id, y]');
  });

  it('visualize({ optimized }) is checked by name; unknown options are refused', async () => {
    const df = inMemory(2);
    await expect(df.select(['id']).visualize({ optimized: 'no' } as unknown as dd.FrameVisualizeOptions)).rejects.toThrow(/optimized/);
    await expect(df.select(['id']).visualize({ optimised: false } as unknown as dd.FrameVisualizeOptions)).rejects.toThrow(/optimised/);
  });
});
