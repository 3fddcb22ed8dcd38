/**
 * npy stacks (Dask's format) and store to several targets. Reading: stacks written by
 * dask.array.to_npy_stack (fixtures/npy-stack-dask, made by fixtures/make_linfft.py). Writing:
 * stacks written here are read back by Python (np.load of every file and
 * dask.array.from_npy_stack), and by fromNpyStack. store: NDArray and Zarr targets at once,
 * regions, compute: false; values checked against the inputs the test made.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { closeThreadPools, compute } from '@pdask/core';
import * as da from '../src/index';
import { NDArray } from '../src/ndarray';
import { decode, expectClose, type Enc } from './helpers';
import { readFileSync } from 'node:fs';

const tmp = mkdtempSync(join(tmpdir(), 'pdask-linfft-io-'));
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
  return closeThreadPools();
});
const sync = { scheduler: 'sync' } as const;
const threads = { scheduler: 'threads', numWorkers: 2 } as const;
const N = (JSON.parse(readFileSync(new URL('./fixtures/linfft.json', import.meta.url), 'utf8')) as { npy: Record<string, Enc> }).npy;
const stacks = fileURLToPath(new URL('./fixtures/npy-stack-dask', import.meta.url));

const PY = '/usr/bin/python3';
const hasPython = existsSync(PY) && spawnSync(PY, ['-c', 'import numpy, dask.array'], { encoding: 'utf8' }).status === 0;
if (!hasPython) console.log(`linfft-io: skipping the Python read-back checks: ${PY} with numpy and dask is not available`);

/** What Python sees in a stack: np.load of each file (dtype, shape, values) and from_npy_stack's whole array. */
function pythonReads(dir: string): { files: { dtype: string; shape: number[]; data: number[] }[]; whole: { dtype: string; shape: number[]; data: (number | null)[] } } {
  const script = `
import json, os, sys, numpy as np, dask.array as da
d = sys.argv[1]
n = len([f for f in os.listdir(d) if f.endswith('.npy')])
conv = lambda a: [None if (isinstance(v, float) and v != v) else v for v in a.ravel().tolist()]
files = []
for i in range(n):
    a = np.load(os.path.join(d, '%d.npy' % i))
    files.append({'dtype': str(a.dtype), 'shape': list(a.shape), 'data': conv(a)})
w = da.from_npy_stack(d).compute()
print(json.dumps({'files': files, 'whole': {'dtype': str(w.dtype), 'shape': list(w.shape), 'data': conv(w)}}))
`;
  const r = spawnSync(PY, ['-c', script, dir], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`python failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

describe('fromNpyStack reads stacks written by dask.array.to_npy_stack', () => {
  it('float64 with NaN along axis 0, int32 along axis 1, bool; chunks as Dask wrote them', async () => {
    const f = da.fromNpyStack(join(stacks, 'f8-axis0'));
    expect(f.chunks).toEqual([[2, 3, 1], [4]]);
    expect(f.dtype).toBe('float64');
    expectClose(await f.compute(threads), N.S1);
    const i = da.fromNpyStack(join(stacks, 'i4-axis1'));
    expect(i.chunks).toEqual([[3], [3, 4]]);
    expect(i.dtype).toBe('int32');
    expectClose(await i.compute(sync), N.S2);
    const b = da.fromNpyStack(join(stacks, 'b1'));
    expect(b.dtype).toBe('bool');
    expect(((await b.compute(sync)) as NDArray).toArray()).toEqual(N.S3.data);
    expect(() => da.fromNpyStack(join(tmp, 'nothing-here'))).toThrow(/ENOENT/);
    expect(() => da.fromNpyStack(join(stacks, 'b1'), { mmapMode: 'r' })).toThrow(/mmapMode/);
  });
});

describe('toNpyStack writes files NumPy and Dask read', () => {
  const cases: [string, NDArray, unknown, number][] = [
    ['float64 with NaN, uneven blocks, axis 0', new NDArray(Float64Array.from([1.5, NaN, -3, 4, 5, 6.25, 7, 8, 9, 10, 11, 12]), [4, 3]), [[1, 3], [2, 1]], 0],
    ['int32 extremes, one-element blocks, axis 1', new NDArray(Int32Array.from([2147483647, -2147483648, 0, 5, -7, 9]), [2, 3], 'int32'), 1, 1],
    ['bool 1-d', new NDArray(Uint8Array.from([1, 0, 0, 1, 1]), [5], 'bool'), 2, 0],
    ['uint8 and a single block', new NDArray(Uint8Array.from([0, 255, 7]), [3], 'uint8'), -1, 0],
    ['float32, axis -1', new NDArray(Float32Array.from([0.5, -1.25, 3, 1e-3]), [2, 2], 'float32'), 1, -1],
  ];
  for (const [label, x, chunks, axis] of cases) {
    it(label, async () => {
      const dir = join(tmp, label.replace(/\W+/g, '-'));
      const arr = da.fromArray(x, { chunks: chunks as never });
      await da.toNpyStack(dir, arr, { axis, compute: axis ? threads : sync });
      const ax = axis < 0 ? axis + x.ndim : axis;
      expect(readdirSync(dir).filter((f) => f.endsWith('.npy')).length).toBe(arr.numblocks[ax]);
      const back = da.fromNpyStack(dir);
      expect(back.dtype).toBe(x.dtype);
      expect(back.chunks).toEqual(arr.chunks.map((c, d) => (d === ax ? c : [x.shape[d]])));
      const got = (await back.compute(sync)) as NDArray;
      expect(Array.from(got.data)).toEqual(Array.from(x.data));
      if (!hasPython) return;
      const py = pythonReads(dir);
      const want = x.dtype === 'bool' ? Array.from(x.data, (v) => v === 1) : Array.from(x.data, (v) => (Number.isNaN(v) ? null : v));
      expect(py.whole.shape).toEqual([...x.shape]);
      expect(py.whole.dtype).toBe(x.dtype);
      expect(py.whole.data).toEqual(x.dtype === 'float32' ? Array.from(x.data) : want);
      let rows = 0;
      for (const f of py.files) {
        expect(f.dtype).toBe(x.dtype);
        rows += f.shape[ax];
      }
      expect(rows).toBe(x.shape[ax]);
    });
  }
});

describe('store: several sources to several targets at once', () => {
  it('NDArray and Zarr targets in one computation, with a region, on the calling thread', async () => {
    const x = da.arange(0, 20, 1, { chunks: 3 }).reshape([4, 5]).rechunk([3, 2]);
    const y = x.mul(2).add(0.5);
    const t1 = new NDArray(new Float64Array(20), [4, 5]);
    const t2 = new NDArray(new Int32Array(18).fill(-1), [6, 3], 'int32');
    const zdir = join(tmp, 'store.zarr');
    const r = await da.store([x, y.slice(':', '1:4'), y], [t1, t2, zdir], { regions: [null, ['1:5', ':'], null] });
    expect(r).toBeNull();
    expect(Array.from(t1.data)).toEqual(Array.from({ length: 20 }, (_, k) => k));
    const t2want = Array.from({ length: 18 }, (_, k) => {
      const [i, j] = [Math.floor(k / 3), k % 3];
      return i >= 1 && i < 5 ? Math.trunc(((i - 1) * 5 + j + 1) * 2 + 0.5) : -1;
    });
    expect(Array.from(t2.data)).toEqual(t2want);
    const z = await da.fromZarr(zdir);
    expect(Array.from(((await z.compute(sync)) as NDArray).data)).toEqual(Array.from({ length: 20 }, (_, k) => k * 2 + 0.5));
  });
  it('compute: false writes nothing until computed, and computes with other work through core', async () => {
    const x = da.fromArray(new Float64Array([1, 2, 3, 4, 5]), { chunks: 2 });
    const t = new NDArray(new Float64Array(5), [5]);
    const w = await da.store([x.mul(10)], [t], { compute: false });
    expect(w).toBeInstanceOf(da.StoreWrite);
    expect(w.npartitions).toBe(3);
    expect(Array.from(t.data)).toEqual([0, 0, 0, 0, 0]);
    // Core's compute over several collections takes the scheduler it is given: an in-memory target needs the calling thread.
    await expect(compute(w, x.sum(), threads)).rejects.toThrow(/calling thread.*scheduler: 'sync'/);
    const [done, s] = await compute(w, x.sum(), sync);
    expect(done).toBeNull();
    expect(s).toBe(15);
    expect(Array.from(t.data)).toEqual([10, 20, 30, 40, 50]);
  });
  it('reports mismatched shapes, counts and options, and an in-memory target on worker threads', async () => {
    const x = da.ones([4], { chunks: 2 });
    await expect(da.store([x], [new NDArray(new Float64Array(3), [3])])).rejects.toThrow(/has shape \[3\], source 0 has shape \[4\]/);
    await expect(da.store([x, x], [new NDArray(new Float64Array(4), [4])])).rejects.toThrow(/different number of sources \(2\) and targets \(1\)/);
    await expect(da.store([x], [new NDArray(new Float64Array(4), [4])], { lock: true } as never)).rejects.toThrow(/lock/);
    await expect(da.store([x], [new NDArray(new Float64Array(4), [4])], { compute: threads })).rejects.toThrow(/calling thread/);
  });
});
