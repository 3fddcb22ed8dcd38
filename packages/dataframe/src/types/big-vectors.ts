/**
 * 64-bit columns (int64, uint64, timestamps, durations) read and built as bigint arrays, so their
 * values stay exact past 2^53 (float64 would round them) and missing values stay masks.
 */
import { DataType, makeData, makeVector, type Data, type Vector } from 'apache-arrow';
import { nestedCell } from './nested-types';

export interface BigColumn {
  readonly values: BigInt64Array | BigUint64Array;
  /** 1 where the row holds a value; null when every row does. */
  readonly valid: Uint8Array | null;
}

const bit = (bitmap: Uint8Array, i: number): boolean => ((bitmap[i >> 3] >> (i & 7)) & 1) === 1;

export const isBigType = (t: DataType): boolean => (DataType.isInt(t) && t.bitWidth === 64) || DataType.isTimestamp(t) || DataType.isDuration(t);

/** The column's values as one bigint array and a validity mask (chunks concatenated). */
export function bigColumn(v: Vector): BigColumn {
  const t = v.type as DataType;
  const unsigned = DataType.isInt(t) && !t.isSigned;
  const values = unsigned ? new BigUint64Array(v.length) : new BigInt64Array(v.length);
  let valid: Uint8Array | null = null;
  let at = 0;
  for (const d of v.data as Data[]) {
    const src = d.values as BigInt64Array | BigUint64Array;
    (values as BigInt64Array).set((src as BigInt64Array).subarray(0, d.length), at);
    if (d.nullCount > 0 && d.nullBitmap && d.nullBitmap.length > 0) {
      valid ??= new Uint8Array(v.length).fill(1);
      for (let i = 0; i < d.length; i++) valid[at + i] = bit(d.nullBitmap, d.offset + i) ? 1 : 0;
    }
    at += d.length;
  }
  return { values, valid };
}

/** A vector of a 64-bit type from bigints and a validity mask (null: all valid). */
export function bigVector(type: DataType, values: BigInt64Array | BigUint64Array, valid: Uint8Array | null): Vector {
  let nulls = 0;
  let bitmap: Uint8Array | undefined;
  if (valid) {
    bitmap = new Uint8Array((values.length + 7) >> 3);
    for (let i = 0; i < values.length; i++) {
      if (valid[i]) bitmap[i >> 3] |= 1 << (i & 7);
      else nulls++;
    }
  }
  return makeVector(makeData({ type, length: values.length, nullCount: nulls, data: values, nullBitmap: nulls ? bitmap : undefined } as unknown as Parameters<typeof makeData>[0]) as Data);
}

/**
 * The value at row i as pdask hands it out: 64-bit integers, timestamps (UTC epoch) and durations
 * as bigint nanoseconds (Arrow's own get() gives timestamps as float milliseconds, which drops
 * nanoseconds), null when missing, other types as Arrow gives them.
 */
export function cellOf(v: Vector, i: number): unknown {
  const t = v.type as DataType;
  if (DataType.isTimestamp(t)) {
    if (!v.isValid(i)) return null;
    let j = i;
    for (const d of v.data as Data[]) {
      if (j < d.length) return (d.values as BigInt64Array)[j];
      j -= d.length;
    }
  }
  if (DataType.isList(t) || DataType.isStruct(t)) return nestedCell(v, i, cellOf);
  return v.get(i);
}

/** Rows at `idx` of a 64-bit column, exactly (index -1 gives a missing value). */
export function takeBig(v: Vector, idx: Int32Array): Vector {
  const { values, valid } = bigColumn(v);
  const out = new (values.constructor as new (n: number) => BigInt64Array)(idx.length);
  let mask: Uint8Array | null = null;
  for (let i = 0; i < idx.length; i++) {
    const j = idx[i];
    if (j < 0 || (valid && !valid[j])) {
      mask ??= new Uint8Array(idx.length).fill(1);
      mask[i] = 0;
    } else out[i] = values[j] as bigint;
  }
  return bigVector(v.type as DataType, out, mask);
}
