/**
 * Filtered reads of a dictionary-encoded string column whose first row group has nulls and whose
 * later ones have none: fast-page.ts packs the kept rows' dictionary indices of a page with no
 * nulls before copying their strings, so this file has both kinds of page in one column, with the
 * validity bitmap already started when the packed pages come. Files by polars (snappy, row groups
 * of 40,000 rows); expected rows and group means come from the formulas that made them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeThreadPools } from '@pdask/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as dd from '../src/index';
import { SCHEDULERS } from './helpers';
import { keyMeans, writeKeyFile } from './polars-key-file';

let dir: string;
let file: string;
const N = 130_000;
const NULLS_BEFORE = 40_000;
const KEYS = ['k0', 'key-1', 'a-longer-key-2', '', 'ünï'];
const key = (i: number): string | null => (i < NULLS_BEFORE && i % 11 === 3 ? null : KEYS[(i * 3 + (i >> 6)) % KEYS.length]);
const x = (i: number): number => ((i * 2654435761) % 997) / 997;
const y = (i: number): number => (i % 89) - 40;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pdask-pq-packed-'));
  file = join(dir, 'keys.parquet');
  await writeKeyFile(file, N, key, x, y, 40_000);
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await closeThreadPools();
});

describe.each(SCHEDULERS)('filtered reads of dictionary strings, nulls in the first row group only (%s)', (_sched, opts) => {
  const kept = Array.from({ length: N }, (_, i) => i).filter((i) => x(i) > 0.5);

  it('keeps the rows the filter keeps, nulls where they were', async () => {
    const df = await dd.readParquet(file, { filters: [['x', '>', 0.5]], splitRowGroups: false });
    const r = await df.compute(opts);
    expect(r.length).toBe(kept.length);
    const k = r.col('key');
    const v = r.col('y');
    expect(Array.from({ length: r.length }, (_, i) => k.at(i))).toEqual(kept.map(key));
    expect(Array.from({ length: r.length }, (_, i) => v.at(i))).toEqual(kept.map(y));
  });

  it('groups the kept rows by the key, leaving the nulls out', async () => {
    const df = await dd.readParquet(file);
    const r = await df.filter(df.col('x').gt(0.5)).groupby('key').col('y').mean().compute(opts);
    const want = keyMeans(kept, key, y);
    const got = new Map(Array.from({ length: r.length }, (_, i) => [r.index?.at(i) as string, r.at(i) as number]));
    expect(got.size).toBe(KEYS.length);
    for (const [k, m] of want) expect(got.get(k)).toBeCloseTo(m, 12);
  });
});

// The packing itself (io/parquet/pack-kept.ts), against the kept values listed from the mask.
describe('packKept', () => {
  it('moves the kept values to the front in order and returns their end', async () => {
    const { packKept } = await import('../src/io/parquet/pack-kept');
    const n = 1000;
    const mask = Uint8Array.from({ length: n + 7 }, (_, i) => +((i * 2654435761) % 997 > 498));
    const values = Int32Array.from({ length: n + 5 }, (_, i) => i * 3 + 1);
    const from = 5;
    const maskAt = 7;
    const want = Array.from({ length: n }, (_, k) => k).filter((k) => mask[maskAt + k] === 1).map((k) => (from + k) * 3 + 1);
    expect(want.length).toBeGreaterThan(n / 3);
    expect(want.length).toBeLessThan((2 * n) / 3);
    const end = packKept(values, from, n, mask, maskAt);
    expect(end).toBe(from + want.length);
    expect(Array.from(values.subarray(from, end))).toEqual(want);
    expect(Array.from(values.subarray(0, from))).toEqual([1, 4, 7, 10, 13]);
  });

  it('keeps nothing and everything', async () => {
    const { packKept } = await import('../src/io/parquet/pack-kept');
    expect(packKept(Int32Array.from([9, 8, 7, 6]), 0, 4, new Uint8Array(4), 0)).toBe(0);
    const v = Int32Array.from([9, 8, 7, 6]);
    expect(packKept(v, 1, 3, Uint8Array.from([1, 1, 1]), 0)).toBe(4);
    expect(Array.from(v)).toEqual([9, 8, 7, 6]);
  });
});
