import { beforeAll, describe, expect, it } from 'vitest';
import {
  EMPTY_MOMENTS,
  loadKernels,
  mergeArgmax,
  mergeArgmin,
  mergeMoments,
  mergeNanmin,
  momentsMean,
  momentsVar,
  type ArgExtremum,
  type Kernels,
  type Moments,
} from '../src/index.js';
import { expectClose } from './helpers.js';

let k: Kernels;

beforeAll(async () => {
  k = await loadKernels();
});

/** A deterministic pseudo-random series (xorshift) with NaNs, ties and a large offset. */
function data(n: number): Float64Array {
  const x = new Float64Array(n);
  let s = 0x2545f491;
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    x[i] = 1e6 + (s >>> 0) / 2 ** 32;
  }
  x[n >> 1] = 1e6 - 5; // the minimum, also at...
  x[n - 3] = 1e6 - 5; // ...a later tie
  return x;
}

function chunks(n: number): [number, number][] {
  const cuts = [0, 1, 1, 1000, 12_345, 100_000, n - 1, n];
  return cuts.slice(1).map((c, i) => [cuts[i], c]);
}

describe('merging partials equals the whole-array result', () => {
  const n = 200_001;
  const x = data(n);

  it('moments (sum, mean, var) over uneven chunks, including empty and one-element chunks', () => {
    let acc: Moments = { ...EMPTY_MOMENTS };
    for (const [a, b] of chunks(n)) acc = mergeMoments(acc, k.moments(x.subarray(a, b)));
    const whole = k.moments(x);
    expect(acc.count).toBe(n);
    expectClose(acc.sum, whole.sum, 1e-15, 'sum');
    expectClose(momentsMean(acc), k.mean(x), 1e-15, 'mean');
    expectClose(momentsVar(acc, 1), k.var(x, { ddof: 1 }), 1e-10, 'var');
  });

  it('moments with NaN (skipna) merge to nanmean / nanvar', () => {
    const y = x.slice();
    for (let i = 0; i < n; i += 10) y[i] = NaN;
    let acc: Moments = { ...EMPTY_MOMENTS };
    for (const [a, b] of chunks(n)) acc = mergeMoments(acc, k.moments(y.subarray(a, b), { skipna: true }));
    expect(acc.count).toBe(k.count(y));
    expectClose(momentsMean(acc), k.nanmean(y), 1e-15, 'nanmean');
    expectClose(momentsVar(acc), k.nanvar(y), 1e-10, 'nanvar');
  });

  it('argmin/argmax partials with global offsets pick the first extreme', () => {
    let lo: ArgExtremum = { value: NaN, index: -1 };
    let hi: ArgExtremum = { value: NaN, index: -1 };
    for (const [a, b] of chunks(n)) {
      lo = mergeArgmin(lo, k.argminPartial(x.subarray(a, b), { offset: a }));
      hi = mergeArgmax(hi, k.argmaxPartial(x.subarray(a, b), { offset: a }));
    }
    expect(lo).toEqual({ value: 1e6 - 5, index: n >> 1 });
    expect(lo.index).toBe(k.argmin(x));
    expect(hi.index).toBe(k.argmax(x));
    expect(hi.value).toBe(k.max(x));
  });

  it('a NaN in a later chunk wins argmin; nanargmin partials skip it', () => {
    const y = x.slice();
    y[150_000] = NaN;
    y[160_000] = NaN;
    let lo: ArgExtremum = { value: NaN, index: -1 };
    let nanlo: ArgExtremum = { value: NaN, index: -1 };
    for (const [a, b] of chunks(n)) {
      lo = mergeArgmin(lo, k.argminPartial(y.subarray(a, b), { offset: a }));
      nanlo = mergeArgmin(nanlo, k.argminPartial(y.subarray(a, b), { offset: a, skipna: true }));
    }
    expect(lo.index).toBe(150_000);
    expect(Number.isNaN(lo.value)).toBe(true);
    expect(nanlo.index).toBe(n >> 1);
  });

  it('nanmin partials: empty and all-NaN chunks are ignored', () => {
    const parts = [new Float64Array([NaN, NaN]), new Float64Array([3, NaN]), new Float64Array([NaN]), new Float64Array([-1])];
    const got = parts.map((p) => k.nanmin(p)).reduce(mergeNanmin);
    expect(got).toBe(-1);
  });
});
