/**
 * A computed data frame (what `DataFrame.compute()` returns, pandas' DataFrame): named Arrow
 * columns, and an index (group keys, one level per key column) or row positions.
 */
import type { Table, Vector } from 'apache-arrow';
import { dtypesRecord } from '../dtypes';
import { dtypeName } from '../ops/types';
import { frameText } from './format';
import { labelAt, Labelled, levelName, type Cell, type IndexInput, type IndexNamesInput, type Label } from './labels';
import { LocalSeries } from './series';
import { tableOf } from './table';
import { cellOf } from '../types/big-vectors';
import { checkOptions, type OptionSchema } from '@pdask/core';

/** Node's `util.inspect.custom` by its registered symbol (no node:util import: pages bundle this). */
const inspectCustom = Symbol.for('nodejs.util.inspect.custom');

export interface ToRecordsOptions {
  /** Put the index levels in each record (default true; pandas' to_dict leaves them out). */
  index?: boolean;
}
const TO_RECORDS_OPTIONS: OptionSchema<ToRecordsOptions> = { index: 'boolean' };

export class LocalFrame extends Labelled {
  constructor(
    readonly columns: readonly string[],
    /** One vector per column, in `columns` order. */
    readonly vectors: readonly Vector[],
    readonly numRows: number,
    /** The index: one vector, one per level (a group-by on several columns), or none (row positions). */
    index?: IndexInput,
    indexName: IndexNamesInput = null,
  ) {
    super(index, indexName);
  }

  get length(): number {
    return this.numRows;
  }

  get shape(): [number, number] {
    return [this.numRows, this.columns.length];
  }

  get dtypes(): Record<string, string> {
    return dtypesRecord(this.columns, this.vectors.map((v) => dtypeName(v.type)));
  }

  /** One column as a series (sharing the index). */
  col(name: string): LocalSeries {
    const i = this.columns.indexOf(name);
    if (i < 0) throw new Error(`column '${name}' not found; known columns: ${this.columns.map((c) => `'${c}'`).join(', ')}`);
    return new LocalSeries(this.vectors[i], name, this.idx.levels, this.idx.names);
  }

  /** Row `i` as an object of column name → value. */
  row(i: number): Record<string, Cell> {
    if (!Number.isInteger(i) || i < 0 || i >= this.numRows) throw new RangeError(`row ${i} is out of range for a frame of ${this.numRows} rows`);
    return Object.fromEntries(this.columns.map((c, j) => [c, cellOf(this.vectors[j], i) as Cell]));
  }

  /** The index label of row i: its position, its key, or the array of its keys (several levels). */
  labelAt(i: number): Label {
    return labelAt(this.idx, i);
  }

  /**
   * Every row as an object (pandas' `to_dict('records')`); each index level, when there is one,
   * first under its name (pandas' `reset_index().to_dict('records')`) unless `{ index: false }`.
   */
  toRecords(opts?: ToRecordsOptions): Record<string, Cell>[] {
    const { index } = checkOptions('LocalFrame.toRecords', opts, TO_RECORDS_OPTIONS);
    const levels = index === false ? [] : this.idx.levels;
    return Array.from({ length: this.numRows }, (_, i) => {
      const rec: Record<string, Cell> = {};
      levels.forEach((v, j) => (rec[levelName(this.idx, j)] = cellOf(v, i) as Cell));
      return Object.assign(rec, this.row(i));
    });
  }

  /** An Arrow table: the index levels (when there are some) then the columns. */
  toArrow(): Table {
    const { levels } = this.idx;
    return tableOf([...levels.map((_, j) => levelName(this.idx, j)), ...this.columns], [...levels, ...this.vectors]);
  }

  override toString(): string {
    return frameText(this.columns, this.vectors, this.numRows, this.idx);
  }

  [inspectCustom](): string {
    return this.toString();
  }
}
