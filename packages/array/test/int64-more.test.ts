/**
 * int64 follow-ups against NumPy 1.24 (fixture test/fixtures/make_int64_more.py -> int64_more.json):
 * argmin/argmax of int64 exact beyond 2^53, bool arithmetic as NumPy's (add is or, multiply is and,
 * subtract and negative refused), and the result dtype (or TypeError) of common ufuncs and
 * reductions for every pair of pdask's dtypes.
 */
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { closeThreadPools } from '@pdask/core';
import * as da from '../src/index';
import { NDArray } from '../src/ndarray';
import { bigs, type Enc } from './helpers';

afterAll(() => closeThreadPools());
const sync = { scheduler: 'sync' } as const;
const threads = { scheduler: 'threads', numWorkers: 2 } as const;

const F = JSON.parse(readFileSync(new URL('./fixtures/int64_more.json', import.meta.url), 'utf8')) as {
  binary: Record<string, string>;
  scalar: Record<string, string>;
  unary: Record<string, string>;
  reduce: Record<string, string>;
  bool: Record<string, Enc>;
  arg: Record<string, Enc>;
};

const int64 = (e: Enc): NDArray => new NDArray(BigInt64Array.from(bigs(e)), e.shape, 'int64');
const bools = (e: Enc): boolean[] => e.data.map((v) => v === true);

/**
 * NumPy dtypes pdask does not have, and the dtype it gives instead (README, "Departures"):
 * int8/int16/uint16 as int32, uint32/uint64 as int64, float16 as float64.
 */
const NEAREST: Record<string, string> = { int8: 'int32', int16: 'int32', uint16: 'int32', uint32: 'int64', uint64: 'int64', float16: 'float64' };
/** Where pdask departs on purpose (README, "Departures"): NumPy's integer reciprocal truncates (1/2 is 0). */
const DEPARTS: Record<string, string> = {
  'reciprocal(uint8)': 'float64',
  'reciprocal(int32)': 'float64',
  'reciprocal(int64)': 'float64',
  'reciprocal(bool)': 'float64',
};

const BASE = [1, 0, 2, 3, 1, 2];
const arr = (d: string): da.ChunkedArray => da.fromArray(d === 'bool' ? BASE.map(Boolean) : BASE, { chunks: 4, dtype: d as da.DType });
const scalar = (s: string): number | boolean => (s === 'True' ? true : Number(s));
const fns = da as unknown as Record<string, (...args: unknown[]) => { dtype: string }>;

/** pdask's dtype, or 'TypeError' when the call throws one. */
function outcome(f: () => { dtype: string }): string {
  try {
    return f().dtype;
  } catch (e) {
    if (e instanceof TypeError) return 'TypeError';
    throw e;
  }
}
const expected = (key: string, numpy: string): string => DEPARTS[key] ?? (numpy.startsWith('TypeError') ? 'TypeError' : (NEAREST[numpy] ?? numpy));

describe('result dtypes of common operations, as NumPy 1.24', () => {
  const cases: [string, string, () => { dtype: string }][] = [
    ...Object.entries(F.binary).map(([k, v]) => {
      const [, op, a, b] = /^(\w+)\((\w+),(\w+)\)$/.exec(k)!;
      return [k, v, () => fns[op](arr(a), arr(b))] as [string, string, () => { dtype: string }];
    }),
    ...Object.entries(F.scalar).map(([k, v]) => {
      const [, op, a, s] = /^(\w+)\((\w+),([\w.]+)\)$/.exec(k)!;
      return [k, v, () => fns[op](arr(a), scalar(s))] as [string, string, () => { dtype: string }];
    }),
    ...Object.entries({ ...F.unary, ...F.reduce }).map(([k, v]) => {
      const [, op, a] = /^(\w+)\((\w+)\)$/.exec(k)!;
      return [k, v, () => fns[op](arr(a))] as [string, string, () => { dtype: string }];
    }),
  ];

  it(`${cases.length} cases: binary ufuncs over every dtype pair and with scalars, unary ufuncs, reductions`, () => {
    expect(cases.length).toBeGreaterThan(1000);
    const wrong = cases.map(([k, v, f]) => [k, expected(k, v), outcome(f)]).filter(([, want, got]) => want !== got);
    expect(wrong).toEqual([]);
  });

  it("refuses bool subtract and negative with NumPy's messages", () => {
    const b = arr('bool');
    expect(() => b.sub(b)).toThrow('numpy boolean subtract, the `-` operator, is not supported, use the bitwise_xor, the `^` operator, or the logical_xor function instead.');
    expect(() => da.subtract(b, true)).toThrow(TypeError);
    expect(() => b.neg()).toThrow('The numpy boolean negative, the `-` operator, is not supported, use the `~` operator or the logical_not function instead.');
    expect(() => da.sign(b)).toThrow(/ufunc 'sign' did not contain a loop with signature matching types/);
    // Other integer kinds still subtract.
    expect(b.sub(1).dtype).toBe('int64');
    expect(da.subtract(b, arr('uint8')).dtype).toBe('uint8');
  });
});

describe('bool arithmetic values, as NumPy (add is logical or, multiply logical and)', () => {
  const B = F.bool;
  for (const [label, chunks] of [['one block', 7], ['size-1 blocks', 1], ['uneven', [[5, 2]]], ['with an empty block', [[3, 0, 4]]]] as const) {
    for (const opts of [sync, threads]) {
      it(`${label}, ${opts.scheduler}`, async () => {
        const p = da.fromArray(bools(B.p), { chunks: chunks as number });
        const q = da.fromArray(bools(B.q), { chunks: chunks as number });
        const cases: [string, da.ChunkedArray<unknown>][] = [
          ['add', p.add(q)], ['multiply', da.multiply(p, q)], ['add_True', p.add(true)], ['multiply_False', p.mul(false)],
          ['maximum', p.maximum(q)], ['absolute', p.abs()], ['add_2', p.add(2)], ['cumsum', p.add(q).cumsum()],
        ];
        for (const [name, r] of cases) {
          const got = (await r.compute(opts)) as NDArray;
          expect(got.dtype, name).toBe(B[name].dtype);
          expect(got.toBigInts(), name).toEqual(bigs(B[name]));
        }
        // A sum of the bool sum counts the trues of p | q (not 2 where both are true).
        expect(await p.add(q).sum().compute(opts)).toBe(bools(B.add).filter(Boolean).length);
      });
    }
  }
});

describe('argmin/argmax of int64 are exact beyond 2^53', () => {
  const A = F.arg;
  const cases = [
    ['one block', 6, 12, [2, 5]],
    ['size-1 blocks', 1, 1, [1, 1]],
    ['uneven, an empty block', [[4, 0, 2]], [[5, 0, 4, 3]], [[1, 1], [3, 2]]],
  ] as const;
  for (const [label, cx, cy, cm] of cases) {
    it(`1-d and over axes (${label}), sync and threads`, async () => {
      const x = da.fromArray(int64(A.x), { chunks: cx as number });
      expect(await x.argmin().compute(sync)).toBe(Number(bigs(A.argmin)[0]));
      expect(await x.argmax().compute(threads)).toBe(Number(bigs(A.argmax)[0]));
      const y = da.fromArray(int64(A.y), { chunks: cy as number });
      expect(await y.argmin().compute(sync)).toBe(Number(bigs(A.y_argmin)[0]));
      expect(await y.argmax().compute(threads)).toBe(Number(bigs(A.y_argmax)[0]));
      // Fused: the argmax of y + 0 reads y's tiles through the evaluator.
      expect(await y.add(0).argmax().compute(sync)).toBe(Number(bigs(A.y_argmax)[0]));
      const m = da.fromArray(int64(A.m), { chunks: cm as unknown as number[] });
      for (const [name, r] of [
        ['m_argmin0', m.argmin({ axis: 0 })], ['m_argmax0', m.argmax({ axis: 0 })],
        ['m_argmin1', m.argmin({ axis: 1 })], ['m_argmax1', m.argmax({ axis: 1 })],
        ['m_nanargmin1', m.nanargmin({ axis: 1 })], ['m_nanargmax0', m.nanargmax({ axis: 0 })],
      ] as const) {
        for (const opts of [sync, threads]) {
          const got = (await r.compute(opts)) as NDArray;
          expect(got.dtype, name).toBe('int64');
          expect(got.toBigInts(), `${name} ${opts.scheduler}`).toEqual(bigs(A[name]));
        }
      }
    });
  }
});
