/**
 * What MiniBatchKMeans.partialFit runs per batch (cluster/block-partials.ts): one task per row
 * block and nothing else (no combine task), results back in block order; and the row draws'
 * per-block reads (runtime/take-rows.ts). Values are computed here from first principles.
 */
import { describe, expect, it } from 'vitest';
import * as da from '@pdask/array';
import { collectionsToGraph } from '@pdask/core';
import { blockPartials, blockPartialsGraph } from '../src/cluster/block-partials';
import { MiniBatchKMeans } from '../src/index';
import { clusterOps, rowOps } from '../src/ops/index';
import type { LloydPartial } from '../src/runtime/kmeans';
import { takeRows } from '../src/runtime/take-rows';
import { closePoolsAfterAll, flat, SCHEDULERS } from './helpers';

closePoolsAfterAll();

/** n rows of 2 features, row i = [i, 2i], in row blocks of `rows`. */
function rows(n: number, rowsPerBlock: number, dtype: 'float64' | 'int32' = 'float64'): da.ChunkedArray {
  const data = dtype === 'int32' ? new Int32Array(2 * n) : new Float64Array(2 * n);
  for (let i = 0; i < n; i++) [data[2 * i], data[2 * i + 1]] = [i, 2 * i];
  return da.fromArray(new da.NDArray(data, [n, 2], dtype), { chunks: [rowsPerBlock, 2] });
}

describe('blockPartials', () => {
  it('is one task per row block reading only that block, with no combine task', () => {
    const x = rows(10, 4);
    const g = blockPartialsGraph({ label: 'minibatch-kmeans', x, partial: clusterOps.lloydStep, args: () => [Float64Array.of(0, 0), 1] });
    const { graph } = collectionsToGraph([g], { optimizeGraph: false });
    const tasks = graph.nodes.filter((n) => n.kind !== 'data');
    expect(tasks).toHaveLength(3);
    expect(g.keys).toHaveLength(3);
    expect(new Set(tasks.map((t) => t.key))).toEqual(new Set(g.keys));
    // Each task's one input is its own block of x.
    g.keys.forEach((k, b) => {
      expect(graph.nodes[graph.index.get(k)!].deps).toEqual([x.key([b, 0])]);
    });
  });

  it.each(SCHEDULERS)('returns the blocks’ Lloyd sums in block order on $scheduler', async (opts) => {
    // One center at the origin: block b of 4 rows (the last has 2) sums rows [i, 2i] of its range.
    const x = rows(10, 4);
    const parts = await blockPartials<LloydPartial>({ label: 'minibatch-kmeans', x, partial: clusterOps.lloydStep, args: () => [Float64Array.of(0, 0), 1] }, opts);
    expect(parts.map((p) => Array.from(p.sums))).toEqual([
      [0 + 1 + 2 + 3, 2 * (0 + 1 + 2 + 3)],
      [4 + 5 + 6 + 7, 2 * (4 + 5 + 6 + 7)],
      [8 + 9, 2 * (8 + 9)],
    ]);
    expect(parts.map((p) => p.counts[0])).toEqual([4, 4, 2]);
  });

  it.each(SCHEDULERS)('runs only the blocks asked, in the order asked, on $scheduler', async (opts) => {
    const x = rows(10, 4, 'int32');
    const parts = await blockPartials<Float64Array>({ label: 'rows', x, partial: rowOps.takeRows, args: (b) => [b === 2 ? Int32Array.of(1) : Int32Array.of(3, 0)], blocks: [2, 0] }, opts);
    // Block 2 row 1 is row 9; block 0 rows 3 and 0; int32 values come back as float64.
    expect(parts.map((p) => [p.constructor.name, Array.from(p)])).toEqual([
      ['Float64Array', [9, 18]],
      ['Float64Array', [3, 6, 0, 0]],
    ]);
  });

  it('a failing block task fails the computation with its own error, and the pool stays usable', async () => {
    const x = rows(10, 4);
    await expect(blockPartials({ label: 'rows', x, partial: rowOps.takeRows, args: () => [Int32Array.of(7)] }, { scheduler: 'threads' })).rejects.toThrow("takeRows: row 7 is outside the block's 4 rows");
    const parts = await blockPartials<Float64Array>({ label: 'rows', x, partial: rowOps.takeRows, args: () => [Int32Array.of(1)] }, { scheduler: 'threads' });
    expect(parts.map((p) => Array.from(p))).toEqual([[1, 2], [5, 10], [9, 18]]);
  });
});

describe('takeRows', () => {
  it('copies the asked rows as float64, int64 included', () => {
    const data = BigInt64Array.from([1n, 2n, 3n, 4n, 5n, 6n]);
    const out = takeRows(Int32Array.of(2, 0), { shape: [3, 2], data });
    expect(out).toBeInstanceOf(Float64Array);
    expect(Array.from(out)).toEqual([5, 6, 1, 2]);
    expect(() => takeRows(Int32Array.of(-1), { shape: [3, 2], data })).toThrow("takeRows: row -1 is outside the block's 3 rows");
  });
});

describe('MiniBatchKMeans.partialFit over several blocks', () => {
  it.each(SCHEDULERS)('moves each center to the mean of its rows (learning rate 1 / count) on $scheduler', async (opts) => {
    // Rows [i, 2i], i < 10, in blocks of 4; centers [0, 0] and [100, 200]: rows 0-9 are nearer
    // the first (|x|² ≤ 405 against ≥ 36,405 from the second), whose count is 0, so it becomes
    // their mean [4.5, 9]. The second gets no row: with reassignment off it stays where it was.
    const x = rows(10, 4);
    const m = new MiniBatchKMeans({ nClusters: 2, init: [[0, 0], [100, 200]], reassignmentRatio: 0 });
    await m.partialFit(x, opts);
    expect(flat(m.clusterCenters)).toEqual([4.5, 9, 100, 200]);
    expect(Array.from(m.counts)).toEqual([10, 0]);
    // A second batch, rows 10..19 shifted: [i, 2i] for i = 10..19 (mean [14.5, 29]). The first
    // center is the nearer for all of them (|[19, 38] − [4.5, 9]|² = 1051.25 < |[19, 38] − [100, 200]|² = 32,805)
    // and moves to the mean of all 20 rows seen: (10 · [4.5, 9] + 10 · [14.5, 29]) / 20 = [9.5, 19].
    const y = da.fromArray(new da.NDArray(Float64Array.from({ length: 20 }, (_, j) => (j % 2 ? 2 : 1) * (10 + (j >> 1))), [10, 2], 'float64'), { chunks: [3, 2] });
    await m.partialFit(y, opts);
    expect(flat(m.clusterCenters)).toEqual([9.5, 19, 100, 200]);
    expect(Array.from(m.counts)).toEqual([20, 0]);
    expect(m.nSteps).toBe(2);
  });
});
