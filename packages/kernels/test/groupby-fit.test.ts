// Direct-indexed sum/count/mean without a min/max pass: the key range is guessed from the first
// block and widened as keys fall outside it (groupby-fit.ts). These inputs make the range move
// between blocks (sorted keys, late outliers, int32 extremes), outgrow direct indexing midway, and
// hold NaN, checked against per-key sums computed here. Values are small integers (or NaN), so
// every sum is exact whatever the order of addition.
import { beforeAll, describe, expect, it } from 'vitest';
import { finalizeGroupBy, loadKernels, type Kernels, type ValueArray } from '../src/index.js';

let small: Kernels; // small scratch area: streamed inputs cross many blocks
let plain: Kernels;

beforeAll(async () => {
  small = await loadKernels({ scratchBytes: 4096 });
  plain = await loadKernels();
});

interface Expected {
  keys: number[];
  size: number[];
  count: number[];
  sum: number[];
}

function reference(keys: Int32Array, values: ArrayLike<number>): Expected {
  const by = new Map<number, { size: number; count: number; sum: number }>();
  for (let i = 0; i < keys.length; i++) {
    let e = by.get(keys[i]);
    if (!e) by.set(keys[i], (e = { size: 0, count: 0, sum: 0 }));
    e.size++;
    if (!Number.isNaN(values[i])) {
      e.count++;
      e.sum += values[i];
    }
  }
  const ks = [...by.keys()].sort((a, b) => a - b);
  return { keys: ks, size: ks.map((k) => by.get(k)!.size), count: ks.map((k) => by.get(k)!.count), sum: ks.map((k) => by.get(k)!.sum) };
}

/** Element-wise equality reported at the first difference (deep equality of 10^5 numbers is slow). */
function same(got: ArrayLike<number>, want: readonly number[], what: string): void {
  expect(got.length, `${what} length`).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    if (!Object.is(got[i], want[i])) expect(got[i], `${what}[${i}]`).toBe(want[i]);
  }
}

function check(k: Kernels, keys: Int32Array, values: ValueArray, label: string): void {
  const want = reference(keys, values);
  const p = k.groupby(keys, values, ['sum', 'count', 'size', 'mean']);
  same(p.keys, want.keys, `${label} keys`);
  same(p.size, want.size, `${label} size`);
  same(p.count, want.count, `${label} count`);
  same(finalizeGroupBy(p, 'sum'), want.sum, `${label} sum`);
  const mean = finalizeGroupBy(p, 'mean');
  same(mean, want.sum.map((s, i) => (want.count[i] > 0 ? s / want.count[i] : NaN)), `${label} mean`);
  // The same in kernel memory (read in place, in blocks of 2^18 rows).
  const kk = k.copyIn(keys);
  const kv = k.copyIn(values);
  try {
    const q = k.groupby(kk, kv, ['mean']);
    same(q.keys, want.keys, `${label} in place keys`);
    same(q.size, want.size, `${label} in place size`);
    same(finalizeGroupBy(q, 'sum'), want.sum, `${label} in place sum`);
  } finally {
    kk.free();
    kv.free();
  }
}

/** Small integers from a fixed LCG. */
function ints(n: number, seed: number, mod: number): Float64Array {
  const out = new Float64Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = (s >>> 8) % mod;
  }
  return out;
}

describe('direct indexing with a range found on the way', () => {
  it('ascending keys: the range grows in every block', () => {
    const n = 600_000;
    const keys = Int32Array.from({ length: n }, (_, i) => Math.floor(i / 7));
    check(small, keys, ints(n, 1, 100), 'ascending');
  });

  it('descending keys: the range grows downwards', () => {
    const n = 600_000;
    const keys = Int32Array.from({ length: n }, (_, i) => 100_000 - Math.floor(i / 5));
    check(small, keys, ints(n, 2, 100), 'descending');
  });

  it('few groups with outliers in the middle and at the last row', () => {
    const n = 300_001;
    const keys = Int32Array.from(ints(n, 3, 10));
    keys[150_003] = 5000;
    keys[n - 1] = -1000;
    check(small, keys, ints(n, 4, 1000), 'outliers');
    check(plain, keys, ints(n, 4, 1000), 'outliers (default scratch)');
  });

  it('keys at the ends of the int32 range', () => {
    const n = 20_000;
    const top = Int32Array.from({ length: n }, (_, i) => 0x7fffffff - (i % 3) - Math.floor(i / 1000));
    check(small, top, ints(n, 5, 50), 'near int32 max');
    const bottom = Int32Array.from({ length: n }, (_, i) => -0x80000000 + (i % 3) + Math.floor(i / 1000));
    check(small, bottom, ints(n, 6, 50), 'near int32 min');
  });

  it('a range that outgrows direct indexing after some blocks falls back to hashing', () => {
    const n = 100_000;
    const keys = Int32Array.from(ints(n, 7, 20));
    keys[90_000] = 1 << 30;
    keys[95_000] = -(1 << 30);
    check(small, keys, ints(n, 8, 100), 'too wide');
  });

  it('NaN values: count and size differ', () => {
    const n = 200_000;
    const keys = Int32Array.from({ length: n }, (_, i) => Math.floor(i / 3) % 4000);
    const values = ints(n, 9, 100);
    for (let i = 0; i < n; i += 7) values[i] = NaN;
    // Group 0's rows 0, 1, 2 ... (every key's rows include some NaN); make key 3999 all NaN.
    for (let i = 0; i < n; i++) if (keys[i] === 3999) values[i] = NaN;
    check(small, keys, values, 'NaN');
  });

  it('float32 and int32 values', () => {
    const n = 100_000;
    const keys = Int32Array.from({ length: n }, (_, i) => (i * 7919) % 37 - 18);
    check(small, keys, Float32Array.from(ints(n, 10, 1000)), 'float32');
    check(small, keys, Int32Array.from(ints(n, 11, 1000), (v) => v - 500), 'int32');
  });

  it('keys in kernel memory stay readable when the table grows the memory', async () => {
    // A fresh instance with little memory: the tables for 400,000 sorted keys grow it while the
    // keys are read in place, and the NaN values make a second pass over the keys.
    const k = await loadKernels({ initialBytes: 2 ** 23 });
    const n = 1_000_000;
    const keys = Int32Array.from({ length: n }, (_, i) => Math.floor(i / 2.5));
    const values = ints(n, 12, 10);
    values[17] = NaN;
    const kk = k.copyIn(keys);
    const kv = k.copyIn(values);
    const want = reference(keys, values);
    const p = k.groupby(kk, kv, ['mean']);
    same(p.keys, want.keys, 'grown memory');
    same(p.size, want.size, 'grown memory');
    same(p.count, want.count, 'grown memory');
    same(finalizeGroupBy(p, 'sum'), want.sum, 'grown memory');
    kk.free();
    kv.free();
  });
});
