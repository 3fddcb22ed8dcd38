/**
 * Reading one block of a CSV file: the lines that start inside the byte range [start, end), as in
 * Dask's read_csv (a block that starts mid-line skips to the next line; its last line runs past
 * `end`). Values are parsed by csv-parse and converted to the column types inferred when the graph
 * was built; a malformed line fails the task with the file and line number.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import type { Vector } from 'apache-arrow';
import { blankMissing, convertOwn, isOwnCsvType } from './csv-convert';
import { batchOf, encodeBatch, type Part } from './part';
import { numbersAs } from './results';
import type { TypeDesc } from './types';
import { stringVector } from './values';

export interface CsvBlock {
  path: string;
  start: number;
  end: number;
  /** Whether the block's first line is the header (block 0 of a file with a header). */
  skipHeader: boolean;
  names: string[];
  types: TypeDesc[];
  sep: string;
  /** Texts read as missing besides pandas' defaults (readCsv's naValues). */
  naValues?: readonly string[];
}

const NL = 10;
const STEP = 1 << 16;

/** Bytes from `from` up to and including the first newline at or after `atLeast` (or the end of the file). */
function readUntilNewline(fd: number, from: number, atLeast: number): Buffer {
  const chunks: Buffer[] = [];
  let pos = from;
  for (;;) {
    const want = Math.max(STEP, atLeast - pos);
    const buf = Buffer.allocUnsafe(want);
    const got = readSync(fd, buf, 0, want, pos);
    if (got === 0) break;
    const chunk = buf.subarray(0, got);
    const searchFrom = Math.max(0, atLeast - pos);
    const nl = searchFrom < got ? chunk.indexOf(NL, searchFrom) : -1;
    if (nl >= 0) {
      chunks.push(chunk.subarray(0, nl + 1));
      break;
    }
    chunks.push(chunk);
    pos += got;
  }
  return Buffer.concat(chunks);
}

/** The block's text and the byte offset where its first line starts. */
function blockText(b: CsvBlock): { text: Buffer; first: number } {
  const fd = openSync(b.path, 'r');
  try {
    let first = 0;
    if (b.start > 0) {
      // The line that contains byte start-1 belongs to the previous block.
      const skip = readUntilNewline(fd, b.start - 1, b.start - 1);
      first = b.start - 1 + skip.length;
      if (skip.length === 0 || skip[skip.length - 1] !== NL) return { text: Buffer.alloc(0), first };
    }
    if (first >= b.end) return { text: Buffer.alloc(0), first };
    return { text: readUntilNewline(fd, first, b.end - 1), first };
  } finally {
    closeSync(fd);
  }
}

/** 1-based line number of byte `offset` of the file (counted only when an error is reported). */
function lineAt(path: string, offset: number): number {
  const fd = openSync(path, 'r');
  try {
    let lines = 1;
    const buf = Buffer.allocUnsafe(STEP);
    for (let pos = 0; pos < offset; ) {
      const got = readSync(fd, buf, 0, Math.min(STEP, offset - pos), pos);
      if (got === 0) break;
      for (let i = 0; i < got; i++) if (buf[i] === NL) lines++;
      pos += got;
    }
    return lines;
  } finally {
    closeSync(fd);
  }
}

export class CsvParseError extends Error {
  override name = 'CsvParseError';
}

const NULLS = new Set(['', 'NA', 'N/A', 'NaN', 'nan', 'null', 'NULL', 'None']);

function convert(values: string[], t: TypeDesc, column: string, where: (row: number) => string): Vector {
  if (isOwnCsvType(t)) return convertOwn(values, t, column, where);
  if (t.id === 'utf8' || t.id === 'dict') return stringVector(values.map((s) => (NULLS.has(s) ? null : s)));
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const s = values[i].trim();
    if (NULLS.has(s)) {
      out[i] = NaN;
      if (t.id === 'bool' || t.id === 'int') throw new CsvParseError(`${where(i)}: column '${column}' is ${t.id === 'int' ? `int${t.bits}` : 'bool'} (inferred from the first rows) but has a missing value here; pass { dtype: { '${column}': 'float64' } }`);
      continue;
    }
    let x: number;
    if (t.id === 'bool') x = s === 'True' || s === 'true' ? 1 : s === 'False' || s === 'false' ? 0 : NaN;
    else x = Number(s);
    const ok = x === x && (t.id !== 'int' || Number.isInteger(x));
    if (!ok) {
      const kind = t.id === 'int' ? `int${t.bits}` : t.id === 'bool' ? 'bool' : `float${t.bits}`;
      throw new CsvParseError(`${where(i)}: column '${column}' expects ${kind} values (inferred from the first rows, or given as dtype), got '${values[i]}'`);
    }
    out[i] = x;
  }
  return numbersAs(out, t);
}

export const readCsvBlock = (b: CsvBlock): Part => {
  const { text, first } = blockText(b);
  let records: { record: string[]; info: { lines: number } }[];
  // Line numbers of the file: lines before the block + line within it.
  const base = (): number => lineAt(b.path, first) - 1;
  try {
    records = parse(text, { delimiter: b.sep, info: true, relax_column_count: true, skip_empty_lines: true, from_line: b.skipHeader ? 2 : 1 }) as unknown as typeof records;
  } catch (e) {
    const err = e as Error & { lines?: number };
    const reason = err.message.replace(/ on line \d+$/, '');
    throw new CsvParseError(`readCsv: malformed line ${b.path}:${base() + (err.lines ?? 0)}: ${reason}`);
  }
  const n = b.names.length;
  records.forEach((r) => {
    if (r.record.length !== n) throw new CsvParseError(`readCsv: malformed line ${b.path}:${base() + r.info.lines}: expected ${n} fields (${b.names.join(', ')}), got ${r.record.length}`);
  });
  const where = (row: number): string => `readCsv: ${b.path}:${base() + records[row].info.lines}`;
  const vectors = b.names.map((name, j) =>
    convert(
      blankMissing(
        records.map((r) => r.record[j]),
        b.naValues,
      ),
      b.types[j],
      name,
      where,
    ),
  );
  return encodeBatch(batchOf(b.names, vectors));
};
