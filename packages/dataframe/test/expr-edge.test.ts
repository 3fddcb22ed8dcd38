/**
 * The planner over odd partitionings: a partition per row group (some wholly pruned, so empty),
 * an index read from Parquet with divisions, partitions of one row, persist of a planned frame.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeThreadPools } from '@pdask/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as dd from '../src/index';
import { SCHEDULERS } from './helpers';
import { after, computeUnplanned, frameColumns, fx, inMemory, seriesCells, writeParquetFiles } from './expr-helpers';

let dir: string;
let pq: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pdask-expr-edge-'));
  pq = writeParquetFiles(dir);
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await closeThreadPools();
});

const rowsWhere = (keep: (i: number) => boolean): number[] => fx.data.id.map((_, i) => i).filter(keep);

describe.each(SCHEDULERS)('query planning, odd partitionings (%s)', (_sched, opts) => {
  it('a partition per row group: pruned groups give empty partitions, the rows are those pandas keeps', async () => {
    const df = await dd.readParquet(pq, { splitRowGroups: true });
    expect(df.npartitions).toBe(8);
    const f = df.filter(df.col('x').gt(9));
    const q = f.filter(f.col('x').lt(14));
    // Two filters over one read: both pushed into it.
    expect(after(q)).toContain("filters=[['x', '>', 9], ['x', '<', 14]]");
    const want = rowsWhere((i) => fx.data.x[i] > 9 && fx.data.x[i] < 14);
    const r = frameColumns(await q.compute(opts));
    expect(r.id).toEqual(want.map((i) => fx.data.id[i]));
    expect(r.y).toEqual(want.map((i) => fx.data.y[i]));
    expect(frameColumns(await computeUnplanned(q, opts))).toEqual(r);
  });

  it('an index read from Parquet keeps its divisions and labels through pushdowns', async () => {
    const df = await dd.readParquet(pq, { index: 'id' });
    expect(df.divisions).toEqual([0, 100, 199]);
    const q = df.filter(df.col('x').le(13)).select(['k']);
    expect(after(q)).toContain("columns=[k] filters=[['x', '<=', 13]]");
    const r = await q.compute(opts);
    const want = rowsWhere((i) => fx.data.x[i] <= 13);
    expect(seriesCells(r.col('k'))).toEqual(want.map((i) => fx.data.k[i]));
    const index = r.index!;
    expect(index.length).toBe(want.length);
    expect(Array.from({ length: index.length }, (_, i) => index.at(i))).toEqual(want.map((i) => fx.data.id[i]));
  });

  it('partitions of one row: fusion, broadcast merge and head give pandas results', async () => {
    const df = inMemory(fx.data.id.length);
    const q = df.filter(df.col('y').gt(0.5)).select(['id', 'x']);
    expect(after(q).split('\n')[0]).toBe('Fused (one task per partition)');
    expect(frameColumns(await q.compute(opts))).toEqual(fx.filter_y_gt_half_id_x);
    const right = dd.fromColumns({ k: fx.right.k, bonus: Int32Array.from(fx.right.bonus) }, { npartitions: 4 });
    const m = df.merge(right, { on: 'k' });
    expect(after(m)).toContain('strategy=broadcast-right');
    const c = frameColumns(await m.compute(opts));
    const order = c.id.map((v, i) => [v as number, i]).sort((a, b) => a[0] - b[0]).map(([, i]) => i);
    expect(order.map((i) => c.bonus[i])).toEqual((fx.merge_k_inner as { bonus: number[] }).bonus);
    const h = await df.select(['k', 'y']).head(1, opts);
    expect(frameColumns(h)).toEqual({ k: [fx.data.k[0]], y: [fx.data.y[0]] });
  });

  it('persist of a planned frame holds the planned result', async () => {
    const df = await dd.readParquet(pq);
    const q = df.filter(df.col('x').ge(20)).col('y');
    const p = await q.persist(opts);
    const want = rowsWhere((i) => fx.data.x[i] >= 20).map((i) => fx.data.y[i]);
    expect(seriesCells(await p.compute(opts))).toEqual(want);
    expect(p.explain()).toMatch(/^Before optimisation:\nOpaque /);
  });
});
