/**
 * A filter's comparison of numbers with a number, ANDed into a row mask in one typed loop per
 * operator: readParquet's mask over a column read as a vector (filter-mask.ts) and over each
 * decoded PLAIN page (plain-compare.ts) both make it here.
 */

import type { Clause } from './filters';

/** A filter clause's operators that compare with one value. */
export type CompareOp = Exclude<Clause['op'], 'in' | 'not in'>;

/** The typed arrays compared (non-bigint numbers). */
export type ComparedNumbers = Float64Array | Float32Array | Int8Array | Int16Array | Int32Array | Uint8Array | Uint16Array | Uint32Array;

/**
 * ANDs `x[k] op w` into `m[k]` for k < `count`, and returns how many of those entries `m` then
 * holds. NaN satisfies no comparison (also not '!='), as filters.ts' `holds` says.
 */
export function andCompare(x: ComparedNumbers, count: number, op: CompareOp, w: number, m: Uint8Array): number {
  let kept = 0;
  switch (op) {
    case '>':
      for (let k = 0; k < count; k++) kept += m[k] &= +(x[k] > w);
      break;
    case '>=':
      for (let k = 0; k < count; k++) kept += m[k] &= +(x[k] >= w);
      break;
    case '<':
      for (let k = 0; k < count; k++) kept += m[k] &= +(x[k] < w);
      break;
    case '<=':
      for (let k = 0; k < count; k++) kept += m[k] &= +(x[k] <= w);
      break;
    case '==':
      for (let k = 0; k < count; k++) kept += m[k] &= +(x[k] === w);
      break;
    case '!=':
      for (let k = 0; k < count; k++) kept += m[k] &= +(x[k] !== w && x[k] === x[k]);
      break;
  }
  return kept;
}
