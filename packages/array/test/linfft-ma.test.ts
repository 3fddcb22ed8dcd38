/**
 * da.ma against numpy.ma (fixture section "ma" of linfft.json, fixtures/make_linfft.py): masks
 * from NaN/inf, conditions and values, masked reductions (axes, keepdims, ddof, all-masked rows
 * and the masked scalar), elementwise operations with NumPy's domains, filled/getdata/
 * getmaskarray/fixInvalid, over the four odd chunkings, on sync and threads.
 */
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { closeThreadPools } from '@pdask/core';
import * as da from '../src/index';
import { NDArray } from '../src/ndarray';
import { CHUNKINGS, decode, expectClose, type Enc } from './helpers';

afterAll(() => closeThreadPools());
const sync = { scheduler: 'sync' } as const;
const threads = { scheduler: 'threads', numWorkers: 2 } as const;
type MEnc = { data: Enc; mask: Enc; fill: number };
const M = (JSON.parse(readFileSync(new URL('./fixtures/linfft.json', import.meta.url), 'utf8')) as { ma: Record<string, unknown> }).ma;
const enc = (k: string) => M[k] as Enc;
const menc = (k: string) => M[k] as MEnc;
const nd = (e: Enc) => new NDArray(e.dtype === 'int32' ? Int32Array.from(decode(e)) : Float64Array.from(decode(e)), e.shape, e.dtype === 'int32' ? 'int32' : 'float64');

/** Same mask; same data where not masked. */
function expectMasked(got: unknown, want: MEnc, label: string): void {
  expect(got, label).toBeInstanceOf(da.ma.MaskedNDArray);
  const g = got as da.ma.MaskedNDArray;
  expect(g.shape, label).toEqual(want.mask.shape);
  const wm = decode(want.mask);
  expect(Array.from(g.mask.data), `${label} mask`).toEqual(wm);
  const wd = decode(want.data);
  wd.forEach((v, k) => {
    if (wm[k]) return;
    const x = g.data.data[k];
    if (Number.isNaN(v)) expect(x, `${label}[${k}]`).toBeNaN();
    else if (Math.abs(x - v) > Math.max(1e-12, 1e-9 * Math.abs(v))) expect(x, `${label}[${k}]`).toBe(v);
  });
}
function expectScalar(got: unknown, want: unknown, label: string): void {
  if (want === null) expect(got, label).toBeNull();
  else expect(got as number, label).toBeCloseTo(want as number, 9);
}

for (const { label, chunks } of CHUNKINGS) {
  describe(`da.ma reductions, ${label}`, () => {
    const make = () => {
      const A = da.fromArray(nd(enc('A')), { chunks: chunks as never });
      const N = da.fromArray(nd(enc('N')), { chunks: chunks as never });
      const I = da.fromArray(nd(enc('I')), { chunks: chunks as never });
      return {
        inv: da.ma.maskedInvalid(N),
        wh: da.ma.maskedWhere(A.gt(1), A),
        gi: da.ma.maskedGreater(I, 5),
      };
    };
    it('sum, mean, min, max, prod over everything and along each axis (NaN/inf masked, condition, int32)', async () => {
      const arrays = make();
      for (const [name, m] of Object.entries(arrays)) {
        for (const fn of ['sum', 'mean', 'min', 'max', 'prod'] as const) {
          expectScalar(await m[fn]().compute(sync), M[`${name}.${fn}()`], `${name}.${fn}()`);
          for (const axis of [0, 1]) expectMasked(await m[fn]({ axis }).compute(axis ? threads : sync), menc(`${name}.${fn}(axis=${axis})`), `${name}.${fn}(axis=${axis})`);
        }
        expectMasked(await m.sum({ axis: 1, keepdims: true }).compute(sync), menc(`${name}.sum(axis=1,keepdims)`), `${name}.sum keepdims`);
        expect(await m.count().compute(sync)).toBe(M[`${name}.count()`]);
        expectClose(await m.count({ axis: 0 }).compute(sync), enc(`${name}.count(axis=0)`));
      }
    });
    it('var and std with ddof 0 and 1, and a row whose count does not exceed ddof', async () => {
      const arrays = make();
      for (const [name, m] of Object.entries(arrays)) {
        for (const ddof of [0, 1]) {
          expectScalar(await m.var({ ddof }).compute(sync), M[`${name}.var(ddof=${ddof})`], `${name}.var`);
          expectScalar(await m.std({ ddof }).compute(sync), M[`${name}.std(ddof=${ddof})`], `${name}.std`);
          for (const axis of [0, 1]) {
            expectMasked(await m.var({ axis, ddof }).compute(sync), menc(`${name}.var(axis=${axis},ddof=${ddof})`), `${name}.var(${axis},${ddof})`);
            expectMasked(await m.std({ axis, ddof }).compute(sync), menc(`${name}.std(axis=${axis},ddof=${ddof})`), `${name}.std(${axis},${ddof})`);
          }
        }
      }
      expectMasked(await arrays.inv.var({ axis: 1, ddof: 5 }).compute(sync), menc('row 6 var ddof=5 axis=1'), 'ddof 5');
    });
    it('the masked arrays themselves, filled, getdata and getmaskarray', async () => {
      const { inv, wh, gi } = make();
      expectMasked(await inv.compute(threads), menc('inv'), 'inv');
      expectMasked(await wh.compute(sync), menc('wh'), 'wh');
      expectMasked(await gi.compute(sync), menc('gi'), 'gi');
      expectClose(await da.ma.filled(inv).compute(sync), enc('inv.filled()'));
      expectClose(await da.ma.filled(wh, -1).compute(sync), enc('wh.filled(-1)'));
      expectClose(await gi.filled().compute(sync), enc('gi.filled()'));
      expectClose(await da.ma.getdata(inv).compute(sync), enc('N'));
      expectClose(await da.ma.getmaskarray(inv).compute(sync), menc('inv').mask);
    });
  });
}

describe('da.ma constructors and elementwise operations', () => {
  const A = () => da.fromArray(nd(enc('A')), { chunks: [3, 2] });
  const N = () => da.fromArray(nd(enc('N')), { chunks: [[2, 4, 1], [5]] });
  const I = () => da.fromArray(nd(enc('I')), { chunks: 1 });
  it("maskedEqual's fill value is the value; inside, outside, lessEqual", async () => {
    const e = da.ma.maskedEqual(I(), 3);
    expect(e.fillValue).toBe(3);
    expectClose(await e.filled().compute(sync), enc('masked_equal(I,3).filled()'));
    expectScalar(await e.sum().compute(sync), M['masked_equal(I,3).sum()'], 'sum');
    expectMasked(await da.ma.maskedInside(A(), 1, -1).compute(sync), menc('masked_inside(A,-1,1)'), 'inside');
    expectMasked(await da.ma.maskedOutside(A(), -1, 1).mean({ axis: 0 }).compute(sync), menc('masked_outside(A,-1,1).mean(axis=0)'), 'outside');
    expectMasked(await da.ma.maskedLessEqual(I(), 0).compute(sync), menc('masked_less_equal(I,0)'), 'less_equal');
  });
  it('binary operations mask the union and keep the first operand data; division, sqrt and log mask their domain', async () => {
    const inv = da.ma.maskedInvalid(N());
    const wh = da.ma.maskedWhere(A().gt(1), A());
    expectMasked(await inv.add(wh).compute(sync), menc('inv+wh'), 'inv+wh');
    expectMasked(await wh.mul(2).sub(inv).compute(threads), menc('wh*2-inv'), 'wh*2-inv');
    expectMasked(await inv.div(nd(enc('B'))).compute(sync), menc('inv/B'), 'inv/B');
    expectMasked(await wh.sqrt().compute(sync), menc('sqrt(wh)'), 'sqrt');
    expectMasked(await inv.log().compute(sync), menc('log(inv)'), 'log');
  });
  it('fixInvalid, an all-masked sum (null, NumPy masked), maskedArray with a mask, bad input', async () => {
    expectMasked(await da.ma.fixInvalid(N()).compute(sync), menc('fix_invalid(N)'), 'fix');
    const f = await da.ma.fixInvalid(N(), { fillValue: -5 }).compute(sync);
    expectMasked(f, menc('fix_invalid(N,fill=-5)'), 'fix -5');
    expect(decode(menc('fix_invalid(N,fill=-5)').data)).toEqual(Array.from(f.data.data).map((v, k) => (f.mask.data[k] ? decode(menc('fix_invalid(N,fill=-5)').data)[k] : v)));
    expect(await da.ma.maskedArray(da.ones([3], { chunks: 1 }), { mask: true }).sum().compute(sync)).toBeNull();
    expect(M['all masked sum']).toBeNull();
    const m = da.ma.maskedArray([1, 2, 3, 4], { mask: [true, false, false, true], fillValue: -1 });
    const r = await m.compute(sync);
    expect(r.toArray()).toEqual([null, 2, 3, null]);
    expect(Array.from(r.filled().data)).toEqual([-1, 2, 3, -1]);
    expect(await m.mean().compute(sync)).toBe(2.5);
    expect(() => da.ma.maskedWhere(da.ones([3], { chunks: 1 }).gt(0), da.ones([4], { chunks: 1 }))).toThrow(/inconsistent shape/);
    expect(() => m.sum({ axes: 0 } as never)).toThrow(/unknown option 'axes'.*did you mean 'axis'/);
  });
});
