/**
 * Whole-array percentile / nanpercentile over blocks large enough (>= 4096 values) for the radix
 * passes to run in @pdask/kernels' WebAssembly (radixCount / radixSelect), mixed with a small block
 * that takes the JS path, on sync and threads, streamed and in place (arena). The reference is computed here from the definition
 * (NumPy's 'linear' method on the sorted non-NaN values): with NaNs, percentile is NaN.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { closeThreadPools } from '@pdask/core';
import * as da from '../src/index';
import type { NDArray } from '../src/ndarray';

afterAll(() => closeThreadPools());

function values(n: number, withNaN: boolean): Float64Array {
  let s = 12345;
  return Float64Array.from({ length: n }, (_, i) => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    const r = (s >>> 0) / 4294967296;
    if (withNaN && i % 997 === 5) return NaN;
    if (r < 0.1) return 0.25; // many equal values
    if (r < 0.12) return [0, -0, 1e300, -1e-300][i % 4];
    return (r - 0.4) * 1000;
  });
}

/** NumPy's linear method: virtual index (n - 1) q, a + (b - a) t (from b's side when t >= 0.5). */
function reference(x: Float64Array, qs: number[]): number[] {
  const v = Float64Array.from(x.filter((y) => y === y)).sort();
  const n = v.length;
  return qs.map((q) => {
    const virt = (n - 1) * (q / 100);
    const prev = Math.min(Math.floor(virt), n - 1);
    const next = Math.min(prev + 1, n - 1);
    const t = virt - prev;
    const d = v[next] - v[prev];
    return t >= 0.5 ? v[next] - d * (1 - t) : v[prev] + d * t;
  });
}

const QS = [0, 1, 25, 50, 75, 99.9, 100];
// 50,000 values (400 KB) are sliced per block, which streams through the kernels' scratch area;
// 200,000 (1.6 MB) go to the arena (at least 1 MiB), whose blocks the kernels read in place.
const CASES = [
  { n: 50_000, chunks: [[5000, 20_000, 1, 24_999]], where: 'sliced blocks' },
  { n: 200_000, chunks: [[5000, 100_000, 1, 94_999]], where: 'arena blocks' },
];

describe('percentile over large blocks (WebAssembly radix passes)', () => {
  for (const scheduler of ['sync', 'threads'] as const) for (const { n: N, chunks: CHUNKS, where } of CASES) {
    it(`percentile and nanpercentile equal the definition (${scheduler}, ${where})`, async () => {
      const opts = scheduler === 'threads' ? { scheduler, numWorkers: 2 } as const : { scheduler } as const;
      const x = values(N, false);
      const got = (await da.percentile(da.fromArray(x, { chunks: CHUNKS as never }), QS).compute(opts)) as NDArray;
      expect(Array.from(got.data as Float64Array)).toEqual(reference(x, QS));
      const y = values(N, true);
      const dy = da.fromArray(y, { chunks: CHUNKS as never });
      const gotNan = (await da.nanpercentile(dy, QS).compute(opts)) as NDArray;
      expect(Array.from(gotNan.data as Float64Array)).toEqual(reference(y, QS));
      const withNaN = (await da.percentile(dy, [50]).compute(opts)) as NDArray;
      expect(withNaN.data[0]).toBeNaN();
    });
  }
});
