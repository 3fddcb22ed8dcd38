/**
 * Statistics, sorting and counting (issue 13) against NumPy 1.24 reference values
 * (fixtures/make_stats.py -> stats.json, which also checks Dask 2022.12 where it has the routine),
 * over odd chunkings: uneven, one-element and empty blocks, a single block; NaN, int and bool inputs.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { closeThreadPools } from '@pdask/core';
import * as da from '../src/index';
import type { ChunkedArray } from '../src/array';
import { NDArray } from '../src/ndarray';
import { CHUNKINGS, decode, expectClose, type Enc } from './helpers';

const fx = JSON.parse(readFileSync(new URL('./fixtures/stats.json', import.meta.url), 'utf8')) as { inputs: Record<string, Enc>; results: Record<string, Enc> };
const sync = { scheduler: 'sync' } as const;
type A = ChunkedArray<unknown>;

function eager(name: string): NDArray {
  const e = fx.inputs[name];
  const dt = e.dtype === 'int32' ? 'int32' : e.dtype === 'bool' ? 'bool' : 'float64';
  const C = dt === 'int32' ? Int32Array : dt === 'bool' ? Uint8Array : Float64Array;
  return new NDArray(C.from(decode(e)), e.shape, dt);
}
const want = (key: string): Enc => {
  const e = fx.results[key];
  if (!e) throw new Error(`no fixture ${key}`);
  return e;
};

/** 1-d chunkings: uneven, one-element blocks, one block, explicit sizes with an empty block. */
function chunks1(n: number): { label: string; chunks: number | number[][] }[] {
  const a = Math.min(3, n);
  return [
    { label: 'uneven 5', chunks: 5 },
    { label: 'one-element blocks', chunks: 1 },
    { label: 'single block', chunks: -1 },
    { label: 'explicit with an empty block', chunks: [[a, 0, n - a]] },
  ];
}
const arr = (name: string, chunks: unknown): A => {
  const x = eager(name);
  const c = typeof chunks === 'number' ? x.shape.map(() => chunks) : x.ndim === 1 ? chunks : chunks;
  return da.fromArray(x, { chunks: c as never });
};

async function check(key: string, r: unknown, rel = 1e-12): Promise<void> {
  const v = r instanceof NDArray || typeof r === 'number' || typeof r === 'boolean' ? r : await (r as A).compute(sync);
  try {
    expectClose(v, want(key), rel);
  } catch (e) {
    throw new Error(`${key}: ${(e as Error).message}`);
  }
}

// Cases over 1-d inputs: (key, build from the inputs at a chunking).
type Get = (name: string) => A;
const ONE_D: [string, (g: Get) => unknown][] = [
  ['topk(F,5)', (g) => da.topk(g('F'), 5)],
  ['topk(F,-4)', (g) => g('F').topk(-4)],
  ['topk(N,4)', (g) => da.topk(g('N'), 4)],
  ['topk(I,3)', (g) => da.topk(g('I'), 3)],
  ['argtopk(F,5)', (g) => da.argtopk(g('F'), 5)],
  ['argtopk(F,-4)', (g) => g('F').argtopk(-4)],
  ['percentile(F,Q6)', (g) => da.percentile(g('F'), [0, 10, 33.3, 50, 99, 100])],
  ['percentile(F,50)', (g) => da.percentile(g('F'), 50)],
  ['percentile(N,50)', (g) => da.percentile(g('N'), 50)],
  ['nanpercentile(N,[5,50,95])', (g) => da.nanpercentile(g('N'), [5, 50, 95])],
  ['percentile(I,[10,50,90])', (g) => da.percentile(g('I'), [10, 50, 90])],
  ['percentile(D,[0,25,50,75,100])', (g) => da.percentile(g('D'), [0, 25, 50, 75, 100])],
  ['percentile(L,Q7)', (g) => da.percentile(g('L'), [0, 1, 25, 50, 75, 99.9, 100])],
  ['percentile(X,[0,12.5,50,90,100])', (g) => da.percentile(g('X'), [0, 12.5, 50, 90, 100])],
  ['moment(F,2)', (g) => da.moment(g('F'), 2)],
  ['moment(F,3)', (g) => g('F').moment(3)],
  ['isin(I,[1,3,7])', (g) => da.isin(g('I'), [1, 3, 7])],
  ['isin(I,[1,3,7],invert)', (g) => da.isin(g('I'), da.fromArray(new Float64Array([1, 3, 7]), { chunks: 2 }), { invert: true })],
  ['isin(N,[F0,nan])', (g) => da.isin(g('N'), [eager('F').data[0], NaN])],
  ['histogram(F,5,(-2,2))', (g) => da.histogram(g('F'), { bins: 5, range: [-2, 2] })[0]],
  ['histogram(F,5,(-2,2),weights=G)', (g) => da.histogram(g('F'), { bins: 5, range: [-2, 2], weights: g('G') })[0]],
  ['histogram(F,5,(-2,2),density)', (g) => da.histogram(g('F'), { bins: 5, range: [-2, 2], density: true })[0]],
  ['histogram(F,[-3,-1,0,0.5,3])', (g) => da.histogram(g('F'), { bins: [-3, -1, 0, 0.5, 3] })[0]],
  ['histogram(F,[-3,-1,0,0.5,3],density,weights=G)', (g) => da.histogram(g('F'), { bins: [-3, -1, 0, 0.5, 3], density: true, weights: da.abs(g('G')) })[0]],
  ['histogram(I,4,(0,8))', (g) => da.histogram(g('I'), { bins: 4, range: [0, 8] })[0]],
  ['histogram(N,3,(-1,1))', (g) => da.histogram(g('N'), { bins: 3, range: [-1, 1] })[0]],
  ['histogram(E,10,(0,1))', (g) => da.histogram(g('E'), { bins: 10, range: [0, 1] })[0]],
  ['histogram(E,7,(0,1))', (g) => da.histogram(g('E'), { bins: 7, range: [0, 1] })[0]],
  ['histogram(E,3,(0.3,0.3))', (g) => da.histogram(g('E'), { bins: 3, range: [0.3, 0.3] })[0]],
  ['bincount(I)', (g) => da.bincount(g('I'))],
  ['bincount(I,weights=W)', (g) => da.bincount(g('I'), { weights: g('W') })],
  ['bincount(I,minlength=12)', (g) => da.bincount(g('I'), { minlength: 12 })],
  ['digitize(F,[-1,0,0.5,1])', (g) => da.digitize(g('F'), [-1, 0, 0.5, 1])],
  ['digitize(F,[-1,0,0.5,1],right)', (g) => da.digitize(g('F'), [-1, 0, 0.5, 1], { right: true })],
  ['digitize(N,[1,0.5,0,-1])', (g) => da.digitize(g('N'), [1, 0.5, 0, -1])],
  ['digitize(D,[0,0.5,1.5],right)', (g) => da.digitize(g('D'), [0, 0.5, 1.5], { right: true })],
  ['cov(F,y=G)', (g) => da.cov(g('F'), { y: g('G') })],
  ['cov(F,bias)', (g) => da.cov(g('F'), { bias: true })],
  ['corrcoef(F,y=G)', (g) => da.corrcoef(g('F'), { y: g('G') })],
  ['average(F)', (g) => da.average(g('F'))],
  ['einsum(i,i->)', (g) => da.einsum('i,i->', g('V5'), g('V5'))],
  ['einsum(i,j->ij)', (g) => da.einsum('i,j->ij', g('V5'), g('W7'))],
];

/** Sorted F (the array searched), chunked like the inputs. */
const sortedOf = (name: string, chunks: unknown): A => {
  const x = eager(name);
  const s = Float64Array.from(x.data as Float64Array).sort();
  return da.fromArray(s, { chunks: chunks as never });
};

describe('stats: 1-d inputs against NumPy', () => {
  for (const { label, chunks } of chunks1(23)) {
    it(`chunks ${label}`, async () => {
      const g: Get = (name) => {
        const n = fx.inputs[name].shape[0];
        const c = Array.isArray(chunks) ? [[Math.min(3, n), 0, n - Math.min(3, n)]] : chunks;
        return arr(name, c);
      };
      for (const [key, f] of ONE_D) await check(key, f(g), key.startsWith('histogram') && key.includes('weights') ? 1e-12 : 1e-12);
      // unique with every output, over int, float with repeats, NaN, bool and empty inputs.
      for (const name of ['I', 'D', 'N', 'B', 'EMPTY']) {
        const u = da.unique(g(name), { returnIndex: true, returnInverse: true, returnCounts: true });
        expect(Number.isNaN(u.values.shape[0])).toBe(true);
        await check(`unique(${name})`, u.values);
        await check(`unique(${name}).index`, u.index);
        await check(`unique(${name}).inverse`, u.inverse);
        await check(`unique(${name}).counts`, u.counts);
        await check(`unique(${name})`, da.unique(g(name)));
      }
      // histogram's edges, and an empty input.
      const [, edges] = da.histogram(g('E'), { bins: 7, range: [0, 1] });
      expectClose(edges, want('histogram(E,7,(0,1)).edges'), 0);
      await check('histogram(EMPTY,3,(0,1))', da.histogram(g('EMPTY'), { bins: 3, range: [0, 1] })[0]);
      // searchsorted: sorted a chunked the same way, v of another shape.
      const sc = Array.isArray(chunks) ? [[3, 0, 20]] : chunks;
      const M = da.fromArray(eager('M'), { chunks: [3, 2] });
      await check('searchsorted(sort(F),M)', da.searchsorted(sortedOf('F', sc), M));
      await check('searchsorted(sort(F),M,right)', da.searchsorted(sortedOf('F', sc), M, { side: 'right' }));
      const dc = Array.isArray(chunks) ? [[3, 0, 27]] : chunks;
      await check('searchsorted(sort(D),[0,0.5,1,3,nan])', da.searchsorted(sortedOf('D', dc), [0, 0.5, 1, 3, NaN]));
      await check('searchsorted(sort(D),[0,0.5,1,3,nan],right)', da.searchsorted(sortedOf('D', dc), da.fromArray(new Float64Array([0, 0.5, 1, 3, NaN]), { chunks: 2 }), { side: 'right' }));
      await check('searchsorted(sort(N),[nan,0])', da.searchsorted(sortedOf('N', sc), [NaN, 0]));
      await check('searchsorted(sort(N),[nan,0],right)', da.searchsorted(sortedOf('N', sc), [NaN, 0], { side: 'right' }));
    });
  }
});

const TWO_D: [string, (g: Get) => unknown][] = [
  ['topk(M,2,axis=0)', (g) => da.topk(g('M'), 2, { axis: 0 })],
  ['topk(M,-3,axis=1)', (g) => g('M').topk(-3, { axis: 1 })],
  ['argtopk(M,2,axis=1)', (g) => da.argtopk(g('M'), 2, { axis: -1 })],
  ['argtopk(M,-2,axis=0)', (g) => da.argtopk(g('M'), -2, { axis: 0 })],
  ['quantile(M,[0.25,0.5],axis=0)', (g) => da.quantile(g('M'), [0.25, 0.5], { axis: 0 })],
  ['quantile(M,0.3,axis=1)', (g) => da.quantile(g('M'), 0.3, { axis: 1 })],
  ['quantile(M,[0.1,0.9],axis=1,keepdims)', (g) => da.quantile(g('M'), [0.1, 0.9], { axis: 1, keepdims: true })],
  ['median(M)', (g) => da.median(g('M'))],
  ['median(M,axis=1)', (g) => da.median(g('M'), { axis: 1 })],
  ['median(M,axis=0,keepdims)', (g) => da.median(g('M'), { axis: 0, keepdims: true })],
  ['median(MI,axis=0)', (g) => da.median(g('MI'), { axis: 0 })],
  ['nanmedian(MN,axis=0)', (g) => da.nanmedian(g('MN'), { axis: 0 })],
  ['nanmedian(MN,axis=1)', (g) => da.nanmedian(g('MN'), { axis: 1 })],
  ['nanmedian(MN)', (g) => da.nanmedian(g('MN'))],
  ['median(MN,axis=1)', (g) => da.median(g('MN'), { axis: 1 })],
  ['moment(M,3,axis=0)', (g) => da.moment(g('M'), 3, { axis: 0 })],
  ['moment(M,4,axis=1,ddof=1)', (g) => da.moment(g('M'), 4, { axis: 1, ddof: 1 })],
  ['moment(MI,2,axis=0)', (g) => da.moment(g('MI'), 2, { axis: 0 })],
  ['isin(MI,[-3,0,2])', (g) => da.isin(g('MI'), [-3, 0, 2])],
  ['histogram(M,4,(-1,1))', (g) => da.histogram(g('M'), { bins: 4, range: [-1, 1] })[0]],
  ['histogramdd(S,[3,4,2],range)', (g) => da.histogramdd(g('S'), { bins: [3, 4, 2], range: [[-2, 2], [-2, 2], [-2, 2]] })[0]],
  ['histogramdd(S,3,range,weights)', (g) => da.histogramdd(g('S'), { bins: 3, range: [[-2, 2], [-1, 1], [-3, 3]], weights: da.fromArray(eager('W').data.slice(0, 30), { chunks: 7 }) })[0]],
  ['histogramdd(S,[3,4,2],range,density)', (g) => da.histogramdd(g('S'), { bins: [3, 4, 2], range: [[-2, 2], [-2, 2], [-2, 2]], density: true })[0]],
  ['histogramdd(S,edges)', (g) => da.histogramdd(g('S'), { bins: [[-2, 0, 2], [-3, -1, 0, 1, 3], [-1, 1]] })[0]],
  ['histogram2d(S0,S1,4,range)', (g) => da.histogram2d(g('S').slice(':', 0), g('S').slice(':', 1), { bins: 4, range: [[-2, 2], [-2, 2]] })[0]],
  ['einsum(ij,jk->ik)', (g) => da.einsum('ij,jk->ik', g('A45'), g('B53'))],
  ['einsum(ii->i)', (g) => da.einsum('ii->i', g('SQ'))],
  ['einsum(ii)', (g) => da.einsum('ii', g('SQ'))],
  ['einsum(ij->ji)', (g) => da.einsum('ij->ji', g('A45'))],
  ['einsum(ij,j->i)', (g) => da.einsum('ij,j->i', g('A45'), g('V5'))],
  ['einsum(bij,bjk->bik)', (g) => da.einsum('bij,bjk->bik', g('T234'), g('T245'))],
  ['einsum(bij,bjk->ik)', (g) => da.einsum('bij,bjk->ik', g('T234'), g('T245'))],
  ['einsum(ij,ij->ij)', (g) => da.einsum('ij,ij->ij', g('A45'), g('A45'))],
  ['einsum(ijk->k)', (g) => da.einsum('ijk->k', g('T234'))],
  ['einsum(ij,jk)', (g) => da.einsum('ij,jk', g('A45'), g('B53'))],
  ['einsum(ij,jk,k->i)', (g) => da.einsum('ij,jk,k->i', g('A45'), g('B53'), [1, -2, 0.5])],
  ['cov(M)', (g) => da.cov(g('M'))],
  ['cov(M,rowvar=False)', (g) => da.cov(g('M'), { rowvar: false })],
  ['cov(M,ddof=2)', (g) => da.cov(g('M'), { ddof: 2 })],
  ['cov(MI)', (g) => da.cov(g('MI'))],
  ['corrcoef(M)', (g) => da.corrcoef(g('M'))],
  ['corrcoef(M,rowvar=False)', (g) => da.corrcoef(g('M'), { rowvar: false })],
  ['average(M,axis=0,weights=W7)', (g) => da.average(g('M'), { axis: 0, weights: g('W7') })],
  ['average(M,weights=abs(M))', (g) => da.average(g('M'), { weights: da.abs(g('M')) })],
  ['average(M,axis=1,weights=W5,returned)', (g) => da.average(g('M'), { axis: 1, weights: g('W5'), returned: true })[0]],
  ['average(M,axis=1,weights=W5,returned).sum', (g) => da.average(g('M'), { axis: 1, weights: eager('W5'), returned: true })[1]],
  ['average(MI,axis=1)', (g) => da.average(g('MI'), { axis: 1 })],
];

describe('stats: n-d inputs against NumPy', () => {
  for (const { label, chunks } of CHUNKINGS) {
    it(`chunks ${label}`, async () => {
      // The chunking's rule applied to each input's own shape (explicit sizes: the first dimension's, where they fit).
      const g: Get = (name) => {
        const x = eager(name);
        const c = typeof chunks === 'number'
          ? chunks
          : Array.isArray(chunks[0]) && x.shape[0] === 7
            ? x.shape.map((_, d) => (d === 0 ? (chunks[0] as number[]) : -1))
            : x.shape.map((n, d) => (typeof chunks[d] === 'number' ? (chunks[d] as number) : d === 0 ? Math.max(1, Math.ceil(n / 2)) : -1));
        return da.fromArray(x, { chunks: c as never });
      };
      for (const [key, f] of TWO_D) await check(key, f(g), 1e-11);
    });
  }
});

describe('stats on threads', () => {
  it('percentile, unique, histogram, topk, einsum and searchsorted give NumPy values on worker threads', async () => {
    const threads = { scheduler: 'threads', numWorkers: 2 } as const;
    try {
      const F = da.fromArray(eager('F'), { chunks: 4 });
      const L = da.fromArray(eager('L'), { chunks: 1000 });
      expectClose(await da.percentile(L, [0, 1, 25, 50, 75, 99.9, 100]).compute(threads), want('percentile(L,Q7)'));
      expectClose(await da.nanmedian(da.fromArray(eager('MN'), { chunks: [2, 2] }), { axis: 1 }).compute(threads), want('nanmedian(MN,axis=1)'));
      const u = da.unique(da.fromArray(eager('I'), { chunks: 7 }), { returnInverse: true, returnCounts: true });
      expectClose(await u.values.compute(threads), want('unique(I)'));
      expectClose(await u.counts!.compute(threads), want('unique(I).counts'));
      expectClose(await u.inverse!.compute(threads), want('unique(I).inverse'));
      expectClose(await da.histogram(F, { bins: 5, range: [-2, 2] })[0].compute(threads), want('histogram(F,5,(-2,2))'));
      expectClose(await da.argtopk(F, 5).compute(threads), want('argtopk(F,5)'));
      const A = da.fromArray(eager('A45'), { chunks: 2 });
      expectClose(await da.einsum('ij,jk->ik', A, da.fromArray(eager('B53'), { chunks: 2 })).compute(threads), want('einsum(ij,jk->ik)'), 1e-11);
      expectClose(await da.einsum('ii->i', da.fromArray(eager('SQ'), { chunks: [3, 2] })).compute(threads), want('einsum(ii->i)'));
      expectClose(await da.bincount(da.fromArray(eager('I'), { chunks: 7 }), { minlength: 12 }).compute(threads), want('bincount(I,minlength=12)'));
    } finally {
      await closeThreadPools();
    }
  });
});

describe('stats: errors and options', () => {
  const F = da.fromArray(eager('F'), { chunks: 5 });
  it('refuses bad input with clear errors', async () => {
    expect(() => da.percentile(F, 101)).toThrow(/Percentiles must be in the range \[0, 100\]/);
    expect(() => da.quantile(F, -0.1)).toThrow(/Quantiles must be in the range \[0, 1\]/);
    expect(() => da.percentile(da.fromArray(eager('B'), { chunks: 5 }), 50)).toThrow(/boolean/);
    expect(() => da.topk(F, 0)).toThrow(/non-zero integer/);
    expect(() => da.topk(F, 30)).toThrow(/larger than the axis/);
    expect(() => da.histogram(F, { bins: 5 })).toThrow(/range/);
    expect(() => da.histogram(F, { bins: [0, 2, 1] })).toThrow(/monotonically/);
    expect(() => da.bincount(F)).toThrow(/Cannot cast array data from dtype\('float64'\)/);
    expect(() => da.digitize(F, [0, 2, 1])).toThrow(/monotonically increasing or decreasing/);
    expect(() => da.einsum('ij,jk->ik', da.fromArray(eager('A45'), { chunks: 2 }), da.fromArray(eager('A45'), { chunks: 2 }))).toThrow(/could not be broadcast/);
    expect(() => da.einsum('...i->i', F)).toThrow(/ellipsis/);
    expect(() => da.average(da.fromArray(eager('M'), { chunks: 3 }), { weights: eager('W5') })).toThrow(/Axis must be specified/);
    await expect(da.bincount(da.fromArray(Int32Array.from([1, -1, 2]), { chunks: 2 })).compute(sync)).rejects.toThrow(/no negative elements/);
    await expect(da.bincount(da.fromArray(Int32Array.from([1, 20, 2]), { chunks: 2 }), { minlength: 5 }).compute(sync)).rejects.toThrow(/beyond minlength 5/);
  });
  it('options are checked by name', () => {
    expect(() => da.percentile(F, 50, { axes: 0 } as never)).toThrow(/unknown option 'axes'/);
    expect(() => da.percentile(F, 50, { method: 'nearest' } as never)).toThrow(/method/);
    expect(() => da.unique(F, { axis: 0 } as never)).toThrow(/axis/);
    expect(() => da.histogram(F, { bins: 3, range: [0, 1], normed: true } as never)).toThrow(/normed/);
    expect(() => da.searchsorted(F, F, { sorter: [1] } as never)).toThrow(/sorter/);
    expect(() => da.cov(F, { fweights: [1] } as never)).toThrow(/fweights/);
  });
  it('indices and counts are int64 (NumPy intp), and int64 inputs (the default integer) work', async () => {
    const I = da.fromArray(eager('I'), { chunks: 7 });
    const u = da.unique(I, { returnIndex: true, returnInverse: true, returnCounts: true });
    for (const r of [u.index!, u.inverse!, u.counts!, da.argtopk(I, 3), da.bincount(I), da.digitize(I, [2, 5]), da.searchsorted(I, [1, 2])]) expect(r.dtype).toBe('int64');
    expect(da.histogram(I, { bins: 4, range: [0, 8] })[0].dtype).toBe('int64');
    expect(da.bincount(I, { weights: da.fromArray(eager('W'), { chunks: 7 }) }).dtype).toBe('float64');
    const I64 = I.astype('int64');
    expect(I64.dtype).toBe('int64');
    const u64 = da.unique(I64, { returnCounts: true });
    expect(u64.values.dtype).toBe('int64');
    expectClose(await u64.values.compute(sync), want('unique(I)'));
    expectClose(await u64.counts!.compute(sync), want('unique(I).counts'));
    expectClose(await da.bincount(I64).compute(sync), want('bincount(I)'));
    expectClose(await da.topk(I64, 3).compute(sync), want('topk(I,3)'));
    expectClose(await da.percentile(I64, [10, 50, 90]).compute(sync), want('percentile(I,[10,50,90])'));
  });
  it('results have NumPy shapes and known or unknown sizes as Dask', () => {
    expect(da.topk(da.fromArray(eager('M'), { chunks: 3 }), 2, { axis: 0 }).shape).toEqual([2, 5]);
    expect(da.percentile(F, [1, 2]).shape).toEqual([2]);
    expect(da.quantile(da.fromArray(eager('M'), { chunks: 3 }), [0.5, 0.6, 0.7], { axis: 0 }).shape).toEqual([3, 5]);
    expect(da.bincount(da.fromArray(eager('I'), { chunks: 7 })).shape[0]).toBeNaN();
    expect(da.bincount(da.fromArray(eager('I'), { chunks: 7 }), { minlength: 12 }).shape).toEqual([12]);
  });
});
