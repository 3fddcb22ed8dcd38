/** ml's tree reductions go through core's treeReduce: its key scheme, ml's default fan-in, and the combine numbering k-means++ draws its uniforms in. */
import { describe, expect, it } from 'vitest';
import * as da from '@pdask/array';
import { collectionsToGraph, collectionSymbol, SPLIT_EVERY } from '@pdask/core';
import { blockReduce } from '../src/graph/block-reduce';
import { mlOps } from '../src/ops/index';
import type { LloydPartial } from '../src/runtime/kmeans';
import { closePoolsAfterAll } from './helpers';

closePoolsAfterAll();

/** n rows of 2 features, row i = [i, 2i], in row blocks of `rows`. */
function rows(n: number, rowsPerBlock: number): da.ChunkedArray {
  const data = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) [data[2 * i], data[2 * i + 1]] = [i, 2 * i];
  return da.fromArray(new da.NDArray(data, [n, 2], 'float64'), { chunks: [rowsPerBlock, 2] });
}

describe('blockReduce', () => {
  it('builds partials, combines of 16 (SPLIT_EVERY.ml) and a final combine, numbered level by level', async () => {
    expect(SPLIT_EVERY.ml).toBe(16);
    const x = rows(20, 1);
    const seen: number[] = [];
    const d = blockReduce<LloydPartial>({
      label: 'kmeans-lloyd',
      x,
      partial: mlOps.lloydPartial,
      partialArgs: () => [Float64Array.of(0, 0), 1],
      combine: mlOps.combineLloyd,
      combineArgs: (n) => {
        seen.push(n);
        return [];
      },
    });
    const { graph } = collectionsToGraph([d[collectionSymbol]()], { optimizeGraph: false });
    const keys = graph.nodes.map((n) => n.key).filter((k) => k.startsWith('kmeans-lloyd-'));
    const name = d.key;
    expect(keys.filter((k) => k.startsWith(`${name}-partial-`))).toHaveLength(20);
    // 20 partials -> 2 combines (16 + 4) -> the final combine.
    expect(keys.filter((k) => k.startsWith(`${name}-combine0-`)).sort()).toEqual([`${name}-combine0-0`, `${name}-combine0-1`]);
    expect(seen.sort()).toEqual([0, 1, 2]);
    // One cluster at the origin: every row is assigned to it; sums are Σi and Σ2i over 0..19.
    const r = await d.compute({ scheduler: 'sync' });
    expect(Array.from(r.counts)).toEqual([20]);
    expect(Array.from(r.sums)).toEqual([190, 380]);
  });

  it('one block still gets one combine, which copies the lone partial', async () => {
    const x = rows(5, 5);
    const d = blockReduce<LloydPartial>({ label: 'kmeans-lloyd', x, partial: mlOps.lloydPartial, partialArgs: () => [Float64Array.of(0, 0), 1], combine: mlOps.combineLloyd });
    const { graph } = collectionsToGraph([d[collectionSymbol]()], { optimizeGraph: false });
    const own = graph.nodes.map((n) => n.key).filter((k) => k.startsWith(d.key));
    expect(own.sort()).toEqual([d.key, `${d.key}-partial-0`]);
    const r = await d.compute({ scheduler: 'threads' });
    expect(Array.from(r.sums)).toEqual([10, 20]);
  });

  it('checks splitEvery', () => {
    const x = rows(5, 1);
    expect(() => blockReduce({ label: 'k', x, partial: mlOps.lloydPartial, partialArgs: () => [], combine: mlOps.combineLloyd, splitEvery: 1 })).toThrow('k: splitEvery must be an integer >= 2 or false, got 1');
  });
});
