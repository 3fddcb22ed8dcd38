/**
 * A group-by on a string column readParquet decoded from dictionary pages numbers the rows from
 * the pages' codes (io/parquet/dictionary-codes.ts) instead of factorising the strings. The
 * answer must be pandas': dictionaries that differ between files and between row groups, null
 * keys (dropped, or a group of their own with dropna false), a pushed-down filter (codes of the
 * kept rows only), and a column whose dictionary overflows into PLAIN pages (the general path).
 * Expected values are computed in the test from the formulas that made the files.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeThreadPools } from '@pdask/core';
import { DuckDBInstance } from '@duckdb/node-api';
import pl from 'nodejs-polars';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as dd from '../src/index';
import { SCHEDULERS } from './helpers';

let dir: string;
let duck: string;
const FILES = 3;
const N = 12_000;
const GROUP = 4000;

/** File f's row i: keys differ by row group and by file; every 11th key is null; y exact in binary. */
const keyOf = (f: number, i: number): string | null => (i % 11 === 5 ? null : `g${Math.floor(i / GROUP) % 3}-${(i * 7) % (3 + f)}`);
const yOf = (f: number, i: number): number => (i % 17) - 8 + f * 0.5;
const rows = Array.from({ length: FILES }, (_, f) => Array.from({ length: N }, (_, i) => ({ key: keyOf(f, i), y: yOf(f, i) }))).flat();

/** Per key (in pandas' sorted order, null last): sum, count, first, last of y over the kept rows. */
function expected(keep: (r: { key: string | null; y: number }) => boolean, dropna: boolean) {
  const m = new Map<string | null, { sum: number; count: number; first: number; last: number; min: number; max: number }>();
  for (const r of rows) {
    if (!keep(r) || (dropna && r.key === null)) continue;
    const g = m.get(r.key);
    if (!g) m.set(r.key, { sum: r.y, count: 1, first: r.y, last: r.y, min: r.y, max: r.y });
    else {
      g.sum += r.y;
      g.count++;
      g.last = r.y;
      g.min = Math.min(g.min, r.y);
      g.max = Math.max(g.max, r.y);
    }
  }
  const keys = [...m.keys()].sort((a, b) => (a === null ? 1 : b === null ? -1 : a < b ? -1 : a > b ? 1 : 0));
  return { keys, stats: keys.map((k) => m.get(k)!) };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pdask-pq-dict-'));
  for (let f = 0; f < FILES; f++) {
    const mine = rows.slice(f * N, (f + 1) * N);
    const frame = pl.DataFrame({ key: pl.Series('key', mine.map((r) => r.key), pl.Utf8), y: pl.Series('y', mine.map((r) => r.y), pl.Float64) });
    await frame.lazy().sinkParquet(join(dir, `part-${f}.parquet`), { compression: 'snappy', rowGroupSize: GROUP }).collect();
  }
  duck = join(mkdtempSync(join(tmpdir(), 'pdask-pq-dict-duck-')), 'overflow.parquet');
  const inst = await DuckDBInstance.create(':memory:');
  const con = await inst.connect();
  // A few values first (a dictionary), then one per row: the dictionary overflows into PLAIN pages.
  await con.run(`COPY (SELECT CASE WHEN i % 7 = 6 THEN NULL WHEN i < 20000 THEN 'k' || (i % 50) ELSE 'u' || (i % 9000) END AS s, CAST(i AS DOUBLE) AS v
    FROM range(40000) t(i) ORDER BY i) TO '${duck}' (FORMAT parquet, ROW_GROUP_SIZE 16384)`);
  con.closeSync();
  inst.closeSync();
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(join(duck, '..'), { recursive: true, force: true });
  await closeThreadPools();
});

const cells = (s: dd.LocalSeries): unknown[] => Array.from({ length: s.length }, (_, i) => s.at(i));
/** The group labels of a result (its one index level). */
const labels = (r: dd.LocalFrame | dd.LocalSeries): unknown[] => {
  const v = r.index;
  if (v === undefined) throw new Error('no index');
  return Array.from({ length: v.length }, (_, i) => v.get(i));
};

describe.each(SCHEDULERS)('groupby on a dictionary-encoded Parquet string column (%s)', (_sched, opts) => {
  for (const split of [false, true]) {
    it(`sum, count, mean, min, max, first, last; dictionaries differ by file and row group (splitRowGroups ${split})`, async () => {
      const df = await dd.readParquet(join(dir, '*.parquet'), { splitRowGroups: split });
      const r = await df.groupby('key').agg({ y: ['sum', 'count', 'mean', 'min', 'max', 'first', 'last'] }).compute(opts);
      const want = expected(() => true, true);
      expect(labels(r)).toEqual(want.keys);
      expect(cells(r.col('y_sum'))).toEqual(want.stats.map((s) => s.sum));
      expect(cells(r.col('y_count'))).toEqual(want.stats.map((s) => s.count));
      expect(cells(r.col('y_min'))).toEqual(want.stats.map((s) => s.min));
      expect(cells(r.col('y_max'))).toEqual(want.stats.map((s) => s.max));
      expect(cells(r.col('y_first'))).toEqual(want.stats.map((s) => s.first));
      expect(cells(r.col('y_last'))).toEqual(want.stats.map((s) => s.last));
      const means = cells(r.col('y_mean')) as number[];
      want.stats.forEach((s, i) => expect(means[i]).toBeCloseTo(s.sum / s.count, 12));
    });
  }

  it('dropna false: the null keys are a group of their own (last)', async () => {
    const df = await dd.readParquet(join(dir, '*.parquet'));
    const r = await df.groupby('key', { dropna: false }).col('y').sum().compute(opts);
    const want = expected(() => true, false);
    expect(labels(r)).toEqual(want.keys);
    expect(cells(r)).toEqual(want.stats.map((s) => s.sum));
  });

  it('a pushed-down filter: the codes of the kept rows', async () => {
    const df = await dd.readParquet(join(dir, '*.parquet'));
    const r = await df.filter(df.col('y').gt(1)).groupby('key').col('y').sum().compute(opts);
    const want = expected((x) => x.y > 1, true);
    expect(labels(r)).toEqual(want.keys);
    expect(cells(r)).toEqual(want.stats.map((s) => s.sum));
  });

  it('size: a dictionary that overflows into PLAIN pages, one partition over the row groups', async () => {
    const df = await dd.readParquet(duck, { splitRowGroups: false });
    const r = await df.groupby('s').size().compute(opts);
    const counts = new Map<string, number>();
    for (let i = 0; i < 40000; i++) {
      if (i % 7 === 6) continue;
      const s = i < 20000 ? `k${i % 50}` : `u${i % 9000}`;
      counts.set(s, (counts.get(s) ?? 0) + 1);
    }
    const keys = [...counts.keys()].sort();
    expect(labels(r)).toEqual(keys);
    expect(cells(r)).toEqual(keys.map((k) => counts.get(k)));
  });
});
