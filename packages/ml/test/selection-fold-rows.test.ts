/**
 * foldRows (model-selection/fold-rows.ts), which the searches use to cut folds: the rows of the
 * positions in their order, the same values and row blocks as `slice` by the position list, for
 * runs of consecutive rows (KFold), scattered and permuted positions (ShuffleSplit, shuffled
 * KFold), on blocks of one row, empty blocks and uneven ones, 2-d X and 1-d y.
 */
import { describe, expect, it } from 'vitest';
import * as da from '@pdask/array';
import { foldRows } from '../src/model-selection/fold-rows';

const N = 23;
const D = 3;
const xs = Float64Array.from({ length: N * D }, (_, i) => i * 0.5 - 7);
const ys = Int32Array.from({ length: N }, (_, i) => (i * 7) % 5);

const CHUNKINGS = [[N], [1, 1, 0, 10, 11], [5, 0, 5, 5, 5, 3]];
const range = (a: number, b: number) => Array.from({ length: b - a }, (_, i) => a + i);
const POSITIONS: Record<string, number[]> = {
  'one run': range(4, 17),
  'two runs (a KFold training set)': [...range(0, 8), ...range(16, N)],
  'single rows': [0, 2, 3, 9, 22],
  'permuted': [5, 1, 20, 2, 13],
  'every row': range(0, N),
};

describe('foldRows', () => {
  it.each(CHUNKINGS.map((c) => [c.join(',')]))('blocks [%s]: the rows of every position list, as slice gives them', async (spec) => {
    const rows = spec.split(',').map(Number);
    const x = da.fromArray(xs, { shape: [N, D], chunks: [rows, [D]] });
    const y = da.fromArray(ys, { chunks: [rows] });
    for (const [what, pos] of Object.entries(POSITIONS)) {
      const idx = Int32Array.from(pos);
      const fx = foldRows(x, idx);
      const fy = foldRows(y, idx);
      const gx = (await fx.compute({ scheduler: 'sync' })) as da.NDArray;
      const gy = (await fy.compute({ scheduler: 'sync' })) as da.NDArray;
      expect(Array.from(gx.data as Float64Array), what).toEqual(pos.flatMap((r) => Array.from(xs.subarray(r * D, (r + 1) * D))));
      expect(gx.shape, what).toEqual([pos.length, D]);
      expect(Array.from(gy.data as Int32Array), what).toEqual(pos.map((r) => ys[r]));
      expect(gy.dtype, what).toBe('int32');
      // Blocks: those of slice by the list, so reductions over them sum in the same order.
      expect(fx.chunks[0].filter((c) => c > 0), what).toEqual(x.slice(idx, ':').chunks[0].filter((c) => c > 0));
    }
  });
});
