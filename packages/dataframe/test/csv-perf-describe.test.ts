/**
 * describe/quantile's order statistics from values grouped by bucket in each partition
 * (ops/select-bucketed.ts): the same values at the same ranks as a full sort, on uneven, empty and
 * one-value runs, few distinct values, signed zeros, infinities and subnormals.
 */
import { closeThreadPools } from '@pdask/core';
import { afterAll, describe, expect, it } from 'vitest';
import * as dd from '../src/index';
import { bucketRun, valuesAtRanksBucketed } from '../src/ops/select-bucketed';
import { SCHEDULERS } from './helpers';

afterAll(() => closeThreadPools());

const bySort = (chunks: Float64Array[], ranks: number[]) => {
  const all = Float64Array.from(chunks.flatMap((c) => Array.from(c))).sort();
  return ranks.map((r) => all[r]);
};
let seed = 987;
const rand = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;

describe('order statistics of bucketed runs', () => {
  it.each([
    ['random floats, uneven runs with an empty one', [1, 5000, 0, 37, 20000].map((n) => Float64Array.from({ length: n }, () => (rand() - 0.5) * 1e6))],
    ['few distinct integers', [30000, 1, 30000].map((n) => Float64Array.from({ length: n }, () => Math.floor(rand() * 5)))],
    ['one value everywhere', [100000].map((n) => new Float64Array(n).fill(3.5))],
    ['signed zeros, infinities, subnormals', [[0, -0, Infinity, -Infinity, 5e-324, -5e-324, 1, -1], [2, -0, 0, -Infinity]].map((a) => Float64Array.from(a))],
    ['sorted and reversed ids', [Float64Array.from({ length: 40000 }, (_, i) => i), Float64Array.from({ length: 40000 }, (_, i) => -i)]],
  ])('%s', (_, chunks) => {
    const n = chunks.reduce((s, c) => s + c.length, 0);
    const ranks = [0, 1, Math.floor(n / 4), Math.floor(n / 2), Math.floor(n / 2) + 1, Math.floor((3 * n) / 4), n - 2, n - 1].filter((r) => r >= 0 && r < n);
    const runs = chunks.map((c) => bucketRun(c)!);
    // Each run keeps its values (a permutation of them), grouped by bucket.
    runs.forEach((r, j) => expect(Array.from(Float64Array.from(r.values).sort())).toEqual(Array.from(Float64Array.from(chunks[j]).sort())));
    const got = Array.from(valuesAtRanksBucketed(runs, ranks));
    expect(got.map((v) => v + 0)).toEqual(bySort(chunks, ranks).map((v) => v + 0));
  });
});

describe.each(SCHEDULERS)('describe: min and max from the outer buckets (%s)', (_, opts) => {
  // -0 counts below +0 (as a sort orders them), the rule describe kept before the buckets.
  it.each([
    ['a negative zero is the minimum', [0, -0, 1, 2.5], -0, 2.5],
    ['a positive zero is the maximum', [-3, -0, 0], -3, 0],
    ['negative zero alone at the top', [-1, -0, -0], -1, -0],
    ['infinities', [Infinity, 1, -Infinity, NaN], -Infinity, Infinity],
  ])('%s', async (_, xs, min, max) => {
    const df = dd.fromColumns({ x: Float64Array.from(xs as number[]) }, { npartitions: 2 });
    const r = await df.describe().compute(opts);
    const col = r.col('x');
    expect(Object.is(col.at(3), min)).toBe(true);
    expect(Object.is(col.at(7), max)).toBe(true);
  });
});
