/**
 * The typed-array sort and range split of numeric keys (ops/sort-numbers.ts) called directly on
 * key sets chosen to reach their paths: one narrow range (a digit all rows share, skipped), keys
 * spread over many exponents, long runs of equal keys, all keys equal (no pass moves a row),
 * negative keys, the special values, descending order, and boundaries the range table cannot use.
 * Expected values come from first principles: a stable comparator sort (missing keys last, -0
 * equal to 0) and, for ranges, a count of the boundaries at or below a key.
 */
import { makeVector } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { numberRanges, numberSortOrder } from '../src/ops/sort-numbers';
import { stableOrder, stream } from './stable-order';



const u = stream(2024);
const SETS: [string, Float64Array][] = [
  ['one narrow range', Float64Array.from({ length: 50_000 }, () => 0.3 + u() * 0.05)],
  ['many exponents', Float64Array.from({ length: 50_000 }, () => u() ** 8)],
  ['runs of equal keys', Float64Array.from({ length: 20_000 }, () => Math.floor(u() * 30))],
  ['all equal', new Float64Array(10_000).fill(2.5)],
  ['negative and positive', Float64Array.from({ length: 30_000 }, () => (u() - 0.5) * 1e9)],
  ['specials', Float64Array.from({ length: 8_000 }, (_, i) => [NaN, -0, 0, Infinity, -Infinity, 5e-324, -5e-324, 1][i % 8])],
  ['two values differing in the last bit', Float64Array.from({ length: 9_000 }, () => (u() < 0.5 ? 1 : 1 + 2 ** -52))],
  ['one bucket above the threshold', Float64Array.from({ length: 4_097 }, () => u())],
];

describe('numberSortOrder', () => {
  it.each(SETS)('gives the stable order, ascending and descending: %s', (_, keys) => {
    for (const ascending of [true, false]) {
      const got = numberSortOrder(makeVector(keys), ascending);
      expect(Array.from(got)).toEqual(stableOrder(keys, ascending));
    }
  });
});

describe('numberRanges', () => {
  it.each(SETS)('puts each key in the range counting the boundaries at or below it: %s', (_, keys) => {
    const sorted = Array.from(keys).filter((k) => k === k).sort((a, b) => a - b);
    const bounds = [...new Set(Array.from({ length: 19 }, (_, i) => sorted[Math.floor(((i + 1) * sorted.length) / 20)] + 0))].sort((a, b) => a - b);
    const got = numberRanges(makeVector(keys), bounds, true, false);
    keys.forEach((k, i) => {
      const want = k !== k ? bounds.length : bounds.filter((b) => b <= k).length;
      if (got[i] !== want) expect([i, k, got[i]]).toEqual([i, k, want]);
    });
  });
});

describe('numberRanges on boundaries the guess table cannot use', () => {
  const keys = Float64Array.from([-Infinity, -1e308, -3, -0, 0, 2, 2.5, 7, 1e308, Infinity, NaN]);
  it.each([
    ['no boundary', []],
    ['one boundary', [2]],
    ['infinite ends', [-Infinity, 0, 2, Infinity]],
    ['a span beyond the largest double', [-1e308, 0, 1e308]],
    ['repeated boundaries', [2, 2, 2]],
    ['many boundaries', Array.from({ length: 200 }, (_, i) => i / 20 - 3)],
  ] as [string, number[]][])('%s', (_, bounds) => {
    for (const [ascending, naFirst] of [[true, false], [false, true]]) {
      const got = numberRanges(makeVector(keys), bounds, ascending, naFirst);
      const n = bounds.length + 1;
      const want = Array.from(keys, (k) => (k !== k ? (naFirst ? 0 : n - 1) : ascending ? bounds.filter((b) => b <= k).length : n - 1 - bounds.filter((b) => b <= k).length));
      expect(Array.from(got)).toEqual(want);
    }
  });
});
