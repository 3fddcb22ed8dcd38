/**
 * int64 keys beyond 2^53 sort exactly (ops/sort-wide-ints.ts, and the bigints of sort-multi.ts's
 * comparator): float64 cannot tell 2^53 + 1 from 2^53 + 2. The reference is computed here: the (key, row) pairs sorted by BigInt comparison, ties
 * by row (pandas' stable sort).
 */
import { closeThreadPools } from '@pdask/core';
import { makeVector } from 'apache-arrow';
import { afterAll, describe, expect, it } from 'vitest';
import * as dd from '../src/index';
import { settleWideInts } from '../src/ops/sort-wide-ints';
import { SCHEDULERS } from './helpers';

afterAll(() => closeThreadPools());

const BASE = 2n ** 53n;
const N = 5000;
// Keys a few apart above 2^53 (float64 rounds them to a handful of values), some negative, some equal.
const keyAt = (i: number): bigint => (i % 11 === 3 ? -BASE - BigInt(i % 5) : BASE + BigInt((i * 7919) % 13));
const keys = BigInt64Array.from({ length: N }, (_, i) => keyAt(i));

function expected(ascending: boolean): { k: bigint[]; row: number[] } {
  const rows = Array.from({ length: N }, (_, i) => i).sort((a, b) => {
    const x = keys[a];
    const y = keys[b];
    return x === y ? a - b : (x < y) === ascending ? -1 : 1;
  });
  return { k: rows.map((r) => keys[r]), row: rows };
}

describe('settleWideInts', () => {
  it('puts runs of equal rounded keys in exact order and leaves safe integers alone', () => {
    const exact = [BASE + 1n, BASE, 5n, BASE + 1n];
    const v = makeVector(BigInt64Array.from(exact));
    // As float64 the three wide keys are all 2^53: a stable sort keeps them in row order.
    const f = Float64Array.from(exact.map(Number));
    expect(new Set([f[0], f[1], f[3]]).size).toBe(1);
    expect(Array.from(settleWideInts(v, f, Int32Array.from([2, 0, 1, 3]), true))).toEqual([2, 1, 0, 3]);
    expect(Array.from(settleWideInts(v, f, Int32Array.from([0, 1, 3, 2]), false))).toEqual([0, 3, 1, 2]);
    const safe = makeVector(BigInt64Array.from([3n, 1n, 2n]));
    const order = Int32Array.from([2, 0, 1]);
    expect(settleWideInts(safe, Float64Array.from([3, 1, 2]), order, true)).toBe(order);
    expect(Array.from(order)).toEqual([2, 0, 1]);
  });
});

describe.each(SCHEDULERS)('sortValues and setIndex by int64 keys beyond 2^53 (%s)', (_, opts) => {
  const df = dd.fromColumns({ k: keys, row: Int32Array.from({ length: N }, (_, i) => i) }, { npartitions: 4 });

  it.each([true, false])('sortValues, ascending %s', async (ascending) => {
    const got = await df.sortValues('k', { ascending }).compute(opts);
    const want = expected(ascending);
    expect(Array.from(got.col('k').toArray() as BigInt64Array)).toEqual(want.k);
    expect(Array.from(got.col('row').toArray() as Int32Array)).toEqual(want.row);
  });

  it('sortValues by two columns (the wide key descending, then the row descending)', async () => {
    const got = await df.sortValues(['k', 'row'], { ascending: [false, false] }).compute(opts);
    const rows = Array.from({ length: N }, (_, i) => i).sort((a, b) => (keys[a] === keys[b] ? b - a : keys[a] > keys[b] ? -1 : 1));
    expect(Array.from(got.col('row').toArray() as Int32Array)).toEqual(rows);
  });

  it('nlargest and nsmallest', async () => {
    const top = await df.nlargest(20, 'k').compute(opts);
    expect(Array.from(top.col('row').toArray() as Int32Array)).toEqual(expected(false).row.slice(0, 20));
    const bottom = await df.nsmallest(20, 'k').compute(opts);
    expect(Array.from(bottom.col('row').toArray() as Int32Array)).toEqual(expected(true).row.slice(0, 20));
  });

  it('setIndex', async () => {
    const s = await df.setIndex('k');
    const got = await s.compute(opts);
    expect(Array.from(got.col('row').toArray() as Int32Array)).toEqual(expected(true).row);
  });
});
