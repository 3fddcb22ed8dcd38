/**
 * A computed series (what `Series.compute()` and group-by aggregations return, pandas' Series):
 * an Arrow vector of values, a name, and an index (group keys, column names) or row positions.
 */
import { DataType, type Table, type Vector } from 'apache-arrow';
import { toFloat64 } from '../ops/values';
import { dtypeName } from '../ops/types';
import { seriesText } from './format';
import { labelAt, labelEquals, Labelled, levelName, type Cell, type IndexInput, type IndexNamesInput, type Label } from './labels';
import { tableOf } from './table';
import { cellOf } from '../types/big-vectors';

/** Node's `util.inspect.custom` by its registered symbol (no node:util import: pages bundle this). */
const inspectCustom = Symbol.for('nodejs.util.inspect.custom');

export type { Cell, Label } from './labels';

export class LocalSeries extends Labelled {
  constructor(
    /** The values (an Arrow vector, possibly of several chunks). */
    readonly values: Vector,
    readonly name: string | null,
    /** Index labels: one vector, one per level, or none (the labels are the row positions 0…n-1). */
    index?: IndexInput,
    indexName: IndexNamesInput = null,
  ) {
    super(index, indexName);
  }

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
    return cellOf(this.values, j) as Cell;
  }

  /**
   * The value whose index label is `label` (pandas' `.loc[label]`); undefined when absent. With
   * several index levels the label is the array of the levels' values: `s.get([1, 'x'])`.
   */
  get(label: Label): Cell | undefined {
    if (this.idx.levels.length === 0) return typeof label === 'number' && Number.isInteger(label) && label >= 0 && label < this.length ? this.at(label) : undefined;
    for (let i = 0; i < this.length; i++) if (labelEquals(labelAt(this.idx, i), label)) return cellOf(this.values, i) as Cell;
    return undefined;
  }

  /**
   * The values as a typed array (numbers), or an array of JS values. Numbers with missing values
   * (an unmatched side of a merge, an integer column with nulls) come as float64 with NaN there,
   * as pandas shows them; Arrow's own toArray() would give the null slots' stored bytes (often 0).
   */
  toArray(): ArrayLike<Cell> {
    const t = this.values.type as DataType;
    if ((DataType.isFloat(t) || DataType.isInt(t)) && this.values.nullCount > 0) return toFloat64(this.values);
    return this.values.toArray() as ArrayLike<Cell>;
  }

  /** The index labels (row positions when there is no index; arrays of cells with several levels). */
  indexArray(): Label[] {
    return Array.from({ length: this.length }, (_, i) => labelAt(this.idx, i));
  }

  /** [label, value] pairs, in order. */
  entries(): [Label, Cell][] {
    return this.indexArray().map((l, i) => [l, cellOf(this.values, i) as Cell]);
  }

  /** An Arrow table: the index levels (when there are some) then the values. */
  toArrow(): Table {
    const { levels } = this.idx;
    return tableOf([...levels.map((_, j) => levelName(this.idx, j)), this.name ?? 'values'], [...levels, this.values]);
  }

  override toString(): string {
    return seriesText(this.values, this.name, this.idx, this.dtype);
  }

  [inspectCustom](): string {
    return this.toString();
  }
}
