/**
 * compute(a, b, …) optimises the plans of its frames, series and scalars together: a Parquet
 * source they share is read once (each file opened once per partition), with every column any of
 * them uses and no other. Bytes and file opens are counted as in expr-parquet-bytes.test.ts.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeThreadPools, compute } from '@pdask/core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as dd from '../src/index';
import { SCHEDULERS } from './helpers';
import { computeUnplanned, frameColumns, fx, inMemory, writeParquetFiles } from './expr-helpers';

const counter = vi.hoisted(() => ({ bytes: 0, opens: 0 }));
vi.mock('hyparquet', async (importOriginal) => (await import('./parquet-counting')).countingHyparquet(await importOriginal(), counter));
vi.mock('../src/io/parquet/local-file', async (importOriginal) => (await import('./parquet-counting')).countingLocalFile(await importOriginal(), counter));

const gx = JSON.parse(readFileSync(new URL('./fixtures/expr_groupby.json', import.meta.url), 'utf8')) as Record<string, { index: string[]; values: number[] }>;

let dir: string;
let pq: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pdask-expr-many-'));
  pq = writeParquetFiles(dir);
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await closeThreadPools();
});

const sync = { scheduler: 'sync' } as const;
const sumX = fx.data.x.reduce((a, b) => a + b, 0);

async function counted(run: () => Promise<unknown>): Promise<{ bytes: number; opens: number }> {
  counter.bytes = 0;
  counter.opens = 0;
  await run();
  return { bytes: counter.bytes, opens: counter.opens };
}

describe('compute of several collections (sync, counted)', () => {
  it('a shared source is read once, with the union of the columns used', async () => {
    const df = await dd.readParquet(pq);
    const a = df.col('x').sum();
    const b = df.groupby('k').col('y').mean();
    const apart = await counted(async () => [await a.compute(sync), await b.compute(sync)]);
    const unplanned = await counted(() => Promise.all([computeUnplanned(a, sync), computeUnplanned(b, sync)]));
    const together = await counted(() => compute(a, b, sync));
    // The partitions' files opened once (computed apart, each collection opens them).
    expect(2 * together.opens).toBe(apart.opens);
    // Columns x, y, k of the four, once: what the two read apart, less than the whole files.
    expect(together.bytes).toBe(apart.bytes);
    expect(together.bytes).toBeLessThan(unplanned.bytes * 0.6);
    const [ra, rb] = await compute(a, b, sync);
    expect(ra).toBe(sumX);
    expect(rb.indexArray()).toEqual(['k0', 'k1', 'k2', 'k3', 'k4', 'k5']);
  });

  it('a filter is not pushed into a read another collection reads unfiltered', async () => {
    const df = await dd.readParquet(pq);
    const f = df.filter(df.col('x').gt(12));
    const [s, all] = await compute(f.groupby('k').col('y').mean(), df.select(['x']), sync);
    gx.filter_x_gt_12_groupby_k_y_mean.values.forEach((v, i) => expect(s.at(i) as number).toBeCloseTo(v, 9));
    expect(frameColumns(all)).toEqual({ x: fx.data.x });
  });
});

describe.each(SCHEDULERS)('compute of several collections (%s)', (_sched, opts) => {
  it('results equal pandas, from Parquet and from memory, with plain values kept', async () => {
    for (const df of [await dd.readParquet(pq), inMemory(3), inMemory(1)]) {
      const f = df.filter(df.col('x').gt(12));
      const [m, x, n, obj] = await compute(f.groupby('k').col('y').mean(), df.col('x').sum(), 7, { y: f.col('y').sum() }, opts);
      expect(m.indexArray()).toEqual(gx.filter_x_gt_12_groupby_k_y_mean.index);
      gx.filter_x_gt_12_groupby_k_y_mean.values.forEach((v, i) => expect(m.at(i) as number).toBeCloseTo(v, 9));
      expect(x).toBe(sumX);
      expect(n).toBe(7);
      expect(obj.y).toBeCloseTo(gx.filter_x_gt_12_y_sum as unknown as number, 9);
    }
  });
});
