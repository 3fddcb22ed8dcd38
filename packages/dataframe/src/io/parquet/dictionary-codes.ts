/**
 * The dictionary codes of a string column readParquet decoded from dictionary pages, kept beside
 * the Utf8 vector it made so that a group-by on the column numbers its rows from the codes instead
 * of hashing every row's string again (factorising 1e7 short keys was a tenth of workload (a)'s
 * time; the dictionary has a hundred entries). The column stays an ordinary Utf8 vector (dtype
 * 'string'): the codes are only a shortcut, found by the exact buffers of that vector, so any
 * vector made from it (a filter that drops rows, a slice, a transformed copy) has buffers of its
 * own or another offset or length, and is factorised as before. Codes are per thread (a WeakMap):
 * a vector sent to another thread arrives with other buffers and takes the general path.
 */
import type { Data } from 'apache-arrow';

interface Known {
  offsets: Int32Array;
  bytes: Uint8Array;
  /** The validity bitmap the codes' -1s match (undefined: no row is null). */
  valid: Uint8Array | undefined;
  /** Per row, the entry of `dictionary` (-1: null). */
  codes: Int32Array;
  /** Distinct strings in order of first appearance: a column's dictionaries (one per row group) merged by value. */
  dictionary: readonly string[];
}

const known = new WeakMap<ArrayBufferLike, Known>();

/** Remembers the codes of the Utf8 vector whose buffers are `offsets`, `bytes` and `valid` (undefined: no nulls). */
export function rememberCodes(offsets: Int32Array, bytes: Uint8Array, valid: Uint8Array | undefined, codes: Int32Array, dictionary: readonly string[]): void {
  known.set(offsets.buffer, { offsets, bytes, valid, codes, dictionary });
}

const sameView = (a: ArrayBufferView | undefined, b: ArrayBufferView): boolean => a !== undefined && a.buffer === b.buffer && a.byteOffset === b.byteOffset;

/**
 * A Utf8 chunk's group codes as the kernels' factorizer gives them (numbered in order of first
 * appearance, -1 for nulls) and the strings they stand for, when the chunk is one readParquet
 * decoded from dictionaries; undefined otherwise.
 */
export function dictionaryKeys(d: Data): { codes: Int32Array; uniques: string[] } | undefined {
  const offsets = d.valueOffsets as Int32Array | undefined;
  if (offsets === undefined || d.offset !== 0) return undefined;
  const k = known.get(offsets.buffer);
  if (!k || !sameView(offsets, k.offsets) || !sameView(d.values as Uint8Array, k.bytes) || d.length !== k.codes.length) return undefined;
  // The same strings with other rows made null (a mask that kept the buffers) are not these codes.
  const valid = d.nullCount > 0 ? (d.nullBitmap as Uint8Array | undefined) : undefined;
  if (valid === undefined ? k.valid !== undefined : k.valid === undefined || !sameView(valid, k.valid)) return undefined;
  // The reader numbers strings in order of first appearance (flat-column.ts' dictionaryIds): the
  // codes are the factorizer's already. They are shared with the vector's record: not written to.
  const codes = k.codes;
  const uniques = k.dictionary.slice();
  return { codes, uniques };
}
