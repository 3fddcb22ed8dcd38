/**
 * User-defined reductions (Dask's da.reduction) against values computed here from first
 * principles (plain loops over the data, NumPy's definitions), on sync and threads, with odd
 * chunkings, several combine levels and keepdims.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { closeThreadPools, UnshippableFunctionError } from '@pdask/core';
import * as da from '../src/index';
import type { NDArray } from '../src/ndarray';

afterAll(() => closeThreadPools());

const SCHEDULERS = [{ scheduler: 'sync' }, { scheduler: 'threads', numWorkers: 2 }] as const;

/** Deterministic values with signs and no ties. */
const values = (n: number) => Float64Array.from({ length: n }, (_, i) => Math.sin(i * 1.7 + 0.3) * 10 + i * 1e-6);

/** NumPy's reduction of a C-order array over `axes` by `f`, keeping reduced axes as length 1. */
function reference(data: Float64Array, shape: number[], axes: number[], init: number, f: (acc: number, v: number) => number): { shape: number[]; data: number[] } {
  const out = shape.map((s, d) => (axes.includes(d) ? 1 : s));
  const acc = new Array<number>(out.reduce((a, b) => a * b, 1)).fill(init);
  const idx = shape.map(() => 0);
  for (let i = 0; i < data.length; i++) {
    let o = 0;
    for (let d = 0; d < shape.length; d++) o = o * out[d] + (axes.includes(d) ? 0 : idx[d]);
    acc[o] = f(acc[o], data[i]);
    for (let d = shape.length - 1; d >= 0 && ++idx[d] === shape[d]; d--) idx[d] = 0;
  }
  return { shape: out, data: acc };
}

// The user functions below are self-contained (no captured variables), as shipped functions must be.

/** Sum of squares along the axes, keeping them (a chunk step). */
function sumSquares(b: NDArray, o: { axis: number[] }) {
  const shape = b.shape.map((s, d) => (o.axis.includes(d) ? 1 : s));
  const out = new Float64Array(shape.reduce((a, c) => a * c, 1));
  const idx = b.shape.map(() => 0);
  for (let i = 0; i < b.data.length; i++) {
    let k = 0;
    for (let d = 0; d < shape.length; d++) k = k * shape[d] + (o.axis.includes(d) ? 0 : idx[d]);
    out[k] += b.data[i] * b.data[i];
    for (let d = shape.length - 1; d >= 0 && ++idx[d] === b.shape[d]; d--) idx[d] = 0;
  }
  return { shape, data: out };
}

/** Sum along the axes, keeping them (combine/aggregate of partial sums). */
function sumAlong(b: NDArray, o: { axis: number[] }) {
  const shape = b.shape.map((s, d) => (o.axis.includes(d) ? 1 : s));
  const out = new Float64Array(shape.reduce((a, c) => a * c, 1));
  const idx = b.shape.map(() => 0);
  for (let i = 0; i < b.data.length; i++) {
    let k = 0;
    for (let d = 0; d < shape.length; d++) k = k * shape[d] + (o.axis.includes(d) ? 0 : idx[d]);
    out[k] += b.data[i];
    for (let d = shape.length - 1; d >= 0 && ++idx[d] === b.shape[d]; d--) idx[d] = 0;
  }
  return { shape, data: out };
}

/** Max along the axes, keeping them: chunk, combine and aggregate alike. */
function maxAlong(b: NDArray, o: { axis: number[] }) {
  const shape = b.shape.map((s, d) => (o.axis.includes(d) ? 1 : s));
  const out = new Float64Array(shape.reduce((a, c) => a * c, 1)).fill(-Infinity);
  const idx = b.shape.map(() => 0);
  for (let i = 0; i < b.data.length; i++) {
    let k = 0;
    for (let d = 0; d < shape.length; d++) k = k * shape[d] + (o.axis.includes(d) ? 0 : idx[d]);
    if (b.data[i] > out[k]) out[k] = b.data[i];
    for (let d = shape.length - 1; d >= 0 && ++idx[d] === b.shape[d]; d--) idx[d] = 0;
  }
  return { shape, data: out };
}

function expectValues(got: unknown, want: number[], shape: number[]) {
  if (shape.length === 0) {
    expect(typeof got).toBe('number');
    expect(got as number).toBeCloseTo(want[0], 9);
    return;
  }
  const nd = got as NDArray;
  expect([...nd.shape]).toEqual(shape);
  expect(nd.data.length).toBe(want.length);
  want.forEach((w, i) => expect(nd.data[i]).toBeCloseTo(w, 9));
}

describe('da.reduction with user functions', () => {
  // 7 x 11 in odd blocks (3, 3, 1) x (4, 4, 3); splitEvery 2 gives two combine levels along axis 0.
  const shape = [7, 11];
  const data = values(77);
  const x = da.fromArray(data, { shape, chunks: [[3, 3, 1], [4, 4, 3]] });

  for (const opts of SCHEDULERS) {
    describe(opts.scheduler, () => {
      it('a sum of squares over each axis, both and none, with and without keepdims', async () => {
        for (const axis of [0, 1, [0, 1], undefined] as const) {
          for (const keepdims of [false, true]) {
            const axes = axis === undefined ? [0, 1] : typeof axis === 'number' ? [axis] : [...axis];
            const want = reference(data, shape, axes, 0, (a, v) => a + v * v);
            const r = da.reduction(x, sumSquares, sumAlong, { axis, keepdims, splitEvery: 2 });
            const outShape = keepdims ? want.shape : shape.filter((_, d) => !axes.includes(d));
            expect(r.shape).toEqual(outShape);
            expectValues(await r.compute(opts), want.data, outShape);
          }
        }
      });

      it('a max over axis 0 (combine defaults to aggregate)', async () => {
        const want = reference(data, shape, [0], -Infinity, Math.max);
        const r = da.reduction(x, maxAlong, maxAlong, { axis: 0, splitEvery: 2 });
        expectValues(await r.compute(opts), want.data, [11]);
      });

      it('a mean from (sum, count) partials, unconcatenated, over every axis', async () => {
        const mean = da.reduction(
          x,
          (b: NDArray) => {
            let s = 0;
            for (let i = 0; i < b.data.length; i++) s += b.data[i];
            return { s, n: b.data.length };
          },
          (parts: { s: number; n: number }[]) => parts.reduce((a, p) => a + p.s, 0) / parts.reduce((a, p) => a + p.n, 0),
          {
            concatenate: false,
            combine: (parts: { s: number; n: number }[]) => ({ s: parts.reduce((a, p) => a + p.s, 0), n: parts.reduce((a, p) => a + p.n, 0) }),
            splitEvery: 4,
          },
        );
        const want = data.reduce((a, v) => a + v, 0) / data.length;
        expect(mean.shape).toEqual([]);
        expect((await mean.compute(opts)) as number).toBeCloseTo(want, 12);
      });

      it('a 3-d reduction over axes 0 and 2 with per-axis splitEvery and a float32 result', async () => {
        const shape3 = [5, 4, 6];
        const d3 = values(120);
        const y = da.fromArray(d3, { shape: shape3, chunks: [2, 3, [1, 2, 3]] });
        const r = da.reduction(y, sumSquares, sumAlong, { axis: [0, 2], splitEvery: { 0: 2, 2: 2 }, dtype: 'float32' });
        expect(r.dtype).toBe('float32');
        const got = (await r.compute(opts)) as NDArray;
        const want = reference(d3, shape3, [0, 2], 0, (a, v) => a + v * v);
        expect([...got.shape]).toEqual([4]);
        want.data.forEach((w, i) => expect(got.data[i]).toBeCloseTo(Math.fround(w), 3));
      });
    });
  }

  it('refuses a closure, naming what it captures', () => {
    const scale = 2;
    expect(() => da.reduction(x, (b: NDArray) => ({ shape: [...b.shape], data: b.data.map((v) => v * scale) }), sumAlong)).toThrow(UnshippableFunctionError);
    expect(() => da.reduction(x, (b: NDArray) => ({ shape: [...b.shape], data: b.data.map((v) => v * scale) }), sumAlong)).toThrow(/scale/);
  });

  it('names a partial that cannot be concatenated', async () => {
    const r = da.reduction(x, () => ({ shape: [1], data: new Float64Array(1) }), sumAlong, { axis: 0 });
    await expect(r.compute({ scheduler: 'sync' })).rejects.toThrow(/partials must be arrays of 2 dimensions/);
  });
});
