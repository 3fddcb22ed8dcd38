/**
 * A lazy array made by one ml operation per row block of X (the preprocessing transforms): the
 * output keeps X's row blocks and has `cols` columns. Built as a core layer of `op` tasks and
 * handed to @pdask/array's public `fromDelayedBlocks`.
 */
import { fromDelayedBlocks, type ChunkedArray, type NDArray } from '@pdask/array';
import { Delayed, GeneratedLayer, layerNode, lit, ref, tokenize, type Op } from '@pdask/core';

export function mapRowBlocks(label: string, x: ChunkedArray<unknown>, op: Op, args: readonly unknown[], cols: number, dtype: string): ChunkedArray<NDArray> {
  const name = `${label}-${tokenize(label, x.name, op.ref, args, cols, dtype)}`;
  const rows = x.chunks[0];
  const key = (i: number) => `${name}-${i}`;
  const node = layerNode(
    new GeneratedLayer(name, label, function* () {
      for (let i = 0; i < rows.length; i++) yield op.task(key(i), ...args.map(lit), ref(x.key([i, 0])));
    }),
    [x.layer],
  );
  const blocks = rows.map((_, i) => new Delayed<unknown>(key(i), node));
  return fromDelayedBlocks(blocks, { chunks: [[...rows], [cols]], dtype });
}
