/**
 * What the index operations share: rebuilding a frame or series of the same kind over a new
 * layer, and making the implicit row-position labels of a frame without an index explicit.
 */
import { lit, ref, type LayerNode } from '@pdask/core';
import { partitionwise, type Divisions, type IndexMeta } from '../base';
import { DataFrame } from '../frame';
import { partitionKey } from '../graph';
import { dataframeOps } from '../ops/index';
import type { TypeDesc } from '../ops/types';
import { Series } from '../series';

export type Lazy = DataFrame | Series;

/** The same kind of collection (columns, name) over another layer, partitioning and index. */
export function remake<C extends Lazy>(c: C, name: string, layer: LayerNode, npartitions: number, divisions: Divisions, index: IndexMeta | null = c.meta.index): C {
  if (c instanceof DataFrame) return new DataFrame(name, npartitions, layer, divisions, { ...c.meta, index }) as C;
  return new Series(name, npartitions, layer, divisions, { ...(c as Series).meta, index }) as C;
}

const INT32: TypeDesc = { id: 'int', bits: 32, signed: true };
const F64: TypeDesc = { id: 'float', bits: 64 };

/**
 * The collection with a one-level index in its partitions: its own, or for a frame made from data
 * (no index, known divisions in row positions) the row positions as an explicit index, as pandas'
 * RangeIndex. A frame without an index whose divisions are unknown has no known labels: pdask
 * renumbers rows after filters, so this is refused, naming the remedy.
 */
export function withExplicitIndex<C extends Lazy>(c: C, method: string): C {
  const levels = c.meta.index?.levels ?? [];
  if (levels.length > 1) throw new TypeError(`${method}: the index has ${levels.length} levels (a group-by on several columns); this needs a one-level index (resetIndex() then setIndex(column))`);
  if (levels.length === 1) return c;
  const divisions = c.divisions;
  if (divisions === null) {
    throw new Error(`${method}: the collection has no index and unknown divisions, so its row labels are not known (pdask numbers rows after a filter anew). Use setIndex(column) to index it by a column, or keep known divisions`);
  }
  const starts = divisions as readonly number[];
  const last = starts[starts.length - 1] ?? 0;
  const { name, layer } = partitionwise([c], {
    kind: 'range-index',
    token: [starts],
    task: (key, i) => dataframeOps.addRangeIndex.task(key, ref(partitionKey(c.name, i)), lit(starts[i])),
  });
  return remake(c, name, layer, c.npartitions, divisions, { levels: [{ type: last + 1 > 2 ** 31 - 1 ? F64 : INT32, name: null }] });
}

/** The collection with unknown divisions (Dask's clear_divisions). */
export function clearDivisions<C extends Lazy>(c: C): C {
  if (c.divisions === null) return c;
  return remake(c, c.name, c.layer, c.npartitions, null);
}
