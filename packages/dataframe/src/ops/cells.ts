/**
 * Columns read as plain values and built back from them, for the operations that work value by
 * value (isin, replace, map, drop_duplicates, …): 64-bit integers and times stay exact as bigints,
 * missing values are null (NaN in floats too, as pandas sees both as missing).
 */
import { DataType, vectorFromArray, type Vector } from 'apache-arrow';
import type { Cell } from '../local/labels';
import { bigVector, cellOf } from '../types/big-vectors';
import { categoryVector } from './cast-types';
import { numbersAs } from './results';
import { arrowType, type TypeDesc } from './types';
import { stringVector } from './values';

/** The column's values; NaN and null both as null. */
export function cellsOf(v: Vector): Cell[] {
  const out: Cell[] = new Array(v.length);
  const float = DataType.isFloat(v.type as DataType);
  for (let i = 0; i < v.length; i++) {
    const x = cellOf(v, i) as Cell | undefined;
    out[i] = x === undefined || (float && x !== null && (x as number) !== (x as number)) ? null : x;
  }
  return out;
}

/** A key under which equal values meet: 1 and 1.0 and 1n alike, missing values together. */
export function cellKey(x: Cell): string {
  if (x === null || (typeof x === 'number' && x !== x)) return 'n';
  if (typeof x === 'string') return `s${x}`;
  if (typeof x === 'boolean') return x ? 'b1' : 'b0';
  return `d${String(x)}`;
}

const isBig = (t: TypeDesc): boolean => (t.id === 'int' && t.bits === 64) || t.id === 'timestamp' || t.id === 'duration';

/** A vector of type t from values (null: missing); a value of another kind fails naming `what`. */
export function vectorOfCells(xs: readonly Cell[], t: TypeDesc, what: string): Vector {
  const bad = (x: Cell): never => {
    throw new TypeError(`${what}: the value ${typeof x === 'string' ? JSON.stringify(x) : String(x)} (${typeof x}) cannot be held by a column of this dtype`);
  };
  if (isBig(t)) {
    const unsigned = t.id === 'int' && !t.signed;
    const values = unsigned ? new BigUint64Array(xs.length) : new BigInt64Array(xs.length);
    let valid: Uint8Array | null = null;
    xs.forEach((x, i) => {
      if (x === null || (typeof x === 'number' && x !== x)) {
        valid ??= new Uint8Array(xs.length).fill(1);
        valid[i] = 0;
      } else if (typeof x === 'bigint') values[i] = x;
      else if (typeof x === 'number' && Number.isInteger(x)) values[i] = BigInt(x);
      else bad(x);
    });
    return bigVector(arrowType(t), values, valid);
  }
  switch (t.id) {
    case 'float':
    case 'int':
      return numbersAs(
        Float64Array.from(xs, (x) => (x === null ? NaN : typeof x === 'number' ? x : typeof x === 'bigint' ? Number(x) : typeof x === 'boolean' ? Number(x) : bad(x))),
        t,
      );
    case 'bool':
      return vectorFromArray(xs.map((x) => (x === null ? null : typeof x === 'boolean' ? x : bad(x))), arrowType(t));
    case 'utf8':
      return stringVector(xs.map((x) => (x === null ? null : typeof x === 'string' ? x : bad(x))));
    case 'dict': {
      const texts = xs.map((x) => (x === null ? null : typeof x === 'string' ? x : bad(x)));
      const cats = [...new Set(texts.filter((s): s is string => s !== null))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      const code = new Map(cats.map((c, i) => [c, i]));
      return categoryVector(texts.map((s) => (s === null ? -1 : code.get(s)!)), cats);
    }
    default:
      throw new TypeError(`${what}: cannot build a column of this dtype`);
  }
}
