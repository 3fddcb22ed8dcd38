/**
 * Reshaping one partition: melt (wide to long), get_dummies (one uint8 column per known category)
 * and the last step of pivot_table (a group-by result on [index, columns] spread into one column
 * per category).
 */
import { makeData, makeVector, Uint8, type Vector } from 'apache-arrow';
import { castVector } from './cast';
import { cellsOf } from './cells';
import { findColumn } from './frame';
import { batchOf, decodePart, encodeBatch, type Part } from './part';
import { numbersAs } from './results';
import { indexColumn, indexColumnsOf } from './spec';
import type { TypeDesc } from './types';
import { stringVector, takeRows } from './values';

export interface MeltSpec {
  idVars: readonly string[];
  valueVars: readonly string[];
  varName: string;
  valueName: string;
  valueType: TypeDesc;
}

/** pandas' melt of one partition: every value column in turn, below each other; the index is dropped. */
export const meltPart = (part: Part, spec: MeltSpec): Part => {
  const b = decodePart(part);
  const k = spec.valueVars.length;
  const repeat = (v: Vector): Vector => (k === 0 ? v.slice(0, 0) : Array.from({ length: k - 1 }, () => v).reduce((a, x) => a.concat(x), v));
  const ids = spec.idVars.map((c) => repeat(findColumn(b, c)));
  const vars = stringVector(spec.valueVars.flatMap((c) => Array.from({ length: b.numRows }, () => c)));
  const values = spec.valueVars.map((c) => castVector(findColumn(b, c), spec.valueType, c, 'melt'));
  const value = values.length ? values.reduce((a, x) => a.concat(x)) : castVector(findColumn(b, spec.idVars[0] ?? b.names[0]).slice(0, 0), spec.valueType, spec.valueName, 'melt');
  return encodeBatch(batchOf([...spec.idVars, spec.varName, spec.valueName], [...ids, vars, value]));
};

const uint8Vector = (x: Uint8Array): Vector => makeVector(makeData({ type: new Uint8(), length: x.length, nullCount: 0, data: x }));

export interface DummiesSpec {
  columns: readonly string[];
  categories: readonly (readonly string[])[];
  /** Output names of each column's categories. */
  names: readonly (readonly string[])[];
  /** Columns kept as they are, before the dummies (pandas' order). */
  keep: readonly string[];
}

export const dummiesPart = (part: Part, spec: DummiesSpec): Part => {
  const b = decodePart(part);
  const idx = indexColumnsOf(b.names);
  const names: string[] = [...idx, ...spec.keep];
  const vectors: Vector[] = names.map((n) => findColumn(b, n));
  spec.columns.forEach((c, j) => {
    const xs = cellsOf(findColumn(b, c));
    spec.categories[j].forEach((cat, k) => {
      names.push(spec.names[j][k]);
      vectors.push(uint8Vector(Uint8Array.from(xs, (x) => (x === cat ? 1 : 0))));
    });
  });
  return encodeBatch(batchOf(names, vectors));
};

/**
 * A group-by result indexed by (index value, category) spread into one float64 column per
 * category, indexed by the index values in the order they come; combinations that did not occur
 * get `fill` (Dask: 0 for sum and count, NaN for the others).
 */
export const pivotUnstack = (part: Part, valueColumn: string, categories: readonly string[], fill: number): Part => {
  const b = decodePart(part);
  const rowsV = findColumn(b, indexColumn(0));
  const rowKeys = cellsOf(rowsV);
  const colKeys = cellsOf(findColumn(b, indexColumn(1)));
  const vals = cellsOf(findColumn(b, valueColumn));
  const rowAt = new Map<unknown, number>();
  const firstRow: number[] = [];
  rowKeys.forEach((k, i) => {
    if (!rowAt.has(k)) {
      rowAt.set(k, firstRow.length);
      firstRow.push(i);
    }
  });
  const catAt = new Map(categories.map((c, j) => [c, j]));
  const out = categories.map(() => new Float64Array(firstRow.length).fill(fill));
  rowKeys.forEach((k, i) => {
    const j = catAt.get(colKeys[i] as string);
    const v = vals[i];
    if (j !== undefined && v !== null) out[j][rowAt.get(k)!] = typeof v === 'bigint' ? Number(v) : Number(v);
  });
  const index = takeRows(rowsV, Int32Array.from(firstRow));
  const F64: TypeDesc = { id: 'float', bits: 64 };
  return encodeBatch(batchOf([indexColumn(0), ...categories], [index, ...out.map((x) => numbersAs(x, F64))]));
};
