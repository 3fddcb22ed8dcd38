/**
 * k-means++ draws over distances kept between draws (runtime/kmeans-init.ts), against the
 * definition computed here: each row weighs its least squared distance to the chosen centers, and
 * the row drawn is the first whose cumulative weight exceeds u times the total. A block whose kept
 * distances are one center behind, up to date, missing (a fresh copy of the state) or stale gives
 * the same draw.
 */
import { describe, expect, it } from 'vitest';
import { drawPlusPlus, type ClosestState } from '../src/runtime/kmeans-init';

/** Rows of three blobs (d = 3), deterministic. */
function rows(n: number, d: number): Float64Array {
  let s = 12345;
  const u = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  return Float64Array.from({ length: n * d }, (_, e) => 10 * (Math.floor(e / d) % 3) + u());
}

function definition(x: Float64Array, d: number, centers: Float64Array, k: number, u: number): { weight: number; pick: number } {
  const n = x.length / d;
  const w = Array.from({ length: n }, (_, i) => {
    let best = Infinity;
    for (let j = 0; j < k; j++) {
      let v = 0;
      for (let t = 0; t < d; t++) v += (x[i * d + t] - centers[j * d + t]) ** 2;
      best = Math.min(best, v);
    }
    return best;
  });
  const weight = w.reduce((a, b) => a + b, 0);
  let acc = 0;
  const pick = w.findIndex((v) => (acc += v) > u * weight);
  return { weight, pick };
}

const fresh = (n: number, blocks: number): ClosestState => ({ closest: new Float64Array(n), folded: new Int32Array(blocks) });

describe('drawPlusPlus', () => {
  const [n, d] = [301, 3];
  const x = rows(n, d);
  const block = { shape: [n, d], data: x };
  // Centers: rows 0, 1 and 2 (one per blob), then row 5.
  const centers = Float64Array.from([0, 1, 2, 5].flatMap((i) => Array.from(x.subarray(i * d, i * d + d))));

  it('draws as the definition, folding one center per draw into the kept distances', () => {
    const state = fresh(n, 1);
    for (const [k, u] of [[1, 0.3], [2, 0.71], [3, 0.05], [4, 0.999]] as const) {
      const got = drawPlusPlus(centers, k, u, state, 0, 0, block);
      const want = definition(x, d, centers, k, u);
      expect(got.count).toBe(n);
      expect(Math.abs(got.weight / want.weight - 1), `total weight, ${k} centers`).toBeLessThanOrEqual(1e-14);
      expect(Array.from(got.row!), `row drawn, ${k} centers`).toEqual(Array.from(x.subarray(want.pick * d, want.pick * d + d)));
      expect(state.folded[0]).toBe(k);
    }
  });

  it('gives the same bits from kept, fresh, stale and no kept distances, and from the block at an offset of a larger array', () => {
    const kept = fresh(n, 1);
    for (let k = 1; k <= 3; k++) drawPlusPlus(centers, k, 0.5, kept, 0, 0, block);
    const incremental = drawPlusPlus(centers, 4, 0.42, kept, 0, 0, block);
    const again = drawPlusPlus(centers, 4, 0.42, kept, 0, 0, block);
    const scratch = drawPlusPlus(centers, 4, 0.42, fresh(n, 1), 0, 0, block);
    const stale: ClosestState = { closest: new Float64Array(n).fill(-1), folded: Int32Array.of(7) };
    const fromStale = drawPlusPlus(centers, 4, 0.42, stale, 0, 0, block);
    // The block as block 1 at row 10 of a state for 311 rows: other rows are left alone.
    const wide = fresh(n + 10, 2);
    wide.closest.fill(-2);
    const offset = drawPlusPlus(centers, 4, 0.42, wide, 1, 10, block);
    // No kept distances at all (a scheduler in another process).
    const none = drawPlusPlus(centers, 4, 0.42, null, 0, 0, block);
    for (const other of [again, scratch, fromStale, offset, none]) {
      expect(other.weight).toBe(incremental.weight);
      expect(Array.from(other.row!)).toEqual(Array.from(incremental.row!));
    }
    expect(Array.from(wide.closest.subarray(0, 10))).toEqual(new Array(10).fill(-2));
    expect(Array.from(wide.closest.subarray(10))).toEqual(Array.from(kept.closest));
    expect(wide.folded[0]).toBe(0);
  });

  it('draws uniformly (by u) when every row is already a center or a row is NaN, and returns nothing for an empty block', () => {
    const two = Float64Array.of(1, 2, 1, 2);
    const got = drawPlusPlus(Float64Array.of(1, 2), 1, 0.75, fresh(2, 1), 0, 0, { shape: [2, 2], data: two });
    expect(got.weight).toBe(0);
    expect(Array.from(got.row!)).toEqual([1, 2]);
    expect(drawPlusPlus(centers, 1, 0.5, fresh(0, 1), 0, 0, { shape: [0, d], data: new Float64Array(0) })).toEqual({ weight: 0, count: 0, row: null });
    // A NaN row: the block's weight is NaN (KMeans.fit then refuses the input by name), the draw uniform.
    const withNaN = Float64Array.of(0, 0, NaN, 1, 5, 5);
    const drawn = drawPlusPlus(Float64Array.of(5, 5), 1, 0.4, fresh(3, 1), 0, 0, { shape: [3, 2], data: withNaN });
    expect(drawn.weight).toBeNaN();
    expect(Array.from(drawn.row!)).toEqual([NaN, 1]);
  });
});
