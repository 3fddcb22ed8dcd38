import { beforeAll, describe, expect, it } from 'vitest';
import { loadKernels, type Kernels, type NumericArray } from '../src/index.js';
import { dec, expectClose, loadFixture, raw, type Encoded } from './helpers.js';

interface Case {
  name: string;
  dtype: 'f64' | 'f32' | 'i32';
  data: string;
  [k: string]: Encoded;
}

const fixture = loadFixture<Case>('reductions.json');
const ctors = { f64: Float64Array, f32: Float32Array, i32: Int32Array } as const;
let k: Kernels;

beforeAll(async () => {
  k = await loadKernels();
});

function data(c: Case): NumericArray {
  return raw(ctors[c.dtype] as typeof Float64Array, c.data) as NumericArray;
}

/** Runs `fn` and maps a RangeError to "error" (NumPy's ValueError in the fixture). */
function attempt(fn: () => number): number | 'error' {
  try {
    return fn();
  } catch (e) {
    if (e instanceof RangeError) return 'error';
    throw e;
  }
}

// Where the kernels knowingly depart from NumPy (see README, "Departures from NumPy"): min/max of
// +0 and -0 follow IEEE minimum/maximum (-0 < +0), while NumPy's sign depends on the element order
// and on which of its loops ran (1.24: min and max of [0.0, -0.0] are both -0.0, nanmin is +0.0).
const departures: Record<string, Record<string, number>> = {
  'zeros +0 then -0': { max: 0, nanmin: -0 },
};

describe.each(['in JS memory', 'in kernel memory'] as const)('reductions against NumPy (%s)', (where) => {
  for (const c of fixture.cases) {
    it(c.name, () => {
      const host = data(c);
      const kx = where === 'in kernel memory' ? k.copyIn(host) : undefined;
      const x = kx ?? host;
      // Random inputs differ from NumPy in the last bits (different summation order).
      const rtol = c.dtype === 'f32' ? 1e-6 : 1e-12;
      const check = (name: string, got: number | 'error', expected: Encoded) => {
        const dep = departures[c.name]?.[name];
        const want = dep !== undefined ? dep : expected === 'error' ? 'error' : dec(expected);
        if (want === 'error' || got === 'error') expect(got, `${c.name} ${name}`).toBe(want);
        else expectClose(got, want, rtol, `${c.name} ${name}`);
      };
      check('sum', k.sum(x), c.sum);
      check('nansum', k.nansum(x), c.nansum);
      check('mean', k.mean(x), c.mean);
      check('nanmean', k.nanmean(x), c.nanmean);
      // Variance of the offset series is tiny relative to the data: compare with a looser bound
      // that still fails for the naive sum-of-squares formula (which loses every digit here).
      const vtol = c.name.startsWith('offset') ? 1e-9 : rtol;
      expectClose(k.var(x), dec(c.var0), vtol, `${c.name} var0`);
      expectClose(k.var(x, { ddof: 1 }), dec(c.var1), vtol, `${c.name} var1`);
      expectClose(k.nanvar(x), dec(c.nanvar0), vtol, `${c.name} nanvar0`);
      expectClose(k.nanvar(x, { ddof: 1 }), dec(c.nanvar1), vtol, `${c.name} nanvar1`);
      expectClose(k.std(x, { ddof: 1 }), dec(c.std1), vtol, `${c.name} std1`);
      expectClose(k.nanstd(x), dec(c.nanstd0), vtol, `${c.name} nanstd0`);
      check('min', attempt(() => k.min(x)), c.min);
      check('max', attempt(() => k.max(x)), c.max);
      check('nanmin', attempt(() => k.nanmin(x)), c.nanmin);
      check('nanmax', attempt(() => k.nanmax(x)), c.nanmax);
      check('argmin', attempt(() => k.argmin(x)), c.argmin);
      check('argmax', attempt(() => k.argmax(x)), c.argmax);
      check('nanargmin', attempt(() => k.nanargmin(x)), c.nanargmin);
      check('nanargmax', attempt(() => k.nanargmax(x)), c.nanargmax);
      check('prod', k.prod(x), c.prod);
      check('nanprod', k.nanprod(x), c.nanprod);
      expect(k.count(x), `${c.name} count`).toBe(c.count);
      expect(k.any(x), `${c.name} any`).toBe(c.any);
      expect(k.all(x), `${c.name} all`).toBe(c.all);
      kx?.free();
    });
  }
});

describe('negative zero and the sign of results', () => {
  it('sums of zeros are +0 as in NumPy, min of mixed zeros is -0 in any order (IEEE)', () => {
    expect(Object.is(k.sum(new Float64Array([-0, -0])), 0)).toBe(true);
    expect(Object.is(k.min(new Float64Array([0, -0])), -0)).toBe(true);
    expect(Object.is(k.min(new Float64Array([-0, 0])), -0)).toBe(true);
    expect(Object.is(k.max(new Float64Array([-0, 0])), 0)).toBe(true);
    expect(Object.is(k.max(new Float64Array([0, -0])), 0)).toBe(true);
    // argmin ties +0 and -0 and takes the first (NumPy).
    expect(k.argmin(new Float64Array([0, -0]))).toBe(0);
    expect(k.argmax(new Float64Array([-0, 0]))).toBe(0);
  });
});

describe('booleans (Uint8Array)', () => {
  it('sum counts true values; any/all', () => {
    const m = new Uint8Array(1000);
    for (let i = 0; i < 1000; i += 7) m[i] = 1;
    expect(k.sum(m)).toBe(143);
    expect(k.any(m)).toBe(true);
    expect(k.all(m)).toBe(false);
    expect(k.any(new Uint8Array(77))).toBe(false);
    expect(k.all(new Uint8Array(77).fill(1))).toBe(true);
    expect(k.all(new Uint8Array(0))).toBe(true);
    expect(k.any(new Uint8Array(0))).toBe(false);
    const big = new Uint8Array(300_000).fill(255);
    expect(k.sum(big)).toBe(255 * 300_000);
  });
});

describe('float32 and int32 accumulate in float64', () => {
  it('sums 2^24 + 1 float32 ones exactly (float32 accumulation cannot)', () => {
    const x = new Float32Array(2 ** 24 + 1).fill(1);
    expect(k.sum(x)).toBe(2 ** 24 + 1);
  });
  it('sums int32 beyond 2^31 exactly', () => {
    const x = new Int32Array(1000).fill(2 ** 31 - 1);
    expect(k.sum(x)).toBe(1000 * (2 ** 31 - 1));
    expect(k.mean(x)).toBe(2 ** 31 - 1);
  });
});
