/**
 * Bytes read from Parquet by a filter + group-by aggregation, counted as in
 * expr-parquet-bytes.test.ts (hyparquet's file reader wrapped; footer reads not counted; sync
 * scheduler, where data is read in this thread): the planned chain reads only the key, the
 * filtered and the aggregated columns of the row groups the filter can match.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as dd from '../src/index';
import { bytesOf as countBytes } from './parquet-counting';
import { headOf } from '../src/frame';
import { after, computeUnplanned, writeParquetFiles } from './expr-helpers';

const counter = vi.hoisted(() => ({ bytes: 0, opens: 0 }));
vi.mock('hyparquet', async (importOriginal) => (await import('./parquet-counting')).countingHyparquet(await importOriginal(), counter));
vi.mock('../src/io/parquet/local-file', async (importOriginal) => (await import('./parquet-counting')).countingLocalFile(await importOriginal(), counter));

const gx = JSON.parse(readFileSync(new URL('./fixtures/expr_groupby.json', import.meta.url), 'utf8')) as Record<string, { index: string[]; values: number[] }>;

let dir: string;
let pq: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pdask-expr-groupby-bytes-'));
  pq = writeParquetFiles(dir);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const opts = { scheduler: 'sync' } as const;

const bytesOf = (run: () => Promise<unknown>): Promise<number> => countBytes(counter, run);

describe('bytes read by a filter + group-by (sync)', () => {
  it('projection and predicate pushdown through the aggregation cut the bytes, same result', async () => {
    const df = await dd.readParquet(pq);
    const q = df.filter(df.col('x').gt(12)).groupby('k').col('y').mean();
    const all = await bytesOf(() => computeUnplanned(q, opts));
    const planned = await bytesOf(() => q.compute(opts));
    expect(planned).toBeGreaterThan(0);
    // x > 12 matches 3.5 of the 8 row groups of 25 rows, and 3 of the 4 columns are read.
    expect(planned).toBeLessThan(all * 0.5);
    // The columns alone (every row group): the filter's pruning is on top of this.
    const projected = await bytesOf(() => df.select(['x', 'y', 'k']).groupby('k').col('y').mean().compute(opts));
    expect(planned).toBeLessThan(projected * 0.75);
    const r = await q.compute(opts);
    expect(r.indexArray()).toEqual(gx.filter_x_gt_12_groupby_k_y_mean.index);
    gx.filter_x_gt_12_groupby_k_y_mean.values.forEach((v, i) => expect(r.at(i) as number).toBeCloseTo(v, 9));
  });

  it('a reduction of a filtered column reads that column and the filter column only', async () => {
    const df = await dd.readParquet(pq);
    const q = df.filter(df.col('x').gt(12)).col('y').sum();
    const all = await bytesOf(() => computeUnplanned(q, opts));
    const planned = await bytesOf(() => q.compute(opts));
    expect(planned).toBeLessThan(all * 0.5);
    expect(await q.compute(opts)).toBeCloseTo(gx.filter_x_gt_12_y_sum as unknown as number, 9);
  });
});

/** The collection the planner lowers `c` to (what compute runs). */
const planned = (c: object): Promise<{ npartitions?: number }> => (c as { planned(): Promise<{ npartitions?: number }> }).planned();

describe('pushed filters go to readParquet (sync)', () => {
  it('files and row groups the filter excludes are not read, and no footer is read again', async () => {
    const df = await dd.readParquet(pq);
    // x >= 24: only the last row group of the second file can hold such rows.
    const q = df.filter(df.col('x').ge(24)).groupby('k').col('id').count();
    counter.opens = 0;
    const lowered = await planned(q);
    expect(counter.opens).toBe(0);
    expect(lowered).not.toBe(q);
    const src = await planned(df.filter(df.col('x').ge(24)));
    expect(src.npartitions).toBe(1);
    expect(df.npartitions).toBe(2);
    const r = await q.compute(opts);
    // Rows 192-199 (x = 24), counted by key from the data itself.
    const { fx } = await import('./expr-helpers');
    const want = new Map<string, number>();
    fx.data.k.forEach((k, i) => fx.data.x[i] >= 24 && want.set(k, (want.get(k) ?? 0) + 1));
    expect(r.indexArray()).toEqual([...want.keys()].sort());
    expect(Array.from(r.toArray() as ArrayLike<number>)).toEqual([...want.keys()].sort().map((k) => want.get(k)));
  });

  it('no filter goes into a read under head(): the first partitions stay those of the frame as built', async () => {
    const df = await dd.readParquet(pq);
    const q = headOf(df.filter(df.col('x').ge(20)), 3, undefined, 'head');
    expect(after(q)).not.toContain('filters=');
    const r = await q.compute(opts);
    // The first partition (the first file, x < 13) has no such row: head() of it is empty, as built.
    expect(r.numRows).toBe(0);
    expect((await computeUnplanned(q, opts)).numRows).toBe(0);
  });
});
