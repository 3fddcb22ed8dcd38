/**
 * The peer-to-peer shuffle on a 2-process LocalCluster: pieces go from the worker process that
 * split an input straight to the worker process owning each output, outputs are assembled there.
 * Exact results of setIndex, merge, groupby({ splitOut }) and dropDuplicates({ splitOut }) on 1e6
 * rows with skewed keys (the input and the first-principles references of the threads tests:
 * packages/dataframe/test/shuffle-fixtures.ts), and graphs of O(inputs + outputs) tasks.
 * Faults and spilling: shuffle-p2p-faults.test.ts.
 */
import { collectionSymbol, materialize } from '@pdask/core';
import { describe, expect, it } from 'vitest';
import * as dd from '../../dataframe/src/index';
import { N, k, v, base, column, tagged, checkShuffled, groups, reference, checkSplitOutGroupby, checkHashMerge, checkSetIndex, checkDropDuplicates } from '../../dataframe/test/shuffle-fixtures';
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

  it('groupby(k).v.sum/count with splitOut: 4', () => checkSplitOutGroupby({}), 60_000);

  it('merge (hash join, both sides shuffled) of 1e6 rows with 4,000 unique keys in 5 partitions', () => checkHashMerge({}), 60_000);

  it('setIndex(k): sorted index, divisions respected, every row kept', () => checkSetIndex({}), 60_000);

  it('dropDuplicates(subset k, splitOut: 6): the first row of each key, keep last too', () => checkDropDuplicates({}), 60_000);

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
