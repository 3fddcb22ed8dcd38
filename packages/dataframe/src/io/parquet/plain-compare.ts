/**
 * A filter's comparison of a numeric column with a number, made on each decoded PLAIN page as it
 * is read, ANDed into the read's row mask and counting the rows kept in the same loop. Made from
 * a whole column instead, the read built a vector of the column only for the filter (2 MB per
 * row group of workload (a)'s `x`, a copy of every page and a buffer to collect per piece), then
 * compared it, then counted the mask in a third pass.
 */

import { andCompare, type CompareOp } from './compare-numbers';

/** The physical types compared here (values read as float64, which holds each of them exactly). */
export const COMPARED = new Set(['DOUBLE', 'FLOAT', 'INT32']);

/** One page's values, aligned (a page's values follow its levels at any offset); reused, as decoding is synchronous. */
let scratch = new Float64Array(0);

function valuesOf(page: Uint8Array, pos: number, count: number, physical: string): Float64Array {
  if (scratch.length < count) scratch = new Float64Array(Math.max(count, scratch.length * 2, 1024));
  const x = scratch;
  if (physical === 'DOUBLE') {
    new Uint8Array(x.buffer, 0, count * 8).set(page.subarray(pos, pos + count * 8));
    return x;
  }
  const dv = new DataView(page.buffer, page.byteOffset + pos, count * 4);
  if (physical === 'FLOAT') for (let k = 0; k < count; k++) x[k] = dv.getFloat32(k * 4, true);
  else for (let k = 0; k < count; k++) x[k] = dv.getInt32(k * 4, true);
  return x;
}

/**
 * ANDs `value op w` into `keep[at + k]` for the `count` PLAIN values (stored as `physical`) at
 * `page[pos ...]`, and returns how many of those rows `keep` then holds (compare-numbers.ts).
 */
export function andPlainCompare(page: Uint8Array, pos: number, count: number, physical: string, op: CompareOp, w: number, keep: Uint8Array, at: number): number {
  if (!COMPARED.has(physical)) throw new Error(`andPlainCompare: physical type ${physical} is not compared here`);
  const width = physical === 'DOUBLE' ? 8 : 4;
  if (pos < 0 || pos + count * width > page.length) throw new RangeError(`andPlainCompare: ${count} values of ${width} bytes at ${pos} overrun the page of ${page.length} bytes`);
  if (at < 0 || at + count > keep.length) throw new RangeError(`andPlainCompare: rows ${at}-${at + count} are outside the mask of ${keep.length}`);
  return andCompare(valuesOf(page, pos, count, physical), count, op, w, keep.subarray(at, at + count));
}
