/**
 * The row of the whole collection where each partition starts, for error messages that must name
 * the true row (astype of a missing value). Divisions cannot be trusted for it (unknown after a
 * filter, index values after setIndex), so the offsets are a chain of tiny tasks over the
 * partitions' lengths: offset(i) = offset(i-1) + len(i-1). The lengths run where the partitions
 * are, and nothing but numbers moves.
 */
import { arr, layerNode, lit, ref, type ArgSpec, type LayerNode } from '@pdask/core';
import type { Graphed } from './base';
import { FrameLayer, opName, partitionKey } from './graph';
import { dataframeOps } from './ops/index';

export interface RowOffsets {
  /** The layer of the offset tasks (a parent of the layer that reads them). */
  readonly node: LayerNode;
  /** Partition i's first row in the whole collection, as a task argument. */
  arg(i: number): ArgSpec;
}

export function rowOffsets(c: Graphed): RowOffsets {
  const name = opName('row-offsets', c.name);
  const len = (i: number): string => `${name}-len-${i}`;
  const layer = new FrameLayer(name, 'row-offsets', function* () {
    for (let i = 0; i < c.npartitions - 1; i++) {
      yield dataframeOps.partLength.task(len(i), ref(partitionKey(c.name, i)));
      const prev = i === 0 ? [] : [ref(partitionKey(name, i))];
      yield dataframeOps.sumNumbers.task(partitionKey(name, i + 1), arr([...prev, ref(len(i))]));
    }
  });
  return { node: layerNode(layer, [c.layer]), arg: (i) => (i === 0 ? lit(0) : ref(partitionKey(name, i))) };
}
