/**
 * fromArray's memory of the arrays it has copied and named. Calling `fromArray` again on the same
 * typed array (a loop that rebuilds its graph each time, as the seed example does) would hash the
 * data and copy it into fresh memory again, which was most of fromArray's cost for a 10,000-value
 * array (XXH64 with the copy into kernel memory ~18 µs, a fresh SharedArrayBuffer and the copy
 * into it ~20-26 µs, against ~3.5 µs to compare 80 KB, measured under load).
 *
 * The caller may have changed its array since, so the memory is only trusted after comparing the
 * caller's bytes with the earlier snapshot: equal bytes are the data the hash and the snapshot
 * were made from, so the name (deterministic: same data, same name) and the blocks (views on the
 * snapshot, which nothing writes) are the same as a fresh call would make. The snapshot is held
 * weakly: the memory never keeps a copy alive that no array uses any more.
 *
 * Comparing needs a native memcmp (Node's Buffer): a JS loop over shared memory costs more than
 * hashing (~48 µs for 80 KB), so where there is none nothing is remembered.
 */
import { nativeBytesEqual } from '@pdask/core';
import type { TypedArray } from '../dtype';

export interface Snapshot {
  /** XXH64 of the bytes (the content part of the array's name). */
  readonly hash: string;
  /** The copy fromArray cut blocks from. */
  readonly copy: TypedArray;
  /** The shared WebAssembly memory holding the copy, when it is in the arena. */
  readonly mem?: WebAssembly.Memory;
}

interface Remembered {
  readonly hash: string;
  readonly copy: WeakRef<TypedArray>;
  readonly mem?: WebAssembly.Memory;
}

const memo = new WeakMap<TypedArray, Remembered>();

const bytes = (a: TypedArray): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

/** Whether snapshots can be remembered here (a native byte comparison exists). */
export function canRemember(): boolean {
  return nativeBytesEqual() !== null;
}

/** The snapshot made from `source` before, if its bytes have not changed since. */
export function recall(source: TypedArray): Snapshot | undefined {
  const r = memo.get(source);
  if (r === undefined) return undefined;
  const copy = r.copy.deref();
  const equal = nativeBytesEqual();
  if (copy === undefined || equal === null || copy.constructor !== source.constructor) return undefined;
  return equal(bytes(source), bytes(copy)) ? { hash: r.hash, copy, mem: r.mem } : undefined;
}

/** Remembers the snapshot of `source` (a copy, never `source` itself: that one can change). */
export function remember(source: TypedArray, s: Snapshot): void {
  if (s.copy === source || !canRemember()) return;
  memo.set(source, { hash: s.hash, copy: new WeakRef(s.copy), mem: s.mem });
}
