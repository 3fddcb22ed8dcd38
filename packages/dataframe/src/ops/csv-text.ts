/**
 * The text side of CSV reading, shared by readCsv (header and sample, when the graph is built) and
 * its tasks: decompressing and decoding bytes, finding where the data starts (skiprows, header,
 * blank and comment lines), splitting records with csv-parse, and reading numbers with pandas'
 * `thousands` and `decimal`.
 */
import { gunzipSync as gunzipPortable } from 'fflate';
import { Buffer } from '../io/buffer';
import { maybeBuiltin, NodeOnlyError } from '../io/node-only';
// csv-parse's Node build in Node, its browser build in bundles (package.json "imports": the Node build uses the global Buffer).
import { parse } from '#csv-parse-sync';
import { decompress as zstdDecompress } from 'fzstd';
import * as iconv from 'iconv-lite';
import Bunzip from 'seek-bzip';

export type CsvCodec = 'gzip' | 'bz2' | 'zstd';

/** How the fields of a file are written (pandas' sep, quotechar, comment, thousands, decimal, encoding). */
export interface CsvFormat {
  sep: string;
  quote: string;
  comment: string | null;
  thousands: string | null;
  decimal: string;
  encoding: string;
}

/** Which lines come before the data: pandas' skiprows (a count or 0-based line numbers) and header row. */
export interface PreambleSpec {
  skiprows: number | readonly number[];
  /** The header's row among the lines not skipped, blank or commented (null: no header line). */
  header: number | null;
}

export interface Preamble {
  /** Byte offset where the data starts (after the header line, or after the leading skipped lines). */
  dataStart: number;
  /** 0-based line number of the line starting at dataStart (physical lines, for messages). */
  startLine: number;
  /** 0-based row number there: lines counted as pandas' skiprows counts them (a quoted line break does not end a row). */
  startRow: number;
  /** The header line's bytes, without its line break. */
  header: Buffer | null;
  /** Row numbers at or after startRow to drop (skiprows given as a list). */
  skipLines: number[];
  /** Byte offset just past the last of skipLines' rows (dataStart when there are none). */
  preambleEnd: number;
}

export class CsvParseError extends Error {
  override name = 'CsvParseError';
}

const NL = 10;

/** Encodings whose line breaks are the byte 0x0A, so that files can be cut into byte blocks. */
export function asciiCompatible(encoding: string): boolean {
  return !/^(utf-?16|utf-?32|ucs-?2|utf-?7)/i.test(encoding.replace(/[_\s]/g, '-'));
}

const isUtf8 = (encoding: string): boolean => /^utf-?8$/i.test(encoding);

/** gzip: node:zlib in Node, fflate (pure JavaScript) in a browser. */
function gunzip(bytes: Buffer): Buffer {
  const zlib = maybeBuiltin('node:zlib');
  if (zlib) return zlib.gunzipSync(bytes);
  const out = gunzipPortable(bytes);
  return Buffer.from(out.buffer, out.byteOffset, out.byteLength);
}

/** Bytes as text in `encoding` (Node's decoder for UTF-8 and Latin-1, iconv-lite for the others). */
export function decodeText(bytes: Buffer, encoding: string): string {
  if (isUtf8(encoding)) return bytes.toString('utf8');
  if (/^(latin-?1|iso-?8859-?1|binary)$/i.test(encoding)) return bytes.toString('latin1');
  return iconv.decode(bytes, encoding);
}

/** Whether readCsv can decode `encoding`. */
export const knownEncoding = (encoding: string): boolean => isUtf8(encoding) || iconv.encodingExists(encoding);

export function decompressBytes(bytes: Buffer, codec: CsvCodec | null, path: string): Buffer {
  try {
    switch (codec) {
      case null:
        return bytes;
      case 'gzip':
        return gunzip(bytes);
      case 'bz2':
        // seek-bzip needs Node's global Buffer.
        if (typeof (globalThis as { Buffer?: unknown }).Buffer === 'undefined') throw new NodeOnlyError(`readCsv: ${path}: bz2 decoding (seek-bzip)`, 'Buffer', 'decompress it first, or use gzip or zstd');
        return Bunzip.decode(bytes);
      case 'zstd': {
        const out = zstdDecompress(bytes);
        return Buffer.from(out.buffer, out.byteOffset, out.byteLength);
      }
    }
  } catch (e) {
    if (e instanceof NodeOnlyError) throw e;
    throw new CsvParseError(`readCsv: cannot decompress ${path} as ${codec}: ${(e as Error).message}`);
  }
}

/** A whole file's content as UTF-8 bytes (decompressed, and re-encoded from another encoding). */
export function utf8Bytes(raw: Buffer, codec: CsvCodec | null, encoding: string, path: string): Buffer {
  const bytes = decompressBytes(raw, codec, path);
  return isUtf8(encoding) ? bytes : Buffer.from(decodeText(bytes, encoding), 'utf8');
}

function blankOrComment(line: Buffer, comment: string | null): boolean {
  const s = line.toString('latin1').trim();
  return s === '' || (comment !== null && s.startsWith(comment));
}

/**
 * Where the data of a file starts, from its first bytes (`complete`: they are the whole file).
 * null when more bytes are needed. Rows are counted as pandas counts skiprows and header: a line
 * break inside quotes does not end a row.
 */
export function scanPreamble(buf: Buffer, complete: boolean, spec: PreambleSpec, comment: string | null, quote = '"'): Preamble | null {
  const list = typeof spec.skiprows === 'number' ? null : new Set(spec.skiprows);
  const count = typeof spec.skiprows === 'number' ? spec.skiprows : 0;
  const skipped = (i: number): boolean => (list ? list.has(i) : i < count);
  // A UTF-8 byte order mark is not part of the first field.
  let pos = buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
  let line = 0;
  let physical = 0;
  let header: Buffer | null = null;
  const q = quote.charCodeAt(0);
  // The end of the row starting at `from` (its last line break, or the end of complete input).
  const lineEnd = (from: number): number | null => {
    let inQuote = false;
    for (let i = from; i < buf.length; i++) {
      const c = buf[i];
      if (c === q) inQuote = !inQuote;
      else if (c === NL) {
        physical++;
        if (!inQuote) return i;
      }
    }
    return complete ? buf.length : null;
  };
  if (spec.header === null) {
    while (skipped(line) && pos < buf.length) {
      const end = lineEnd(pos);
      if (end === null) return null;
      pos = end + 1;
      line++;
    }
  } else {
    let seen = 0;
    for (;;) {
      if (pos >= buf.length) {
        if (!complete) return null;
        throw new CsvParseError(`no header line: the file has ${line} lines, and header ${spec.header} asks for row ${spec.header} of those not skipped`);
      }
      const end = lineEnd(pos);
      if (end === null) return null;
      const text = buf.subarray(pos, end);
      if (!skipped(line) && !blankOrComment(text, comment)) {
        if (seen === spec.header) {
          header = text[text.length - 1] === 13 ? text.subarray(0, text.length - 1) : text;
          pos = Math.min(end + 1, buf.length);
          line++;
          break;
        }
        seen++;
      }
      pos = end + 1;
      line++;
    }
  }
  const dataStart = Math.min(pos, buf.length);
  const startLine = physical;
  const skipLines = list ? [...list].filter((i) => i >= line).sort((a, b) => a - b) : [];
  let preambleEnd = dataStart;
  if (skipLines.length > 0) {
    const last = skipLines[skipLines.length - 1];
    for (let l = line; l <= last; l++) {
      if (preambleEnd >= buf.length) {
        if (!complete) return null;
        break;
      }
      const end = lineEnd(preambleEnd);
      if (end === null) return null;
      preambleEnd = Math.min(end + 1, buf.length);
    }
  }
  return { dataStart, startLine, startRow: line, header, skipLines, preambleEnd };
}

/** csv-parse's options for a format. */
function parseOptions(f: CsvFormat): Record<string, unknown> {
  return { delimiter: f.sep, quote: f.quote, escape: f.quote, ...(f.comment !== null ? { comment: f.comment } : {}), relax_column_count: true, skip_empty_lines: true, info: true };
}

/** The fields of one line (a header). */
export function parseLine(line: string, f: CsvFormat): string[] {
  const rows = parse(line, { ...parseOptions(f), info: false }) as string[][];
  return rows[0] ?? [];
}

export interface Records {
  fields: string[][];
  /** Line of each record (its last line), counted from 1 at the text's first line. */
  lines: number[];
}

/**
 * The records of some text, without those of the rows `skip.rows` (0-based row numbers of the
 * file; the text starts at row `skip.startRow`). `firstLine()` (the 0-based file line number of
 * the text's first line, counted only when needed) makes a parse error name the file's line.
 */
export function parseRecords(text: string | Buffer, f: CsvFormat, path: string, firstLine: () => number, skip: { startRow: number; rows: readonly number[] } | null): Records {
  let rows: { record: string[]; info: { lines: number; records: number; empty_lines: number; comment_lines: number } }[];
  try {
    rows = parse(text, parseOptions(f)) as unknown as typeof rows;
  } catch (e) {
    const err = e as Error & { lines?: number };
    const reason = err.message.replace(/ on line \d+$/, '');
    throw new CsvParseError(`readCsv: malformed line ${path}:${firstLine() + (err.lines ?? 1)}: ${reason}`);
  }
  const drop = skip && skip.rows.length ? new Set(skip.rows.map((l) => l - skip.startRow)) : null;
  const fields: string[][] = [];
  const lines: number[] = [];
  for (const r of rows) {
    // The record's row within the text, counting the blank and comment lines csv-parse passed over.
    if (drop?.has(r.info.records - 1 + r.info.empty_lines + r.info.comment_lines)) continue;
    fields.push(r.record);
    lines.push(r.info.lines);
  }
  return { fields, lines };
}

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const INF = /^[+-]?inf(inity)?$/i;

/** A field as a number (NaN when it does not spell one), read with the format's thousands and decimal marks. */
export function parseNumber(raw: string, f: CsvFormat): number {
  let s = raw.trim();
  if (f.thousands !== null && s.includes(f.thousands)) s = s.split(f.thousands).join('');
  if (f.decimal !== '.') {
    if (s.includes('.')) return NaN;
    s = s.replace(f.decimal, '.');
  }
  if (NUMBER.test(s)) return Number(s);
  if (INF.test(s)) return s.startsWith('-') ? -Infinity : Infinity;
  return NaN;
}

/** Whether a field spells an integer (with the format's thousands mark). */
export function isIntegerText(raw: string, f: CsvFormat): boolean {
  let s = raw.trim();
  if (f.thousands !== null) s = s.split(f.thousands).join('');
  return /^[+-]?\d+$/.test(s);
}
