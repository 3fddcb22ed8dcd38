/**
 * What a thread derives once from a broadcast side of a join: the join table of its key columns
 * (with the numbering of text or multi-column keys, which every probe side goes through) and its
 * columns in one chunk. A worker keeps one copy of a broadcast partition and hands that same object
 * to every task reading it, so these are found by the partition object: no task converts, numbers
 * or compares its keys again, nor flattens its chunks again (each was a copy of the whole side per
 * partition of the other side). Partitions are immutable; the entry goes with the partition.
 */
import type { Vector } from 'apache-arrow';
import { oneChunk } from './join-gather';
import { buildTable, numberedBuild, numberKeys, type JoinTable, type KeyIds } from './join-table';
import type { Part } from './part';

/** A build side ready for probing: its table, and for numbered keys the numbering to probe through. */
export interface BuildSide {
  readonly table: JoinTable;
  /** Undefined when the keys are used as numbers (one numeric column on each side). */
  readonly ids: KeyIds | undefined;
}

interface Derived {
  /** By key columns and whether they are numbered. */
  readonly sides: Map<string, BuildSide>;
  /** By column name. */
  readonly flat: Map<string, Vector>;
}

const byPart = new WeakMap<Part, Derived>();

function derived(part: Part): Derived {
  let d = byPart.get(part);
  if (!d) byPart.set(part, (d = { sides: new Map(), flat: new Map() }));
  return d;
}

/**
 * The build side of `part`'s key columns `columns` (whose vectors are `cols`): numbers as they are
 * when `numeric`, else numbered by a Map. Built on the first call for this partition object.
 */
export function broadcastBuild(part: Part, columns: readonly string[], cols: readonly Vector[], numeric: boolean): BuildSide {
  const sides = derived(part).sides;
  const key = (numeric ? 'n' : 'i') + JSON.stringify(columns);
  let side = sides.get(key);
  if (!side) {
    if (numeric) side = { table: buildTable(numberKeys(cols[0])), ids: undefined };
    else {
      const { build, ids } = numberedBuild(cols);
      side = { table: buildTable(build), ids };
    }
    sides.set(key, side);
  }
  return side;
}

/** Column `column` (the vector `v`) of the broadcast partition `part`, in one chunk. */
export function broadcastColumn(part: Part, column: string, v: Vector): Vector {
  if (v.data.length < 2) return v;
  const flat = derived(part).flat;
  let one = flat.get(column);
  if (!one) flat.set(column, (one = oneChunk(v)));
  return one;
}
