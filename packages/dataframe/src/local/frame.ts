/**
 * A computed data frame (what `DataFrame.compute()` returns, pandas' DataFrame): named Arrow
 * columns, and an index (group keys) or row positions.
 */
import { inspect } from 'node:util';
import type { Table, Vector } from 'apache-arrow';
import { dtypeName } from '../ops/types';
import { frameText } from './format';
import { LocalSeries, type Cell } from './series';
import { tableOf } from './table';

export class LocalFrame {
  constructor(
    readonly columns: readonly string[],
    /** One vector per column, in `columns` order. */
    readonly vectors: readonly Vector[],
    readonly numRows: number,
    readonly index?: Vector,
    readonly indexName: string | null = null,
  ) {}

  get length(): number {
    return this.numRows;
  }

  get shape(): [number, number] {
    return [this.numRows, this.columns.length];
  }

  get dtypes(): Record<string, string> {
    return Object.fromEntries(this.columns.map((c, i) => [c, dtypeName(this.vectors[i].type)]));
  }

  /** One column as a series (sharing the index). */
  col(name: string): LocalSeries {
    const i = this.columns.indexOf(name);
    if (i < 0) throw new Error(`column '${name}' not found; known columns: ${this.columns.map((c) => `'${c}'`).join(', ')}`);
    return new LocalSeries(this.vectors[i], name, this.index, this.indexName);
  }

  /** Row `i` as an object of column name → value. */
  row(i: number): Record<string, Cell> {
    if (!Number.isInteger(i) || i < 0 || i >= this.numRows) throw new RangeError(`row ${i} is out of range for a frame of ${this.numRows} rows`);
    return Object.fromEntries(this.columns.map((c, j) => [c, this.vectors[j].get(i) as Cell]));
  }

  /** Every row as an object (the index, when there is one, under its name). */
  toRecords(): Record<string, Cell>[] {
    const idx = this.index;
    const key = this.indexName ?? 'index';
    return Array.from({ length: this.numRows }, (_, i) => (idx ? { [key]: idx.get(i) as Cell, ...this.row(i) } : this.row(i)));
  }

  /** An Arrow table: the index column (when there is one) then the columns. */
  toArrow(): Table {
    if (!this.index) return tableOf(this.columns, this.vectors);
    return tableOf([this.indexName ?? 'index', ...this.columns], [this.index, ...this.vectors]);
  }

  toString(): string {
    return frameText(this.columns, this.vectors, this.numRows, this.index, this.indexName);
  }

  [inspect.custom](): string {
    return this.toString();
  }
}
