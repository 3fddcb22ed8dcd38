/**
 * StandardScaler's column statistics from one pass of per-block moments merged pairwise
 * (preprocessing/column-moments.ts): equal to the two-pass mean and variance computed here, over
 * empty, one-row and uneven blocks, integer input, a constant column, and NaN (which propagates
 * to its column only, as NumPy's mean and var).
 */
import { describe, expect, it } from 'vitest';
import * as da from '@pdask/array';
import { StandardScaler } from '../src/index';
import { expectClose, SCHEDULERS } from './helpers';

function twoPass(x: ArrayLike<number>, n: number, d: number): [number[], number[]] {
  const mean = Array.from({ length: d }, (_, j) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += x[i * d + j];
    return s / n;
  });
  const v = mean.map((m, j) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += (x[i * d + j] - m) ** 2;
    return s / n;
  });
  return [mean, v];
}

const n = 9;
const d = 3;
const rowsOf = (i: number) => [1e6 + i * 0.5, i % 2 ? -3.25 : 7, 4];

describe.each(SCHEDULERS)('StandardScaler column statistics ($scheduler)', (opts) => {
  for (const chunks of [[0, 5, 0, 3, 1], [1, 1, 1, 1, 1, 1, 1, 1, 1], [9]]) {
    it(`blocks [${chunks}]`, async () => {
      const flat = Float64Array.from(Array.from({ length: n }, (_, i) => rowsOf(i)).flat());
      const s = await new StandardScaler().fit(da.fromArray(flat, { shape: [n, d], chunks: [chunks, [d]] }), opts);
      const [m, v] = twoPass(flat, n, d);
      expectClose(s.mean, m, 1e-14, 'mean');
      expectClose(s.var, v, 1e-12, 'var');
      expect(s.var[2]).toBe(0);
      expect(s.scale![2]).toBe(1);
    });
  }

  it('integer input, and NaN in one column', async () => {
    const ints = Int32Array.from({ length: n * d }, (_, i) => (i * 7) % 11 - 5);
    const s = await new StandardScaler().fit(da.fromArray(ints, { shape: [n, d], chunks: [[4, 0, 5], [d]] }), opts);
    const [m, v] = twoPass(ints, n, d);
    expectClose(s.mean, m, 1e-14, 'mean');
    expectClose(s.var, v, 1e-13, 'var');
    const withNan = Float64Array.from(ints);
    withNan[4 * d + 1] = NaN;
    const t = await new StandardScaler().fit(da.fromArray(withNan, { shape: [n, d], chunks: [[4, 0, 5], [d]] }), opts);
    expect(Number.isNaN(t.mean[1]) && Number.isNaN(t.var[1])).toBe(true);
    expectClose([t.mean[0], t.mean[2]], [m[0], m[2]], 1e-14, 'mean');
    expectClose([t.var[0], t.var[2]], [v[0], v[2]], 1e-13, 'var');
  });
});
