/**
 * Where the partitions of a frame made from in-memory columns keep their bytes, and their content
 * hash (the frame's name).
 *
 * The columns are copied (the caller may change its arrays afterwards), once, into memory that
 * crosses threads cheaply:
 * - Small frames go into one ordinary ArrayBuffer per partition. A SharedArrayBuffer costs about
 *   1 µs per KiB to allocate here (fresh pages from the system), four times an ordinary buffer, and
 *   cloning a partition of a few KiB into a worker costs less than that.
 * - Larger frames go into ONE SharedArrayBuffer for all partitions (one allocation, one pass), which
 *   workers read in place on every run.
 * Buffers that are already in shared memory stay where they are (no copy).
 *
 * The hash of a partition covers its packed block in one pass with the copy (the source is read
 * once for both). The fresh pages of a large shared buffer are faulted in by the copying thread
 * alone: a helper thread faulting them at the same time made the copy slower here (README,
 * session 15).
 */
import type { HashPiece, Kernels } from '@pdask/kernels';
import type { Part } from './ops/part';

/** Frames of at most this many bytes are packed into ordinary buffers. */
export const SMALL_FRAME_BYTES = 1 << 18;
/** The zero bytes that align each copied buffer to 8 (hashed with the block they pad). */
const PADDING = new Uint8Array(8);

const isShared = (b: ArrayBufferView): boolean => typeof SharedArrayBuffer !== 'undefined' && b.buffer instanceof SharedArrayBuffer;
const padded = (n: number): number => (n + 7) & ~7;

function viewLike(b: ArrayBufferView, mem: ArrayBufferLike, at: number): ArrayBufferView {
  const Ctor = b.constructor as new (buffer: ArrayBufferLike, byteOffset: number, length: number) => ArrayBufferView;
  const per = (b as unknown as { BYTES_PER_ELEMENT?: number }).BYTES_PER_ELEMENT ?? 1;
  return new Ctor(mem, at, b.byteLength / per);
}

/** The bytes of the partition's buffers that must be copied (those not already shared). */
function copiedBytes(p: Part): number {
  let n = 0;
  for (const b of p.bufs) if (!isShared(b)) n += padded(b.byteLength);
  return n;
}

/**
 * Copies the partitions' buffers as the module comment says; returns the packed partitions and a
 * content hash of each (16 hex digits per hashed block).
 */
export function packPartitions(parts: readonly Part[], k: Kernels): { parts: Part[]; hashes: string[] } {
  const sizes = parts.map(copiedBytes);
  const total = sizes.reduce((a, b) => a + b, 0);
  const small = total <= SMALL_FRAME_BYTES || typeof SharedArrayBuffer === 'undefined';
  const shared = small ? undefined : new SharedArrayBuffer(total);
  let base = 0;
  const out: Part[] = [];
  const hashes: string[] = [];
  parts.forEach((p, i) => {
    const mem = shared ?? new ArrayBuffer(sizes[i]);
    let at = shared ? base : 0;
    const kept: ArrayBufferView[] = [];
    // The packed block, padding included, is copied and hashed in one pass (hash64Pieces).
    const pieces: HashPiece[] = [];
    const bufs = p.bufs.map((b) => {
      if (isShared(b)) {
        kept.push(b);
        return b;
      }
      pieces.push({ from: b, to: new Uint8Array(mem, at, b.byteLength) });
      const pad = padded(b.byteLength) - b.byteLength;
      if (pad > 0) pieces.push({ from: PADDING.subarray(0, pad) });
      const v = viewLike(b, mem, at);
      at += padded(b.byteLength);
      return v;
    });
    // With the buffers' lengths the hash pins which bytes belong to which buffer.
    hashes.push(`${k.hash64Pieces(pieces)}${kept.map((b) => k.hash64(b)).join('')}:${p.bufs.map((b) => b.byteLength).join(',')}`);
    out.push({ ...p, bufs });
    base += sizes[i];
  });
  return { parts: out, hashes };
}
