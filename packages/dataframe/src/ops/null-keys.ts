/**
 * Group keys that keep missing values as a group of their own (pandas' `groupby(dropna=False)`,
 * `value_counts(dropna=False)`). Numbers of every width go through one JS Map of float64 values,
 * where NaN equals NaN, so every partition's levels are of one kind and the null group merges
 * across partitions like any key. Strings take a sentinel text for null, turned back into null when
 * the result's keys are built; it sorts last, as pandas puts the NaN group last.
 */
import { DataType, type Vector } from 'apache-arrow';
import type { StringColumn } from '@pdask/kernels';
import { kernels } from './kernels';
import type { PartitionKeys } from './keys';
import { describeType } from './types';
import { stringVector, toFloat64 } from './values';

/** The key of missing strings (NUL bytes around it: no CSV or user text is expected to hold it). */
export const NULL_STRING_KEY = '\u0000pdask:null-key\u0000';

export function partitionKeysWithNulls(v: Vector, column: string): PartitionKeys {
  const t = v.type as DataType;
  const type = describeType(t);
  if (DataType.isFloat(t) || DataType.isInt(t) || DataType.isBool(t)) {
    const x = toFloat64(v);
    const codes = new Int32Array(x.length);
    const seen = new Map<number, number>();
    const uniques: number[] = [];
    for (let i = 0; i < x.length; i++) {
      const xi = x[i] === 0 ? 0 : x[i];
      let c = seen.get(xi);
      if (c === undefined) {
        c = uniques.length;
        seen.set(xi, c);
        uniques.push(xi);
      }
      codes[i] = c;
    }
    return { kind: 'float', type, codes, uniques: Float64Array.from(uniques) };
  }
  if (DataType.isUtf8(t) || (DataType.isDictionary(t) && DataType.isUtf8(t.dictionary))) {
    const col = v.nullCount > 0 ? stringVector(Array.from({ length: v.length }, (_, i) => (v.get(i) as string | null) ?? NULL_STRING_KEY)) : v;
    const { codes, uniques } = kernels().factorize(col as unknown as StringColumn);
    return { kind: 'string', type, codes, uniques: uniques as string[] };
  }
  throw new TypeError(`cannot group by column '${column}' of dtype ${String(t)}`);
}
