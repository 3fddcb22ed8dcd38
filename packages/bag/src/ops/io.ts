/**
 * Text file I/O run inside tasks: reading one block of lines, writing one partition. Blocks are
 * byte ranges cut at line delimiters the way Dask's `read_block` cuts them, so that consecutive
 * blocks of a file hold every line exactly once.
 */
import { decodeText, encodeText } from './encoding';
import { lazyBuiltin } from '@pdask/core';
const nodeFs = lazyBuiltin<typeof import('node:fs')>('node:fs', 'reading or writing files');
const nodePath = lazyBuiltin<typeof import('node:path')>('node:path', 'reading or writing files');
const nodeZlib = lazyBuiltin<typeof import('node:zlib')>('node:zlib', 'reading or writing files');

export type Compression = 'gzip' | null;

const CHUNK = 1 << 16;

/** The position just after the first `delim` at or after `pos` (or the end of the file). */
export function afterDelimiter(fd: number, pos: number, size: number, delim: Buffer): number {
  const buf = Buffer.allocUnsafe(CHUNK + delim.length);
  let carry = 0;
  let at = pos;
  while (at < size) {
    const n = nodeFs.readSync(fd, buf, carry, Math.min(CHUNK, size - at), at);
    if (n <= 0) break;
    const view = buf.subarray(0, carry + n);
    const i = view.indexOf(delim);
    if (i >= 0) return at - carry + i + delim.length;
    at += n;
    // Keep a delimiter's possible first bytes for the next chunk.
    carry = Math.min(delim.length - 1, view.length);
    view.copy(buf, 0, view.length - carry);
  }
  return size;
}

/** Lines of a text, each keeping its delimiter (as Dask's read_text does); no empty last line. */
export function splitLines(text: string, delim: string): string[] {
  // Slicing [start, after delimiter) makes each line a view of the text; splitting then appending
  // the delimiter would build a new string per line.
  const out: string[] = [];
  let start = 0;
  for (let i = text.indexOf(delim); i >= 0; i = text.indexOf(delim, start)) {
    out.push(text.slice(start, i + delim.length));
    start = i + delim.length;
  }
  if (start < text.length) out.push(text.slice(start));
  return out;
}

/**
 * The text of bytes [start, end) of a file, moved to line boundaries; `end < 0` reads the whole
 * file (the only way for compressed files).
 */
export function readBlockText(path: string, start: number, end: number, compression: Compression, encoding: string, delimiter: string): string {
  const fd = nodeFs.openSync(path, 'r');
  try {
    const size = nodeFs.fstatSync(fd).size;
    let from = 0;
    let to = size;
    if (end >= 0) {
      const delim = encodeText(delimiter, encoding);
      from = start === 0 ? 0 : afterDelimiter(fd, start, size, delim);
      to = end >= size ? size : afterDelimiter(fd, end, size, delim);
    }
    if (to <= from) return '';
    const buf = Buffer.allocUnsafe(to - from);
    let got = 0;
    while (got < buf.length) {
      const n = nodeFs.readSync(fd, buf, got, buf.length - got, from + got);
      if (n <= 0) break;
      got += n;
    }
    const bytes = compression === 'gzip' ? nodeZlib.gunzipSync(buf.subarray(0, got)) : buf.subarray(0, got);
    return decodeText(bytes, encoding);
  } finally {
    nodeFs.closeSync(fd);
  }
}

/** The lines of a block of a file (see readBlockText): a `readText` partition. */
export const readTextBlock = (path: string, start: number, end: number, compression: Compression, encoding: string, delimiter: string): string[] =>
  splitLines(readBlockText(path, start, end, compression, encoding, delimiter), delimiter);

/**
 * Writes a partition as lines: each element as text, followed by a newline unless it already ends
 * with one; the last newline only with `lastEndline` (Dask's to_textfiles). Returns [path], a
 * one-element partition, so the written paths compute as a bag.
 */
export const writeTextPartition = (path: string, part: readonly unknown[], compression: Compression, encoding: string, lastEndline: boolean): string[] => {
  let text = '';
  for (const x of part) {
    const s = String(x);
    text += s.endsWith('\n') ? s : `${s}\n`;
  }
  if (!lastEndline && text.endsWith('\n')) text = text.slice(0, -1);
  nodeFs.mkdirSync(nodePath.dirname(path), { recursive: true });
  const bytes = encodeText(text, encoding);
  nodeFs.writeFileSync(path, compression === 'gzip' ? nodeZlib.gzipSync(bytes) : bytes);
  return [path];
};
