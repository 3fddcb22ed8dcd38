/**
 * Group keys of one partition as int32 codes for the kernels, plus what the codes mean. Small
 * integer keys are their own codes (the kernels index them directly, or hash them when their
 * range is wide); strings and dictionaries go through the kernels' factorizers; other numbers
 * (floats, 64-bit integers) through a JS Map. Nulls (and NaN) get code -1 and are dropped later,
 * as pandas' `dropna=True` does.
 */
import { DataType, type Data, type Vector } from 'apache-arrow';
import type { StringColumn } from '@pdask/kernels';
import { kernels } from './kernels';
import { describeType, type TypeDesc } from './types';
import { dictionaryKeys } from '../io/parquet/dictionary-codes';

export type KeyKind = 'int' | 'float' | 'string';
export type KeyValues = Int32Array | Float64Array | string[];

export interface PartitionKeys {
  kind: KeyKind;
  type: TypeDesc;
  codes: Int32Array;
  /** The key of each code; undefined when the codes are the key values themselves. */
  uniques?: KeyValues;
}

const hasNulls = (d: Data): boolean => d.nullCount > 0 && !!d.nullBitmap && d.nullBitmap.length > 0;
const isValid = (bitmap: Uint8Array, bit: number): boolean => ((bitmap[bit >> 3] >> (bit & 7)) & 1) === 1;

/** Integer types whose every value fits an int32. */
function fitsInt32(t: DataType): boolean {
  return DataType.isBool(t) || (DataType.isInt(t) && (t.bitWidth < 32 || (t.bitWidth === 32 && t.isSigned)));
}

function int32Values(v: Vector): Int32Array {
  if (v.data.length === 1 && v.data[0].values instanceof Int32Array) return v.data[0].values.subarray(0, v.length);
  const out = new Int32Array(v.length);
  let at = 0;
  for (const d of v.data) {
    if (DataType.isBool(d.type)) {
      for (let i = 0; i < d.length; i++) out[at + i] = isValid(d.values as Uint8Array, d.offset + i) ? 1 : 0;
    } else {
      out.set((d.values as Int32Array).subarray(0, d.length), at);
    }
    at += d.length;
  }
  return out;
}

/** One bitmap (bit 0 = row 0) for a vector of several chunks. */
function validityBitmap(v: Vector): Uint8Array {
  const out = new Uint8Array((v.length + 7) >> 3);
  let at = 0;
  for (const d of v.data) {
    for (let i = 0; i < d.length; i++) if (!hasNulls(d) || isValid(d.nullBitmap!, d.offset + i)) out[(at + i) >> 3] |= 1 << ((at + i) & 7);
    at += d.length;
  }
  return out;
}

export function partitionKeys(v: Vector, column: string): PartitionKeys {
  const t = v.type as DataType;
  const type = describeType(t);
  const k = kernels();
  if (fitsInt32(t)) {
    const values = int32Values(v);
    if (!v.data.some(hasNulls)) return { kind: 'int', type, codes: values };
    const f = k.int32Factorizer();
    try {
      const codes = f.add(values, { bitmap: validityBitmap(v), bit: 0 });
      return { kind: 'int', type, codes, uniques: f.uniques() };
    } finally {
      f.dispose();
    }
  }
  if (DataType.isUtf8(t) || (DataType.isDictionary(t) && DataType.isUtf8(t.dictionary))) {
    // A column readParquet decoded from dictionary pages: its codes, numbered as factorize numbers them.
    const known = v.data.length === 1 ? dictionaryKeys(v.data[0]) : undefined;
    if (known) return { kind: 'string', type, codes: known.codes, uniques: known.uniques };
    const { codes, uniques } = k.factorize(v as unknown as StringColumn);
    return { kind: 'string', type, codes, uniques: uniques as string[] };
  }
  if (DataType.isFloat(t) || DataType.isInt(t)) {
    const codes = new Int32Array(v.length);
    const seen = new Map<number, number>();
    const uniques: number[] = [];
    for (let i = 0; i < v.length; i++) {
      const raw = v.get(i) as number | bigint | null;
      const x = raw === null ? NaN : Number(raw);
      if (x !== x) {
        codes[i] = -1;
        continue;
      }
      let c = seen.get(x);
      if (c === undefined) {
        c = uniques.length;
        seen.set(x, c);
        uniques.push(x);
      }
      codes[i] = c;
    }
    return { kind: 'float', type, codes, uniques: Float64Array.from(uniques) };
  }
  throw new TypeError(`cannot group by column '${column}' of dtype ${String(t)}`);
}
