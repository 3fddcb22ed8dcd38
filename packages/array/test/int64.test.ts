/**
 * int64 (NumPy's default integer): exact storage and arithmetic, the integer defaults of the
 * creation functions, NumPy 1.24's type promotion (fixture test/fixtures/make_int64.py) and the
 * dtypes of reductions.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { closeThreadPools } from '@pdask/core';
import * as da from '../src/index';
import { NDArray } from '../src/ndarray';
import { bigs, type Enc } from './helpers';

afterAll(() => closeThreadPools());
const sync = { scheduler: 'sync' } as const;
const threads = { scheduler: 'threads', numWorkers: 2 } as const;

const F = JSON.parse(readFileSync(new URL('./fixtures/int64.json', import.meta.url), 'utf8')) as {
  arrays: Record<string, Enc>;
  pairs: Record<string, string>;
  scalars: Record<string, string>;
  reductions: Record<string, Enc>;
  exact: Record<string, Enc>;
};

const nums = (e: Enc): number[] => e.data.map((v) => (v === 'nan' ? NaN : v === 'inf' ? Infinity : v === '-inf' ? -Infinity : Number(v)));

/**
 * NumPy dtypes pdask does not have, and the dtype it gives instead (README, dtypes): each holds
 * every value of NumPy's type, except uint64 (int64 wraps above 2^63).
 */
const NEAREST: Record<string, string> = { uint16: 'int32', int16: 'int32', uint64: 'int64' };
const want = (d: string): string => NEAREST[d] ?? d;

function fixtureArray(name: string): NDArray {
  const e = F.arrays[name];
  if (name === 'int64') return new NDArray(BigInt64Array.from(bigs(e)), e.shape, 'int64');
  return NDArray.from(nums(e), name);
}

const scalarOf = (s: string): number | boolean => (s === 'True' ? true : s === '2**40' ? 2 ** 40 : Number(s));

describe('int64 is exact', () => {
  it('arange(1e5) * 1e5 summed is n * n(n-1)/2 exactly (int32 wrapped around before), on sync and threads', async () => {
    const n = 100_000n;
    const expected = Number((n * (n * (n - 1n))) / 2n); // 499995000000000 < 2^53: exact as a number
    expect(expected).toBe(499995000000000);
    for (const chunks of [100_000, 7_000, [[50_000, 1, 49_999]]]) {
      const x = da.arange(100_000, { chunks: chunks as number }).mul(100_000);
      expect(x.dtype).toBe('int64');
      expect(x.sum().dtype).toBe('int64');
      expect(await x.sum().compute(threads)).toBe(expected);
      expect(await x.sum().compute(sync)).toBe(expected);
    }
    // Size-1 blocks (a smaller n: one task per element).
    const m = 300;
    const small = da.arange(m, { chunks: 1 }).mul(1e12);
    expect(await small.sum().compute(sync)).toBe(Number((BigInt(m) * BigInt(m - 1) * 10n ** 12n) / 2n));
  });

  it('values beyond int32 and beyond 2^53 are exact (arange, elementwise, toBigInts)', async () => {
    const a = (await da.arange(3e9, 3e9 + 5, { chunks: 2 }).compute(sync)) as NDArray;
    expect(a.dtype).toBe('int64');
    expect(a.toArray()).toEqual([3e9, 3e9 + 1, 3e9 + 2, 3e9 + 3, 3e9 + 4]);
    const b = (await da.arange(2 ** 53, 2 ** 53 + 4, { chunks: 3 }).compute(sync)) as NDArray;
    const base = 2n ** 53n;
    expect(b.toBigInts()).toEqual([base, base + 1n, base + 2n, base + 3n]);
    const c = (await da.arange(2 ** 53, 2 ** 53 + 4, { chunks: 3 }).add(1).mul(3).compute(threads)) as NDArray;
    expect(c.toBigInts()).toEqual([0n, 1n, 2n, 3n].map((i) => (base + i + 1n) * 3n));
    expect(c.getBigInt(3)).toBe((base + 4n) * 3n);
  });

  for (const [label, chunks] of [['one block', 6], ['size-1 blocks', 1], ['uneven', [[4, 2]]]] as const) {
    it(`add/sub/mul/floorDiv/mod/max/min/compare/neg/abs and sum/prod/cumsum/min/max against NumPy (${label})`, async () => {
      const E = F.exact;
      const x = da.fromArray(new NDArray(BigInt64Array.from(bigs(E.x)), [6], 'int64'), { chunks: chunks as number });
      const y = da.fromArray(new NDArray(BigInt64Array.from(bigs(E.y)), [6], 'int64'), { chunks: chunks as number });
      const ops: [string, da.ChunkedArray<unknown>][] = [
        ['add', x.add(y)], ['sub', x.sub(y)], ['mul', x.mul(y)], ['floorDiv', x.floorDiv(y)], ['mod', x.mod(y)],
        ['maximum', x.maximum(y)], ['minimum', x.minimum(y)], ['lt', x.lt(y)], ['eq', x.eq(y)],
        ['neg', x.neg()], ['abs', x.abs()], ['cumsum', x.cumsum()], ['x*3+1', x.mul(3).add(1)],
      ];
      for (const [name, r] of ops) {
        const got = (await r.compute(sync)) as NDArray;
        expect(got.dtype, name).toBe(E[name].dtype);
        expect(got.toBigInts(), name).toEqual(bigs(E[name]));
      }
      for (const name of ['sum', 'prod', 'min', 'max'] as const) {
        const r = x[name]();
        expect(r.dtype, name).toBe('int64');
        const got = (await da.reshape(r, [1]).compute(threads)) as NDArray;
        expect(got.toBigInts(), name).toEqual(bigs(E[name]));
      }
      // Through float64, as NumPy.
      for (const [name, r] of [['x/3', x.div(3)], ['sqrt(abs(x))', x.abs().sqrt()]] as const) {
        const got = (await r.compute(sync)) as NDArray;
        expect(got.dtype).toBe('float64');
        expect(Array.from(got.data), name).toEqual(nums(E[name]));
      }
    });
  }

  it('wraps around on overflow as NumPy does', async () => {
    const big = da.fromArray(new NDArray(BigInt64Array.of(2n ** 62n, 2n ** 62n, 5n), [3], 'int64'), { chunks: 1 });
    expect((await da.reshape(big.sum(), [1]).compute(sync) as NDArray).toBigInts()).toEqual([BigInt.asIntN(64, 2n ** 63n + 5n)]);
    expect((await big.mul(4).compute(sync) as NDArray).toBigInts()).toEqual([0n, 0n, 20n]);
  });
});

describe('int64 in Zarr', () => {
  it('toZarr then fromZarr keeps int64 values exactly', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pdask-int64-'));
    try {
      const vals = BigInt64Array.of(2n ** 62n + 1n, -5n, 9007199254740993n, 0n, -(2n ** 63n));
      await da.fromArray(new NDArray(vals, [5], 'int64'), { chunks: 2 }).toZarr(join(dir, 'a.zarr'), { compute: sync });
      const back = await da.fromZarr(join(dir, 'a.zarr'));
      expect(back.dtype).toBe('int64');
      expect(((await back.compute(sync)) as NDArray).toBigInts()).toEqual(Array.from(vals));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('integers default to int64, as in NumPy', () => {
  it('creation functions and nested JS arrays', async () => {
    expect(da.arange(5).dtype).toBe('int64');
    expect(da.arange(0, 1, 0.5).dtype).toBe('float64');
    expect(da.full([2], 3).dtype).toBe('int64');
    expect(da.full([2], 3.5).dtype).toBe('float64');
    expect(da.full([2], true).dtype).toBe('bool');
    expect(da.ones([2], { dtype: 'int' }).dtype).toBe('int64');
    expect(da.zeros([2], { dtype: 'i8' }).dtype).toBe('int64');
    expect(da.ones([2]).dtype).toBe('float64');
    expect(da.fromArray([[1, 2], [3, 4]]).dtype).toBe('int64');
    expect(da.fromArray([1, true]).dtype).toBe('int64');
    expect(da.fromArray([1, 2.5]).dtype).toBe('float64');
    expect(da.fromArray([true, false]).dtype).toBe('bool');
    expect(da.fromArray(new Int32Array(3)).dtype).toBe('int32');
    const ones = (await da.ones([3], { dtype: 'int', chunks: 2 }).compute(sync)) as NDArray;
    expect(ones.toArray()).toEqual([1, 1, 1]);
  });

  it('prints as NumPy does: int64 unnamed, other integer types named', () => {
    expect(NDArray.from([0, 1, 2]).toString()).toBe('array([0, 1, 2])');
    expect(NDArray.from([0, 1, 2], 'int32').toString()).toBe('array([0, 1, 2], dtype=int32)');
    expect(new NDArray(new BigInt64Array(0), [0], 'int64').toString()).toBe('array([], dtype=int64)');
    expect(new NDArray(BigInt64Array.of(-(2n ** 63n)), [1], 'int64').toString()).toBe('array([-9223372036854775808])');
  });
});

describe("NumPy 1.24's type promotion (fixture)", () => {
  const OPS: Record<string, (a: da.ChunkedArray<unknown>, b: da.Operand) => da.ChunkedArray<unknown>> = {
    add: (a, b) => da.add(a, b),
    mul: (a, b) => da.multiply(a, b),
    div: (a, b) => da.divide(a, b),
    maximum: (a, b) => da.maximum(a, b),
    lt: (a, b) => da.less(a, b),
  };
  // pdask has no bool arithmetic: bool * bool counts as int32 (README).
  const SKIP = new Set(['mul(bool,bool)', 'add(bool,True)', 'mul(bool,True)']);

  it('array with array: every pair of dtypes, dtype and values', async () => {
    const arrays = Object.fromEntries(Object.keys(F.arrays).map((k) => [k, da.fromArray(fixtureArray(k), { chunks: 3 })]));
    for (const [key, dtype] of Object.entries(F.pairs)) {
      if (SKIP.has(key)) continue;
      const [, op, a, b] = /^(\w+)\((\w+),(\w+)\)$/.exec(key)!;
      const r = OPS[op](arrays[a], arrays[b]);
      expect(r.dtype, key).toBe(want(dtype));
    }
    // Values of a few mixed ones, against float64 or exact integer arithmetic.
    const got = (await da.add(arrays.int64, arrays.int32).compute(sync)) as NDArray;
    const i64 = bigs(F.arrays.int64);
    const i32 = bigs(F.arrays.int32);
    expect(got.toBigInts()).toEqual(i64.map((v, i) => BigInt.asIntN(64, v + i32[i])));
    const mixed = (await da.add(arrays.int64, arrays.float32).compute(sync)) as NDArray;
    const f32 = nums(F.arrays.float32);
    expect(Array.from(mixed.data)).toEqual(i64.map((v, i) => Number(v) + f32[i]));
    const cmp = (await da.less(arrays.int64, arrays.uint8).compute(threads)) as NDArray;
    const u8 = bigs(F.arrays.uint8);
    expect(cmp.toArray()).toEqual(i64.map((v, i) => v < u8[i]));
  });

  it('array with a JS scalar (weak, value-based as NumPy 1.24)', () => {
    const arrays = Object.fromEntries(Object.keys(F.arrays).map((k) => [k, da.fromArray(fixtureArray(k), { chunks: 3 })]));
    for (const [key, dtype] of Object.entries(F.scalars)) {
      const [, op, a, s] = /^(\w+)\((\w+),(.+)\)$/.exec(key)!;
      if (!SKIP.has(key)) expect(OPS[op](arrays[a], scalarOf(s)).dtype, key).toBe(want(dtype));
    }
  });

  it('reductions: sum/prod/cumsum/cumprod of integers and bools are int64, mean/var/std float64, min/max keep the dtype', async () => {
    for (const [key, e] of Object.entries(F.reductions)) {
      const [, fn, a] = /^(\w+)\((\w+)\)$/.exec(key)!;
      const x = da.fromArray(fixtureArray(a), { chunks: [[1, 3]] });
      const r = fn === 'cumsum' || fn === 'cumprod' ? x[fn]() : (x as unknown as Record<string, () => da.ChunkedArray<unknown>>)[fn]();
      expect(r.dtype, key).toBe(want(e.dtype));
      const v = await (r.ndim ? r : da.reshape(r, [1])).compute(sync) as NDArray;
      if (e.dtype.startsWith('float')) {
        const w = nums(e);
        Array.from(v.data).forEach((g, i) => (Number.isFinite(w[i]) ? expect(Math.abs(g - w[i]), key).toBeLessThanOrEqual(1e-12 * Math.abs(w[i])) : expect(g, key).toBe(w[i])));
      } else if (e.dtype === 'bool') {
        expect(v.toArray(), key).toEqual(e.data.map(Boolean));
      } else {
        expect(v.toBigInts(), key).toEqual(bigs(e));
      }
    }
  });
});
