/**
 * fromColumns' memory of the typed arrays it has copied (the twin of the array package's
 * snapshot-memo.ts for fromArray). A loop or benchmark that calls fromColumns again on the same
 * arrays would copy them into fresh shared memory and hash them again: for 2e7 rows of two
 * float64 columns that was ~250 ms and 320 MB more resident memory per call, measured by a helper
 * under load (benchmarks/probes/set-index-steps.mjs), against ~40 ms to compare the bytes.
 *
 * The caller may have changed its arrays since, so the memory is trusted only after comparing
 * each array's bytes with the copy: equal bytes are the data the hashes and the copy were made
 * from, so the partitions (which nothing writes) and the name are those a fresh call would make.
 * The partitions are held weakly: the memory never keeps a frame's data alive that no frame uses.
 * Arrays already in shared memory are not copied (creation-buffers.ts), so a frame using one is
 * not remembered: its bytes could change under the hash. Comparing needs a native memcmp (Node's
 * Buffer); where there is none, nothing is remembered.
 */
import { nativeBytesEqual, type BytesEqual } from '@pdask/core';
import type { Part } from './ops/part';
import type { PlainValues } from './ops/plain-columns';

/** Partitions packed by packPartitions and their hashes. */
export interface Packed {
  readonly parts: Part[];
  readonly hashes: string[];
}

interface Remembered {
  /** Every column's array (the first is the key of the memory). */
  readonly arrays: readonly WeakRef<PlainValues>[];
  /** The names and partition sizes: the same arrays cut differently are other partitions. */
  readonly layout: string;
  readonly parts: WeakRef<Part[]>;
  readonly hashes: readonly string[];
}

const memo = new WeakMap<PlainValues, Remembered>();

const layoutOf = (names: readonly string[], sizes: readonly number[]): string => JSON.stringify([names, sizes]);

/** Whether column j of every partition is a copy of `a` (not `a`'s own memory) with the same bytes. */
function sameCopy(equal: BytesEqual, a: PlainValues, parts: readonly Part[], j: number, compare: boolean): boolean {
  let at = a.byteOffset;
  for (const p of parts) {
    const b = p.bufs[j];
    if (b.buffer === a.buffer || b.byteLength !== p.numRows * a.BYTES_PER_ELEMENT) return false;
    if (compare && !equal(new Uint8Array(a.buffer, at, b.byteLength), new Uint8Array(b.buffer, b.byteOffset, b.byteLength))) return false;
    at += b.byteLength;
  }
  return at === a.byteOffset + a.byteLength;
}

/** The partitions made from `arrays` before with the same names and sizes, if their bytes have not changed since. */
export function recallPacked(names: readonly string[], arrays: readonly PlainValues[], sizes: readonly number[]): Packed | undefined {
  const equal = nativeBytesEqual();
  if (equal === null || arrays.length === 0) return undefined;
  const r = memo.get(arrays[0]);
  if (r === undefined || r.layout !== layoutOf(names, sizes) || r.arrays.length !== arrays.length) return undefined;
  if (!r.arrays.every((w, j) => w.deref() === arrays[j])) return undefined;
  const parts = r.parts.deref();
  if (parts === undefined || !arrays.every((a, j) => sameCopy(equal, a, parts, j, true))) return undefined;
  return { parts, hashes: [...r.hashes] };
}

/** Remembers the partitions packed from `arrays` (only when every column was copied). */
export function rememberPacked(names: readonly string[], arrays: readonly PlainValues[], sizes: readonly number[], packed: Packed): void {
  const equal = nativeBytesEqual();
  if (equal === null || arrays.length === 0 || !arrays.every((a, j) => sameCopy(equal, a, packed.parts, j, false))) return;
  memo.set(arrays[0], { arrays: arrays.map((a) => new WeakRef(a)), layout: layoutOf(names, sizes), parts: new WeakRef(packed.parts), hashes: [...packed.hashes] });
}
