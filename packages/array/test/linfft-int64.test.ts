/**
 * The routines of issue 13's linfft part over int64 input (NumPy's default integer): expected
 * values computed here from first principles (exact bigints), and for the npy files, what
 * NumPy reads back.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { closeThreadPools } from '@pdask/core';
import * as da from '../src/index';
import { NDArray } from '../src/ndarray';

const tmp = mkdtempSync(join(tmpdir(), 'pdask-linfft-int64-'));
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
  return closeThreadPools();
});
const sync = { scheduler: 'sync' } as const;
const threads = { scheduler: 'threads', numWorkers: 2 } as const;
const big = 2n ** 60n;
/** Values beyond 2^53, where a float64 path would round. */
const vals = [big + 1n, -big - 3n, 5n, big + 7n, -2n, 9n];
const i64 = (v: bigint[], shape = [v.length]) => new NDArray(BigInt64Array.from(v), shape, 'int64');

describe('int64 input', () => {
  it('coarsen sums windows exactly (int64 result)', async () => {
    const x = da.fromArray(i64(vals), { chunks: [[1, 5]] });
    const r = da.coarsen('sum', x, { 0: 2 });
    expect(r.dtype).toBe('int64');
    const got = (await r.compute(threads)) as NDArray;
    expect(Array.from(got.values as BigInt64Array)).toEqual([vals[0] + vals[1], vals[2] + vals[3], vals[4] + vals[5]]);
    const mx = (await da.coarsen('max', x, { 0: 3 }).compute(sync)) as NDArray;
    expect(Array.from(mx.values as BigInt64Array)).toEqual([big + 1n, big + 7n]);
  });
  it('masked min/max/sum over int64 leave the masked out, exactly', async () => {
    const x = da.fromArray(i64(vals), { chunks: 2 });
    const m = da.ma.maskedLess(x, 0);
    const sum = await m.sum().compute(sync);
    expect(BigInt(sum as number)).toBe(BigInt(Number(vals[0] + vals[2] + vals[3] + vals[5])));
    expect(await m.min().compute(sync)).toBe(5);
    expect(await m.max().compute(sync)).toBe(Number(big + 7n));
    const all = da.ma.maskedGreater(x, -(2 ** 62));
    expect(await all.max().compute(sync)).toBeNull();
    expect(((await all.max({ axis: 0, keepdims: true }).compute(sync)) as da.ma.MaskedNDArray).count()).toBe(0);
    const f = (await da.ma.maskedEqual(x, 5).filled().compute(sync)) as NDArray;
    expect(f.dtype).toBe('int64');
    expect(Array.from(f.values as BigInt64Array)).toEqual(vals);
  });
  it('fft, isclose, outer and inv take int64', async () => {
    const z = await da.fft.fft(da.fromArray(i64([1n, 2n, 3n, 4n]), { chunks: -1 })).compute(sync);
    expect(Array.from(z.re.data)).toEqual([10, -2, -2, -2]);
    expect(Array.from(z.im.data)).toEqual([0, 2, 0, -2]);
    const c = (await da.isclose(da.fromArray(i64(vals), { chunks: 4 }), i64(vals.map((v) => v + 1n))).compute(sync)) as NDArray;
    expect(Array.from(c.data)).toEqual([1, 1, 0, 1, 0, 0]);
    const o = (await da.outer(da.fromArray(i64([2n, 3n]), { chunks: 1 }), i64([big, 1n])).compute(sync)) as NDArray;
    expect(o.dtype).toBe('int64');
    expect(Array.from(o.values as BigInt64Array)).toEqual([2n * big, 2n, 3n * big, 3n]);
    const inv = (await da.linalg.inv(da.fromArray(i64([2n, 0n, 0n, 4n], [2, 2]), { chunks: 1 })).compute(sync)) as NDArray;
    expect(Array.from(inv.data)).toEqual([0.5, 0, 0, 0.25]);
  });
  it('npy stacks keep int64 exactly, and NumPy reads them as int64', async () => {
    const dir = join(tmp, 'i8');
    await da.toNpyStack(dir, da.fromArray(i64(vals), { chunks: 4 }));
    const back = da.fromNpyStack(dir);
    expect(back.dtype).toBe('int64');
    expect(Array.from(((await back.compute(sync)) as NDArray).values as BigInt64Array)).toEqual(vals);
    const py = '/usr/bin/python3';
    if (!existsSync(py)) {
      console.log('linfft-int64: skipping the NumPy read-back: /usr/bin/python3 is not available');
      return;
    }
    const r = spawnSync(py, ['-c', 'import sys, numpy as np; a = np.concatenate([np.load(sys.argv[1] + "/%d.npy" % i) for i in range(2)]); print(a.dtype, *a.tolist())', dir], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe(`int64 ${vals.join(' ')}`);
  });
  it('store writes int64 into an int64 target exactly', async () => {
    const t = i64(new Array<bigint>(6).fill(0n));
    await da.store([da.fromArray(i64(vals), { chunks: 5 })], [t]);
    expect(Array.from(t.values as BigInt64Array)).toEqual(vals);
  });
});
