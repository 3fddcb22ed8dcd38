/**
 * Reading one block of a CSV file: the lines that start inside the byte range [start, end), as in
 * Dask's read_csv (a block that starts mid-line skips to the next line; its last line runs past
 * `end`). Values are parsed by csv-parse and converted to the column types inferred when the graph
 * was built; a malformed line fails the task with the file and line number.
 */
import { Buffer } from '../io/buffer';
import { closeSync, openSync, readFileSync, readSync } from '../io/byte-files';
import { Dictionary, Int32, makeData, makeVector, Utf8, type Data, type Vector } from 'apache-arrow';
import { blankMissing, convertOwn, isOwnCsvType } from './csv-convert';
import { CsvParseError, decodeText, isIntegerText, parseLine, parseNumber, parseRecords, scanPreamble, utf8Bytes, type CsvCodec, type CsvFormat, type PreambleSpec } from './csv-text';
import { fastColumns } from './csv-fast';
import { fusedColumns, fusedFormat } from './csv-fused';
import { kernels } from './kernels';
import { columnTexts, fieldReader, numberColumn, stringColumn, timeColumn } from './csv-fast-convert';
import { batchOf, encodeBatch, type Part } from './part';
import { numbersAs } from './results';
import { dtypeName, intFits, type TypeDesc } from './types';
import { stringVector } from './values';

export { CsvParseError } from './csv-text';

/** Dask's include_path_column: a category column of the file each row came from. */
export interface PathColumn {
  name: string;
  /** Every file read (the categories), and this block's. */
  paths: string[];
  index: number;
}

export interface CsvBlock {
  path: string;
  /** Byte range whose lines this block reads (ignored when `whole`). */
  start: number;
  end: number;
  /**
   * The whole file in one block (compressed, or an encoding whose line breaks are not the byte
   * 0x0A): it is read, decompressed and decoded at once, and its preamble found in the task.
   */
  whole: boolean;
  compression: CsvCodec | null;
  /** Block mode: the file's preamble, found when the graph was built (start === dataStart for its first block). */
  dataStart: number;
  startLine: number;
  startRow: number;
  skipLines: number[];
  /** Whole mode: how to find the preamble. */
  preamble: PreambleSpec;
  /** The fields every file's header must have (null: no header line, or names given). */
  header: string[] | null;
  /** Number of fields of every line. */
  nfields: number;
  /** Positions of the columns kept (usecols), their names and types. */
  usecols: number[];
  names: string[];
  types: TypeDesc[];
  format: CsvFormat;
  pathColumn: PathColumn | null;
  /** Texts read as missing besides pandas' defaults (readCsv's naValues). */
  naValues?: readonly string[];
}

const NL = 10;
const STEP = 1 << 16;

/** Bytes from `from` up to and including the first newline at or after `atLeast` (or the end of the file). */
function readUntilNewline(fd: number, from: number, atLeast: number): Buffer {
  // One read of the whole range and a little more finds the newline in most blocks, without copies.
  const want = Math.max(STEP, atLeast - from + STEP);
  const buf = Buffer.allocUnsafe(want);
  let got = 0;
  for (let n; got < want && (n = readSync(fd, buf, got, want - got, from + got)) > 0; ) got += n;
  const searchFrom = Math.max(0, atLeast - from);
  const nl = searchFrom < got ? buf.indexOf(NL, searchFrom) : -1;
  if (nl >= 0) return buf.subarray(0, nl + 1);
  if (got < want) return buf.subarray(0, got);
  const chunks: Buffer[] = [buf];
  let pos = from + got;
  for (;;) {
    const more = Buffer.allocUnsafe(STEP);
    const n = readSync(fd, more, 0, STEP, pos);
    if (n === 0) break;
    const at = more.subarray(0, n).indexOf(NL);
    if (at >= 0) {
      chunks.push(more.subarray(0, at + 1));
      break;
    }
    chunks.push(more.subarray(0, n));
    pos += n;
  }
  return Buffer.concat(chunks);
}

/** The block's bytes and the byte offset where its first line starts. */
function blockBytes(b: CsvBlock): { text: Buffer; first: number } {
  const fd = openSync(b.path);
  try {
    let first = b.start;
    if (b.start > b.dataStart) {
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
  const fd = openSync(path);
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

const NULLS = new Set(['', 'NA', 'N/A', 'NaN', 'nan', 'null', 'NULL', 'None']);
/** A string column's missing texts: pandas 1.5 keeps 'None' as text (its NA texts gained 'None' only in 2.0). */
const STRING_NULLS = new Set([...NULLS].filter((s) => s !== 'None'));

function convert(values: string[], t: TypeDesc, column: string, where: (row: number) => string, f: CsvFormat): Vector {
  if (isOwnCsvType(t)) return convertOwn(values, t, column, where);
  if (t.id === 'utf8' || t.id === 'dict') return stringVector(values.map((s) => (STRING_NULLS.has(s) ? null : s)));
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
    else x = t.id === 'int' && !isIntegerText(s, f) ? NaN : parseNumber(s, f);
    if (x === x && !intFits(x, t)) {
      throw new CsvParseError(`${where(i)}: column '${column}' is ${dtypeName(t)} (inferred from the first rows, or given as dtype) but holds '${values[i]}' here, out of its range; pass { dtype: { '${column}': 'int64' } }`);
    }
    const ok = x === x;
    if (!ok) {
      const kind = dtypeName(t);
      throw new CsvParseError(`${where(i)}: column '${column}' expects ${kind} values (inferred from the first rows, or given as dtype), got '${values[i]}'`);
    }
    out[i] = x;
  }
  return numbersAs(out, t);
}

/** The category column naming this block's file on every row. */
function pathVector(p: PathColumn, n: number): Vector {
  const dictionary = stringVector(p.paths);
  const type = new Dictionary(new Utf8(), new Int32());
  return makeVector(makeData({ type, length: n, nullCount: 0, data: new Int32Array(n).fill(p.index), dictionary } as unknown as Parameters<typeof makeData>[0]) as Data);
}

/** The text of the block's lines, the 0-based file line of its first line, and the lines to drop. */
interface BlockText {
  text: string | Buffer;
  firstLine: () => number;
  skip: { startRow: number; rows: readonly number[] } | null;
}

function wholeFileText(b: CsvBlock): BlockText {
  const buf = utf8Bytes(readFileSync(b.path), b.compression, b.format.encoding, b.path);
  let pre;
  try {
    pre = scanPreamble(buf, true, b.preamble, b.format.comment, b.format.quote)!;
  } catch (e) {
    throw new CsvParseError(`readCsv: ${b.path}: ${(e as Error).message}`);
  }
  if (b.header && pre.header) checkHeader(b, parseLine(pre.header.toString('utf8'), b.format));
  return { text: buf.subarray(pre.dataStart), firstLine: () => pre.startLine, skip: { startRow: pre.startRow, rows: pre.skipLines } };
}

function checkHeader(b: CsvBlock, got: string[]): void {
  const want = b.header!;
  if (got.length !== want.length || got.some((g, j) => g !== want[j])) throw new CsvParseError(`readCsv: the header of ${b.path} (${got.join(', ')}) differs from the first file's (${want.join(', ')})`);
}

function byteBlockText(b: CsvBlock): BlockText {
  const { text, first } = blockBytes(b);
  const firstBlock = first === b.dataStart;
  // Line numbers of the file: the first block's is known; others count the newlines before them, only on error.
  const firstLine = firstBlock ? () => b.startLine : () => lineAt(b.path, first) - 1;
  return { text: /^utf-?8$/i.test(b.format.encoding) ? text : decodeText(text, b.format.encoding), firstLine, skip: firstBlock ? { startRow: b.startRow, rows: b.skipLines } : null };
}

/** The block's columns read by the fast path (csv-fast.ts), or null when it leaves the block to csv-parse. */
function fastVectors(b: CsvBlock, t: BlockText): { rows: number; vectors: Vector[] } | null {
  if (typeof t.text === 'string') return null;
  const r = fieldReader(t.text, b.format, b.naValues);
  if (!t.skip || t.skip.rows.length === 0) {
    const fused = fusedColumns(r, b.nfields, b.usecols, b.types);
    if (fused) return fused;
  }
  return fastColumns(t.text, b.format, b.nfields, b.usecols, t.skip, (j, spans) => {
    const type = b.types[j];
    if (type.id === 'utf8') return stringColumn(r, spans);
    if (type.id === 'timestamp' && type.tz === null) return timeColumn(r, spans, type);
    if (type.id === 'float' || (type.id === 'int' && !isOwnCsvType(type))) return numberColumn(r, spans, type);
    try {
      return convert(blankMissing(columnTexts(r, spans), b.naValues), type, b.names[j], () => '', b.format);
    } catch {
      // The general path reads the block again and names the line.
      return null;
    }
  });
}

/**
 * A plain block read straight into the kernels' memory and scanned there by the fused pass: no
 * fresh buffer per block (the kernels' memory is reused from block to block) and no copy into it.
 * Null when the block is not one for the fused pass, or its last line runs far past its end.
 */
function directVectors(b: CsvBlock): { rows: number; vectors: Vector[] } | null {
  if (b.whole || !/^utf-?8$/i.test(b.format.encoding) || b.end - b.start > 0x7fff0000) return null;
  const r0 = fieldReader(Buffer.alloc(0), b.format, b.naValues);
  if (!fusedFormat(b.format, b.types, r0.extraNa.length)) return null;
  const fd = openSync(b.path);
  let first = b.start;
  try {
    if (b.start > b.dataStart) {
      const skip = readUntilNewline(fd, b.start - 1, b.start - 1);
      first = b.start - 1 + skip.length;
      if (skip.length === 0 || skip[skip.length - 1] !== NL) return null;
    } else if (b.skipLines.length > 0) return null;
    if (first >= b.end) return null;
    const k = kernels();
    const want = b.end - first + STEP;
    const ka = k.alloc(Uint8Array, want);
    try {
      const view = ka.array;
      let got = 0;
      for (let n; got < want && (n = readSync(fd, view, got, want - got, first + got)) > 0; ) got += n;
      const nl = view.indexOf(NL, b.end - 1 - first);
      // The block's last line: to its newline, or to the end of the file.
      const len = nl >= 0 && nl < got ? nl + 1 : got < want ? got : -1;
      if (len < 0) return null;
      return fusedColumns(r0, b.nfields, b.usecols, b.types, { source: ka, length: len });
    } finally {
      ka.free();
    }
  } finally {
    closeSync(fd);
  }
}

export const readCsvBlock = (b: CsvBlock): Part => {
  const direct = directVectors(b);
  if (direct) {
    const names = [...b.names];
    if (b.pathColumn) {
      names.push(b.pathColumn.name);
      direct.vectors.push(pathVector(b.pathColumn, direct.rows));
    }
    return encodeBatch(batchOf(names, direct.vectors));
  }
  const t = b.whole ? wholeFileText(b) : byteBlockText(b);
  const fast = fastVectors(b, t);
  if (fast) {
    const names = [...b.names];
    if (b.pathColumn) {
      names.push(b.pathColumn.name);
      fast.vectors.push(pathVector(b.pathColumn, fast.rows));
    }
    return encodeBatch(batchOf(names, fast.vectors));
  }
  const { fields, lines } = parseRecords(t.text, b.format, b.path, t.firstLine, t.skip);
  const fileLine = (row: number): number => t.firstLine() + lines[row];
  fields.forEach((r, i) => {
    if (r.length !== b.nfields) throw new CsvParseError(`readCsv: malformed line ${b.path}:${fileLine(i)}: expected ${b.nfields} fields${b.header ? ` (${b.header.join(', ')})` : ''}, got ${r.length}`);
  });
  const where = (row: number): string => `readCsv: ${b.path}:${fileLine(row)}`;
  const vectors = b.usecols.map((at, j) =>
    convert(
      blankMissing(
        fields.map((r) => r[at]),
        b.naValues,
      ),
      b.types[j],
      b.names[j],
      where,
      b.format,
    ),
  );
  const names = [...b.names];
  if (b.pathColumn) {
    names.push(b.pathColumn.name);
    vectors.push(pathVector(b.pathColumn, fields.length));
  }
  return encodeBatch(batchOf(names, vectors));
};
