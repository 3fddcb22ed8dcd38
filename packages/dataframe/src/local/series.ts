/**
 * A computed series (what `Series.compute()` and group-by aggregations return, pandas' Series):
 * an Arrow vector of values, a name, and an index (group keys, column names) or row positions.
 */
import { inspect } from 'node:util';
import type { Table, Vector } from 'apache-arrow';
import { dtypeName } from '../ops/types';
import { seriesText } from './format';
import { tableOf } from './table';

/** A JavaScript value of a cell: number, string, boolean, bigint (int64), or null. */
export type Cell = number | string | boolean | bigint | null;

export class LocalSeries {
  constructor(
    /** The values (an Arrow vector, possibly of several chunks). */
    readonly values: Vector,
    readonly name: string | null,
    /** Index labels; undefined when the labels are the row positions 0…n-1. */
    readonly index?: Vector,
    readonly indexName: string | null = null,
  ) {}

  get length(): number {
    return this.values.length;
  }

  /** pandas' dtype name ('float64', 'int32', 'bool', 'string', 'category'). */
  get dtype(): string {
    return dtypeName(this.values.type);
  }

  /** The value at row position i (negative counts from the end). */
  at(i: number): Cell {
    const j = i < 0 ? this.length + i : i;
    if (!Number.isInteger(j) || j < 0 || j >= this.length) throw new RangeError(`position ${i} is out of range for a series of length ${this.length}`);
    return this.values.get(j) as Cell;
  }

  /** The value whose index label is `label` (pandas' `.loc[label]`); undefined when absent. */
  get(label: Cell): Cell | undefined {
    if (!this.index) return typeof label === 'number' && Number.isInteger(label) && label >= 0 && label < this.length ? this.at(label) : undefined;
    for (let i = 0; i < this.index.length; i++) if (this.index.get(i) === label) return this.values.get(i) as Cell;
    return undefined;
  }

  /** The values as a typed array (numbers without nulls) or an array of JS values. */
  toArray(): ArrayLike<Cell> {
    return this.values.toArray() as ArrayLike<Cell>;
  }

  /** The index labels (row positions when there is no index). */
  indexArray(): Cell[] {
    if (!this.index) return Array.from({ length: this.length }, (_, i) => i);
    return Array.from({ length: this.length }, (_, i) => this.index!.get(i) as Cell);
  }

  /** [label, value] pairs, in order. */
  entries(): [Cell, Cell][] {
    const labels = this.indexArray();
    return labels.map((l, i) => [l, this.values.get(i) as Cell]);
  }

  /** An Arrow table: the index (when there is one) then the values. */
  toArrow(): Table {
    const name = this.name ?? 'values';
    if (!this.index) return tableOf([name], [this.values]);
    return tableOf([this.indexName ?? 'index', name], [this.index, this.values]);
  }

  toString(): string {
    return seriesText(this.values, this.name, this.index, this.indexName, this.dtype);
  }

  [inspect.custom](): string {
    return this.toString();
  }
}
