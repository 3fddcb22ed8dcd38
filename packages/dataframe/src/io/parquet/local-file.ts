/**
 * A local Parquet file for one readParquet task: one descriptor, each byte range read with one
 * positioned read. hyparquet's `asyncBufferFromFile` opens a read stream per range (64 KiB reads,
 * then a concatenation and often another copy), which was a twentieth of workload (a)'s time in
 * system calls and copies. Column chunks of the fast path are read into one buffer per thread,
 * reused from chunk to chunk (each is decoded synchronously before the next read), so the chunks
 * themselves make no garbage.
 */
import type { AsyncBuffer } from 'hyparquet';
import { nodeBuiltin } from '../node-only';

export interface LocalFile extends AsyncBuffer {
  /**
   * Bytes [start, end) in this thread's scratch buffer: valid until the next `chunk` call on this
   * thread, so the caller must finish with them before it awaits anything.
   */
  chunk(start: number, end: number): Uint8Array;
  close(): void;
  /** The file's modification time when opened (with its size, whether a footer parsed before still holds). */
  readonly mtimeMs: number;
}

/**
 * The tail read first for a local file's footer (hyparquet's default is 512 KiB, sized for remote
 * reads, where a second round trip costs more than extra bytes). Footers of a few column chunks
 * take a few KiB; a larger one costs a second positioned read here, not a round trip.
 */
export const LOCAL_FOOTER_FETCH = 1 << 16;

let scratch = new Uint8Array(0);

function readFully(fd: number, into: Uint8Array, at: number, path: string): void {
  const fs = nodeBuiltin('node:fs', 'readParquet with a path');
  let done = 0;
  while (done < into.length) {
    const n = fs.readSync(fd, into, done, into.length - done, at + done);
    if (n === 0) throw new Error(`'${path}' ends at byte ${at + done}, before byte ${at + into.length} (was it truncated while being read?)`);
    done += n;
  }
}

/** Opens `path` for positioned reads (the caller closes it). */
export function openLocalFile(path: string): LocalFile {
  const fs = nodeBuiltin('node:fs', 'readParquet with a path');
  const fd = fs.openSync(path, 'r');
  let size: number;
  let mtimeMs: number;
  try {
    ({ size, mtimeMs } = fs.fstatSync(fd));
  } catch (e) {
    fs.closeSync(fd);
    throw e;
  }
  const check = (start: number, end: number): void => {
    if (!(start >= 0 && end >= start && end <= size)) throw new Error(`bytes ${start}-${end} are outside '${path}' (${size} bytes)`);
  };
  let open = true;
  return {
    byteLength: size,
    mtimeMs,
    slice(start: number, end: number = size): Promise<ArrayBuffer> {
      try {
        check(start, end);
        const out = new Uint8Array(end - start);
        readFully(fd, out, start, path);
        return Promise.resolve(out.buffer);
      } catch (e) {
        return Promise.reject(e);
      }
    },
    chunk(start: number, end: number): Uint8Array {
      check(start, end);
      if (scratch.length < end - start) scratch = new Uint8Array(Math.max(end - start, scratch.length * 2));
      const view = scratch.subarray(0, end - start);
      readFully(fd, view, start, path);
      return view;
    },
    close(): void {
      if (open) fs.closeSync(fd);
      open = false;
    },
  };
}
