/**
 * Mid-sized inputs (32 KB to 1 MiB): `fromArray` copies them once into a SharedArrayBuffer and
 * cuts blocks as views on it, so a batch carrying them crosses to worker threads by reference.
 * References are computed in the tests from first principles (integer data: sums are exact).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { closeThreadPools } from '@pdask/core';
import * as da from '../src/index';
import type { NDArray } from '../src/ndarray';

afterAll(() => closeThreadPools());
const sync = { scheduler: 'sync' } as const;
const threads = { scheduler: 'threads', numWorkers: 2 } as const;

const N = 10_000; // 80 KB of float64: above the 32 KB sharing threshold, below the arena's 1 MiB
const x = Float64Array.from({ length: N }, (_, i) => i % 1000);
const y = Float64Array.from({ length: N }, (_, i) => (i * 7) % 13);

function plain(f: (a: number, b: number) => number): number {
  let s = 0;
  for (let i = 0; i < N; i++) s += f(x[i], y[i]);
  return s;
}

describe('fromArray of a mid-sized array', () => {
  it('blocks are views on one SharedArrayBuffer, a copy of the data (not the caller\'s array)', () => {
    const dx = da.fromArray(x, { chunks: 2500 });
    const blocks = [...dx.layer.layer.materialize()].map((n) => (n as { value: { data: Float64Array } }).value.data);
    expect(blocks.length).toBe(4);
    const buffer = blocks[0].buffer;
    expect(buffer instanceof SharedArrayBuffer).toBe(true);
    expect(buffer === x.buffer).toBe(false);
    for (let b = 0; b < 4; b++) {
      expect(blocks[b].buffer).toBe(buffer);
      expect(blocks[b].length).toBe(2500);
      for (const i of [0, 1, 1234, 2499]) expect(blocks[b][i]).toBe((b * 2500 + i) % 1000);
    }
  });

  it('a small array (under 32 KB) is still sliced into ordinary blocks', () => {
    const small = x.subarray(0, 1000);
    const blocks = [...da.fromArray(small, { chunks: 250 }).layer.layer.materialize()].map((n) => (n as { value: { data: Float64Array } }).value.data);
    expect(blocks.map((b) => b.buffer instanceof SharedArrayBuffer)).toEqual([false, false, false, false]);
    expect(blocks[3][249]).toBe(999);
  });

  it('(x + y).sum(), x.sum() and x - y on sync and threads are exact', async () => {
    const dx = da.fromArray(x, { chunks: 2500 });
    const dy = da.fromArray(y, { chunks: 2500 });
    for (const opts of [sync, threads]) {
      expect(await dx.add(dy).sum().compute(opts)).toBe(plain((a, b) => a + b));
      expect(await dx.sum().compute(opts)).toBe(plain((a) => a));
      const d = (await dx.sub(dy).compute(opts)) as NDArray;
      for (const i of [0, 1, 2499, 2500, 7777, N - 1]) expect(d.get(i)).toBe(x[i] - y[i]);
    }
  });

  it('changing the caller\'s array afterwards does not change the blocks', async () => {
    const z = x.slice();
    const dz = da.fromArray(z, { chunks: 2500 });
    z.fill(0);
    expect(await dz.sum().compute(threads)).toBe(plain((a) => a));
    expect(await dz.sum().compute(sync)).toBe(plain((a) => a));
  });

  it('a small array is a snapshot too: changing the caller\'s array afterwards does not change it', async () => {
    const z = Float64Array.from({ length: 100 }, (_, i) => i);
    const dz = da.fromArray(z, { chunks: 25 });
    z.fill(0);
    // 0 + 1 + ... + 99
    expect(await dz.sum().compute(sync)).toBe(4950);
    expect(await dz.sum().compute(threads)).toBe(4950);
  });

  it('a computed result is an ordinary array, and changing it does not change the blocks', async () => {
    const dx = da.fromArray(x, { chunks: N });
    const r = (await dx.compute(sync)) as NDArray;
    expect(r.data.buffer instanceof SharedArrayBuffer).toBe(false);
    r.data.fill(0);
    expect(await dx.sum().compute(sync)).toBe(plain((a) => a));
  });
});

describe('fromArray of a mid-sized 2-d array cut across rows', () => {
  // 100 x 100 float64 (80 KB), blocks of 50 x 50: not contiguous ranges, so each is copied out.
  const M = Float64Array.from({ length: 10_000 }, (_, i) => (i % 100) * 3 + Math.floor(i / 100));

  it('blocks hold the right elements, and sums are exact on sync and threads', async () => {
    const dm = da.fromArray(M, { shape: [100, 100], chunks: [50, 50] });
    const blocks = [...dm.layer.layer.materialize()].map((n) => (n as { value: { data: Float64Array; shape: number[] } }).value);
    expect(blocks.map((b) => b.shape)).toEqual([[50, 50], [50, 50], [50, 50], [50, 50]]);
    // Block (1, 0): rows 50-99, columns 0-49; element (r, c) of it is M[(50 + r) * 100 + c].
    expect(blocks[2].data[0]).toBe(M[5000]);
    expect(blocks[2].data[50 * 49 + 49]).toBe(M[99 * 100 + 49]);
    let total = 0;
    for (let i = 0; i < M.length; i++) total += M[i];
    for (const opts of [sync, threads]) expect(await dm.sum().compute(opts)).toBe(total);
    // Column sums: sum over rows r of (c * 3 + r) = 300 c + 4950.
    const cols = (await dm.sum({ axis: 0 }).compute(threads)) as NDArray;
    for (const c of [0, 49, 50, 99]) expect(cols.get(c)).toBe(300 * c + 4950);
  });
});

describe('fromArray again on the same array (the snapshot memory)', () => {
  const bufferOf = (d: da.ChunkedArray) => ((dBlocks(d)[0] as { value: { data: Float64Array } }).value.data.buffer);
  const dBlocks = (d: da.ChunkedArray) => [...d.layer.layer.materialize()];

  it('unchanged data: the same name, and blocks on the same snapshot (no second copy)', () => {
    const z = x.slice();
    const a = da.fromArray(z, { chunks: 2500 });
    const b = da.fromArray(z, { chunks: 2500 });
    expect(b.name).toBe(a.name);
    expect(bufferOf(b)).toBe(bufferOf(a));
    expect(bufferOf(a) === z.buffer).toBe(false);
  });

  it('changed data: a new name and new blocks; changed back: the first name again', async () => {
    const z = x.slice();
    const a = da.fromArray(z, { chunks: 2500 });
    z[7777] += 1;
    const b = da.fromArray(z, { chunks: 2500 });
    expect(b.name).not.toBe(a.name);
    expect(await b.sum().compute(sync)).toBe(plain((v) => v) + 1);
    expect(await a.sum().compute(threads)).toBe(plain((v) => v));
    z[7777] -= 1;
    const c = da.fromArray(z, { chunks: 2500 });
    expect(c.name).toBe(a.name);
    expect(await c.sum().compute(threads)).toBe(plain((v) => v));
  });

  it('0 and -0 are different data (bytes are compared, not values)', () => {
    const z = new Float64Array(N);
    const a = da.fromArray(z, { chunks: 2500 });
    z[3] = -0;
    expect(da.fromArray(z, { chunks: 2500 }).name).not.toBe(a.name);
  });

  it('the same bytes under other chunks or another dtype get their own names', () => {
    const z = x.slice();
    const a = da.fromArray(z, { chunks: 2500 });
    expect(da.fromArray(z, { chunks: 5000 }).name).not.toBe(a.name);
    expect(da.fromArray(new Int32Array(z.buffer), { chunks: 2500 }).name).not.toBe(a.name);
  });

  it('a small array changed between calls computes its new values', async () => {
    const z = Float64Array.from({ length: 100 }, (_, i) => i);
    const a = da.fromArray(z, { chunks: 25 });
    z[99] = 0;
    const b = da.fromArray(z, { chunks: 25 });
    expect(b.name).not.toBe(a.name);
    expect(await b.sum().compute(sync)).toBe(4950 - 99);
    expect(await a.sum().compute(sync)).toBe(4950);
  });

  it('data already in a SharedArrayBuffer is read in place: a change shows in the next call\'s name and values', async () => {
    const z = new Float64Array(new SharedArrayBuffer(N * 8));
    z.set(x);
    const a = da.fromArray(z, { chunks: 2500 });
    z[0] += 5;
    const b = da.fromArray(z, { chunks: 2500 });
    expect(b.name).not.toBe(a.name);
    expect(await b.sum().compute(sync)).toBe(plain((v) => v) + 5);
  });
});
