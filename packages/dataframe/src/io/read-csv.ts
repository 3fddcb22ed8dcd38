/**
 * readCsv (Dask's read_csv): files matched by a path or glob, cut into byte blocks of `blocksize`,
 * one task per block. Column names come from the header and types are inferred from a sample of
 * the first file, as Dask does, so that the frame's dtypes are known before anything is read.
 * Compressed files, and files in encodings whose line breaks are not the byte 0x0A (UTF-16), are
 * one block each, as Dask reads compressed files whole.
 */
import { checkOptions, intAtLeast, layerNode, lit, tokenize, type OptionRule, type OptionSchema } from '@pdask/core';
import { DataFrame } from '../frame';
import { FrameLayer, partitionKey } from '../graph';
import type { CsvBlock, PathColumn } from '../ops/csv';
import { asciiCompatible, decodeText, isIntegerText, knownEncoding, parseLine, parseNumber, parseRecords, scanPreamble, utf8Bytes, type CsvCodec, type CsvFormat, type Preamble, type PreambleSpec } from '../ops/csv-text';
import { dataframeOps } from '../ops/index';
import { blocksizeOf, blocksizeRule, expandPaths } from './glob';
import { NOT_YET, refusing } from '../options';
import { checkNotReserved } from '../reserved';
import type { TypeDesc } from '../ops/types';
import type { Dtype } from '../dtypes';
import { csvColumnTypes, naValuesOf } from './csv-infer';
import { Buffer } from './buffer';
import { closeSync, openSync, readSync, statSync } from './byte-files';
import { nodeBuiltin } from './node-only';
import type { SourceRef } from './remote-source';
const pathMod = () => nodeBuiltin('node:path', 'readCsv with a path');

/** Any dtype astype takes (int64, Int64, datetime64[ns], category, …; see the README's dtypes table). */
export type CsvDtype = Dtype;

/** What `compression` takes: 'infer' (default: from the file name's extension), a codec, or null (none). */
export type CsvCompression = 'infer' | CsvCodec | null;

export interface ReadCsvOptions {
  /** Bytes per partition (number or '64MB'; default 64 MiB, as Dask). */
  blocksize?: number | string;
  /** Field separator (default ','). */
  sep?: string;
  /** Column types instead of the inferred ones: one dtype for every column, or { column: dtype }. */
  dtype?: CsvDtype | Record<string, CsvDtype>;
  /** Columns read as datetime64[ns] (ISO 8601 texts; UTC when they carry offsets). */
  parseDates?: readonly string[];
  /** Texts read as missing, besides pandas' defaults ('', 'NA', 'NaN', 'null', '#N/A', …). */
  naValues?: string | readonly string[];
  /** Bytes of the first file read to infer types (default 256 KiB). */
  sampleBytes?: number;
  /** The row (among lines not skipped, blank or commented) holding the column names (default 0; null: none). */
  header?: number | null;
  /** Column names (the header line, if any, is then dropped; with `usecols`, names of the kept columns may be given). */
  names?: readonly string[];
  /** The columns kept, by name or by position (kept in the file's order, as pandas). */
  usecols?: readonly string[] | readonly number[];
  /** Lines skipped at the start of each file: a count, or their 0-based line numbers. */
  skiprows?: number | readonly number[];
  /** The rest of a line after this character is ignored; lines that start with it are skipped. */
  comment?: string;
  /** The thousands mark in numbers ('1,234' with thousands ','). */
  thousands?: string;
  /** The decimal mark in numbers (default '.'). */
  decimal?: string;
  /** The quoting character (default '"'; a quote inside a quoted field is doubled). */
  quotechar?: string;
  /** The files' text encoding (default 'utf-8'; others through iconv-lite: 'latin1', 'cp1252', 'utf-16le', 'shift_jis', …). */
  encoding?: string;
  /** 'infer' (default): '.gz' gzip, '.bz2' bz2, '.zst' zstd; or one codec for every file; null: none. */
  compression?: CsvCompression;
  /** Dask's include_path_column: a category column of each row's file (true: named 'path'). */
  includePathColumn?: boolean | string;
}

const oneChar = (what: string): OptionRule => (v) => (typeof v === 'string' && v.length === 1 && v !== '\n' && v !== '\r' ? undefined : `one character (${what})`);
const CODECS: readonly CsvCodec[] = ['gzip', 'bz2', 'zstd'];
/** Codecs pandas knows that pdask has no maintained decoder for. */
const UNSUPPORTED_CODECS: Record<string, string> = { zip: 'zip', xz: 'xz', tar: 'tar' };

/** Options pandas' read_csv has that pdask does not implement are refused by name (the file would be read otherwise than asked). */
const READ_CSV_OPTIONS: OptionSchema<ReadCsvOptions> = refusing<ReadCsvOptions>(
  {
    blocksize: blocksizeRule,
    sep: (v) => (typeof v === 'string' && v.length > 0 && !/[\r\n]/.test(v) ? undefined : 'a non-empty string without line breaks'),
    dtype: (v) => (typeof v === 'string' || (typeof v === 'object' && v !== null && !Array.isArray(v)) ? undefined : 'a dtype name or { column: dtype }'),
    parseDates: (v) => (Array.isArray(v) ? undefined : 'an array of column names'),
    naValues: (v) => (typeof v === 'string' || Array.isArray(v) ? undefined : 'a string or an array of strings'),
    sampleBytes: intAtLeast(1),
    header: (v) => (v === null || (Number.isInteger(v) && (v as number) >= 0) ? undefined : `a row number >= 0, or null for no header (several header rows are ${NOT_YET})`),
    names: (v) => (Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string') ? undefined : 'a non-empty array of column names (strings)'),
    usecols: (v) =>
      Array.isArray(v) && v.length > 0 && (v.every((x) => typeof x === 'string') || v.every((x) => Number.isInteger(x) && x >= 0))
        ? undefined
        : `a non-empty array of column names, or of column positions (a function is ${NOT_YET})`,
    skiprows: (v) =>
      (Number.isInteger(v) && (v as number) >= 0) || (Array.isArray(v) && v.every((x) => Number.isInteger(x) && x >= 0)) ? undefined : `a number of lines >= 0, or an array of 0-based line numbers (a function is ${NOT_YET})`,
    comment: oneChar('the comment character'),
    thousands: oneChar('the thousands mark'),
    decimal: oneChar('the decimal mark'),
    quotechar: oneChar('the quoting character'),
    encoding: 'string',
    compression: (v) => (v === null || v === 'infer' || CODECS.includes(v as CsvCodec) ? undefined : `'infer', ${CODECS.map((c) => `'${c}'`).join(', ')} or null${typeof v === 'string' && v in UNSUPPORTED_CODECS ? ` ('${v}' has no maintained decoder for Node here: decompress the files first)` : ''}`),
    includePathColumn: { anyOf: ['boolean', 'string'] },
  },
  Object.fromEntries(
    ['skipfooter', 'nrows', 'indexCol', 'keepDefaultNa', 'escapechar', 'lineterminator', 'converters', 'trueValues', 'falseValues', 'delimiter', 'assumeMissing', 'skipBlankLines', 'skipinitialspace', 'onBadLines', 'quoting', 'doublequote', 'dialect', 'prefix', 'squeeze', 'mangleDupeCols', 'engine', 'iterator', 'chunksize', 'lowMemory', 'memoryMap', 'floatPrecision', 'storageOptions'].map((k) => [k, NOT_YET]),
  ),
);

/** The codec of a file: the option, or inferred from the extension. */
function codecOf(path: string, compression: CsvCompression): CsvCodec | null {
  if (compression !== 'infer') return compression;
  const ext = /\.([a-z0-9]+)$/i.exec(path)?.[1]?.toLowerCase();
  if (ext === 'gz') return 'gzip';
  if (ext === 'bz2') return 'bz2';
  if (ext === 'zst') return 'zstd';
  if (ext && ext in UNSUPPORTED_CODECS) throw new Error(`readCsv: ${path} looks ${UNSUPPORTED_CODECS[ext]}-compressed (from its extension); ${UNSUPPORTED_CODECS[ext]} has no maintained decoder for Node here: decompress it first, or pass { compression: null } if it is plain text`);
  return null;
}

function readRange(path: string, from: number, bytes: number): Buffer {
  const fd = openSync(path);
  try {
    const buf = Buffer.allocUnsafe(bytes);
    const got = readSync(fd, buf, 0, bytes, from);
    return buf.subarray(0, got);
  } finally {
    closeSync(fd);
  }
}

/**
 * The first bytes of a file (decompressed and as UTF-8 when `whole`), enough to find its preamble
 * (grown until it is found) and at least `want` bytes when the file has them.
 */
function filePreamble(path: string, size: number, want: number, whole: { codec: CsvCodec | null; encoding: string } | null, spec: PreambleSpec, f: CsvFormat): { head: Buffer; complete: boolean; pre: Preamble } {
  const fail = (e: unknown): never => {
    throw new Error(`readCsv: ${path}: ${(e as Error).message}`);
  };
  if (whole) {
    const raw = readRange(path, 0, size);
    const head = utf8Bytes(raw, whole.codec, whole.encoding, path);
    try {
      return { head, complete: true, pre: scanPreamble(head, true, spec, f.comment, f.quote)! };
    } catch (e) {
      return fail(e);
    }
  }
  for (let bytes = Math.max(want, 1 << 16); ; bytes *= 4) {
    const head = readRange(path, 0, Math.min(bytes, size));
    const complete = head.length >= size;
    let pre: Preamble | null;
    try {
      pre = scanPreamble(head, complete, spec, f.comment, f.quote);
    } catch (e) {
      return fail(e);
    }
    if (pre) return { head, complete, pre };
  }
}

/** Names of a header's fields as pandas makes them: blanks become 'Unnamed: j', repeats 'a.1', 'a.2'. */
function headerNames(fields: readonly string[]): string[] {
  const out: string[] = [];
  const used = new Set<string>();
  fields.forEach((f, j) => {
    let name = f.trim() === '' ? `Unnamed: ${j}` : f;
    if (used.has(name)) {
      let k = 1;
      while (used.has(`${name}.${k}`)) k++;
      name = `${name}.${k}`;
    }
    used.add(name);
    out.push(name);
  });
  return out;
}

/** Positions of the kept columns, in the file's order. */
function usecolsOf(usecols: readonly string[] | readonly number[] | undefined, names: readonly string[], nfields: number): number[] {
  if (usecols === undefined) return names.map((_, j) => j);
  if (typeof usecols[0] === 'number') {
    const bad = (usecols as readonly number[]).filter((j) => j >= nfields);
    if (bad.length) throw new RangeError(`readCsv: usecols names positions ${bad.join(', ')}, but the file has ${nfields} columns`);
    return [...new Set(usecols as readonly number[])].sort((a, b) => a - b);
  }
  const missing = (usecols as readonly string[]).filter((u) => !names.includes(u));
  if (missing.length) throw new Error(`readCsv: usecols do not match columns, columns expected but not found: ${missing.map((m) => `'${m}'`).join(', ')}; known columns: ${names.map((n) => `'${n}'`).join(', ')}`);
  return names.map((n, j) => ((usecols as readonly string[]).includes(n) ? j : -1)).filter((j) => j >= 0);
}

/**
 * @internal Remote sources (io/read-remote-csv.ts): read under their labels from windows of their
 * bytes held while the graph is built (io/byte-files.ts), and by range reads in the tasks.
 */
export interface CsvRemotePlan {
  readonly labels: readonly string[];
  readonly refs: readonly SourceRef[];
}

export async function readCsv(pathOrGlob: string | readonly string[], options?: ReadCsvOptions, remote?: CsvRemotePlan): Promise<DataFrame> {
  const opts = checkOptions('readCsv', options, READ_CSV_OPTIONS);
  const files = remote ? [...remote.labels] : expandPaths('readCsv', pathOrGlob);
  const blocksize = blocksizeOf('readCsv', opts.blocksize);
  const encoding = opts.encoding ?? 'utf-8';
  if (!knownEncoding(encoding)) throw new RangeError(`readCsv: unknown encoding '${encoding}'`);
  const quote = opts.quotechar ?? '"';
  const format: CsvFormat = { sep: opts.sep ?? ',', quote, comment: opts.comment ?? null, thousands: opts.thousands ?? null, decimal: opts.decimal ?? '.', encoding };
  if (format.sep === quote) throw new TypeError(`readCsv: sep and quotechar are both ${JSON.stringify(quote)}`);
  if (format.thousands !== null && format.thousands === format.decimal) throw new TypeError(`readCsv: thousands and decimal are both ${JSON.stringify(format.decimal)}`);
  // pandas: header defaults to 0, or to None when names are given.
  const header = opts.header !== undefined ? opts.header : opts.names ? null : 0;
  const preSpec: PreambleSpec = { skiprows: opts.skiprows ?? 0, header };
  const sizes = files.map((f, i) => {
    if (remote) return remote.refs[i].size;
    try {
      return statSync(f).size;
    } catch {
      throw new Error(`readCsv: cannot read '${f}': no such file`);
    }
  });
  const codecs = files.map((f) => codecOf(f, opts.compression === undefined ? 'infer' : opts.compression));
  const wholeOf = (f: number): { codec: CsvCodec | null; encoding: string } | null => (codecs[f] !== null || !asciiCompatible(encoding) ? { codec: codecs[f], encoding } : null);

  // Header and sample: the first lines of the first file's data (the last, possibly cut, line dropped).
  const sampleBytes = opts.sampleBytes ?? 256 * 1024;
  const first = filePreamble(files[0], sizes[0], 0, wholeOf(0), preSpec, format);
  const headFields = first.pre.header ? parseLine(decodeHeader(first.pre.header, wholeOf(0) !== null, encoding), format) : null;
  let sampleBuf = wholeOf(0) ? first.head.subarray(first.pre.dataStart) : readRange(files[0], first.pre.dataStart, Math.min(sampleBytes, Math.max(0, sizes[0] - first.pre.dataStart)));
  if (!wholeOf(0) && first.pre.dataStart + sampleBuf.length < sizes[0]) sampleBuf = sampleBuf.subarray(0, sampleBuf.lastIndexOf(10) + 1);
  else if (wholeOf(0) && sampleBuf.length > sampleBytes) sampleBuf = sampleBuf.subarray(0, sampleBuf.subarray(0, sampleBytes).lastIndexOf(10) + 1);
  const sampleText = wholeOf(0) ? sampleBuf : /^utf-?8$/i.test(encoding) ? sampleBuf : decodeText(sampleBuf, encoding);
  let sample: string[][];
  try {
    sample = parseRecords(sampleText, format, files[0], () => first.pre.startLine, { startRow: first.pre.startRow, rows: first.pre.skipLines }).fields;
  } catch (e) {
    throw new Error(`readCsv: cannot parse the first lines of ${files[0]}: ${(e as Error).message}`);
  }
  const nfields = headFields?.length ?? sample[0]?.length ?? opts.names?.length;
  if (nfields === undefined) throw new Error(`readCsv: ${files[0]} is empty (no header line and no data)`);

  // Column names: the header's (pandas' Unnamed/dedup rules), names given, or positions.
  let allNames = headFields ? headerNames(headFields) : Array.from({ length: nfields }, (_, j) => String(j));
  let usecols: number[];
  let names: string[];
  if (opts.names) {
    const given = [...opts.names];
    const dup = given.find((n, i) => given.indexOf(n) !== i);
    if (dup !== undefined) throw new Error(`readCsv: names holds '${dup}' twice; duplicate names are not allowed`);
    if (given.length === nfields) {
      allNames = given;
      usecols = usecolsOf(opts.usecols, allNames, nfields);
      names = usecols.map((j) => allNames[j]);
    } else if (opts.usecols && given.length === opts.usecols.length) {
      // names of the kept columns (usecols by position, or by the header's names).
      usecols = usecolsOf(opts.usecols, allNames, nfields);
      names = given;
    } else {
      throw new Error(`readCsv: names has ${given.length} names but ${files[0]} has ${nfields} columns${opts.usecols ? ` (and usecols ${opts.usecols.length})` : ''}; give one name per column`);
    }
  } else {
    usecols = usecolsOf(opts.usecols, allNames, nfields);
    names = usecols.map((j) => allNames[j]);
  }
  for (const n of names) checkNotReserved('readCsv', n);

  const body = sample.filter((r) => r.length === nfields);
  const types: TypeDesc[] = csvColumnTypes(
    names,
    body.map((r) => usecols.map((at) => r[at])),
    opts,
    files[0],
    format,
  );
  const naValues = opts.naValues === undefined ? undefined : naValuesOf(opts.naValues);

  let pathColumn: Omit<PathColumn, 'index'> | null = null;
  if (opts.includePathColumn) {
    const pname = opts.includePathColumn === true ? 'path' : opts.includePathColumn;
    if (names.includes(pname)) throw new Error(`readCsv: the files already have a column '${pname}', so the path column cannot take that name; pass includePathColumn: 'another_name'`);
    checkNotReserved('readCsv', pname);
    pathColumn = { name: pname, paths: remote ? files : files.map((f) => pathMod().resolve(f)) };
  }
  // Every file's header must match the first's (a file with other columns would be misread).
  const expectHeader = headFields && !opts.names ? headFields : null;
  const blocks: CsvBlock[] = [];
  files.forEach((path, f) => {
    const common = {
      path,
      compression: codecs[f],
      preamble: preSpec,
      header: expectHeader,
      nfields,
      usecols,
      names,
      types,
      format,
      pathColumn: pathColumn ? { ...pathColumn, index: f } : null,
      ...(naValues ? { naValues } : {}),
    };
    if (wholeOf(f)) {
      blocks.push({ ...common, start: 0, end: sizes[f], whole: true, dataStart: 0, startLine: 0, startRow: 0, skipLines: [] });
      return;
    }
    const p = f === 0 ? first : filePreamble(path, sizes[f], 0, null, preSpec, format);
    if (expectHeader && f > 0 && p.pre.header) {
      const got = parseLine(decodeHeader(p.pre.header, false, encoding), format);
      if (got.length !== expectHeader.length || got.some((g, j) => g !== expectHeader[j])) throw new Error(`readCsv: the header of ${path} (${got.join(', ')}) differs from that of ${files[0]} (${expectHeader.join(', ')})`);
    }
    const { dataStart, startLine, startRow, skipLines, preambleEnd } = p.pre;
    // The first block reaches past the last skipped line, so later blocks need no line numbers.
    let start = dataStart;
    let end = Math.min(sizes[f], Math.max(dataStart + blocksize, preambleEnd));
    for (;;) {
      blocks.push({ ...common, start, end, whole: false, dataStart, startLine, startRow, skipLines });
      if (end >= sizes[f]) break;
      start = end;
      end = Math.min(sizes[f], start + blocksize);
    }
  });
  const mtimes = remote ? remote.refs.map((r) => r.token) : files.map((f) => statSync(f).mtimeMs);
  const name = `read-csv-${tokenize(files, sizes, mtimes, blocksize, format, preSpec, usecols, names, types, pathColumn?.name ?? null, codecs, naValues ?? null)}`;
  const layer = new FrameLayer(name, 'read-csv', function* () {
    for (let i = 0; i < blocks.length; i++) {
      if (remote) yield dataframeOps.readCsvRemoteBlock.task(partitionKey(name, i), lit(blocks[i]), lit(remote.refs[remote.labels.indexOf(blocks[i].path)]));
      else yield dataframeOps.readCsvBlock.task(partitionKey(name, i), lit(blocks[i]));
    }
  });
  const pathType: TypeDesc = { id: 'dict', value: { id: 'utf8' }, index: { id: 'int', bits: 32, signed: true } };
  return new DataFrame(name, blocks.length, layerNode(layer), null, { names: pathColumn ? [...names, pathColumn.name] : names, types: pathColumn ? [...types, pathType] : types, index: null });
}

/** A header line's text: UTF-8 already when the file was read whole, else in the files' encoding. */
function decodeHeader(bytes: Buffer, utf8: boolean, encoding: string): string {
  return utf8 ? bytes.toString('utf8') : decodeText(bytes, encoding);
}
