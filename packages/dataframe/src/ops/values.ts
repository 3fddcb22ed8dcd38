/**
 * Reading Arrow vectors as the plain arrays the kernels take, and making vectors from results.
 * Missing values (Arrow nulls) become NaN in float arrays, which is how pandas, and the kernels'
 * NaN-skipping aggregations, see them.
 */
import { Bool, DataType, makeData, makeVector, Utf8, vectorFromArray, type Data, type Vector } from 'apache-arrow';

import { cellOf, isBigType, takeBig } from '../types/big-vectors';
import { nestedVector } from '../types/nested-build';
import { describeType } from './types';
import { takeUtf8Mask } from './take-strings';

export type Numeric = Float64Array | Float32Array | Int32Array;

const isValid = (bitmap: Uint8Array, bit: number): boolean => ((bitmap[bit >> 3] >> (bit & 7)) & 1) === 1;

function hasNulls(d: Data): boolean {
  return d.nullCount > 0 && !!d.nullBitmap && d.nullBitmap.length > 0;
}

/**
 * The column's values as float64/float32/int32 for the kernels: zero-copy when it is one chunk of
 * one of those types without nulls, else a Float64Array with NaN for nulls. `column` names it in
 * errors.
 */
export function numericValues(v: Vector, column: string): Numeric {
  const t = v.type as DataType;
  if (!(DataType.isFloat(t) || DataType.isInt(t) || DataType.isBool(t))) {
    throw new TypeError(`column '${column}' has dtype ${String(t)}, not a number: it cannot be aggregated numerically`);
  }
  if (v.data.length === 1 && !hasNulls(v.data[0])) {
    const vals = v.data[0].values as unknown;
    if (vals instanceof Float64Array || vals instanceof Float32Array || vals instanceof Int32Array) return vals.subarray(0, v.length);
  }
  return toFloat64(v);
}

/** Any numeric or boolean vector as float64, nulls as NaN. */
export function toFloat64(v: Vector): Float64Array {
  const out = new Float64Array(v.length);
  let at = 0;
  for (const d of v.data) {
    const n = d.length;
    const nulls = hasNulls(d);
    if (DataType.isBool(d.type)) {
      const bits = d.values as Uint8Array;
      for (let i = 0; i < n; i++) out[at + i] = nulls && !isValid(d.nullBitmap!, d.offset + i) ? NaN : isValid(bits, d.offset + i) ? 1 : 0;
    } else {
      const vals = d.values as ArrayLike<number | bigint>;
      // Tested by type, not by the first value: an empty chunk has none.
      if (vals instanceof BigInt64Array || vals instanceof BigUint64Array) {
        for (let i = 0; i < n; i++) out[at + i] = Number(vals[i]);
      } else {
        out.set((vals as unknown as Float64Array).subarray(0, n), at);
      }
      if (nulls) for (let i = 0; i < n; i++) if (!isValid(d.nullBitmap!, d.offset + i)) out[at + i] = NaN;
    }
    at += n;
  }
  return out;
}

/** Booleans of a mask column: null counts as false (as pandas' boolean indexing of a nullable mask with fillna(False)). */
export function maskValues(v: Vector, column: string): Uint8Array {
  if (!DataType.isBool(v.type)) throw new TypeError(`the mask '${column}' has dtype ${String(v.type)}, expected bool`);
  const out = new Uint8Array(v.length);
  let at = 0;
  for (const d of v.data) {
    const bits = d.values as Uint8Array;
    const nulls = hasNulls(d);
    for (let i = 0; i < d.length; i++) out[at + i] = isValid(bits, d.offset + i) && (!nulls || isValid(d.nullBitmap!, d.offset + i)) ? 1 : 0;
    at += d.length;
  }
  return out;
}

export const float64Vector = (x: Float64Array): Vector => makeVector(x);

/** A bool vector from 0/1 bytes (one byte per row). */
export function boolVector(x: Uint8Array): Vector {
  const bits = new Uint8Array((x.length + 7) >> 3);
  for (let i = 0; i < x.length; i++) if (x[i]) bits[i >> 3] |= 1 << (i & 7);
  return makeVector(makeData({ type: new Bool(), length: x.length, nullCount: 0, data: bits }));
}

export const stringVector = (xs: readonly (string | null)[]): Vector => vectorFromArray(xs as (string | null)[], new Utf8());

/** Rows of `v` where `mask` is 1, in order (any type, nulls kept). */
export function takeMask(v: Vector, mask: Uint8Array, count: number): Vector {
  const t = v.type as DataType;
  // Every row kept (a filter readParquet's pushed-down filters already applied): the vector itself.
  if (count === v.length) return v;
  const strings = takeUtf8Mask(v, mask, count);
  if (strings) return strings;
  if ((DataType.isFloat(t) || DataType.isInt(t)) && v.data.every((d) => !hasNulls(d))) {
    const src = v.data.length === 1 ? (v.data[0].values as Float64Array).subarray(0, v.length) : (v.toArray() as Float64Array);
    const Ctor = src.constructor as { new (n: number): Float64Array };
    const out = new Ctor(count);
    let j = 0;
    for (let i = 0; i < mask.length; i++) if (mask[i]) out[j++] = src[i];
    return makeVector(makeData({ type: t, length: count, nullCount: 0, data: out } as unknown as Parameters<typeof makeData>[0]) as Data);
  }
  return takeIndices(v, indicesOf(mask, count));
}

function indicesOf(mask: Uint8Array, count: number): Int32Array {
  const idx = new Int32Array(count);
  let j = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i]) idx[j++] = i;
  return idx;
}

/** Rows at `idx` (any type): the generic path, through Arrow's builders; index -1 gives null. */
function takeIndices(v: Vector, idx: Int32Array): Vector {
  if (isBigType(v.type as DataType)) return takeBig(v, idx);
  const vals: unknown[] = new Array(idx.length);
  // Lists and structs as JS arrays and objects (Arrow's get gives vectors and row proxies, which its builders do not take).
  if (DataType.isList(v.type as DataType) || DataType.isStruct(v.type as DataType)) {
    for (let i = 0; i < idx.length; i++) vals[i] = idx[i] < 0 ? null : cellOf(v, idx[i]);
    return nestedVector(vals, describeType(v.type as DataType));
  }
  for (let i = 0; i < idx.length; i++) vals[i] = idx[i] < 0 ? null : v.get(idx[i]);
  return vectorFromArray(vals, v.type as DataType);
}

/** Rows at `idx`, in that order (any type); index -1 gives a missing value. */
export function takeRows(v: Vector, idx: Int32Array): Vector {
  const t = v.type as DataType;
  if ((DataType.isFloat(t) || DataType.isInt(t)) && v.data.every((d) => !hasNulls(d)) && !idx.includes(-1)) {
    const src = v.data.length === 1 ? (v.data[0].values as Float64Array).subarray(0, v.length) : (v.toArray() as Float64Array);
    const out = new (src.constructor as { new (n: number): Float64Array })(idx.length);
    for (let i = 0; i < idx.length; i++) out[i] = src[idx[i]];
    return makeVector(makeData({ type: t, length: idx.length, nullCount: 0, data: out } as unknown as Parameters<typeof makeData>[0]) as Data);
  }
  return takeIndices(v, idx);
}
