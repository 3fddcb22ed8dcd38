/**
 * The planner's pushdowns cut the bytes read from Parquet files: hyparquet's file reader is
 * wrapped to count the bytes of column data sliced from each file. Reads that end at the end of
 * the file (the footer, which hyparquet fetches with up to 512 KiB before it, and so with all the
 * data of a small file) are not counted: they cost the same whatever is selected. Data is read in this thread only on the sync
 * scheduler (on threads the workers load their own hyparquet), so the counts are taken there.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as dd from '../src/index';
import { bytesOf as countBytes } from './parquet-counting';
import { computeUnplanned, frameColumns, fx, writeParquetFiles } from './expr-helpers';

const counter = vi.hoisted(() => ({ bytes: 0, opens: 0 }));
vi.mock('hyparquet', async (importOriginal) => (await import('./parquet-counting')).countingHyparquet(await importOriginal(), counter));
vi.mock('../src/io/parquet/local-file', async (importOriginal) => (await import('./parquet-counting')).countingLocalFile(await importOriginal(), counter));

let dir: string;
let pq: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pdask-expr-bytes-'));
  pq = writeParquetFiles(dir);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const opts = { scheduler: 'sync' } as const;

const bytesOf = (run: () => Promise<unknown>): Promise<number> => countBytes(counter, run);

describe('bytes read from Parquet (sync)', () => {
  it('projection pushdown reads fewer bytes, with the same result', async () => {
    const df = await dd.readParquet(pq);
    const q = df.select(['x']);
    const all = await bytesOf(() => computeUnplanned(q, opts));
    const projected = await bytesOf(() => q.compute(opts));
    expect(projected).toBeGreaterThan(0);
    expect(projected).toBeLessThan(all * 0.6);
    expect(frameColumns(await q.compute(opts))).toEqual({ x: fx.data.x });
  });

  it('filters skip row groups whose statistics exclude every row', async () => {
    const df = await dd.readParquet(pq);
    // x >= 24: only the last row group of the second file (rows 192-199) can hold such rows.
    const q = df.filter(df.col('x').ge(24));
    expect(q.explain()).toContain("filters=[['x', '>=', 24]]");
    const all = await bytesOf(() => computeUnplanned(q, opts));
    const filtered = await bytesOf(() => q.compute(opts));
    expect(filtered).toBeLessThan(all * 0.6);
    const want = fx.data.id.map((_, i) => i).filter((i) => fx.data.x[i] >= 24);
    const r = frameColumns(await q.compute(opts));
    expect(r.id).toEqual(want.map((i) => fx.data.id[i]));
    expect(r.y).toEqual(want.map((i) => fx.data.y[i]));
  });

  it('projection and filters together cut the most', async () => {
    const df = await dd.readParquet(pq);
    const q = df.filter(df.col('x').ge(24)).select(['id']);
    const all = await bytesOf(() => computeUnplanned(q, opts));
    const planned = await bytesOf(() => q.compute(opts));
    const onlyProjected = await bytesOf(() => computeUnplanned((df.select(['id', 'x']) as dd.DataFrame), opts));
    expect(planned).toBeLessThan(onlyProjected);
    expect(planned).toBeLessThan(all * 0.5);
    expect(frameColumns(await q.compute(opts))).toEqual({ id: [192, 193, 194, 195, 196, 197, 198, 199] });
  });
});
