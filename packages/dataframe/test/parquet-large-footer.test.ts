/**
 * Local footers are read with a 64 KiB first fetch (io/parquet/local-file.ts' LOCAL_FOOTER_FETCH)
 * and a second positioned read when the footer is larger: a file of 2,000 row groups (a footer of
 * several hundred KiB) is read whole and filtered, both when the graph is made and in each task.
 * File by polars; expected values from the formulas that made it.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeThreadPools } from '@pdask/core';
import pl from 'nodejs-polars';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as dd from '../src/index';
import { LOCAL_FOOTER_FETCH } from '../src/io/parquet/local-file';
import { SCHEDULERS } from './helpers';

let dir: string;
let file: string;
const N = 20_000;
const v = (i: number): number => (i * 37) % 101;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pdask-pq-footer-'));
  file = join(dir, 'many-groups.parquet');
  const ids = Array.from({ length: N }, (_, i) => i);
  const frame = pl.DataFrame({ i: pl.Series('i', ids, pl.Int32), v: pl.Series('v', ids.map(v), pl.Float64), s: pl.Series('s', ids.map((i) => `s${i % 3}`), pl.Utf8) });
  await frame.lazy().sinkParquet(file, { compression: 'snappy', rowGroupSize: 10 }).collect();
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await closeThreadPools();
});

describe.each(SCHEDULERS)('a footer larger than the first fetch (%s)', (_sched, opts) => {
  it('is larger than the first fetch', () => {
    const bytes = readFileSync(file);
    const footer = bytes.readUInt32LE(bytes.length - 8);
    expect(footer + 8).toBeGreaterThan(LOCAL_FOOTER_FETCH);
  });

  it('reads every row', async () => {
    const r = await (await dd.readParquet(file)).compute(opts);
    expect(r.length).toBe(N);
    const col = r.col('v');
    let sum = 0;
    for (let k = 0; k < r.length; k++) sum += col.at(k) as number;
    let want = 0;
    for (let i = 0; i < N; i++) want += v(i);
    expect(sum).toBe(want);
  });

  it('filters and groups', async () => {
    const df = await dd.readParquet(file, { filters: [['v', '>', 50]] });
    const r = await df.groupby('s').col('i').count().compute(opts);
    const want = new Map<string, number>();
    for (let i = 0; i < N; i++) if (v(i) > 50) want.set(`s${i % 3}`, (want.get(`s${i % 3}`) ?? 0) + 1);
    const got = new Map(Array.from({ length: r.length }, (_, k) => [r.index?.at(k) as string, r.at(k) as number]));
    expect(got).toEqual(want);
  });
});
