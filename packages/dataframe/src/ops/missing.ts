/**
 * Missing data and column bookkeeping per partition: isna/notna, fillna, dropna, astype, rename.
 * A value is missing when it is null (Arrow) or NaN (floats), as pandas' isna sees both.
 */
import { DataType, type Vector } from 'apache-arrow';
import { castVector } from './cast';
import { findColumn } from './frame';
import { batchOf, decodePart, encodeBatch, type Part } from './part';
import { numbersAs } from './results';
import { indexColumn, isIndexColumn } from './spec';
import { describeType, type TypeDesc } from './types';
import { boolVector, stringVector, takeMask, toFloat64 } from './values';

/** 1 where the value is missing. */
export function missingMask(v: Vector): Uint8Array {
  const out = new Uint8Array(v.length);
  const t = v.type as DataType;
  if (DataType.isFloat(t) || DataType.isInt(t)) {
    const x = toFloat64(v);
    for (let i = 0; i < x.length; i++) out[i] = x[i] !== x[i] ? 1 : 0;
  } else if (v.nullCount > 0) {
    for (let i = 0; i < v.length; i++) out[i] = v.isValid(i) ? 0 : 1;
  }
  return out;
}

/** The columns (index columns kept as they are) as bool columns: missing, or present with `negate`. */
export const isnaColumns = (part: Part, negate: boolean): Part => {
  const b = decodePart(part);
  const vectors = b.vectors.map((v, j) => {
    if (isIndexColumn(b.names[j])) return v;
    const m = missingMask(v);
    if (negate) for (let i = 0; i < m.length; i++) m[i] ^= 1;
    return boolVector(m);
  });
  return encodeBatch(batchOf(b.names, vectors));
};

export type FillValue = number | string | boolean;

/** `v` with its missing values replaced by `value` (already checked to fit the column's type). */
export function fillVector(v: Vector, value: FillValue, t: TypeDesc): Vector {
  const m = missingMask(v);
  if (!m.includes(1)) return v;
  if (t.id === 'float' || t.id === 'int') {
    const x = toFloat64(v);
    for (let i = 0; i < x.length; i++) if (m[i]) x[i] = value as number;
    return numbersAs(x, t);
  }
  if (t.id === 'bool') return boolVector(Uint8Array.from({ length: v.length }, (_, i) => (m[i] ? (value ? 1 : 0) : v.get(i) ? 1 : 0)));
  return stringVector(Array.from({ length: v.length }, (_, i) => (m[i] ? String(value) : (v.get(i) as string))));
}

export const fillnaColumns = (part: Part, columns: readonly string[], values: readonly FillValue[]): Part => {
  const b = decodePart(part);
  const vectors = [...b.vectors];
  columns.forEach((c, j) => {
    const at = b.names.indexOf(c);
    const v = findColumn(b, c);
    vectors[at] = fillVector(v, values[j], describeType(v.type));
  });
  return encodeBatch(batchOf(b.names, vectors));
};

/**
 * Rows kept: those with no missing value in `subset` ('any'), or not all missing ('all'), or, given
 * `thresh`, with at least that many present values there.
 */
export const dropnaRows = (part: Part, subset: readonly string[], how: 'any' | 'all', thresh: number | null = null): Part => {
  const b = decodePart(part);
  const keep = new Uint8Array(b.numRows).fill(how === 'any' ? 1 : 0);
  if (thresh !== null) {
    const present = new Int32Array(b.numRows);
    for (const c of subset) {
      const m = missingMask(findColumn(b, c));
      for (let i = 0; i < m.length; i++) present[i] += m[i] ^ 1;
    }
    for (let i = 0; i < keep.length; i++) keep[i] = present[i] >= thresh ? 1 : 0;
  } else {
    for (const c of subset) {
      const m = missingMask(findColumn(b, c));
      for (let i = 0; i < m.length; i++) keep[i] = how === 'any' ? keep[i] & (m[i] ^ 1) : keep[i] | (m[i] ^ 1);
    }
  }
  let count = 0;
  for (let i = 0; i < keep.length; i++) count += keep[i];
  if (count === b.numRows) return part;
  return encodeBatch(batchOf(b.names, b.vectors.map((v) => takeMask(v, keep, count))));
};

/** `rowOffset`: the partition's first row in the whole frame, named by errors. */
export const astypeColumns = (part: Part, columns: readonly string[], types: readonly TypeDesc[], rowOffset = 0): Part => {
  const b = decodePart(part);
  const vectors = [...b.vectors];
  columns.forEach((c, j) => (vectors[b.names.indexOf(c)] = castVector(findColumn(b, c), types[j], c, 'astype', rowOffset)));
  return encodeBatch(batchOf(b.names, vectors));
};

/** New column names; the buffers are passed on untouched. */
export const renameColumns = (part: Part, from: readonly string[], to: readonly string[]): Part => ({
  ...part,
  names: part.names.map((n) => {
    const j = from.indexOf(n);
    return j < 0 ? n : to[j];
  }),
});

/** The column `column` as the (only) index; a previous index is dropped, as pandas' set_index(drop=True). */
export const setIndexColumn = (part: Part, column: string): Part => {
  const b = decodePart(part);
  const rest = b.names.filter((n) => !isIndexColumn(n) && n !== column);
  return encodeBatch(batchOf([indexColumn(0), ...rest], [findColumn(b, column), ...rest.map((n) => findColumn(b, n))]));
};
