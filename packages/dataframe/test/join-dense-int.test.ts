/**
 * The broadcast join's path for a dimension table (ops/join-table.ts `dense`, `probeColumn`;
 * ops/join-gather.ts `oneChunk`): int32 probe keys read in place, a table keyed base..base+n-1 in
 * row order found by subtraction, a broadcast side of several chunks gathered from one. References
 * are computed from first principles: pairs by a nested loop over both key lists, group means by
 * summing each group's matched values.
 */
import { closeThreadPools } from '@pdask/core';
import { makeData, makeVector, vectorFromArray, Int32, type Data } from 'apache-arrow';
import { afterAll, describe, expect, it } from 'vitest';
import * as dd from '../src/index';
import { oneChunk } from '../src/ops/join-gather';
import { buildTable, probeColumn, probeTable } from '../src/ops/join-table';
import { SCHEDULERS } from './helpers';
import { stream } from './stable-order';
import { nestedLoop } from './join-pairs';

afterAll(() => closeThreadPools());

const int32Vector = (xs: readonly number[]) => makeVector(Int32Array.from(xs));

describe('dense join tables (a dimension table keyed base..base+n-1)', () => {
  it('knows a table whose row i has key base + i, and no other', () => {
    expect(buildTable(Float64Array.from([7, 8, 9, 10])).dense).toBe(true);
    // Unique and direct, but not in row order; a gap; a missing key; a duplicate.
    expect(buildTable(Float64Array.from([8, 7, 9, 10])).dense).toBe(false);
    expect(buildTable(Float64Array.from([7, 8, 10])).dense).toBe(false);
    expect(buildTable(Float64Array.from([7, 8, NaN])).dense).toBe(false);
    expect(buildTable(Float64Array.from([7, 7, 8])).dense).toBe(false);
  });

  it('builds a dense table without slots, and every probe path finds its rows by subtraction', () => {
    const build = Float64Array.from([7, 8, 9, 10]);
    const t = buildTable(build);
    expect(t.slots.length).toBe(0);
    const keys = Float64Array.from([8, 6.5, 11, NaN, 7, 10, 8, -0]);
    for (const keepProbe of [false, true]) {
      const got = probeTable(t, keys, keepProbe, false);
      expect({ p: Array.from(got.p), b: Array.from(got.b) }).toEqual(nestedLoop(build, keys, keepProbe));
    }
    // An outer join's probe: build rows no probe row met come last, in order (probe -1).
    const outer = probeTable(t, keys, true, true);
    const want = nestedLoop(build, keys, true);
    expect({ p: Array.from(outer.p), b: Array.from(outer.b) }).toEqual({ p: [...want.p, -1], b: [...want.b, 2] });
  });

  const probe = [7, 10, 6, 11, -2147483648, 2147483647, 8, 8, 9];
  const tables: [string, number[]][] = [
    ['dense', [7, 8, 9, 10]],
    ['direct, unique, shuffled', [9, 7, 10, 8]],
    ['direct, unique, with a gap', [10, 7, 9]],
  ];
  it.each(tables)('int32 probe keys read in place give the nested loop pairs (%s)', (_, build) => {
    for (const keepProbe of [false, true]) {
      const got = probeColumn(buildTable(Float64Array.from(build)), int32Vector(probe), keepProbe, false);
      expect({ p: Array.from(got.p), b: Array.from(got.b) }).toEqual(nestedLoop(build, probe, keepProbe));
      expect(got.identity).toBe(false);
    }
    const all = probe.filter((k) => build.includes(k));
    const got = probeColumn(buildTable(Float64Array.from(build)), int32Vector(all), false, false);
    expect(Array.from(got.b)).toEqual(nestedLoop(build, all, false).b);
    expect(got.identity).toBe(true);
  });

  it('an identity probe lists its rows from one shared 0..n-1 (no array per partition); others get their own', () => {
    const t = buildTable(Float64Array.from([7, 8, 9, 10]));
    const a = probeColumn(t, int32Vector([8, 7, 10]), false, false);
    const b = probeColumn(t, int32Vector([9, 9, 8, 7, 10]), true, false);
    expect(Array.from(a.p)).toEqual([0, 1, 2]);
    expect(Array.from(b.p)).toEqual([0, 1, 2, 3, 4]);
    expect(a.identity && b.identity).toBe(true);
    expect(a.p.buffer).toBe(b.p.buffer);
    const gaps = probeColumn(t, int32Vector([9, 3, 8]), true, false);
    expect(Array.from(gaps.p)).toEqual([0, 1, 2]);
    expect(Array.from(gaps.b)).toEqual([2, -1, 1]);
    expect(gaps.p.buffer).not.toBe(a.p.buffer);
  });

  it('int32 probe keys with nulls go the float64 way: a null meets the missing build key only', () => {
    const probeNulls = vectorFromArray([7, null, 9], new Int32());
    const got = probeColumn(buildTable(Float64Array.from([7, 8, 9, NaN])), probeNulls, true, false);
    expect(Array.from(got.p)).toEqual([0, 1, 2]);
    expect(Array.from(got.b)).toEqual([0, 3, 2]);
  });
});

describe('oneChunk', () => {
  it('makes a number column of several chunks one chunk with the same values', () => {
    const a = makeData({ type: new Int32(), length: 3, nullCount: 0, data: Int32Array.from([1, 2, 3]) } as unknown as Parameters<typeof makeData>[0]) as Data<Int32>;
    const b = makeData({ type: new Int32(), length: 2, nullCount: 0, data: Int32Array.from([4, 5]) } as unknown as Parameters<typeof makeData>[0]) as Data<Int32>;
    const v = makeVector([a, b]);
    expect(v.data.length).toBe(2);
    const flat = oneChunk(v);
    expect(flat.data.length).toBe(1);
    expect(Array.from(flat.toArray() as Int32Array)).toEqual([1, 2, 3, 4, 5]);
  });
});

describe.each(SCHEDULERS)('merge with a dimension table, then groupby mean (%s)', (_, opts) => {
  // The benchmark's shape at a small size: the right side keyed 0..n-1 in 2 partitions (broadcast
  // as one partition of 2 chunks), a group per key.
  const n = 500;
  const rows = 6000;
  const u = stream(99);
  const k = Int32Array.from({ length: rows }, () => Math.floor(u() * (n + 40)) - 20);
  const v = Float64Array.from({ length: rows }, u);
  const rk = Int32Array.from({ length: n }, (_, i) => i);
  const g = Int32Array.from({ length: n }, (_, i) => (i * 7) % 13);

  /** Per group of the matched rows: the mean of v, groups ascending. */
  function means(): { keys: number[]; values: number[] } {
    const sum = new Map<number, number>();
    const cnt = new Map<number, number>();
    k.forEach((key, i) => {
      if (key < 0 || key >= n) return;
      const grp = g[key];
      sum.set(grp, (sum.get(grp) ?? 0) + v[i]);
      cnt.set(grp, (cnt.get(grp) ?? 0) + 1);
    });
    const keys = [...sum.keys()].sort((a, b) => a - b);
    return { keys, values: keys.map((x) => sum.get(x)! / cnt.get(x)!) };
  }

  it.each(['inner', 'left'] as const)('how: %s (unmatched left rows have no group and are dropped)', async (how) => {
    const left = dd.fromColumns({ k, v }, { npartitions: 7 });
    const right = dd.fromColumns({ k: rk, g }, { npartitions: 2 });
    const r = await left.merge(right, { on: 'k', how }).groupby('g').col('v').mean().compute(opts);
    const want = means();
    expect(Array.from(r.indexArray() as ArrayLike<number>)).toEqual(want.keys);
    const got = Array.from(r.toArray() as Float64Array);
    got.forEach((x, i) => expect(x).toBeCloseTo(want.values[i], 12));
  });

  it('the joined rows themselves: left rows in order, each with its key row of the right', async () => {
    const left = dd.fromColumns({ k, v }, { npartitions: 3 });
    const right = dd.fromColumns({ k: rk, g }, { npartitions: 2 });
    const r = await left.merge(right, { on: 'k' }).compute(opts);
    const keep = Array.from(k, (key, i) => i).filter((i) => k[i] >= 0 && k[i] < n);
    expect(Array.from(r.col('k').toArray() as Int32Array)).toEqual(keep.map((i) => k[i]));
    expect(Array.from(r.col('v').toArray() as Float64Array)).toEqual(keep.map((i) => v[i]));
    expect(Array.from(r.col('g').toArray() as Int32Array)).toEqual(keep.map((i) => g[k[i]]));
  });
});
