/** mapOverlap against NumPy (stencils over np.pad-ed arrays) and dask.array.map_overlap (fixtures). */
import { afterAll, describe, expect, it } from 'vitest';
import { closeThreadPools } from '@pdask/core';
import * as da from '../src/index';
import { NDArray } from '../src/ndarray';
import { decode, expectClose, fixtures, type Enc } from './helpers';

afterAll(() => closeThreadPools());
const sync = { scheduler: 'sync' } as const;
const threads = { scheduler: 'threads', numWorkers: 2 } as const;
const F = fixtures.overlap;
const arr = (name: string) => new NDArray(Float64Array.from(decode(F[name])), F[name].shape, 'float64');

// The fixture script's stencils, in self-contained JS (they run on worker threads).
function laplace(a: NDArray): NDArray {
  const [r, c] = a.shape;
  const out = Float64Array.from(a.data);
  for (let i = 1; i < r - 1; i++) {
    for (let j = 1; j < c - 1; j++) {
      const p = i * c + j;
      out[p] = a.data[p - c] + a.data[p + c] + a.data[p - 1] + a.data[p + 1] - 4 * a.data[p];
    }
  }
  return new (a.constructor as new (d: Float64Array, s: readonly number[], t: string) => NDArray)(out, a.shape, 'float64');
}
function window5(a: NDArray): Float64Array {
  const out = Float64Array.from(a.data);
  for (let i = 2; i < a.size - 2; i++) out[i] = a.data[i - 2] + a.data[i - 1] + a.data[i] + a.data[i + 1] + a.data[i + 2];
  return out;
}

describe('mapOverlap', () => {
  for (const boundary of ['reflect', 'periodic', 'nearest', 'none'] as const) {
    it(`a 2-d Laplacian (depth 1) and a 1-d window (depth 2), boundary '${boundary}', uneven and one-element blocks`, async () => {
      for (const chunks of [[4, 3], [[2, 4, 3], [1, 5, 1]], -1] as const) {
        const g = da.fromArray(arr('G'), { chunks: chunks as never });
        expectClose(await g.mapOverlap(laplace, { depth: 1, boundary }).compute(threads), F[`laplace_${boundary}`]);
      }
      for (const chunks of [4, 13, [[3, 2, 8]]] as const) {
        const w = da.fromArray(arr('W'), { chunks: chunks as never });
        expectClose(await w.mapOverlap(window5, { depth: 2, boundary }).compute(sync), F[`window5_${boundary}`]);
      }
    });
  }

  it('a constant boundary, per-axis boundaries and depths', async () => {
    const g = da.fromArray(arr('G'), { chunks: [4, 3] });
    expectClose(await da.mapOverlap(laplace, g, { depth: [1, 1], boundary: -2.5 }).compute(sync), F['laplace_-2.5']);
    expectClose(await g.mapOverlap(laplace, { depth: { 0: 1, 1: 1 }, boundary: { 0: 'periodic', 1: 'nearest' } }).compute(threads), F.laplace_periodic_nearest);
  });

  it('trim: false keeps each block with its halo (Dask trim=False)', async () => {
    const w = da.fromArray(arr('W'), { chunks: 5 });
    const r = w.mapOverlap((b) => b, { depth: 2, boundary: 'reflect', trim: false });
    expect(r.chunks).toEqual([[9, 9, 7]]);
    expectClose(await r.compute(sync), F.window5_reflect_untrimmed);
  });

  it('passes the block location; rejects bad depth and boundary', async () => {
    const w = da.fromArray(arr('W'), { chunks: 5 });
    const loc = w.mapOverlap((b, info) => b.size * 0 + info.arrayLocation[0][0], { depth: 1, boundary: 'none' });
    expect(Array.from(((await loc.compute(sync)) as NDArray).data)).toEqual([...Array(5).fill(0), ...Array(5).fill(5), ...Array(3).fill(10)]);
    expect(() => w.mapOverlap((b) => b, { depth: -1 })).toThrow(/non-negative integer/);
    expect(() => w.mapOverlap((b) => b, { depth: 1, boundary: 'mirror' as never })).toThrow(/unknown boundary 'mirror'/);
    expect(() => w.mapOverlap((b) => b, { depth: [1, 2] })).toThrow(/2 entries for 1 dimensions/);
  });
});

// Section "gaps" of the fixtures: one depth and boundary per array.
const G4 = (fixtures as unknown as { gaps: Record<string, Enc>; more: Record<string, Enc> });
const H = () => new NDArray(Float64Array.from(decode(G4.more.H)), G4.more.H.shape, 'float64');

/** laplace(a) * (h two rows up + h two rows down): a has a halo of 1, h of 2 (so h[i+1, j+1] is a[i, j]). */
function lapH(a: NDArray, h: NDArray): NDArray {
  const [r, c] = a.shape;
  const hc = h.shape[1];
  if (h.shape[0] !== r + 2 || hc !== c + 2) throw new Error(`h's block [${h.shape.join(', ')}] should be 1 wider than a's [${r}, ${c}] on every side`);
  const out = Float64Array.from(a.data);
  for (let i = 1; i < r - 1; i++) {
    for (let j = 1; j < c - 1; j++) {
      const p = i * c + j;
      const lap = a.data[p - c] + a.data[p + c] + a.data[p - 1] + a.data[p + 1] - 4 * a.data[p];
      out[p] = lap * (h.data[(i - 1) * hc + j + 1] + h.data[(i + 3) * hc + j + 1]);
    }
  }
  return new (a.constructor as new (d: Float64Array, s: readonly number[], t: string) => NDArray)(out, a.shape, 'float64');
}
/** laplace(a) * h with h not extended (depth 0): h[i - 1, j - 1] is a[i, j]. */
function lapTimesCore(a: NDArray, h: NDArray): NDArray {
  const [r, c] = a.shape;
  const hc = h.shape[1];
  const out = Float64Array.from(a.data);
  for (let i = 1; i < r - 1; i++) {
    for (let j = 1; j < c - 1; j++) {
      const p = i * c + j;
      out[p] = (a.data[p - c] + a.data[p + c] + a.data[p - 1] + a.data[p + 1] - 4 * a.data[p]) * h.data[(i - 1) * hc + j - 1];
    }
  }
  return new (a.constructor as new (d: Float64Array, s: readonly number[], t: string) => NDArray)(out, a.shape, 'float64');
}

describe('mapOverlap of several arrays, one depth and boundary per array ({ perArray })', () => {
  for (const [cg, ch] of [[[3, [3, 4]], [3, [3, 4]]], [[4, 3], [4, 3]], [1, 1], [-1, -1], [[4, 3], [[2, 7], [5, 2]]]] as const) {
    it(`a with depth 1 'periodic', h with depth 2 'nearest', chunks ${JSON.stringify(cg)} and ${JSON.stringify(ch)}`, async () => {
      const g = da.fromArray(arr('G'), { chunks: cg as never });
      const h = da.fromArray(H(), { chunks: ch as never });
      const r = da.mapOverlap(lapH, [g, h], { depth: { perArray: [1, 2] }, boundary: { perArray: ['periodic', 'nearest'] } });
      expectClose(await r.compute(threads), G4.gaps['lap(G)*(H[i-2]+H[i+2])'], 1e-12);
      // The same, with per-dimension and per-axis forms inside the per-array lists.
      const r2 = da.mapOverlap(lapH, [g, h], { depth: { perArray: [{ 0: 1, 1: 1 }, [2, 2]] }, boundary: { perArray: [['periodic', 'periodic'], { 0: 'nearest', 1: 'nearest' }] } });
      expectClose(await r2.compute(sync), G4.gaps['lap(G)*(H[i-2]+H[i+2])'], 1e-12);
    });
  }

  it('depth 0 for one array: its blocks come without halo; the result follows the first array', async () => {
    const g = da.fromArray(arr('G'), { chunks: [4, 3] });
    const h = da.fromArray(H(), { chunks: [[2, 7], 3] });
    const r = da.mapOverlap(lapTimesCore, [g, h], { depth: { perArray: [1, 0] }, boundary: 'reflect' });
    expectClose(await r.compute(threads), G4.more['laplace(G)*H_reflect'], 1e-12);
    // Untrimmed, the blocks (rows [4, 4, 1] and [2, 7] unified: [2, 2, 4, 1]) have the first array's halo.
    const u = da.mapOverlap(lapTimesCore, [g, h], { depth: { perArray: [1, 0] }, boundary: 'reflect', trim: false });
    expect(u.chunks).toEqual([[4, 4, 6, 3], [5, 5, 3]]);
  });

  it('names a per-array list of the wrong length and a bad entry', () => {
    const g = da.fromArray(arr('G'), { chunks: 4 });
    expect(() => da.mapOverlap(lapH, [g, g], { depth: { perArray: [1] } })).toThrow(/depth \{ perArray \} needs one entry per array \(2\), got 1/);
    expect(() => da.mapOverlap(lapH, [g, g], { depth: 1, boundary: { perArray: ['reflect', 'mirror' as never] } })).toThrow(/unknown boundary 'mirror' of array 1/);
    expect(() => da.mapOverlap(lapH, [g, g], { depth: { perArray: [1, -2] } })).toThrow(/depth of array 1 must be a non-negative integer, got -2/);
  });
});
