/**
 * Zarr storage: round trips over odd chunkings and dtypes, reading arrays written outside pdask
 * (a v3 array written with zarrita's own API, and a v2 array written byte by byte here, in C and
 * Fortran order), per-chunk laziness, store objects and errors. /usr/bin/python3 has no `zarr`
 * module, so references are computed from first principles (the formula that made the data).
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { closeThreadPools } from '@pdask/core';
import * as zarr from 'zarrita';
import FileSystemStore from '@zarrita/storage/fs';
import * as da from '../src/index';
import { NDArray } from '../src/ndarray';
import { CHUNKINGS, expectClose, fixtures, input } from './helpers';

const dir = mkdtempSync(join(tmpdir(), 'pdask-zarr-'));
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await closeThreadPools();
});
const sync = { scheduler: 'sync' } as const;
const threads = { scheduler: 'threads', numWorkers: 2 } as const;
let n = 0;
const fresh = () => join(dir, `a${n++}.zarr`);

describe('toZarr / fromZarr', () => {
  for (const { label, chunks } of CHUNKINGS) {
    it(`round trip of float64, int32, float32 and bool 7x5 arrays, ${label}`, async () => {
      for (const [nm, arr] of [['A', input('A')], ['I', input('I')], ['F32', input('F32')], ['A>1', input('A').astype('float64')]] as const) {
        const x = nm === 'A>1' ? da.fromArray(arr, { chunks: chunks as never }).gt(1) : da.fromArray(arr, { chunks: chunks as never });
        const path = fresh();
        const stored = await x.toZarr(path, { compute: threads });
        expect(stored.dtype).toBe(x.dtype);
        expect(stored.shape).toEqual([7, 5]);
        const back = (await stored.compute(sync)) as NDArray;
        const want = nm === 'A>1' ? fixtures.masks.gt1 : fixtures.inputs[nm];
        expectClose(back, want, 0);
        // Read again with other blocks, on threads: each block reads the chunks it overlaps.
        const other = await da.fromZarr(path, { chunks: [2, 3] });
        expectClose(await other.compute(threads), want, 0);
      }
    });
  }

  it('writes one Zarr chunk per block; uneven blocks are rechunked to the largest block first', async () => {
    const path = fresh();
    await da.fromArray(input('A'), { chunks: [3, 2] }).toZarr(path);
    // 3 x 3 blocks of 3 x 2 (the last ones smaller) -> 9 chunk files, one per block.
    expect(readdirSync(join(path, 'c'), { recursive: true }).filter((f) => String(f).includes('/')).length).toBe(9);
    const r = await da.fromZarr(path);
    expect(r.chunks).toEqual([[3, 3, 1], [2, 2, 1]]);
    const path2 = fresh();
    const u = await da.fromArray(input('A'), { chunks: [[2, 4, 1], [5]] }).toZarr(path2);
    expect(u.chunks).toEqual([[4, 3], [5]]);
    expectClose(await u.compute(), fixtures.inputs.A, 0);
  });

  it('computes on stored data as on the original: a reduction of a stored array matches NumPy', async () => {
    const path = fresh();
    const s = await da.fromArray(input('A'), { chunks: 1 }).toZarr(path, { path: 'group/a' });
    expectClose(await s.sum({ axis: 0 }).compute(threads), fixtures.reductions['sum(A,axis=0)'], 1e-12);
  });

  it('reads lazily, one chunk per task: a broken chunk fails only the computations that read it', async () => {
    const path = fresh();
    const x = da.fromFunction((i: number, j: number) => i * 100 + j, [6, 4], { chunks: [2, 4] });
    await x.toZarr(path);
    // A directory where chunk (2, 0) should be: reading it fails (EISDIR).
    rmSync(join(path, 'c', '2', '0'));
    mkdirSync(join(path, 'c', '2', '0'));
    const r = await da.fromZarr(path);
    expect(r.npartitions).toBe(3);
    const top = (await r.slice('0:4').compute(threads)) as NDArray;
    expect(Array.from(top.data)).toEqual(Array.from({ length: 16 }, (_, p) => Math.floor(p / 4) * 100 + (p % 4)));
    await expect(r.compute(sync)).rejects.toThrow(/EISDIR|directory/i);
    // The runtime stays usable.
    expect(await r.slice(':2').sum().compute(threads)).toBe(0 + 1 + 2 + 3 + 100 + 101 + 102 + 103);
  });

  it('reads a v3 array written with zarrita itself, with blocks other than its chunks', async () => {
    const path = fresh();
    const store = new FileSystemStore(path);
    const arr = await zarr.create(zarr.root(store), { shape: [9, 7], chunkShape: [4, 3], dtype: 'int32', fillValue: 0 });
    const data = Int32Array.from({ length: 63 }, (_, p) => Math.floor(p / 7) * 10 + (p % 7));
    await zarr.set(arr, [null, null], { data, shape: [9, 7], stride: [7, 1] });
    const r = await da.fromZarr(path);
    expect(r.chunks).toEqual([[4, 4, 1], [3, 3, 1]]);
    expect(r.dtype).toBe('int32');
    for (const chunks of [1, -1, [[2, 5, 2], [7]]] as const) {
      const b = await da.fromZarr(path, { chunks: chunks as never });
      const got = (await b.compute(threads)) as NDArray;
      expect(Array.from(got.data)).toEqual(Array.from(data));
    }
    // i*10 + j summed over the array: 7 * 10 * (0 + ... + 8) + 9 * (0 + ... + 6).
    expect(await r.sum().compute()).toBe(7 * 10 * 36 + 9 * 21);
  });

  it('reads Zarr v2 arrays (written byte by byte here) in C and Fortran order', async () => {
    for (const order of ['C', 'F'] as const) {
      const path = fresh();
      mkdirSync(path, { recursive: true });
      const shape = [5, 4];
      const chunk = [2, 3];
      writeFileSync(join(path, '.zarray'), JSON.stringify({ zarr_format: 2, shape, chunks: chunk, dtype: '<f8', compressor: null, fill_value: 0, order, filters: null }));
      const f = (i: number, j: number) => i * 4 + j + 0.5;
      for (let bi = 0; bi < 3; bi++) {
        for (let bj = 0; bj < 2; bj++) {
          const buf = new Float64Array(6);
          for (let a = 0; a < 2; a++) {
            for (let b = 0; b < 3; b++) {
              const [i, j] = [bi * 2 + a, bj * 3 + b];
              // Out-of-range parts of edge chunks are padding (any value).
              const v = i < 5 && j < 4 ? f(i, j) : -999;
              buf[order === 'C' ? a * 3 + b : b * 2 + a] = v;
            }
          }
          writeFileSync(join(path, `${bi}.${bj}`), Buffer.from(buf.buffer));
        }
      }
      const r = await da.fromZarr(path);
      expect(r.chunks).toEqual([[2, 2, 1], [3, 1]]);
      const got = (await r.compute(threads)) as NDArray;
      expect(Array.from(got.data)).toEqual(Array.from({ length: 20 }, (_, p) => f(Math.floor(p / 4), p % 4)));
    }
  });

  it('works with a store object in the calling thread, and says why threads cannot use it', async () => {
    const store = new Map<string, Uint8Array>();
    const x = da.fromArray(input('A'), { chunks: [3, 2] });
    const s = await x.toZarr(store);
    expect([...store.keys()].filter((k) => k.includes('/c/')).length).toBe(9);
    expectClose(await s.compute(), fixtures.inputs.A, 0); // no scheduler given: runs in the caller
    expectClose(await s.mul(2).sum().compute(), { shape: [], dtype: 'float64', data: [2 * Array.from(input('A').data).reduce((a, b) => a + b, 0)] }, 1e-12);
    await expect(s.compute(threads)).rejects.toThrow(/store object of the calling thread/);
  });

  it('refuses to overwrite unless asked, and names bad input', async () => {
    const path = fresh();
    const x = da.fromArray(input('V'), { chunks: 4 });
    await x.toZarr(path);
    await expect(x.toZarr(path)).rejects.toThrow(/already holds a Zarr array.*overwrite: true/);
    const y = await x.mul(-1).toZarr(path, { overwrite: true });
    expect(Array.from(((await y.compute()) as NDArray).data)).toEqual(Array.from(input('V').data, (v) => -v));
    await expect(da.fromZarr(join(dir, 'missing.zarr'))).rejects.toThrow(/fromZarr: no Zarr array/);
    await expect(da.fromZarr(42 as never)).rejects.toThrow(/expected a directory path/);
  });
});
