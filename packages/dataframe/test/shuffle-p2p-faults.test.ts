/**
 * The peer-to-peer shuffle's faults and limits: a worker thread killed mid-shuffle (the shuffle
 * restarts, the result is exact), a memory budget small enough to spill pieces to files, graphs of
 * O(inputs + outputs) tasks, the sync scheduler and odd partitionings, and the method's checks.
 * References are computed here from first principles.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeThreadPools, collectionSymbol, config, materialize, sharedThreadsExecutor, type ComputeOptions } from '@pdask/core';
import { afterAll, describe, expect, it } from 'vitest';
import * as dd from '../src/index';
import { N, NPARTS, k, v, base, THREADS, column, tagged, checkShuffled, reference } from './shuffle-fixtures';

afterAll(() => closeThreadPools());

const taskCount = (c: dd.DataFrame | dd.Series): number => materialize(c[collectionSymbol]().roots).size;

describe('p2p shuffle on the sync scheduler and odd partitionings', () => {
  it('the same graph runs in-process; size-1 and empty partitions, NaN keys, one output', async () => {
    const keys = [3, NaN, 1, 3, 2, NaN, 1, 7, 3];
    const vals = keys.map((_, i) => i);
    for (const chunkSize of [1, 2, 4, 9]) {
      const df = dd.fromColumns({ k: keys, v: vals }, { chunksize: chunkSize });
      for (const n of [1, 3, 12]) {
        for (const opts of [{ scheduler: 'sync' }, THREADS] as ComputeOptions[]) {
          const r = await tagged(df.shuffle('k', { method: 'p2p', npartitions: n })).compute(opts);
          const rk = column(r, 'k');
          const rv = column(r, 'v');
          checkShuffled(rk, rv, column(r, 'pid'));
          const seen = Array.from(rv, (x, i): [number, number] => [rk[i], x]).sort((a, b) => a[1] - b[1]);
          expect(seen.map((x) => x[1])).toEqual(vals);
          expect(seen.map((x) => x[0])).toEqual(keys);
        }
      }
    }
  }, 60_000);

  it('dropDuplicates({ splitOut }) by either method: strings, NaN and bools, keep first/last/false', async () => {
    const name = ['a', 'b', 'a', null, 'c', 'b', null, 'a', 'd'];
    const x = [1, NaN, 1, 2, NaN, NaN, 2, 3, 4];
    const f = [true, false, true, true, false, false, true, true, false];
    const id = name.map((_, i) => i);
    const rowKey = (i: number): string => JSON.stringify([name[i], Number.isNaN(x[i]) ? 'NaN' : x[i], f[i]]);
    const byKey = new Map<string, number[]>();
    id.forEach((i) => byKey.set(rowKey(i), [...(byKey.get(rowKey(i)) ?? []), i]));
    const want = {
      first: [...byKey.values()].map((ids) => ids[0]).sort((a, b) => a - b),
      last: [...byKey.values()].map((ids) => ids[ids.length - 1]).sort((a, b) => a - b),
      none: [...byKey.values()].filter((ids) => ids.length === 1).map((ids) => ids[0]).sort((a, b) => a - b),
    };
    for (const chunksize of [1, 4]) {
      const df = dd.fromColumns({ name, x, f, id }, { chunksize });
      for (const shuffle of ['tasks', 'p2p'] as const) {
        for (const [keep, expected] of [['first', want.first], ['last', want.last], [false, want.none]] as const) {
          const r = await df.dropDuplicates({ subset: ['name', 'x', 'f'], keep, splitOut: 3, shuffle }).compute({ scheduler: 'sync' });
          expect(Array.from(column(r, 'id')).sort((a, b) => a - b)).toEqual(expected);
        }
      }
    }
  });

  it('the method is chosen by name: unknown ones are refused, config default included', () => {
    expect(() => base().shuffle('k', { method: 'disk' as never })).toThrow(/method/);
    const disk = config.set({ 'dataframe.shuffle.method': 'disk' });
    try {
      expect(() => base().shuffle('k')).toThrow("DataFrame.shuffle: config 'dataframe.shuffle.method' 'disk' (Dask's partd shuffle) is not implemented; use 'p2p' or 'tasks'");
    } finally {
      disk.restore();
    }
    const fast = config.set({ 'dataframe.shuffle.method': 'fast' });
    try {
      expect(() => base().merge(base(), { on: 'k', npartitions: 3 })).toThrow(`merge: config 'dataframe.shuffle.method' must be one of 'p2p', 'tasks', got "fast"`);
    } finally {
      fast.restore();
    }
    expect(() => base().shuffle('nope', { method: 'p2p' })).toThrow(/nope/);
  });
});

describe('p2p shuffle graphs hold O(inputs + outputs) tasks', () => {
  it('shuffle, merge, sortValues, dropDuplicates: p2p grows linearly, tasks as inputs x outputs', () => {
    for (const n of [16, 64]) {
      const df = dd.fromColumns({ k: k.subarray(0, 64 * 10), v: v.subarray(0, 64 * 10) }, { npartitions: n });
      const input = taskCount(df);
      const p2p = taskCount(df.shuffle('k', { method: 'p2p' }));
      const tasks = taskCount(df.shuffle('k', { method: 'tasks' }));
      // n transfers, a barrier, an anchor, n unpacks, n outputs.
      expect(p2p - input).toBe(3 * n + 2);
      expect(tasks - input).toBeGreaterThanOrEqual(n * n);
      const m = taskCount(df.merge(df, { on: 'k', shuffleMethod: 'p2p' })) - input;
      expect(m).toBe(2 * (2 * n + 2) + n);
      const d = taskCount(df.dropDuplicates({ splitOut: n, shuffle: 'p2p' })) - input;
      expect(d).toBe(3 * n + 2);
      const scope = config.set({ 'dataframe.shuffle.method': 'p2p' });
      try {
        const sv = taskCount(df.sortValues('k')) - input;
        // samples + boundaries + the shuffle + the sorts
        expect(sv).toBe(n + 1 + 2 * n + 2 + n);
      } finally {
        scope.restore();
      }
    }
  });
});

/** Ends its worker thread once (a flag shared by every thread), on the partition holding row `last`. */
function dieOnce(part: dd.LocalFrame, flag: Int32Array, last: number): dd.LocalFrame {
  const v = part.col('v');
  if (part.length > 0 && v.at(part.length - 1) === last && Atomics.add(flag, 0, 1) === 0) process.exit(9);
  return part;
}

describe('a worker thread lost mid-shuffle', () => {
  it('restarts the shuffle; the result is exact', async () => {
    await closeThreadPools();
    const ex = sharedThreadsExecutor(2);
    const flag = new Int32Array(new SharedArrayBuffer(4));
    const df = base();
    const killed = df.mapPartitions(dieOnce, flag, N - 1, { meta: df.dtypes });
    // The method is chosen when the graph is built.
    const scope = config.set({ 'dataframe.shuffle.method': 'p2p' });
    let total: dd.Series;
    try {
      total = killed.groupby('k', { splitOut: 5 }).col('v').sum();
    } finally {
      scope.restore();
    }
    const sums = await total.compute(THREADS);
    expect(Atomics.load(flag, 0)).toBeGreaterThanOrEqual(1);
    expect(sums.length).toBe(reference.size);
    for (const [key, [, t]] of reference) expect(sums.get(key)).toBe(t);
    // The restart happened: some transfer's results were invalidated.
    const shuffleName = [...materialize(total[collectionSymbol]().roots).keys()].find((key) => /-transfer-\d+$/.test(key))!.replace(/-transfer-\d+$/, '');
    const invalidated = Array.from({ length: NPARTS }, (_, i) => ex.story(`${shuffleName}-transfer-${i}`)).some((st) => st.some((e) => e.cause === 'invalidate'));
    expect(invalidated).toBe(true);
  }, 90_000);
});

describe('a memory budget that forces spilling', () => {
  it('pieces beyond the budget go to files, are read back exactly and removed', async () => {
    await closeThreadPools();
    const ex = sharedThreadsExecutor(2);
    const dir = mkdtempSync(join(tmpdir(), 'pdask-shuffle-test-'));
    const scope = config.set({ 'shuffle.memory-budget': '64KiB', 'temporary-directory': dir });
    try {
      const s = base().shuffle('k', { method: 'p2p', npartitions: 6 });
      const sums = await s.groupby('k').col('v').sum().compute(THREADS);
      for (const [key, [, total]] of reference) expect(sums.get(key)).toBe(total);
      const stats = await Promise.all([...ex.pool.slots.values()].map((slot) => slot.control.stats()));
      expect(stats.reduce((a, st) => a + st.shuffleSpilledFiles, 0)).toBeGreaterThan(0);
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      scope.restore();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
