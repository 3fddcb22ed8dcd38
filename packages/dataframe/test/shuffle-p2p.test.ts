/**
 * The peer-to-peer shuffle (core's shuffle runtime) under setIndex, merge, groupby({ splitOut }),
 * dropDuplicates({ splitOut }) and DataFrame.shuffle: exact results on 1e6 rows with skewed keys
 * (references computed here from first principles), on 2 worker threads. Faults, spilling and
 * graph sizes: shuffle-p2p-faults.test.ts.
 */
import { closeThreadPools } from '@pdask/core';
import { afterAll, describe, expect, it } from 'vitest';
import { N, base, THREADS, column, tagged, checkShuffled, reference, checkSplitOutGroupby, checkHashMerge, checkSetIndex, checkDropDuplicates } from './shuffle-fixtures';

afterAll(() => closeThreadPools());

describe('p2p shuffle: exact results on 1e6 rows with skewed keys (threads, 2 workers)', () => {
  it('DataFrame.shuffle puts every key in one partition, rows in input order, all rows kept', async () => {
    const s = tagged(base().shuffle('k', { method: 'p2p', npartitions: 8 }));
    const r = await s.compute(THREADS);
    checkShuffled(column(r, 'k'), column(r, 'v'), column(r, 'pid'));
    expect(r.length).toBe(N);
    expect(new Set(column(r, 'k')).size).toBe(reference.size);
  }, 60_000);

  it('groupby(k).v.sum/count with splitOut: 4', () => checkSplitOutGroupby(THREADS), 60_000);

  it('merge (hash join, both sides shuffled) of 1e6 rows with 4,000 unique keys in 5 partitions', () => checkHashMerge(THREADS), 60_000);

  it('setIndex(k): sorted index, divisions respected, every row kept', () => checkSetIndex(THREADS), 60_000);

  it('dropDuplicates(subset k, splitOut: 6): the first row of each key, keep last too', () => checkDropDuplicates(THREADS), 60_000);
});

