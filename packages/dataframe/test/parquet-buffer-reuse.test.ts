/**
 * Buffers readParquet reuses or trims to spare V8 short-lived large allocations: the filter mask
 * borrowed from a per-thread pool (mask-pool.ts; taken when the filtered column is not read, as
 * `columns` here) must never be shared by two pieces or outlive them, and a key column of strings of several lengths, trimmed before its codes are remembered,
 * must still give the group-by its dictionary codes. Files by polars (snappy); expected rows and
 * means come from the formulas that made them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeThreadPools } from '@pdask/core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as dd from '../src/index';
import { borrowMask, freeMasks, returnMask } from '../src/io/parquet/mask-pool';
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

describe('the filter mask pool', () => {
  it('hands out masks of ones, never one already out, and reuses one given back', () => {
    const a = borrowMask(1000);
    const b = borrowMask(1000);
    expect(a.buffer).not.toBe(b.buffer);
    expect(a.length).toBe(1000);
    expect(a.every((v) => v === 1)).toBe(true);
    a.fill(0);
    returnMask(a);
    const c = borrowMask(900);
    expect(c.buffer).toBe(a.buffer);
    expect(c.length).toBe(900);
    expect(c.every((v) => v === 1)).toBe(true);
    expect(borrowMask(900).buffer).not.toBe(c.buffer);
    returnMask(c);
    expect(() => returnMask(c)).toThrow(/already given back/);
    // A buffer far larger than the rows asked for is left for a larger piece.
    expect(borrowMask(10).buffer).not.toBe(c.buffer);
    returnMask(b);
  });
});

describe.each(SCHEDULERS)('readParquet with reused and trimmed buffers (%s)', (_sched, opts) => {
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

describe('pieces read at once on one thread', () => {
  it('never share a mask', async () => {
    const read = async (f: number, w: number): Promise<number[]> => {
      const r = await (await dd.readParquet(fileOf(f), { columns: ['key', 'y'], filters: [['x', '>', w]] })).compute({ scheduler: 'sync' });
      return Array.from({ length: r.length }, (_, j) => r.col('y').at(j) as number);
    };
    // A read first leaves masks in the pool, which the reads at once then borrow.
    await read(1, 0.9);
    expect(freeMasks()).toBeGreaterThan(0);
    const got = await Promise.all([read(0, 0.5), read(1, 0.25), read(0, 0.75), read(1, 0.5)]);
    const want = [
      [0, 0.5],
      [1, 0.25],
      [0, 0.75],
      [1, 0.5],
    ].map(([f, w]) => Array.from({ length: N }, (_, i) => i).filter((i) => xs[f](i) > w).map(y));
    expect(got).toEqual(want);
    expect(freeMasks()).toBeGreaterThan(0);
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
