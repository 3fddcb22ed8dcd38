/**
 * The peer-to-peer shuffle on a 2-process LocalCluster: pieces go from the worker process that
 * split an input straight to the worker process owning each output, outputs are assembled there.
 * Exact results of setIndex, merge, groupby({ splitOut }) and dropDuplicates({ splitOut }) on 1e6
 * rows with skewed keys (the input and the first-principles references of the threads tests:
 * packages/dataframe/test/shuffle-fixtures.ts), and graphs of O(inputs + outputs) tasks.
 * Faults and spilling: shuffle-p2p-faults.test.ts.
 */
import { collectionSymbol, config, materialize } from '@pdask/core';
import { describe, expect, it } from 'vitest';
import * as dd from '../../dataframe/src/index';
import { N, k, v, base, column, tagged, checkShuffled, groups, reference } from '../../dataframe/test/shuffle-fixtures';
import { useCluster } from './helpers';

const shared = useCluster();

const taskCount = (c: dd.DataFrame | dd.Series): number => materialize(c[collectionSymbol]().roots).size;

/** Which worker process ran each task whose key matches `re` (from the scheduler's story). */
function ranOn(keys: Iterable<string>, re: RegExp): Map<string, string> {
  const out = new Map<string, string>();
  for (const key of keys) {
    if (!re.test(key)) continue;
    const done = shared.cluster.scheduler.story(key).filter((e) => e.to === 'memory' && e.worker !== undefined);
    if (done.length) out.set(key, done[done.length - 1].worker!);
  }
  return out;
}

describe('p2p shuffle on a 2-process cluster: exact results on 1e6 rows with skewed keys', () => {
  it('DataFrame.shuffle: every key in one partition, rows in input order; pieces crossed between the processes', async () => {
    const s = tagged(base().shuffle('k', { method: 'p2p', npartitions: 8 }));
    const keys = [...materialize(s[collectionSymbol]().roots).keys()];
    const r = await s.compute();
    checkShuffled(column(r, 'k'), column(r, 'v'), column(r, 'pid'));
    expect(r.length).toBe(N);
    expect(groups(column(r, 'k'), column(r, 'v'))).toEqual(reference);
    // Transfers ran on both workers: each sent pieces to the other process.
    expect(new Set(ranOn(keys, /-transfer-\d+$/).values()).size).toBe(2);
  }, 60_000);

  it('groupby(k).v.sum/count with splitOut: 4', async () => {
    const scope = config.set({ 'dataframe.shuffle.method': 'p2p' });
    try {
      const g = base().groupby('k', { splitOut: 4 });
      const [sums, counts] = await Promise.all([g.col('v').sum().compute(), g.col('v').count().compute()]);
      expect(sums.length).toBe(reference.size);
      for (const [key, [n, s]] of reference) {
        expect(sums.get(key)).toBe(s);
        expect(counts.get(key)).toBe(n);
      }
    } finally {
      scope.restore();
    }
  }, 60_000);

  it('merge (hash join, both sides shuffled) of 1e6 rows with 4,000 unique keys in 5 partitions', async () => {
    const rk = Float64Array.from({ length: 4000 }, (_, j) => 3999 - j);
    const w = Float64Array.from(rk, (x) => 3 * x + 1);
    const right = dd.fromColumns({ k: rk, w }, { npartitions: 5 });
    const r = await base().merge(right, { on: 'k', shuffleMethod: 'p2p', npartitions: 12 }).compute();
    const mk = column(r, 'k');
    const mw = column(r, 'w');
    let expected = 0;
    for (let i = 0; i < N; i++) if (k[i] < 4000) expected++;
    expect(mk.length).toBe(expected);
    for (let i = 0; i < mk.length; i++) if (mw[i] !== 3 * mk[i] + 1) throw new Error(`row ${i}: key ${mk[i]} joined with w ${mw[i]}`);
    const got = groups(mk, column(r, 'v'));
    for (const [key, [n, s]] of reference) {
      if (key >= 4000) expect(got.has(key)).toBe(false);
      else expect(got.get(key)).toEqual([n, s]);
    }
  }, 60_000);

  it('setIndex(k): sorted index, divisions respected, every row kept', async () => {
    const df = await base().setIndex('k', { shuffle: 'p2p' });
    const r = await df.compute();
    const idx = Float64Array.from(r.col('v').indexArray() as number[]);
    expect(idx.length).toBe(N);
    for (let i = 1; i < idx.length; i++) if (idx[i] < idx[i - 1]) throw new Error(`index not sorted at ${i}`);
    expect(groups(idx, column(r, 'v'))).toEqual(reference);
    const divisions = df.divisions!;
    expect(divisions[0]).toBe(idx[0]);
    expect(divisions[divisions.length - 1]).toBe(idx[idx.length - 1]);
  }, 60_000);

  it('dropDuplicates(subset k, splitOut: 6): the first row of each key, keep last too', async () => {
    const first = new Map<number, number>();
    const last = new Map<number, number>();
    for (let i = 0; i < N; i++) {
      if (!first.has(k[i])) first.set(k[i], v[i]);
      last.set(k[i], v[i]);
    }
    for (const [keep, want] of [['first', first], ['last', last]] as const) {
      const r = await base().dropDuplicates({ subset: ['k'], keep, splitOut: 6, shuffle: 'p2p' }).compute();
      const dk = column(r, 'k');
      const dv = column(r, 'v');
      expect(dk.length).toBe(want.size);
      for (let i = 0; i < dk.length; i++) if (want.get(dk[i]) !== dv[i]) throw new Error(`keep ${keep}: key ${dk[i]} kept v ${dv[i]}, want ${want.get(dk[i])}`);
    }
  }, 60_000);

  it('graphs hold O(inputs + outputs) tasks; size-1 and empty partitions, NaN keys, more outputs than rows', async () => {
    for (const n of [16, 64]) {
      const df = dd.fromColumns({ k: k.subarray(0, 640), v: v.subarray(0, 640) }, { npartitions: n });
      const input = taskCount(df);
      // n transfers, a barrier, an anchor, n unpacks, n outputs; 'tasks' makes n x n pieces.
      expect(taskCount(df.shuffle('k', { method: 'p2p' })) - input).toBe(3 * n + 2);
      expect(taskCount(df.shuffle('k', { method: 'tasks' })) - input).toBeGreaterThanOrEqual(n * n);
      const r = await tagged(df.shuffle('k', { method: 'p2p' })).compute();
      checkShuffled(column(r, 'k'), column(r, 'v'), column(r, 'pid'));
      expect(groups(column(r, 'k'), column(r, 'v'))).toEqual(groups(k.subarray(0, 640), v.subarray(0, 640)));
    }
    const keys = [3, NaN, 1, 3, 2, NaN, 1, 7, 3];
    const vals = keys.map((_, i) => i);
    for (const chunksize of [1, 4]) {
      const df = dd.fromColumns({ k: keys, v: vals }, { chunksize });
      for (const n of [1, 12]) {
        const r = await tagged(df.shuffle('k', { method: 'p2p', npartitions: n })).compute();
        const rk = column(r, 'k');
        const rv = column(r, 'v');
        checkShuffled(rk, rv, column(r, 'pid'));
        const seen = Array.from(rv, (x, i): [number, number] => [rk[i], x]).sort((a, b) => a[1] - b[1]);
        expect(seen.map((x) => x[1])).toEqual(vals);
        expect(seen.map((x) => x[0])).toEqual(keys);
      }
    }
  }, 60_000);
});
