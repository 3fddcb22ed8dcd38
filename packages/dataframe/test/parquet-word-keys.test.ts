/**
 * Dictionary-encoded string keys of equal length (2 and 8 bytes, as workload (a)'s), read under a
 * filter and grouped: the kept rows' indices are decoded with the mask applied (hybrid-kept.ts)
 * and their strings and dictionary codes written by fast-page.ts' copyWords. With keys of one
 * length the string buffer is used whole, so the group-by takes the read's codes (dictionary-
 * codes.ts) rather than hashing the strings again: wrong codes show as wrong groups here. Files by
 * polars (snappy); expected rows and means come from the formulas that made them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeThreadPools } from '@pdask/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as dd from '../src/index';
import { SCHEDULERS } from './helpers';
import { keyMeans, writeKeyFile, type KeyOf } from './polars-key-file';

const N = 300_000;
const x = (i: number): number => ((i * 2654435761) % 1000) / 1000;
const y = (i: number): number => (i % 89) - 40;
const SHORT = Array.from({ length: 9 }, (_, j) => `k${j}`);
const EIGHT = Array.from({ length: 12 }, (_, j) => `key-${String(j * 7).padStart(4, '0')}`);
const files: { name: string; key: KeyOf; count: number }[] = [
  { name: 'two-byte', key: (i) => SHORT[(i * 7 + (i >> 5)) % SHORT.length], count: SHORT.length },
  { name: 'eight-byte', key: (i) => EIGHT[(i * 5 + (i >> 7)) % EIGHT.length], count: EIGHT.length },
];
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pdask-pq-words-'));
  for (const f of files) await writeKeyFile(join(dir, `${f.name}.parquet`), N, f.key, x, y, 100_000);
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await closeThreadPools();
});

describe.each(SCHEDULERS)('equal-length dictionary keys under a filter (%s)', (_sched, opts) => {
  const kept = Array.from({ length: N }, (_, i) => i).filter((i) => x(i) > 0.5);

  it.each(files)('groups the kept rows by the $name key', async (f) => {
    const df = await dd.readParquet(join(dir, `${f.name}.parquet`));
    const r = await df.filter(df.col('x').gt(0.5)).groupby('key').col('y').mean().compute(opts);
    const want = keyMeans(kept, f.key, y);
    const got = new Map(Array.from({ length: r.length }, (_, i) => [r.index?.at(i) as string, r.at(i) as number]));
    expect(got.size).toBe(f.count);
    for (const [k, m] of want) expect(got.get(k)).toBeCloseTo(m, 12);
  });

  it.each(files)('keeps the $name strings of the kept rows, and of all rows unfiltered', async (f) => {
    const file = join(dir, `${f.name}.parquet`);
    const r = await (await dd.readParquet(file, { filters: [['x', '>', 0.5]] })).compute(opts);
    const k = r.col('key');
    expect(Array.from({ length: r.length }, (_, i) => k.at(i))).toEqual(kept.map(f.key));
    const all = await (await dd.readParquet(file, { columns: ['key'] })).compute(opts);
    const ka = all.col('key');
    expect(all.length).toBe(N);
    for (const i of [0, 1, 99_999, 100_000, 123_457, N - 1]) expect(ka.at(i)).toBe(f.key(i));
  });
});
