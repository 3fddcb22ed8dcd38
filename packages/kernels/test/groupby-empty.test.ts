/**
 * A partition with no rows merges with the others for every aggregation: its partial carries the
 * same statistics as a non-empty one (an empty partial used to carry sums always, and merging it
 * with a count/first/size partial failed with "only one partial has sum").
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadKernels, type GroupAgg, type Kernels } from '../src/index.js';

let k: Kernels;
beforeAll(async () => {
  k = await loadKernels();
});

const keys = Int32Array.from([2, 1, 2, 3, 2]);
const values = Float64Array.from([10, 20, 30, 40, 50]);
const empty = [new Int32Array(0), new Float64Array(0)] as const;

describe('an empty partition in a group-by', () => {
  for (const aggs of [['count'], ['first'], ['last'], ['size'], ['min', 'max'], ['sum'], ['var']] as GroupAgg[][]) {
    it(`merges with a non-empty one for ${aggs.join(', ')}, on either side`, () => {
      const full = k.groupby(keys, values, aggs);
      const none = k.groupby(empty[0], empty[1], aggs);
      for (const merged of [k.mergeGroupBy(none, full), k.mergeGroupBy(full, none)]) {
        const order = [...merged.keys].map((key, i) => [key, i] as const).sort((a, b) => a[0] - b[0]);
        expect(order.map(([key]) => key)).toEqual([1, 2, 3]);
        // Groups 1, 2, 3 hold [20], [10, 30, 50], [40].
        expect(order.map(([, i]) => merged.count[i])).toEqual([1, 3, 1]);
        expect(order.map(([, i]) => merged.size[i])).toEqual([1, 3, 1]);
        if (aggs.includes('first')) expect(order.map(([, i]) => merged.first![i])).toEqual([20, 10, 40]);
        if (aggs.includes('last')) expect(order.map(([, i]) => merged.last![i])).toEqual([20, 50, 40]);
        if (aggs.includes('min')) expect(order.map(([, i]) => [merged.min![i], merged.max![i]])).toEqual([[20, 20], [10, 50], [40, 40]]);
        if (aggs.includes('sum')) expect(order.map(([, i]) => merged.sum![i])).toEqual([20, 90, 40]);
        if (aggs.includes('var')) expect(merged.m2![order[1][1]]).toBeCloseTo(800, 9); // (10-30)^2 + 0 + (50-30)^2
      }
    });
  }
});
