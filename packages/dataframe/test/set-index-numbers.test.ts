/**
 * setIndex and sortValues on numeric keys through the typed-array paths (ops/sort-numbers.ts):
 * the radix sort (partitions of 4096 rows and more), the branch-free range split and the sampled
 * divisions (partitions of more than 16 x sampleSize keys). Expected values are computed here from
 * first principles: a stable comparator sort of the keys, missing (NaN) last, -0 equal to 0.
 */
import { closeThreadPools } from '@pdask/core';
import { afterAll, describe, expect, it } from 'vitest';
import * as dd from '../src/index';
import { SCHEDULERS } from './helpers';
import { stableOrder, stream } from './stable-order';

afterAll(() => closeThreadPools());


const N = 30_000;
const SPECIALS = [NaN, -0, 0, Infinity, -Infinity, 1e300, -1e-300, 5e-324];

/** Float keys: random values, many repeats, and the special values scattered through. */
function floatKeys(): Float64Array {
  const u = stream(99);
  return Float64Array.from({ length: N }, (_, i) => {
    const r = u();
    if (i % 97 === 0) return SPECIALS[Math.floor(r * SPECIALS.length)];
    if (i % 3 === 0) return Math.floor(r * 50) - 25;
    return (r - 0.3) * 1e6;
  });
}


const same = (a: number, b: number): boolean => (a !== a && b !== b) || a === b;

describe.each(SCHEDULERS)('numeric sort keys (%s)', (_, opts) => {
  it.each([
    ['4 partitions', { npartitions: 4 }],
    ['11 uneven partitions', { npartitions: 11 }],
  ] as [string, dd.PartitionOptions][])('setIndex on float keys with NaN, -0, ±inf and repeats gives the stable sorted order: %s', async (_l, part) => {
    const k = floatKeys();
    const id = Int32Array.from({ length: N }, (_, i) => i);
    const df = dd.fromColumns({ k, id }, part);
    const s = await df.setIndex('k', opts);
    const r = await s.compute(opts);
    const want = stableOrder(k, true);
    expect(Array.from(r.col('id').toArray() as Int32Array)).toEqual(want);
    const idx = r.index!.toArray() as Float64Array;
    want.forEach((row, i) => expect(same(idx[i], k[row])).toBe(true));
    // Divisions ascending, from the smallest key to the largest non-missing one.
    const d = s.divisions as number[];
    expect(d[0]).toBe(-Infinity);
    expect(d[d.length - 1]).toBe(Infinity);
    for (let i = 1; i < d.length; i++) expect(d[i]).toBeGreaterThan(d[i - 1]);
  });

  it('setIndex on int32 keys (one partition of 30,000 rows, then 3 partitions)', async () => {
    const u = stream(7);
    const k = Int32Array.from({ length: N }, () => Math.floor(u() * 4000) - 2000);
    const id = Int32Array.from({ length: N }, (_, i) => i);
    for (const npartitions of [1, 3]) {
      const r = await (await dd.fromColumns({ k, id }, { npartitions }).setIndex('k', opts)).compute(opts);
      expect(Array.from(r.col('id').toArray() as Int32Array)).toEqual(stableOrder(k, true));
    }
  });

  it('sortValues descending on float keys: stable, NaN last', async () => {
    const k = floatKeys();
    const id = Int32Array.from({ length: N }, (_, i) => i);
    const r = await dd.fromColumns({ k, id }, { npartitions: 5 }).sortValues('k', { ascending: false }).compute(opts);
    expect(Array.from(r.col('id').toArray() as Int32Array)).toEqual(stableOrder(k, false));
  });
});
