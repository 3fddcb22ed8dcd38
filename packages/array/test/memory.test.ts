/**
 * Memory sense before allocation: array results and blocks too large for this process are refused
 * before anything runs, and the inline heuristic counts expression-built arrays by their size.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { closeThreadPools, collectionSymbol, config, forEachLayer, MemoryLimitError } from '@pdask/core';
import * as da from '../src/index';
import { runsInline } from '../src/inline';

afterAll(() => closeThreadPools());

describe('results and blocks larger than memory', () => {
  it('da.ones([1e6, 1e6]).compute() fails at once: 7.28 TiB cannot be gathered', async () => {
    const rss = process.memoryUsage().rss;
    const err = await da
      .ones([1e6, 1e6])
      .compute()
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(err).toBeInstanceOf(MemoryLimitError);
    expect((err as Error).message).toMatch(/^cannot gather 7\.28 TiB into this process \(available: [\d.]+ [KMGT]?i?B\); reduce it first or write it with toZarr$/);
    expect((err as MemoryLimitError).bytes).toBe(8e12);
    // Refused before running: no block was made (a 128 MiB block alone would show in the RSS).
    expect(process.memoryUsage().rss - rss).toBeLessThan(100 * 2 ** 20);
  });

  it('a block larger than memory is refused before allocating, even when the result is small', async () => {
    const s = da.ones([1e6, 1e6], { chunks: [1e6, 1e6] }).sum();
    await expect(s.compute()).rejects.toThrow(/^cannot create a block of 7\.28 TiB \(available: .*\); use smaller chunks$/);
    await expect(s.compute({ scheduler: 'threads' })).rejects.toBeInstanceOf(MemoryLimitError);
  });

  it("an array's result bytes are its nbytes (dtype itemsize x shape), with the advice", () => {
    const g = da.zeros([300, 200], { dtype: 'int32' })[collectionSymbol]();
    expect(g.resultBytes).toBe(300 * 200 * 4);
    expect(g.advice).toBe('reduce it first or write it with toZarr');
  });

  it('layers carry their sizes as LayerInfo: bytes and largest block', () => {
    const x = da.fromArray(new Float64Array(1000), { shape: [10, 100], chunks: [4, 30] });
    const infos: { name: string; bytes?: number; largestBlock?: number }[] = [];
    forEachLayer([x.add(1).layer], (ln) => infos.push({ name: ln.layer.name, ...ln.layer.info }));
    expect(infos.map((i) => [i.bytes, i.largestBlock])).toEqual([
      [8000, 4 * 30 * 8],
      [8000, 4 * 30 * 8],
    ]);
  });
});

describe('the inline heuristic counts expression-built arrays by their size', () => {
  const threads = () => config.set({ scheduler: 'threads' });

  it('a reduction of random, ones or arange of 8 MB does not run in the calling thread; of 8 KB it does', () => {
    const s = threads();
    try {
      for (const big of [da.random.random([1000, 1000]), da.ones([1000, 1000]), da.arange(1_000_000).astype('float64')]) {
        expect(runsInline([big.sum().layer])).toBe(false);
        expect(runsInline([big.add(1).mul(big).mean().layer])).toBe(false);
      }
      for (const small of [da.random.random([1000]), da.ones([1000]), da.arange(1000)]) {
        expect(runsInline([small.sum().layer])).toBe(true);
      }
    } finally {
      s.restore();
    }
  });

  it('compute() of a large expression reduction without options still gives the right value', async () => {
    const n = 600_000;
    expect(await da.arange(n).sum().compute()).toBe((n * (n - 1)) / 2);
  });
});
