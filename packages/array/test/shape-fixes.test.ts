/**
 * Issue 13's wrong answers in indexing, expandDims, lstsq/norm and mapOverlap, against NumPy
 * (make_shape_routines.py). Each failed before its fix.
 */
import { describe, expect, it } from 'vitest';
import * as da from '../src/index';
import { NDArray } from '../src/ndarray';
import { expectRef, shapeInput } from './shape-fixtures';

const sync = { scheduler: 'sync' } as const;
const threads = { scheduler: 'threads', numWorkers: 2 } as const;
const CHUNKS = [1, 2, 3, -1] as const;

describe('a 1-d boolean NDArray as the only index of a 2-d array selects rows', () => {
  const M = shapeInput('M');
  const B = shapeInput('B');
  const rows = new NDArray(Uint8Array.from({ length: 7 }, (_, i) => B.get(i, 0)), [7], 'bool');
  for (const c of CHUNKS) {
    it(`chunks ${c}`, async () => {
      const x = da.fromArray(M, { chunks: c });
      expectRef(await x.slice(rows).compute(sync), 'M[B[:, 0]]');
    });
  }
  it('a 2-d mask over the leading dimensions of a 3-d array', async () => {
    const T = da.fromArray(shapeInput('T'), { chunks: [2, 3, 2] });
    const m = new NDArray(Uint8Array.from({ length: 12 }, (_, k) => B.get(Math.floor(k / 4), k % 4)), [3, 4], 'bool');
    expectRef(await T.slice(m).compute(threads), 'T[B[:3, :4]]');
  });
  it('a mask of the wrong length names the dimension', () => {
    const x = da.fromArray(M, { chunks: 2 });
    expect(() => x.slice(new NDArray(new Uint8Array(6), [6], 'bool'))).toThrow(/dimension 0; dimension is 7 but corresponding boolean dimension is 6/);
  });
});

describe('expandDims with several axes', () => {
  for (const c of CHUNKS) {
    it(`chunks ${c}`, async () => {
      const v = da.expandDims(da.fromArray(shapeInput('V'), { chunks: c }), [0, 1]);
      expect(v.shape).toEqual([1, 1, 9]);
      expectRef(await v.compute(sync), 'expandDims(V, [0, 1])');
      const m = da.expandDims(da.fromArray(shapeInput('M'), { chunks: c }), [-1, 0]);
      expect(m.shape).toEqual([1, 7, 5, 1]);
      expectRef(await m.compute(sync), 'expandDims(M, [-1, 0])');
    });
  }
  it('repeated or out-of-range axes are errors', () => {
    const v = da.fromArray(shapeInput('V'), { chunks: 3 });
    expect(() => da.expandDims(v, [0, 0])).toThrow(/repeated axis/);
    expect(() => da.expandDims(v, [0, 3])).toThrow(/axis 3 is out of bounds for array of dimension 3/);
  });
});

describe('linalg: lstsq residuals and norm keepdims', () => {
  it('lstsq of a 1-d right-hand side gives residuals of shape (1,)', async () => {
    const a = da.fromArray(shapeInput('TALL'), { chunks: [3, 3] });
    const y = da.fromArray(shapeInput('y'), { chunks: 3 });
    const [, res] = da.linalg.lstsq(a, y);
    expect(res.shape).toEqual([1]);
    expectRef(await res.compute(sync), 'lstsq(TALL, y) residuals');
  });
  for (const ord of [2, -2, 'nuc'] as const) {
    it(`norm ord ${ord} keepdims`, async () => {
      const x = da.fromArray(shapeInput('SQ'), { chunks: [1, 2] });
      const n = da.linalg.norm(x, { ord, keepdims: true });
      expect(n.shape).toEqual([1, 1]);
      expectRef(await n.compute(sync), `norm(SQ, ${ord}, keepdims)`);
    });
  }
});

describe('mapOverlap names itself in errors', () => {
  it('a function returning undefined', async () => {
    const x = da.fromArray(shapeInput('V'), { chunks: 4 });
    const r = x.mapOverlap(() => undefined as unknown as number, { depth: 1 });
    await expect(r.compute(sync)).rejects.toThrow(/^mapOverlap: the function returned undefined/);
  });
});
