/**
 * Frames made from in-memory data (fromArrow, fromColumns, fromRecords) as plan sources: a
 * projection pushed into one gives partitions holding only the columns used, so tasks (and the
 * copies sent to worker threads) carry no others.
 */
import { layerNode, lit, tokenize } from '@pdask/core';
import { DataFrame } from '../frame';
import { FrameLayer, partitionKey } from '../graph';
import { selectColumns } from '../ops/frame';
import { dataframeOps } from '../ops/index';
import type { Part } from '../ops/part';
import { INDEX_COLUMN } from '../ops/spec';
import { withExpr } from './nodes';
import { recordMemoryLayer } from '../inline';

/** Records `df`, made of `parts` (its index column first when it has one), as a memory source. */
export function memorySource(df: DataFrame, parts: readonly Part[]): DataFrame {
  const project = (columns: readonly string[]): DataFrame => {
    // Selecting shares the partitions' buffers (shared memory): nothing is copied.
    const keep = [...(df.meta.index ? [INDEX_COLUMN] : []), ...columns];
    const mine = parts.map((p) => selectColumns(p, keep));
    const name = `${df.name}-cols-${tokenize(columns)}`;
    const layer = new FrameLayer(name, 'from-arrow', function* () {
      for (let i = 0; i < mine.length; i++) yield dataframeOps.passPart.task(partitionKey(name, i), lit(mine[i]));
    });
    const bytes = mine.reduce((sum, p) => sum + p.bufs.reduce((a, b) => a + b.byteLength, 0), 0);
    const meta = { ...df.meta, names: [...columns], types: columns.map((c) => df.typeOf(c)) };
    return new DataFrame(name, mine.length, recordMemoryLayer(layerNode(layer), bytes, mine), df.divisions, meta, bytes);
  };
  return withExpr(df, { kind: 'memory', columns: df.columns, project, ...(df.bytes !== undefined ? { bytes: df.bytes } : {}) });
}
