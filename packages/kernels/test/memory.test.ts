import { beforeAll, describe, expect, it } from 'vitest';
import { loadKernels, StaleViewError, type Kernels } from '../src/index.js';

let k: Kernels;

beforeAll(async () => {
  k = await loadKernels({ initialBytes: 4 * 2 ** 20 });
});

describe('kernel memory', () => {
  it('alloc returns views of kernel memory that kernels read in place', () => {
    const a = k.alloc(Float64Array, 1000);
    expect(a.array.buffer).toBe(k.memory.buffer);
    a.array.fill(2);
    expect(k.sum(a)).toBe(2000);
    expect(k.sum(a.array)).toBe(2000); // the plain view is recognised too
    a.free();
  });

  it('growing the memory keeps KernelArrays valid and reports stale plain views', () => {
    const a = k.alloc(Int32Array, 10);
    a.array.set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const stale = a.array;
    const big = k.alloc(Float64Array, 4_000_000); // 32 MB: forces growth
    expect(stale.length).toBe(0); // detached by the growth
    expect(() => k.sum(stale)).toThrow(StaleViewError);
    expect(k.sum(a)).toBe(55);
    expect(Array.from(a.array)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    big.free();
    a.free();
  });

  it('freed memory is reused and coalesced', () => {
    const before = k.allocatedBytes;
    const xs = Array.from({ length: 20 }, () => k.alloc(Float64Array, 10_000));
    const first = xs[0].ptr;
    for (const x of xs) x.free();
    expect(k.allocatedBytes).toBe(before);
    const y = k.alloc(Float64Array, 200_000); // fits only in the coalesced range
    expect(y.ptr).toBe(first);
    y.free();
  });

  it('a KernelArray cannot be used after free', () => {
    const a = k.alloc(Float32Array, 4);
    a.free();
    expect(() => a.array).toThrow(/after free/);
  });

  it('inputs larger than the scratch area stream through it in blocks (2^20 + 3 elements)', () => {
    const n = 2 ** 20 + 3;
    const x = new Float64Array(n);
    for (let i = 0; i < n; i++) x[i] = i;
    expect(k.sum(x)).toBe((n * (n - 1)) / 2);
    expect(k.argmax(x)).toBe(n - 1);
    const kx = k.copyIn(x);
    expect(k.sum(kx)).toBe((n * (n - 1)) / 2);
    expect(k.argmin(kx)).toBe(0);
    kx.free();
  });

  it('two instances are independent', async () => {
    const k2 = await loadKernels();
    expect(k2.memory).not.toBe(k.memory);
    const a = k2.alloc(Float64Array, 3);
    a.array.set([1, 2, 3]);
    expect(k.sum(a.array)).toBe(6); // another instance's memory is just a foreign array: copied in
    a.free();
  });
});
