/**
 * A filtered read of a dictionary-encoded string column with no nulls and entries of at most 8
 * bytes (workload (a)'s `key`): its kept rows are compacted first, then copied as two words each
 * by fast-page.ts. Also entries of 9 to 40 bytes (copied byte by byte or as one block), read with
 * and without a filter. Files by polars (snappy, three row groups); expected rows and group means
 * come from the formulas that made them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeThreadPools } from '@pdask/core';
import pl from 'nodejs-polars';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as dd from '../src/index';
import { SCHEDULERS } from './helpers';

let dir: string;
let file: string;
let longFile: string;
const N = 120_000;
// Lengths 0 to 8 bytes, one of them two-byte UTF-8 characters.
const KEYS = ['', 'a', 'bb', 'ccc', 'dddd', 'üü', 'ffffff', 'ggggggg', 'hhhhhhhh'];
const key = (i: number): string => KEYS[(i * 7 + (i >> 5)) % KEYS.length];
const x = (i: number): number => ((i * 2654435761) % 1000) / 1000;
const y = (i: number): number => i % 97;
// Entries longer than 8 bytes (some past 16, one with three-byte UTF-8 characters).
const LONG = ['123456789', 'abcdefghijklmnop', 'abcdefghijklmnopq', 'a-key-of-exactly-twenty-eight', '€€€€€€€€€€€€€', 'z'.repeat(40)];
const longKey = (i: number): string => LONG[(i * 5 + (i >> 4)) % LONG.length];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pdask-pq-mstr-'));
  file = join(dir, 'keys.parquet');
  const ids = Array.from({ length: N }, (_, i) => i);
  const frame = pl.DataFrame({
    key: pl.Series('key', ids.map(key), pl.Utf8),
    x: pl.Series('x', ids.map(x), pl.Float64),
    y: pl.Series('y', ids.map(y), pl.Float64),
  });
  await frame.lazy().sinkParquet(file, { compression: 'snappy', rowGroupSize: 50_000 }).collect();
  longFile = join(dir, 'long-keys.parquet');
  const long = pl.DataFrame({ key: pl.Series('key', ids.map(longKey), pl.Utf8), x: pl.Series('x', ids.map(x), pl.Float64), y: pl.Series('y', ids.map(y), pl.Float64) });
  await long.lazy().sinkParquet(longFile, { compression: 'snappy', rowGroupSize: 50_000 }).collect();
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await closeThreadPools();
});

describe.each(SCHEDULERS)('filtered reads of short dictionary strings with no nulls (%s)', (_sched, opts) => {
  const kept = Array.from({ length: N }, (_, i) => i).filter((i) => x(i) > 0.5);

  it('keeps the rows the filter keeps, with their strings', async () => {
    const df = await dd.readParquet(file, { filters: [['x', '>', 0.5]], splitRowGroups: false });
    const r = await df.compute(opts);
    expect(r.length).toBe(kept.length);
    const k = r.col('key');
    expect(Array.from({ length: r.length }, (_, i) => k.at(i))).toEqual(kept.map(key));
  });

  it('groups the kept rows by the string key', async () => {
    const df = await dd.readParquet(file);
    const r = await df.filter(df.col('x').gt(0.5)).groupby('key').col('y').mean().compute(opts);
    const sums = new Map<string, [number, number]>();
    for (const i of kept) {
      const s = sums.get(key(i)) ?? [0, 0];
      sums.set(key(i), [s[0] + y(i), s[1] + 1]);
    }
    const got = new Map(Array.from({ length: r.length }, (_, i) => [r.index?.at(i) as string, r.at(i) as number]));
    expect(got.size).toBe(KEYS.length);
    for (const [k, [s, n]] of sums) expect(got.get(k)).toBeCloseTo(s / n, 12);
  });
});

describe.each(SCHEDULERS)('reads of longer dictionary strings with no nulls (%s)', (_sched, opts) => {
  const all = Array.from({ length: N }, (_, i) => i);
  const kept = all.filter((i) => x(i) > 0.5);
  const rows = async (df: dd.DataFrame): Promise<{ key: unknown[]; y: unknown[] }> => {
    const r = await df.compute(opts);
    const k = r.col('key');
    const v = r.col('y');
    return { key: Array.from({ length: r.length }, (_, i) => k.at(i)), y: Array.from({ length: r.length }, (_, i) => v.at(i)) };
  };

  it('keeps the rows the filter keeps, with their strings and values', async () => {
    const got = await rows(await dd.readParquet(longFile, { filters: [['x', '>', 0.5]], splitRowGroups: false }));
    expect(got.key).toEqual(kept.map(longKey));
    expect(got.y).toEqual(kept.map(y));
  });

  it('reads every row without a filter', async () => {
    const got = await rows(await dd.readParquet(longFile, { splitRowGroups: false }));
    expect(got.key).toEqual(all.map(longKey));
  });

  it('groups the kept rows by the string key', async () => {
    const df = await dd.readParquet(longFile);
    const r = await df.filter(df.col('x').gt(0.5)).groupby('key').col('y').mean().compute(opts);
    const sums = new Map<string, [number, number]>();
    for (const i of kept) {
      const s = sums.get(longKey(i)) ?? [0, 0];
      sums.set(longKey(i), [s[0] + y(i), s[1] + 1]);
    }
    const got = new Map(Array.from({ length: r.length }, (_, i) => [r.index?.at(i) as string, r.at(i) as number]));
    expect(got.size).toBe(LONG.length);
    for (const [k, [s, n]] of sums) expect(got.get(k)).toBeCloseTo(s / n, 12);
  });
});
