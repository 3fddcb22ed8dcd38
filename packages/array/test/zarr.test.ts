/**
 * Zarr storage: round trips over odd chunkings and dtypes, reading arrays written outside pdask
 * (a v3 array written with zarrita's own API, and a v2 array written byte by byte here, in C and
 * Fortran order), per-chunk laziness, store objects and errors. /usr/bin/python3 has no `zarr`
 * module, so references are computed from first principles (the formula that made the data).
 */
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { closeThreadPools, compute, persist } from '@pdask/core';
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

describe('toZarr with compute: false (a lazy write)', () => {
  it('creates the metadata now, writes nothing until computed, then writes every block', async () => {
    for (const { label, chunks } of CHUNKINGS) {
      const path = fresh();
      const w = await da.fromArray(input('A'), { chunks: chunks as never }).toZarr(path, { compute: false });
      expect(w, label).toBeInstanceOf(da.ZarrWrite);
      expect(readdirSync(path)).toEqual(['zarr.json']);
      // Nothing written: the array reads as its fill value.
      expect(await (await da.fromZarr(path)).sum().compute()).toBe(0);
      expect(await w.compute(threads)).toBeNull();
      expectClose(await (await da.fromZarr(path)).compute(threads), fixtures.inputs.A, 0);
    }
  });

  it("runs with other collections in one core compute(), and with a store object in the calling thread", async () => {
    const x = da.fromArray(input('A'), { chunks: [3, 2] });
    const [p1, p2] = [fresh(), fresh()];
    const w1 = await x.toZarr(p1, { compute: false });
    const w2 = await x.mul(2).toZarr(p2, { compute: false });
    const [a, b, s] = await compute(w1, w2, x.sum(), threads);
    expect([a, b]).toEqual([null, null]);
    expect(s).toBeCloseTo(Array.from(input('A').data).reduce((u, v) => u + v, 0), 9);
    expectClose(await (await da.fromZarr(p2)).compute(), { ...fixtures.inputs.A, data: fixtures.inputs.A.data.map((v) => 2 * (v as number)) }, 0);
    const store = new Map<string, Uint8Array>();
    const w = await x.toZarr(store, { compute: false });
    expect([...store.keys()].filter((k) => k.includes('/c/')).length).toBe(0);
    await w.compute(); // no scheduler: a store object runs in the calling thread
    expect([...store.keys()].filter((k) => k.includes('/c/')).length).toBe(9);
  });

  it('persist runs the writes once; the persisted write writes nothing again', async () => {
    const path = fresh();
    const w = await da.fromArray(input('V'), { chunks: 4 }).toZarr(path, { compute: false });
    const [p] = await persist(w, sync);
    expectClose(await (await da.fromZarr(path)).compute(), fixtures.inputs.V, 0);
    rmSync(join(path, 'c', '0'));
    expect(await p.compute(sync)).toBeNull();
    expect(readdirSync(join(path, 'c')).sort()).toEqual(['1', '2']);
  });
});

describe('toZarr into a region of an existing array (Dask region=)', () => {
  // f(i, j) over the whole target, g(i, j) over the written part: distinct, exact values.
  const f = (i: number, j: number) => i * 10 + j;
  const g = (i: number, j: number) => -(i * 7 + j + 1);
  const part = (rows: number, cols: number) => new NDArray(Float64Array.from({ length: rows * cols }, (_, p) => g(Math.floor(p / cols), p % cols)), [rows, cols], 'float64');

  for (const chunks of [[2, 3], 1, -1, [[1, 4], [3, 1]]] as const) {
    it(`writes a 5x4 part at [2:7, 1:5] of a 9x7 array with 4x3 Zarr chunks, blocks ${JSON.stringify(chunks)}`, async () => {
      const path = fresh();
      await da.fromFunction(f, [9, 7], { chunks: [4, 3] }).toZarr(path);
      const x = da.fromArray(part(5, 4), { chunks: chunks as never });
      const back = await x.toZarr(path, { region: ['2:7', da.s(1, 5)], compute: threads });
      // The result is the written region read back.
      expect(back.shape).toEqual([5, 4]);
      expect(Array.from(((await back.compute(sync)) as NDArray).data)).toEqual(Array.from(part(5, 4).data));
      const all = (await (await da.fromZarr(path)).compute(threads)) as NDArray;
      const want = Array.from({ length: 63 }, (_, p) => {
        const [i, j] = [Math.floor(p / 7), p % 7];
        return i >= 2 && i < 7 && j >= 1 && j < 5 ? g(i - 2, j - 1) : f(i, j);
      });
      expect(Array.from(all.data)).toEqual(want);
    });
  }

  it('follows the Zarr chunks: one write per chunk the region touches, partly covered chunks keep their other values', async () => {
    const path = fresh();
    await da.zeros([9, 7], { chunks: [4, 3], dtype: 'int32' }).toZarr(path);
    const w = await da.ones([5, 4], { chunks: -1 }).toZarr(path, { region: ['2:7', '1:5'], compute: false });
    // Rows 2:7 cross chunk rows [0, 4) and [4, 8); columns 1:5 cross [0, 3) and [3, 6): 4 writes.
    expect(w.npartitions).toBe(4);
    await w.compute(threads);
    const second = await da.full([1, 7], 5, { chunks: -1 }).toZarr(path, { region: ['8:9', ':'] });
    expect(second.dtype).toBe('int32');
    const got = ((await (await da.fromZarr(path)).compute()) as NDArray).toArray() as number[][];
    got.forEach((row, i) => row.forEach((v, j) => expect(v, `[${i}, ${j}]`).toBe(i === 8 ? 5 : i >= 2 && i < 7 && j >= 1 && j < 5 ? 1 : 0)));
  });

  it('casts to the data type of a Zarr v2 array written byte by byte (int16, no compressor)', async () => {
    const path = fresh();
    mkdirSync(path, { recursive: true });
    writeFileSync(join(path, '.zarray'), JSON.stringify({ zarr_format: 2, shape: [4, 5], chunks: [3, 2], dtype: '<i2', compressor: null, fill_value: 0, order: 'C', filters: null }));
    // Values that need int16: 1000 * (i + 1) + j, written into rows 1:4, columns 2:5.
    const x = da.fromFunction((i: number, j: number) => 1000 * (i + 1) + j, [3, 3], { chunks: 2 });
    await x.toZarr(path, { region: ['1:4', '2:5'] });
    // Read the chunk files back as raw little-endian int16 (first principles, no zarrita).
    const at = (i: number, j: number): number => {
      const file = join(path, `${Math.floor(i / 3)}.${Math.floor(j / 2)}`);
      let buf: Buffer;
      try {
        buf = readFileSync(file);
      } catch {
        return 0; // chunk never written: the fill value
      }
      return buf.readInt16LE(((i % 3) * 2 + (j % 2)) * 2);
    };
    for (let i = 0; i < 4; i++) for (let j = 0; j < 5; j++) expect(at(i, j), `[${i}, ${j}]`).toBe(i >= 1 && j >= 2 ? 1000 * i + (j - 2) : 0);
    // And through fromZarr (int16 widens to int32).
    const back = (await (await da.fromZarr(path)).slice('1:', '2:').compute(threads)) as NDArray;
    expect(back.dtype).toBe('int32');
    expect(Array.from(back.data)).toEqual([1000, 1001, 1002, 2000, 2001, 2002, 3000, 3001, 3002]);
  });

  it('names bad regions', async () => {
    const path = fresh();
    await da.zeros([9, 7], { chunks: [4, 3] }).toZarr(path);
    const x = da.ones([5, 4]);
    await expect(x.toZarr(path, { region: ['2:7'] })).rejects.toThrow(/region needs one slice per dimension .*shape \[9, 7\]\), got 1/);
    await expect(x.toZarr(path, { region: ['2:6', '1:5'] })).rejects.toThrow(/region of shape \[4, 4\] does not match the array's shape \[5, 4\]/);
    await expect(x.toZarr(path, { region: ['0:9:2', '1:5'] })).rejects.toThrow(/region entry 0 has step 2/);
    await expect(x.toZarr(path, { region: [2 as never, '1:5'] })).rejects.toThrow(/region entry 0 is the number 2; use a slice/);
    await expect(x.toZarr(path, { region: ['2:7', '1:5'], overwrite: true })).rejects.toThrow(/'overwrite' applies when creating an array/);
    await expect(x.toZarr(join(dir, 'nothing.zarr'), { region: ['2:7', '1:5'] })).rejects.toThrow(/region writes into an existing Zarr array, and there is none/);
  });
});
