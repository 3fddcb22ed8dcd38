/**
 * Row masks of readParquet's pushed-down filters, reused from piece to piece on a thread. A piece
 * of workload (a) made a fresh mask of one byte per row (5 MB per file of its 20), dropped as the
 * piece ended; such large short-lived buffers are what start V8's major collections (their bytes
 * count against the old generation's limit). A mask never leaves its piece (the columns it
 * selects are copied out), so the piece gives it back when done. Pieces of one thread interleave
 * at their awaits: a mask is handed to one piece at a time, never shared, and one given back is
 * only reused after that.
 */

/** Masks given back and not taken since, at most MAX_FREE of them. */
const free: Uint8Array[] = [];
const MAX_FREE = 2;

/** Buffers of at most this many times the rows asked for are reused (a larger one would waste its memory for the piece). */
const MAX_SLACK = 4;

/** A mask of `n` rows, every one set to 1 (keep). */
export function borrowMask(n: number): Uint8Array {
  for (let i = 0; i < free.length; i++) {
    const b = free[i];
    if (b.length >= n && b.length <= n * MAX_SLACK) {
      free.splice(i, 1);
      return b.subarray(0, n).fill(1);
    }
  }
  return new Uint8Array(n).fill(1);
}

/** Gives back a mask from borrowMask: the caller holds no view of it after this. */
export function returnMask(m: Uint8Array): void {
  const whole = m.byteOffset === 0 && m.byteLength === m.buffer.byteLength ? m : new Uint8Array(m.buffer as ArrayBuffer);
  if (free.some((b) => b.buffer === whole.buffer)) throw new Error('returnMask: this mask was already given back');
  if (free.length === MAX_FREE) free.shift();
  free.push(whole);
}

/** Masks waiting for reuse on this thread (for tests). */
export const freeMasks = (): number => free.length;
