/**
 * coarsen, outer, isclose/allclose against NumPy and dask.array.coarsen (fixture section
 * "routines" of linfft.json, fixtures/make_linfft.py), over odd chunkings, NaN and int input.
 */
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { closeThreadPools } from '@pdask/core';
import * as da from '../src/index';
import { NDArray } from '../src/ndarray';
import { decode, expectClose, type Enc } from './helpers';

afterAll(() => closeThreadPools());
const sync = { scheduler: 'sync' } as const;
const threads = { scheduler: 'threads', numWorkers: 2 } as const;
const R = (JSON.parse(readFileSync(new URL('./fixtures/linfft.json', import.meta.url), 'utf8')) as { routines: Record<string, Enc> }).routines;
const nd = (k: string) => {
  const e = R[k];
  return new NDArray(e.dtype === 'int32' ? Int32Array.from(decode(e)) : Float64Array.from(decode(e)), e.shape, e.dtype === 'int32' ? 'int32' : 'float64');
};

const FNS = ['sum', 'mean', 'min', 'max', 'prod', 'nansum', 'nanmean', 'nanmin', 'nanmax', 'var', 'std', 'nanvar', 'any', 'all'] as const;

describe('da.coarsen', () => {
  for (const chunks of [[3, 4], 1, -1, [[1, 5], [3, 5]]]) {
    it(`every value reduction over windows matches NumPy, chunks ${JSON.stringify(chunks)} (NaN float and int32)`, async () => {
      const x = da.fromArray(nd('CX'), { chunks: chunks as never });
      const i = da.fromArray(nd('CI'), { chunks: chunks as never });
      for (const fn of FNS) {
        expectClose(await da.coarsen(fn, x, { 0: 2, 1: 4 }).compute(sync), R[`${fn}(CX,0:2,1:4)`], 1e-12);
        expectClose(await da.coarsen(fn, i, { 0: 3 }).compute(fn === 'mean' ? threads : sync), R[`${fn}(CI,0:3)`], 1e-12);
      }
    });
  }
  it('takes the reduction functions, ddof, negative axes, trimExcess; matches Dask', async () => {
    const x = da.fromArray(nd('CX'), { chunks: [3, 3] });
    expectClose(await da.coarsen(da.mean, x, { 0: 2, [-1]: 4 }).compute(sync), R['dask mean(CX,{0:2,1:4}) chunks (3,3)']);
    expectClose(await da.coarsen(da.max, da.fromArray(nd('CI'), { chunks: [1, 3] }), { 1: 2 }).compute(sync), R['dask max(CI,{1:2}) chunks 1']);
    expectClose(await da.coarsen('std', da.fromArray(nd('CX'), { chunks: [4, 3] }), { 1: 2 }, { ddof: 1 }).compute(sync), R['std(CX,1:2,ddof=1)']);
    const t = da.fromArray(nd('T7'), { chunks: [3, 2] });
    expectClose(await da.coarsen('mean', t, { 0: 2, 1: 3 }, { trimExcess: true }).compute(sync), R['mean(T7,trim,0:2,1:3)']);
    expect(() => da.coarsen('mean', t, { 0: 2 })).toThrow(/Coarsening factors \{0: 2\} do not align with array shape \[7, 5\]/);
    expect(() => da.coarsen('argmax', t, { 0: 7 })).toThrow(/positions/);
    expect(() => da.coarsen('median' as never, t, { 0: 7 })).toThrow(/unknown reduction 'median'/);
    expect(() => da.coarsen('sum', t, { 0: 7 }, { ddof: 1 })).toThrow(/ddof applies to var and std/);
    expect(() => da.coarsen('sum', t, { 2: 1 })).toThrow(/axis 2 is out of bounds/);
  });
});

describe('da.outer', () => {
  it('matches np.outer for float x int, int x int and a flattened 2-d input, any chunks', async () => {
    expectClose(await da.outer(da.fromArray(nd('v5'), { chunks: 2 }), da.fromArray(nd('w3'), { chunks: 1 })).compute(sync), R['outer(v5,w3)']);
    const w = await da.outer(da.fromArray(nd('w3'), { chunks: 2 }), nd('w3')).compute(threads);
    expectClose(w, R['outer(w3,w3)']);
    expect((w as NDArray).dtype).toBe('int32');
    expectClose(await da.outer(da.fromArray(nd('T23'), { chunks: 1 }), nd('v5')).compute(sync), R['outer(T23,v5)']);
  });
});

describe('da.isclose / da.allclose', () => {
  for (const chunks of [5, 1, -1]) {
    it(`match NumPy with NaN, infinities, tolerances, equalNan, a scalar, int32 extremes; chunks ${chunks}`, async () => {
      const a = da.fromArray(nd('ia'), { chunks });
      const b = da.fromArray(nd('ib'), { chunks });
      expectClose(await da.isclose(a, b).compute(sync), R['isclose(ia,ib)']);
      expectClose(await da.isclose(a, b, { equalNan: true }).compute(sync), R['isclose(ia,ib,equal_nan)']);
      expectClose(await da.isclose(a, b, { rtol: 1e-3, atol: 0 }).compute(threads), R['isclose(ia,ib,rtol=1e-3,atol=0)']);
      expectClose(await da.isclose(a, 1.0).compute(sync), R['isclose(ia,1.0)']);
      expectClose(await da.isclose(da.fromArray(nd('ii'), { chunks }), nd('jj')).compute(sync), R['isclose(ii,jj)']);
      expect(await da.allclose(a, a).compute(sync)).toBe(decode(R['allclose(ia,ia)'])[0] === 1);
      expect(await da.allclose(a, a, { equalNan: true }).compute(sync)).toBe(decode(R['allclose(ia,ia,equal_nan)'])[0] === 1);
    });
  }
  it('refuses unknown options', () => {
    expect(() => da.isclose(da.ones([2], { chunks: 1 }), 1, { equal_nan: true } as never)).toThrow(/unknown option 'equal_nan'.*did you mean 'equalNan'/);
  });
});
