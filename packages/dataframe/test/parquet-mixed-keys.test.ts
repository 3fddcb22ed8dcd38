/**
 * readParquet's buffers under a filter whose column is not read (`columns` here, as workload (a)'s
 * query reads them): two files read in one compute, or one after another, give independent,
 * correct columns; and a key column of strings of several lengths, whose string buffer is
 * trimmed before its codes are remembered, still gives the group-by its dictionary codes. Files
 * by polars (snappy); expected rows and means come from the formulas that made them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeThreadPools } from '@pdask/core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as dd from '../src/index';
import { kernels } from '../src/ops/kernels';
import { SCHEDULERS } from './helpers';
import { keyMeans, writeKeyFile, type KeyOf } from './polars-key-file';

const N = 120_000;
const xs = [(i: number): number => ((i * 2654435761) % 1000) / 1000, (i: number): number => ((i * 40503) % 997) / 997];
const y = (i: number): number => (i % 89) - 40;
// Ten keys of 1 or 2 bytes and one of 16: the string buffer is reserved at the longest and used
// at about a tenth of it.
const MIXED = [...'abcdefghi'.split(''), 'jj', 'a-key-of-16bytes'];
const keys: KeyOf[] = [(i) => MIXED[(i * 7 + (i >> 5)) % MIXED.length], (i) => MIXED[(i * 3 + (i >> 4)) % MIXED.length]];
let dir: string;
const fileOf = (f: number): string => join(dir, `part-${f}.parquet`);
const keptOf = (f: number): number[] => Array.from({ length: N }, (_, i) => i).filter((i) => xs[f](i) > 0.5);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pdask-pq-reuse-'));
  for (let f = 0; f < 2; f++) await writeKeyFile(fileOf(f), N, keys[f], xs[f], y, 30_000);
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await closeThreadPools();
});

describe.each(SCHEDULERS)('readParquet under a filter of a column not read (%s)', (_sched, opts) => {
  it('reads two filtered files in one compute into independent, correct columns', async () => {
    const r = await (await dd.readParquet([fileOf(0), fileOf(1)], { columns: ['key', 'y'], filters: [['x', '>', 0.5]] })).compute(opts);
    const rows = [...keptOf(0).map((i) => [0, i]), ...keptOf(1).map((i) => [1, i])];
    expect(r.length).toBe(rows.length);
    const k = r.col('key');
    const yv = r.col('y');
    rows.forEach(([f, i], j) => {
      expect(k.at(j)).toBe(keys[f](i));
      expect(yv.at(j)).toBe(y(i));
    });
  });

  it('leaves the results of one compute as they were after another', async () => {
    const first = await (await dd.readParquet(fileOf(0), { columns: ['key', 'y'], filters: [['x', '>', 0.5]] })).compute(opts);
    const before = Array.from({ length: first.length }, (_, j) => [first.col('key').at(j), first.col('y').at(j)]);
    await (await dd.readParquet(fileOf(1), { columns: ['key', 'y'], filters: [['x', '>', 0.5]] })).compute(opts);
    await (await dd.readParquet(fileOf(0), { columns: ['key', 'y'], filters: [['x', '<=', 0.5]] })).compute(opts);
    expect(Array.from({ length: first.length }, (_, j) => [first.col('key').at(j), first.col('y').at(j)])).toEqual(before);
    expect(before).toEqual(keptOf(0).map((i) => [keys[0](i), y(i)]));
  });

  it('groups keys of several lengths by the filtered rows', async () => {
    for (let f = 0; f < 2; f++) {
      const df = await dd.readParquet(fileOf(f));
      const r = await df.filter(df.col('x').gt(0.5)).groupby('key').col('y').mean().compute(opts);
      const want = keyMeans(keptOf(f), keys[f], y);
      const got = new Map(Array.from({ length: r.length }, (_, i) => [r.index?.at(i) as string, r.at(i) as number]));
      expect(got.size).toBe(want.size);
      for (const [k, m] of want) expect(got.get(k)).toBeCloseTo(m, 12);
    }
  });
});

describe('keys of several lengths', () => {
  it('give the group-by the read dictionary codes (no factorising of the strings)', async () => {
    const spy = vi.spyOn(kernels(), 'factorize');
    try {
      const df = await dd.readParquet(fileOf(0));
      const r = await df.filter(df.col('x').gt(0.5)).groupby('key').col('y').mean().compute({ scheduler: 'sync' });
      expect(r.length).toBe(MIXED.length);
      expect(spy).not.toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
  });
});
