/**
 * Group keys and values as exact JavaScript cells (number, string, bigint, boolean, null), for the
 * group-by operations that do not go through the float64 kernels: nunique, first/last/min/max of
 * strings, categories, datetimes and int64, the cumulative and shifted values within groups, and
 * the per-group calls of apply/transform. Int64 and nanosecond times stay bigints, so keys and
 * values past 2^53 are neither rounded nor merged.
 */
import { DataType, Dictionary, Int32, Utf8, vectorFromArray, type Vector } from 'apache-arrow';
import { bigVector, cellOf } from '../types/big-vectors';
import { arrowType, type TypeDesc } from './types';
import { numbersAs } from './results';
import { stringVector } from './values';

export type Cell = number | string | bigint | boolean | null;

/** The cells of a column; NaN floats are null, as pandas treats them as missing. */
export function cellsOf(v: Vector): Cell[] {
  const t = v.type as DataType;
  const out = new Array<Cell>(v.length);
  if (DataType.isFloat(t)) {
    for (let i = 0; i < v.length; i++) {
      const x = v.get(i) as number | null;
      out[i] = x === null || x !== x ? null : x;
    }
    return out;
  }
  for (let i = 0; i < v.length; i++) out[i] = (cellOf(v, i) ?? null) as Cell;
  return out;
}

/** Orders cells of one column: ascending, missing last. */
export function compareCells(a: Cell, b: Cell): number {
  if (a === null || b === null) return a === null ? (b === null ? 0 : 1) : -1;
  if (typeof a === 'string') return a < (b as string) ? -1 : a > (b as string) ? 1 : 0;
  const x = a as number;
  const y = b as number;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** A text that tells keys of several levels apart exactly (bigint and number keys stay distinct). */
function tupleText(parts: readonly Cell[]): string {
  return parts.map((p) => (p === null ? 'n' : typeof p === 'bigint' ? `b${p}` : typeof p === 'number' ? `f${p === 0 ? 0 : p}` : typeof p === 'boolean' ? `t${p}` : `s${p}`)).join('\u0000');
}

export interface RowGroups {
  /** The group of each row in first-seen order; -1 for rows left out (a missing key with dropna). */
  codes: Int32Array;
  /** Each group's key, one cell per level. */
  keys: Cell[][];
  /** Each group's key as one exact text (equal across partitions). */
  texts: string[];
}

/** The groups of a partition's rows by the key columns (missing keys dropped unless dropna is false). */
export function rowGroups(keyColumns: readonly Vector[], dropna: boolean): RowGroups {
  const cols = keyColumns.map(cellsOf);
  const n = keyColumns[0]?.length ?? 0;
  const codes = new Int32Array(n);
  const seen = new Map<string, number>();
  const keys: Cell[][] = [];
  const texts: string[] = [];
  for (let i = 0; i < n; i++) {
    const key = cols.map((c) => c[i]);
    if (dropna && key.includes(null)) {
      codes[i] = -1;
      continue;
    }
    const text = tupleText(key);
    let c = seen.get(text);
    if (c === undefined) {
      c = keys.length;
      seen.set(text, c);
      keys.push(key);
      texts.push(text);
    }
    codes[i] = c;
  }
  return { codes, keys, texts };
}

/** Positions of `keys` ordered level by level (pandas' sort=True, missing keys last). */
export function keyOrder(keys: readonly (readonly Cell[])[]): number[] {
  return keys
    .map((_, i) => i)
    .sort((a, b) => {
      for (let j = 0; j < keys[a].length; j++) {
        const c = compareCells(keys[a][j], keys[b][j]);
        if (c !== 0) return c;
      }
      return 0;
    });
}

/** A vector of type t from cells (null: missing); categories stay categories. */
export function cellsVector(cells: readonly Cell[], t: TypeDesc): Vector {
  switch (t.id) {
    case 'utf8':
      return stringVector(cells as (string | null)[]);
    case 'dict':
      return vectorFromArray(cells as (string | null)[], new Dictionary(new Utf8(), new Int32()));
    case 'bool':
      return vectorFromArray(cells as (boolean | null)[], arrowType(t));
    case 'timestamp':
    case 'duration':
      return big(cells, t);
    case 'int':
      if (t.bits === 64) return big(cells, t);
      return numbersAs(Float64Array.from(cells, (c) => (c === null ? NaN : Number(c))), t);
    case 'float':
      return numbersAs(Float64Array.from(cells, (c) => (c === null ? NaN : Number(c))), t);
    case 'list':
    case 'struct':
      throw new TypeError(`a column of ${t.id}s (dtype object) cannot hold group keys or results`);
  }
}

function big(cells: readonly Cell[], t: TypeDesc): Vector {
  const unsigned = t.id === 'int' && !t.signed;
  const values = unsigned ? new BigUint64Array(cells.length) : new BigInt64Array(cells.length);
  let valid: Uint8Array | null = null;
  cells.forEach((c, i) => {
    if (c === null) {
      valid ??= new Uint8Array(cells.length).fill(1);
      valid[i] = 0;
    } else values[i] = BigInt(c as number | bigint);
  });
  return bigVector(arrowType(t), values, valid);
}
