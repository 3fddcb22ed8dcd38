/**
 * The block products of matmul, tensordot and einsum, which run in @pdask/kernels' WebAssembly
 * matmul from KERNEL_MIN_FLOPS multiply-adds per block and in a JS loop below: NumPy 1.24 values
 * (fixtures/make_matmul.py -> matmul.json) over chunkings that send some blocks to each path
 * (uneven, size-1 and single blocks), float32/int32 operands, transposed operands (einsum),
 * stacks, 0-size and 1 x N / N x 1 operands, NaN and infinity, on sync and threads; and random
 * float64 matrices against a triple loop written here.
 */
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { closeThreadPools } from '@pdask/core';
import * as da from '../src/index';
import type { ChunkedArray } from '../src/array';
import { NDArray } from '../src/ndarray';
import { KERNEL_MIN_FLOPS } from '../src/runtime/matmul';
import { expectClose, type Enc } from './helpers';

const fx = JSON.parse(readFileSync(new URL('./fixtures/matmul.json', import.meta.url), 'utf8')) as { cases: Record<string, Enc> };
const want = (key: string): Enc => {
  const e = fx.cases[key];
  if (!e) throw new Error(`no fixture ${key}`);
  return e;
};
const sync = { scheduler: 'sync' } as const;
const threads = { scheduler: 'threads', numWorkers: 2 } as const;
type A = ChunkedArray<unknown>;
type Chunks = (number | number[])[];

afterAll(() => closeThreadPools());

/** make_matmul.py's operand: ((7 t + 11 seed) mod 17 - 8) / 4 at flat index t (int32: without / 4). */
function operand(shape: number[], seed: number, dtype: 'float64' | 'float32' | 'int32' = 'float64'): NDArray {
  const n = shape.reduce((p, s) => p * s, 1);
  const vals = Array.from({ length: n }, (_, t) => {
    const v = ((7 * t + 11 * seed) % 17) - 8;
    return dtype === 'int32' ? v : v / 4;
  });
  const data = dtype === 'float64' ? Float64Array.from(vals) : dtype === 'float32' ? Float32Array.from(vals) : Int32Array.from(vals);
  return new NDArray(data, shape, dtype);
}
const chunked = (x: NDArray, chunks: Chunks | number): A => da.fromArray(x, { chunks: chunks as never });

// Chunkings of A (40 x 45) and B (45 x 30): block products of 20 x 25 x 15 = 7500 multiply-adds go to the
// kernel, those of 1 x 4 x 1 to the JS loop, and uneven ones mix both within one output block.
const AB_CHUNKINGS: { label: string; a: Chunks | number; b: Chunks | number }[] = [
  { label: 'single blocks', a: -1, b: -1 },
  { label: 'even 20 x 25 / 25 x 15', a: [20, 25], b: [25, 15] },
  { label: 'uneven, some blocks of 1', a: [[1, 30, 9], [4, 40, 1]], b: [[44, 1], [1, 28, 1]] },
  { label: 'inner chunks that differ (unified)', a: [[40], [10, 35]], b: [[30, 15], [30]] },
];

describe('block products against NumPy', () => {
  it('uses the kernel for the larger products of these cases', () => {
    expect(20 * 25 * 15).toBeGreaterThanOrEqual(KERNEL_MIN_FLOPS);
    expect(1 * 4 * 1).toBeLessThan(KERNEL_MIN_FLOPS);
  });

  for (const { label, a, b } of AB_CHUNKINGS) {
    it(`A @ B, float64, float32 and int32 operands, ${label}`, async () => {
      const B = chunked(operand([45, 30], 2), b);
      expectClose(await chunked(operand([40, 45], 1), a).matmul(B).compute(sync), want('A@B'), 0);
      const r32 = (await chunked(operand([40, 45], 1, 'float32'), a).matmul(chunked(operand([45, 30], 2, 'float32'), b)).compute(sync)) as NDArray;
      expect(r32.dtype).toBe('float32');
      expectClose(r32, want('A32@B32'), 0);
      expectClose(await chunked(operand([40, 45], 1, 'int32'), a).matmul(B).compute(sync), want('Aint@B'), 0);
    });
  }

  it('einsum with a transposed operand (ij,kj->ik and ji,jk->ik) and a two-axis tensordot', async () => {
    const A = chunked(operand([40, 45], 1), [[25, 15], [20, 25]]);
    const E = chunked(operand([30, 45], 3), [[16, 14], [20, 25]]);
    expectClose(await da.einsum('ij,kj->ik', A, E).compute(sync), want('einsum(ij,kj->ik,A,E)'), 0);
    const F = chunked(operand([45, 40], 4), [[45], [1, 39]]);
    expectClose(await da.einsum('ji,jk->ik', F, chunked(operand([45, 30], 2), [[45], [30]])).compute(sync), want('einsum(ji,jk->ik,F,B)'), 0);
    const X = chunked(operand([6, 10, 7], 5), [[6], [5, 5], [7]]);
    const Y = chunked(operand([10, 7, 20], 6), [[5, 5], [7], [20]]);
    expectClose(await da.tensordot(X, Y, [[1, 2], [0, 1]]).compute(sync), want('tensordot(X,Y,[[1,2],[0,1]])'), 0);
  });

  it('stacks of matrices, with a broadcast batch dimension', async () => {
    const S = chunked(operand([3, 20, 30], 7), [[2, 1], [20], [30]]);
    expectClose(await S.matmul(chunked(operand([3, 30, 15], 8), [[2, 1], [30], [15]])).compute(sync), want('S@T'), 0);
    expectClose(await S.matmul(chunked(operand([1, 30, 15], 9), [[1], [30], [15]])).compute(sync), want('S@T1'), 0);
  });

  it('size-1 blocks, 1 x N @ N x 1, N x 1 @ 1 x N, 0-size operands', async () => {
    expectClose(await chunked(operand([5, 7], 10), 1).matmul(chunked(operand([7, 3], 11), 1)).compute(sync), want('C@D'), 0);
    expectClose(await chunked(operand([1, 300], 12), [1, 100]).matmul(chunked(operand([300, 1], 13), [100, 1])).compute(sync), want('row@col'), 0);
    expectClose(await chunked(operand([100, 1], 14), -1).matmul(chunked(operand([1, 45], 15), -1)).compute(sync), want('col@row'), 0);
    const Z = da.fromArray(new NDArray(new Float64Array(0), [0, 5], 'float64'), { chunks: [1, 5] as never });
    expectClose(await Z.matmul(chunked(operand([5, 3], 16), -1)).compute(sync), want('zeros(0,5)@B5'), 0);
    const Z1 = da.fromArray(new NDArray(new Float64Array(0), [4, 0], 'float64'));
    const Z2 = da.fromArray(new NDArray(new Float64Array(0), [0, 3], 'float64'));
    expectClose(await Z1.matmul(Z2).compute(sync), want('zeros(4,0)@zeros(0,3)'), 0);
  });

  it('0 x inf and 0 x NaN are NaN, as in NumPy, in small and large block products', async () => {
    // Small: the JS loop (it used to skip zeros of A, giving 3 and 1 here instead of NaN).
    const G = da.fromArray(new NDArray(new Float64Array([0, 1, 2, 3, 1, 0]), [2, 3], 'float64'));
    const H = da.fromArray(new NDArray(new Float64Array([Infinity, 1, 1, 1, 1, NaN]), [3, 2], 'float64'));
    expectClose(await G.matmul(H).compute(sync), want('G@H'));
    // Large: the kernel.
    const a0 = operand([40, 45], 1);
    for (let j = 0; j < 45; j++) a0.data[j] = 0;
    const b0 = operand([45, 30], 2);
    b0.data[5 * 30 + 7] = Infinity;
    expectClose(await chunked(a0, [20, 25]).matmul(chunked(b0, [25, 15])).compute(sync), want('A0@Binf'), 0);
  });

  it('the same values on worker threads', async () => {
    const A = chunked(operand([40, 45], 1), [[1, 30, 9], [4, 40, 1]]);
    const B = chunked(operand([45, 30], 2), [[44, 1], [1, 28, 1]]);
    expectClose(await A.matmul(B).compute(threads), want('A@B'), 0);
    expectClose(await da.einsum('ij,kj->ik', A, chunked(operand([30, 45], 3), [[30], [4, 40, 1]])).compute(threads), want('einsum(ij,kj->ik,A,E)'), 0);
  });
});

describe('block products from the definition', () => {
  /** xorshift32 in [-0.5, 0.5). */
  function random(n: number, seed: number): Float64Array {
    let s = seed | 0 || 1;
    return Float64Array.from({ length: n }, () => {
      s ^= s << 13;
      s ^= s >>> 17;
      s ^= s << 5;
      return (s >>> 0) / 4294967296 - 0.5;
    });
  }

  it('random 130 x 300 @ 300 x 70 in uneven chunks, against a triple loop', async () => {
    const [m, k, n] = [130, 300, 70];
    const a = random(m * k, 1);
    const b = random(k * n, 2);
    const A = da.fromArray(new NDArray(a, [m, k], 'float64'), { chunks: [[97, 33], [260, 40]] as never });
    const B = da.fromArray(new NDArray(b, [k, n], 'float64'), { chunks: [[100, 200], [69, 1]] as never });
    const got = (await A.matmul(B).compute(sync)) as NDArray;
    expect(got.shape).toEqual([m, n]);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        let abs = 0;
        for (let p = 0; p < k; p++) {
          s += a[i * k + p] * b[p * n + j];
          abs += Math.abs(a[i * k + p] * b[p * n + j]);
        }
        const g = got.data[i * n + j] as number;
        if (Math.abs(g - s) > 1e-13 * abs) expect(g, `(${i}, ${j})`).toBe(s);
      }
    }
  });
});
