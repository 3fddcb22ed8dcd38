/**
 * round(x, decimals), cumprod's carry through 0 and inf, and the ufuncs added for issue #13 (bitwise,
 * shifts, logaddexp(2), fmod, copysign, signbit, ldexp, fix, deg2rad/rad2deg; hypot/arctan2 checked
 * too), against NumPy 1.24 (fixture test/fixtures/make_ufuncs.py), on odd chunkings.
 */
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { closeThreadPools } from '@pdask/core';
import * as da from '../src/index';
import { NDArray } from '../src/ndarray';

afterAll(() => closeThreadPools());
const sync = { scheduler: 'sync' } as const;
const threads = { scheduler: 'threads', numWorkers: 2 } as const;

interface Enc {
  shape: number[];
  dtype: string;
  data: (number | string)[];
}
const F = JSON.parse(readFileSync(new URL('./fixtures/ufuncs.json', import.meta.url), 'utf8')) as {
  inputs: Record<string, Enc>;
  results: Record<string, Enc>;
  errors: Record<string, string>;
};

const num = (v: number | string): number => (v === 'nan' || v === '-nan' ? NaN : v === 'inf' ? Infinity : v === '-inf' ? -Infinity : v === '-0' ? -0 : Number(v));
const DTYPES: Record<string, string> = { F: 'float64', G: 'float64', I: 'int64', J: 'int64', I32: 'int32', J32: 'int32', U8: 'uint8', V8: 'uint8', B: 'bool', C: 'bool' };

function eager(name: string): NDArray {
  const e = F.inputs[name];
  if (DTYPES[name] === 'int64') return new NDArray(BigInt64Array.from(e.data, (v) => BigInt(v)), e.shape, 'int64');
  return NDArray.from(e.data.map(num), DTYPES[name]);
}

/** NumPy dtypes pdask does not have, and what it gives (README): values compared at that precision. */
const NEAREST: Record<string, string> = { int8: 'int32', float16: 'float64' };

function expectMatches(got: NDArray, e: Enc, key: string, rel = 0): void {
  expect(got.shape, key).toEqual(e.shape);
  expect(got.dtype, key).toBe(NEAREST[e.dtype] ?? e.dtype);
  if (e.dtype.startsWith('float')) {
    const tol = e.dtype === 'float16' ? 1e-3 : rel;
    e.data.forEach((w0, i) => {
      const w = num(w0);
      const g = got.data[i];
      if (Number.isNaN(w)) expect(g, `${key}[${i}]`).toBeNaN();
      else if (tol === 0 || !Number.isFinite(w)) expect(g, `${key}[${i}]`).toBe(w); // toBe: -0 is not 0
      else expect(Math.abs(g - w), `${key}[${i}] = ${g}, want ${w}`).toBeLessThanOrEqual(tol * Math.abs(w));
    });
  } else if (e.dtype === 'bool') {
    expect(got.toArray(), key).toEqual(e.data.map(Boolean));
  } else {
    expect(got.toBigInts(), key).toEqual(e.data.map((v) => BigInt(v)));
  }
}

const CHUNKINGS: { label: string; float: number | number[][]; int: number | number[][] }[] = [
  { label: 'one block', float: 18, int: 12 },
  { label: 'size-1 and uneven blocks', float: [[1, 5, 12]], int: [[1, 4, 7]] },
];

describe('round(x, decimals) as NumPy around (half to even)', () => {
  for (const c of CHUNKINGS) {
    it(`floats and integers, decimals 0..3 and -1, -2 (${c.label})`, async () => {
      const x = da.fromArray(eager('F'), { chunks: c.float as number });
      const i = da.fromArray(eager('I'), { chunks: c.int as number });
      const i32 = da.fromArray(eager('I32'), { chunks: c.int as number });
      for (const d of [0, 1, 2, 3, -1, -2]) {
        expectMatches((await x.round(d).compute(sync)) as NDArray, F.results[`round(F,${d})`], `round(F,${d})`);
        expectMatches((await da.round(i, d).compute(threads)) as NDArray, F.results[`round(I,${d})`], `round(I,${d})`);
        expectMatches((await da.around(i32, d).compute(sync)) as NDArray, F.results[`round(I32,${d})`], `round(I32,${d})`);
      }
    });
  }
  it('refuses a non-integer number of decimals', () => {
    expect(() => da.round(da.ones([2]), 1.5)).toThrow(/decimals must be an integer/);
  });
});

describe('cumprod carries 0 and inf as NumPy (sequentially), not 0 * inf = NaN', () => {
  const cases: [string, number[], number[][], 'cumprod' | 'nancumprod'][] = [
    ['cumprod([0,1e200,1e200])', [0, 1e200, 1e200], [[1, 2], [1, 1, 1], [3]], 'cumprod'],
    ['cumprod([1e200,1e200,0,5])', [1e200, 1e200, 0, 5], [[2, 2], [1, 3], [1, 1, 1, 1]], 'cumprod'],
    ['nancumprod([0,nan,1e200,1e200])', [0, NaN, 1e200, 1e200], [[2, 2], [1, 1, 2]], 'nancumprod'],
  ];
  for (const [key, values, chunkings, fn] of cases) {
    it(`${key} in chunks ${chunkings.map((c) => `[${c}]`).join(', ')}, on sync and threads`, async () => {
      for (const chunks of chunkings) {
        const x = da.fromArray(Float64Array.from(values), { chunks: [chunks] });
        expectMatches((await x[fn]().compute(sync)) as NDArray, F.results[key], key);
        expectMatches((await x[fn]().compute(threads)) as NDArray, F.results[key], key);
      }
    });
  }
  it('along axis 1 of a 2-d array in size-1 blocks', async () => {
    const x = da.fromArray([[0, 1e200, 1e200, 2], [1e-200, 1e-200, Infinity, 3]], { chunks: [1, 1] });
    expectMatches((await x.cumprod({ axis: 1 }).compute(sync)) as NDArray, F.results['cumprod(2d,axis=1)'], 'cumprod(2d,axis=1)');
  });
});

describe('bitwise functions and shifts (integers and bools only)', () => {
  const fns: Record<string, (a: da.Operand, b: da.Operand) => da.ChunkedArray<unknown>> = {
    bitwise_and: da.bitwiseAnd,
    bitwise_or: da.bitwiseOr,
    bitwise_xor: da.bitwiseXor,
    left_shift: da.leftShift,
    right_shift: da.rightShift,
  };
  for (const c of CHUNKINGS) {
    it(`every pair of integer/bool inputs, against NumPy (${c.label})`, async () => {
      const arr = (n: string) => da.fromArray(eager(n), { chunks: c.int as number });
      for (const [key, e] of Object.entries(F.results)) {
        const m = /^(bitwise_and|bitwise_or|bitwise_xor|left_shift|right_shift)\((\w+),(\w+)\)$/.exec(key);
        if (!m) continue;
        const b = /^\d+$/.test(m[3]) ? Number(m[3]) : arr(m[3]);
        expectMatches((await fns[m[1]](arr(m[2]), b).compute(sync)) as NDArray, e, key);
      }
      for (const n of ['I', 'I32', 'U8', 'B']) {
        expectMatches((await da.invert(arr(n)).compute(threads)) as NDArray, F.results[`invert(${n})`], `invert(${n})`);
        expectMatches((await da.bitwiseNot(arr(n)).compute(sync)) as NDArray, F.results[`invert(${n})`], `bitwiseNot(${n})`);
      }
    });
  }
  it("refuses float operands with NumPy's error", () => {
    const x = da.fromArray(eager('F'));
    for (const [np, f] of Object.entries(fns)) expect(() => f(x, 3), np).toThrow(F.errors[np].split(',')[0].replace(/[()]/g, ''));
    expect(() => da.invert(x)).toThrow(/ufunc 'invert' not supported for the input types/);
    expect(() => da.ldexp(x, x)).toThrow(/ufunc 'ldexp' not supported for the input types/);
  });
});

describe('logaddexp, logaddexp2, fmod, copysign, hypot, arctan2, signbit, fix, deg2rad, rad2deg, ldexp', () => {
  const bins: Record<string, (a: da.Operand, b: da.Operand) => da.ChunkedArray<unknown>> = {
    logaddexp: da.logaddexp,
    logaddexp2: da.logaddexp2,
    fmod: da.fmod,
    copysign: da.copysign,
    hypot: da.hypot,
    arctan2: da.arctan2,
  };
  const uns: Record<string, (a: da.Operand) => da.ChunkedArray<unknown>> = { signbit: da.signbit, fix: da.fix, deg2rad: da.deg2rad, rad2deg: da.rad2deg };
  for (const c of CHUNKINGS) {
    it(`on floats (NaN, ±inf, ±0), int64 and bools, against NumPy (${c.label})`, async () => {
      const fl = (n: string) => da.fromArray(eager(n), { chunks: c.float as number });
      const it_ = (n: string) => da.fromArray(eager(n), { chunks: c.int as number });
      for (const [name, f] of Object.entries(bins)) {
        // Transcendental results within a few ulps of NumPy's libm; fmod/copysign exact.
        const rel = name === 'fmod' || name === 'copysign' ? 0 : 4e-16;
        expectMatches((await f(fl('F'), fl('G')).compute(sync)) as NDArray, F.results[`${name}(F,G)`], `${name}(F,G)`, rel);
        expectMatches((await f(it_('I'), it_('J')).compute(threads)) as NDArray, F.results[`${name}(I,J)`], `${name}(I,J)`, rel);
      }
      expectMatches((await da.fmod(it_('I32'), it_('J32')).compute(sync)) as NDArray, F.results['fmod(I32,J32)'], 'fmod(I32,J32)');
      for (const [name, f] of Object.entries(uns)) {
        const rel = name === 'deg2rad' || name === 'rad2deg' ? 2.3e-16 : 0;
        expectMatches((await f(fl('F')).compute(sync)) as NDArray, F.results[`${name}(F)`], `${name}(F)`, rel);
        expectMatches((await f(it_('I')).compute(sync)) as NDArray, F.results[`${name}(I)`], `${name}(I)`, rel);
        expectMatches((await f(it_('B')).compute(sync)) as NDArray, F.results[`${name}(B)`], `${name}(B)`, rel);
      }
      expect(da.radians).toBe(da.deg2rad);
      expect(da.degrees).toBe(da.rad2deg);
      const g12 = da.fromArray(eager('G').data.slice(0, 12), { chunks: c.int as number });
      expectMatches((await da.ldexp(g12, da.mod(it_('I32'), 40)).compute(sync)) as NDArray, F.results['ldexp(G,I32%40)'], 'ldexp(G,I32%40)');
      expectMatches((await da.ldexp(it_('I'), it_('J32')).compute(sync)) as NDArray, F.results['ldexp(I,J32)'], 'ldexp(I,J32)');
    });
  }
  it('ldexp does not overflow 2^n on its way (1e-300 * 2^1100) and keeps float32', async () => {
    expectMatches((await da.ldexp(da.fromArray([1e-300]), da.fromArray(Int32Array.of(1100))).compute(sync)) as NDArray, F.results['ldexp(1e-300,1100)'], 'ldexp(1e-300,1100)');
    expectMatches((await da.ldexp(da.fromArray(Float32Array.of(1.5, -2.25)), 3).compute(sync)) as NDArray, F.results['ldexp(F32,3)'], 'ldexp(F32,3)');
  });
});
