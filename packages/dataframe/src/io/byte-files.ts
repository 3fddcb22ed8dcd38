/**
 * The file operations of the CSV reader (open, positioned read, whole read, size): files on disk
 * through node:fs, or a window of a remote source's bytes (a Blob, a URL read with a Range request)
 * held in memory under the source's name while one synchronous read runs over it. The readers stay
 * synchronous; a read that runs out of the window throws WindowMissError, and the caller fetches a
 * larger window and reads again (readCsv's remote path, io/read-remote-csv.ts).
 */
import { Buffer } from './buffer';
import { nodeBuiltin } from './node-only';

const fsMod = () => nodeBuiltin('node:fs', 'readCsv with a path');

/** Bytes [offset, offset + bytes.length) of a source of `size` bytes. */
interface Window {
  readonly size: number;
  readonly offset: number;
  readonly bytes: Uint8Array;
}

/** A read needed bytes outside the window held: fetch a window reaching `needed` and read again. */
export class WindowMissError extends Error {
  override name = 'WindowMissError';
  constructor(
    readonly path: string,
    readonly needed: number,
  ) {
    super(`readCsv: bytes from ${needed} of ${path} are not held`);
  }
}

const held = new Map<string, Window>();
/** Descriptors of held windows are negative, so they never collide with node:fs descriptors. */
const open = new Map<number, string>();
let nextFd = -1;

/** Holds a window under `path` until the returned function is called. */
export function holdWindow(path: string, size: number, offset: number, bytes: Uint8Array): () => void {
  if (held.has(path)) throw new Error(`readCsv: two sources are named '${path}' at once`);
  held.set(path, { size, offset, bytes });
  return () => {
    held.delete(path);
  };
}

export function openSync(path: string): number {
  if (!held.has(path)) return fsMod().openSync(path, 'r');
  const fd = nextFd--;
  open.set(fd, path);
  return fd;
}

export function closeSync(fd: number): void {
  if (fd >= 0) fsMod().closeSync(fd);
  else open.delete(fd);
}

/** Like fs.readSync: fewer bytes than asked only at the end of the source. */
export function readSync(fd: number, into: Uint8Array, at: number, length: number, position: number): number {
  if (fd >= 0) return fsMod().readSync(fd, into, at, length, position);
  const path = open.get(fd)!;
  const w = held.get(path)!;
  if (position >= w.size || length === 0) return 0;
  const end = w.offset + w.bytes.length;
  if (position < w.offset || position >= end) throw new WindowMissError(path, position);
  const n = Math.min(length, end - position);
  into.set(w.bytes.subarray(position - w.offset, position - w.offset + n), at);
  return n;
}

export function readFileSync(path: string): Buffer {
  const w = held.get(path);
  if (!w) return fsMod().readFileSync(path);
  if (w.offset > 0 || w.bytes.length < w.size) throw new WindowMissError(path, w.offset > 0 ? 0 : w.bytes.length);
  return Buffer.from(w.bytes.buffer, w.bytes.byteOffset, w.bytes.byteLength);
}

export function statSync(path: string): { size: number; mtimeMs: number } {
  const w = held.get(path);
  return w ? { size: w.size, mtimeMs: 0 } : fsMod().statSync(path);
}
