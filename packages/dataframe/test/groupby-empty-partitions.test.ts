/**
 * Group-bys over partitions left empty by a filter: every aggregation, not only sum/mean (count,
 * first, last and size used to fail with "mergeGroupBy: only one partial has sum").
 */
import { afterAll, describe, expect, it } from 'vitest';
import { closeThreadPools } from '@pdask/core';
import * as dd from '../src/index';
import { SCHEDULERS } from './helpers';

afterAll(() => closeThreadPools());

// 8 rows in 4 partitions of 2; v > 4 keeps rows 5..8 only: partitions 0 and 1 become empty.
const df = dd.fromColumns({ k: ['a', 'b', 'a', 'c', 'b', 'a', 'c', 'a'], v: [1, 2, 3, 4, 5, 6, 7, 8] }, { npartitions: 4 });
const kept = df.filter(df.col('v').gt(4));
// Kept rows: (b, 5), (a, 6), (c, 7), (a, 8), by group a: [6, 8], b: [5], c: [7].
const expected: Record<string, number[]> = { count: [2, 1, 1], size: [2, 1, 1], first: [6, 5, 7], last: [8, 5, 7], min: [6, 5, 7], max: [8, 5, 7], sum: [14, 5, 7] };

describe.each(SCHEDULERS)('group-by with empty leading partitions (%s)', (_, opts) => {
  for (const agg of Object.keys(expected) as (keyof typeof expected & 'count')[]) {
    it(agg, async () => {
      const r = await kept.groupby('k').col('v')[agg]().compute(opts);
      expect(r.index?.toArray()).toEqual(['a', 'b', 'c']);
      expect(Array.from(r.toArray() as ArrayLike<number>, Number)).toEqual(expected[agg]);
    });
  }
});
