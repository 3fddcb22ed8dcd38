/**
 * Reductions of `a op b` whose operands are evaluated tile by tile in the kernels and reduced by a
 * two-operand kernel (sum and mean: the root's tile is never written), and mean's count-and-sum
 * partial. Inputs are integers so that every reference is exact in float64 and computed here from
 * first principles; chunkings cross the 32768-element tiles unevenly and include one-element blocks.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { closeThreadPools } from '@pdask/core';
import * as da from '../src/index';
import type { NDArray } from '../src/ndarray';

afterAll(() => closeThreadPools());
const sync = { scheduler: 'sync' } as const;
const threads = { scheduler: 'threads', numWorkers: 2 } as const;

// Small (per-block slices on the heap) and large (the arena, read in place: 8 MiB and more).
const SIZES = [70_001, (1 << 20) + 3];
const chunkings = (n: number): (number | number[][])[] => [40_000, [[1, 32_768, 32_769, n - 65_538]], n];

function data(n: number): { x: Float64Array; y: Float64Array } {
  return { x: Float64Array.from({ length: n }, (_, i) => i % 1000), y: Float64Array.from({ length: n }, (_, i) => (i * 7) % 13) };
}

function total(n: number, f: (i: number) => number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += f(i);
  return s;
}

describe('fused two-operand reductions over tiles', () => {
  for (const n of SIZES) {
    const { x, y } = data(n);
    // (x - 0.5)^2 = x^2 - x + 0.25 and (x + y)(x - y) are multiples of 0.25 below 2^20: exact sums.
    const sq = total(n, (i) => (x[i] - 0.5) * (x[i] - 0.5));
    const diff = total(n, (i) => (x[i] + y[i]) * (x[i] - y[i]));
    const quot = total(n, (i) => (x[i] * 4) / (y[i] + 1));
    for (const chunks of chunkings(n)) {
      it(`n=${n}, chunks ${JSON.stringify(chunks).slice(0, 40)}: sum and mean of (x - 0.5)^2, (x + y)(x - y), 4x / (y + 1)`, async () => {
        const dx = da.fromArray(x, { chunks: chunks as number });
        const dy = da.fromArray(y, { chunks: chunks as number });
        const d = dx.sub(0.5);
        for (const opts of [sync, threads]) {
          expect(await d.mul(d).sum().compute(opts)).toBe(sq);
          expect(await d.mul(d).mean().compute(opts)).toBe(sq / n);
          expect(await dx.add(dy).mul(dx.sub(dy)).mean().compute(opts)).toBe(diff / n);
          // Division rounds per element; the sum of rounded quotients is close, not exact.
          expect(await dx.mul(4).div(dy.add(1)).sum().compute(opts)).toBeCloseTo(quot, 4);
          expect(await dx.mul(4).div(dy.add(1)).mean().compute(opts)).toBeCloseTo(quot / n, 9);
        }
      });
    }
  }

  it('NaN propagates through the fused mean; infinities give NaN or infinity as in IEEE', async () => {
    const x = Float64Array.from({ length: 50_000 }, (_, i) => i % 10);
    x[40_000] = NaN;
    const dx = da.fromArray(x, { chunks: 30_000 });
    for (const opts of [sync, threads]) expect(await dx.sub(1).mul(dx.add(1)).mean().compute(opts)).toBeNaN();
    x[40_000] = Infinity;
    const di = da.fromArray(x, { chunks: 30_000 });
    for (const opts of [sync, threads]) {
      expect(await di.sub(1).mul(di.add(1)).mean().compute(opts)).toBe(Infinity);
      expect(await di.sub(1).sub(di.add(1)).mean().compute(opts)).toBeNaN();
    }
  });
});

describe('mean from count and sum', () => {
  it('mean of float64, int32, bool and empty arrays over uneven blocks', async () => {
    const n = 10_007;
    const f = Float64Array.from({ length: n }, (_, i) => (i % 97) - 40);
    const iv = Int32Array.from({ length: n }, (_, i) => (i % 31) * 1_000_003);
    const bools = da.fromArray(f, { chunks: [[1, 5000, n - 5001]] }).gt(0);
    const positives = total(n, (i) => (f[i] > 0 ? 1 : 0));
    for (const opts of [sync, threads]) {
      expect(await da.fromArray(f, { chunks: [[1, 5000, n - 5001]] }).mean().compute(opts)).toBe(total(n, (i) => f[i]) / n);
      expect(await da.fromArray(iv, { chunks: 3333 }).mean().compute(opts)).toBe(total(n, (i) => iv[i]) / n);
      expect(await bools.mean().compute(opts)).toBe(positives / n);
      expect(await da.fromArray(new Float64Array(0), { chunks: 1 }).mean().compute(opts)).toBeNaN();
    }
  });

  it('a persisted random array on threads: ((x - 0.5) * (x - 0.5)).mean() equals the mean of its values', async () => {
    const x = await da.random.random([600, 500], { chunks: [[250, 250, 100], [1, 499]], seed: 7 }).persist(threads);
    const values = (await x.compute(sync)) as NDArray;
    const v = values.data as Float64Array;
    const want = total(v.length, (i) => (v[i] - 0.5) * (v[i] - 0.5)) / v.length;
    const d = x.sub(0.5);
    const got = (await d.mul(d).mean().compute(threads)) as number;
    expect(Math.abs(got - want)).toBeLessThan(1e-15);
  });
});
