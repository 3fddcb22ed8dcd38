/**
 * The fast path of readParquet's decoding: a flat (not nested) column of numbers, booleans or
 * strings read page by page with hyparquet's page-level functions and written straight into the
 * buffers of an Arrow vector. hyparquet's row reader dereferences dictionaries into one JS value
 * per row (a JS string per row for a dictionary-encoded string column, which then had to be
 * encoded back to UTF-8 for Arrow); here dictionary indices index the dictionary page's bytes and
 * values, so no per-row JS object is made. Times, decimals and nested columns keep the row reader.
 */
import { makeData, makeVector, type Vector } from 'apache-arrow';
import type { AsyncBuffer, Compressors, DataReader, DecodedArray, FileMetaData, RowGroup, SchemaTree } from 'hyparquet';
import type { ColumnDecoder } from 'hyparquet/src/types.js';
import { kernels } from '../../ops/kernels';
import { arrowType, type TypeDesc } from '../../ops/types';
import type { ColumnPlan } from './column-types';
import { PARSERS } from './decoding';
import { DICTIONARY_PADDING, readV1Page, testV1Page, type PageDictionary, type PageTest } from './fast-page';
import { rememberCodes } from './dictionary-codes';
import { compactedOnEncode } from '../../ops/part';
import type { LocalFile } from './local-file';

const isLocalFile = (f: AsyncBuffer): f is LocalFile => typeof (f as Partial<LocalFile>).chunk === 'function';

type Fixed = Float64Array | Float32Array | Int8Array | Int16Array | Int32Array | Uint8Array | Uint16Array | Uint32Array | BigInt64Array | BigUint64Array;
type FixedCtor = new (n: number) => Fixed;

function fixedCtor(t: TypeDesc): FixedCtor | undefined {
  if (t.id === 'float') return t.bits === 64 ? Float64Array : Float32Array;
  if (t.id !== 'int') return undefined;
  if (t.signed) return t.bits === 8 ? Int8Array : t.bits === 16 ? Int16Array : t.bits === 32 ? Int32Array : BigInt64Array;
  return t.bits === 8 ? Uint8Array : t.bits === 16 ? Uint16Array : t.bits === 32 ? Uint32Array : BigUint64Array;
}

const PHYSICAL: Record<string, readonly string[]> = { float: ['DOUBLE', 'FLOAT'], int: ['INT32', 'INT64'], bool: ['BOOLEAN'], utf8: ['BYTE_ARRAY'] };

/** The top-level fields of the flattened schema (a struct's fields have names of their own). */
function topLevel(meta: FileMetaData): FileMetaData['schema'] {
  const out: FileMetaData['schema'] = [];
  const skip = (at: number): number => {
    let next = at + 1;
    for (let c = 0; c < (meta.schema[at].num_children ?? 0); c++) next = skip(next);
    return next;
  };
  for (let i = 1; i < meta.schema.length; i = skip(i)) out.push(meta.schema[i]);
  return out;
}

/** Whether the column can take the fast path: a plain top-level leaf whose dtype is its physical type. */
export function isFlatPlan(plan: ColumnPlan, meta: FileMetaData): boolean {
  if (plan.decode !== 'plain') return false;
  const e = topLevel(meta).find((x) => x.name === plan.name);
  if (!e || (e.num_children ?? 0) > 0 || e.repetition_type === 'REPEATED' || e.type === undefined) return false;
  const ok = PHYSICAL[plan.type.id];
  if (!ok || !ok.includes(e.type)) return false;
  // float32 from FLOAT and float64 from DOUBLE only; INT32 never holds a 64-bit integer dtype.
  if (plan.type.id === 'float') return (plan.type.bits === 64) === (e.type === 'DOUBLE');
  if (plan.type.id === 'int') return plan.type.bits === 64 ? e.type === 'INT64' : e.type === 'INT32';
  return true;
}

/** Where decoded rows are written: one vector's buffers, filled range after range. */
interface Sink {
  length: number;
  at: number;
  valid: Uint8Array;
  nulls: number;
  /** No row missing so far: the validity bits are written only once a null appears. */
  allValid: boolean;
  /** Fixed-width values (numbers), or the bit-packed values of a bool column. */
  values?: Fixed | Uint8Array;
  /** Strings: offsets and growing bytes. */
  offsets?: Int32Array;
  bytes?: Uint8Array;
  used: number;
  /** Rows of the ranges (in order) to write: 1 keeps the row (absent: all); `length` counts the kept. */
  mask?: Uint8Array;
  /** The next input row (the mask's index). */
  inAt: number;
  /**
   * Strings: per output row, its entry in `dictionary` (-1: null), while every page so far was
   * dictionary-encoded (dictionary-codes.ts); dropped at the first page that is not.
   */
  codes?: Int32Array;
  dictionary: string[];
  ids: Map<string, number>;
  /** Set: the pages are not kept but tested against comparisons (testFlatColumn). */
  test?: PageTest;
}

/** A page testFlatColumn cannot test: the column is read as a vector instead. */
class NotTestable extends Error {}

/** Above this many distinct strings a column's codes are not kept (decoding the entries would cost more than they save). */
const MAX_CODED_STRINGS = 1 << 16;

const utf8 = new TextDecoder();

/**
 * The ids of a dictionary page's entries in the column's merged dictionary, given on each entry's
 * first use by a row (decoded then: entries no kept row uses are never decoded), so that the
 * column's codes number its strings in order of first appearance, as a factorizer does, and the
 * group-by takes them as they are (dictionary-codes.ts). Undefined when codes were dropped.
 */
function dictionaryIds(s: Sink, items: readonly Uint8Array[]): Pick<PageDictionary, 'ids' | 'idOf'> {
  if (s.codes === undefined) return {};
  if (s.dictionary.length + items.length > MAX_CODED_STRINGS) {
    s.codes = undefined;
    return {};
  }
  const ids = new Int32Array(items.length).fill(-1);
  const idOf = (x: number): number => {
    const str = utf8.decode(items[x]);
    let id = s.ids.get(str);
    if (id === undefined) {
      id = s.dictionary.length;
      s.ids.set(str, id);
      s.dictionary.push(str);
    }
    ids[x] = id;
    return id;
  };
  return { ids, idOf };
}

interface Hyparquet {
  parquetHeader: (r: DataReader) => import('hyparquet').PageHeader;
  decompressPage: (b: Uint8Array, n: number, codec: import('hyparquet').CompressionCodec, c: Compressors | undefined) => Uint8Array;
  readDataPage: (b: Uint8Array, h: import('hyparquet').DataPageHeader, d: ColumnDecoder) => { definitionLevels: number[] | undefined; dataPage: DecodedArray };
  readDataPageV2: (b: Uint8Array, h: import('hyparquet').PageHeader, d: ColumnDecoder) => { definitionLevels: number[] | undefined; dataPage: DecodedArray };
  readPlain: (r: DataReader, type: import('hyparquet').ParquetType, n: number, len: number | undefined) => DecodedArray;
  getSchemaPath: (schema: import('hyparquet').SchemaElement[], name: string[]) => SchemaTree[];
}

let lib: Promise<Hyparquet> | undefined;
/** hyparquet's page-level modules (its exported `src/*.js` entry points), loaded once. */
function hyparquetPages(): Promise<Hyparquet> {
  lib ??= Promise.all([import('hyparquet/src/column.js'), import('hyparquet/src/datapage.js'), import('hyparquet/src/plain.js'), import('hyparquet/src/schema.js')]).then(([c, d, p, s]) => ({
    parquetHeader: c.parquetHeader,
    decompressPage: d.decompressPage,
    readDataPage: d.readDataPage,
    readDataPageV2: d.readDataPageV2,
    readPlain: p.readPlain,
    getSchemaPath: s.getSchemaPath,
  }));
  return lib;
}

function growBytes(s: Sink, need: number): Uint8Array {
  const b = s.bytes as Uint8Array;
  if (s.used + need <= b.length) return b;
  const next = new Uint8Array(Math.max(b.length * 2, s.used + need, 1024));
  next.set(b.subarray(0, s.used));
  s.bytes = next;
  return next;
}

/** Appends one string's bytes. */
function putBytes(s: Sink, src: Uint8Array, from: number, len: number): void {
  const b = growBytes(s, len);
  if (len <= 16) for (let k = 0; k < len; k++) b[s.used + k] = src[from + k];
  else b.set(src.subarray(from, from + len), s.used);
  s.used += len;
  (s.offsets as Int32Array)[s.at + 1] = s.used;
}

/** A dictionary page's strings as one byte buffer with offsets (so indices copy bytes, not objects). */
function packDictionary(dict: DecodedArray): { bytes: Uint8Array; offsets: Int32Array; maxLength: number } {
  const items = dict as Uint8Array[];
  const offsets = new Int32Array(items.length + 1);
  let n = 0;
  let maxLength = 0;
  for (let i = 0; i < items.length; i++) {
    offsets[i + 1] = n += items[i].length;
    maxLength = Math.max(maxLength, items[i].length);
  }
  // 8 bytes of padding: a short entry is copied as two 32-bit words (fast-page.ts), which may read past its end.
  const bytes = new Uint8Array(n + DICTIONARY_PADDING);
  for (let i = 0; i < items.length; i++) bytes.set(items[i], offsets[i]);
  return { bytes, offsets, maxLength };
}

/** A sink's bitmap until its first null (setNull makes the real one). */
const NO_BITMAP = new Uint8Array(0);

const setValid = (s: Sink): void => {
  if (!s.allValid) s.valid[s.at >> 3] |= 1 << (s.at & 7);
};

/** A row is missing: the rows before it become valid bits, then it is left unset. */
function setNull(s: Sink): void {
  if (s.allValid) {
    s.allValid = false;
    // Made at the first null: most columns have none, and a bitmap per column was one more buffer per piece.
    s.valid = new Uint8Array((s.length + 7) >> 3);
    s.valid.fill(0xff, 0, s.at >> 3);
    for (let r = s.at & ~7; r < s.at; r++) s.valid[r >> 3] |= 1 << (r & 7);
  }
  s.nulls++;
}

/**
 * A page's decompressed bytes. SNAPPY pages go through the kernels' decoder into kernel memory
 * that the next page reuses (hysnappy allocated and copied each page, and took about a third of
 * the read): the bytes are valid until the next call, so the page must be decoded before it.
 */
function pageBytes(h: Hyparquet, raw: Uint8Array, size: number, decoder: ColumnDecoder): Uint8Array {
  if (decoder.codec === 'SNAPPY') return kernels().snappyUncompress(raw, size);
  return h.decompressPage(raw, size, decoder.codec, decoder.compressors);
}

/**
 * Rows [lo, hi) of one row group's chunk of the column, appended to the sink. Pages wholly
 * outside the rows are not decompressed.
 */
function readChunk(h: Hyparquet, buf: Uint8Array, decoder: ColumnDecoder, maxDef: number, kind: 'fixed' | 'bool' | 'utf8', lo: number, hi: number, s: Sink): void {
  const reader: DataReader = { view: new DataView(buf.buffer, buf.byteOffset, buf.byteLength), offset: 0 };
  let row = 0;
  let dict: DecodedArray | undefined;
  let packed: PageDictionary | undefined;
  const hooks = { setNull: () => setNull(s), setValid: () => setValid(s), grow: (need: number) => growBytes(s, need) };
  while (row < hi && reader.offset < buf.byteLength - 1) {
    const header = h.parquetHeader(reader);
    const raw = buf.subarray(reader.offset, reader.offset + header.compressed_page_size);
    reader.offset += header.compressed_page_size;
    if (header.type === 'DICTIONARY_PAGE') {
      if (s.test) throw new NotTestable();
      // Copied out of the reused buffer: hyparquet's values may be views of the page, kept for the chunk.
      const page = pageBytes(h, raw, header.uncompressed_page_size, decoder).slice();
      dict = h.readPlain({ view: new DataView(page.buffer, page.byteOffset, page.byteLength), offset: 0 }, decoder.type, header.dictionary_page_header?.num_values ?? 0, decoder.element.type_length);
      packed = kind === 'utf8' ? { ...packDictionary(dict), ...dictionaryIds(s, dict as Uint8Array[]) } : kind === 'fixed' && ArrayBuffer.isView(dict) ? { values: dict as Fixed } : undefined;
      continue;
    }
    if (header.type !== 'DATA_PAGE' && header.type !== 'DATA_PAGE_V2') continue;
    const v1 = header.data_page_header;
    const v2 = header.data_page_header_v2;
    const rows = v1 ? v1.num_values : (v2?.num_rows ?? 0);
    const a = Math.max(lo - row, 0);
    const b = Math.min(hi - row, rows);
    if (b <= a) {
      row += rows;
      continue;
    }
    const encoding = (v1 ?? v2)?.encoding ?? 'PLAIN';
    if (s.test) {
      if (!v1 || !testV1Page(pageBytes(h, raw, header.uncompressed_page_size, decoder), rows, encoding, maxDef, decoder.type, a, b, s.inAt, s.test)) throw new NotTestable();
      s.inAt += b - a;
      row += rows;
      continue;
    }
    if (v1 && kind !== 'bool') {
      const bytes = pageBytes(h, raw, header.uncompressed_page_size, decoder);
      if (readV1Page(bytes, rows, encoding, maxDef, kind, decoder.type, packed, a, b, s, hooks)) {
        row += rows;
        continue;
      }
      s.codes = undefined;
      readPage(h.readDataPage(bytes, v1, decoder), dict, packed, encoding, maxDef, kind, a, b, s);
    } else if (v1) {
      readPage(h.readDataPage(pageBytes(h, raw, header.uncompressed_page_size, decoder), v1, decoder), dict, packed, encoding, maxDef, kind, a, b, s);
    } else {
      s.codes = undefined;
      readPage(h.readDataPageV2(raw, header, decoder), dict, packed, encoding, maxDef, kind, a, b, s);
    }
    row += rows;
  }
  if (row < hi) throw new Error(`column chunk ends after ${row} rows, before row ${hi}`);
}

/** Rows [a, b) of a page hyparquet decoded (the general path: JS arrays of levels and indices). */
function readPage(page: { definitionLevels: number[] | undefined; dataPage: DecodedArray }, dict: DecodedArray | undefined, packed: PageDictionary | undefined, encoding: string, maxDef: number, kind: 'fixed' | 'bool' | 'utf8', a: number, b: number, s: Sink): void {
  const indexed = dict !== undefined && encoding.endsWith('_DICTIONARY');
  const data = page.dataPage;
  const defs = page.definitionLevels !== undefined && page.definitionLevels.length > 0 ? page.definitionLevels : undefined;
  const mask = s.mask;
  const base = s.inAt - a;
  s.inAt += b - a;
  // A run of values with no nulls and no dictionary copies in one call.
  if (!defs && !indexed && !mask && kind === 'fixed' && ArrayBuffer.isView(data)) {
    const src = (data as Fixed).subarray(a, b);
    (s.values as Fixed).set(src as never, s.at);
    if (s.allValid) s.at += b - a;
    else for (let r = 0; r < b - a; r++) setValid(s), s.at++;
    return;
  }
  let vi = 0;
  for (let r = 0; r < b; r++) {
    const present = defs === undefined || defs[r] === maxDef;
    if (r < a || (mask !== undefined && mask[base + r] === 0)) {
      if (present) vi++;
      continue;
    }
    if (!present) {
      setNull(s);
      if (kind === 'utf8') (s.offsets as Int32Array)[s.at + 1] = s.used;
      s.at++;
      continue;
    }
    const x = indexed ? (data[vi] as number) : vi;
    vi++;
    if (kind === 'fixed') {
      (s.values as Fixed)[s.at] = (indexed ? (dict as Fixed)[x] : (data as Fixed)[x]) as never;
    } else if (kind === 'bool') {
      if (indexed ? (dict as boolean[])[x] : (data as boolean[])[x]) (s.values as Uint8Array)[s.at >> 3] |= 1 << (s.at & 7);
    } else if (indexed) {
      const p = packed as { bytes: Uint8Array; offsets: Int32Array };
      putBytes(s, p.bytes, p.offsets[x], p.offsets[x + 1] - p.offsets[x]);
    } else {
      const item = (data as Uint8Array[])[x];
      putBytes(s, item, 0, item.length);
    }
    setValid(s);
    s.at++;
  }
}

/** Rows [start, end) of the file as row groups with their first row. */
function groupsOver(meta: FileMetaData, start: number, end: number): { g: RowGroup; first: number }[] {
  const out: { g: RowGroup; first: number }[] = [];
  let first = 0;
  for (const g of meta.row_groups) {
    const n = Number(g.num_rows);
    if (first < end && first + n > start) out.push({ g, first });
    first += n;
  }
  return out;
}

/**
 * The column's rows over the ranges, as one Arrow vector of the plan's type; with `mask` (one
 * entry per row of the ranges, `count` of them 1) only the rows it keeps.
 */
export async function readFlatColumn(file: AsyncBuffer, meta: FileMetaData, plan: ColumnPlan, ranges: readonly (readonly [number, number])[], compressors: Compressors, mask?: { keep: Uint8Array; count: number }): Promise<Vector> {
  const h = await hyparquetPages();
  const length = mask ? mask.count : ranges.reduce((n, [a, b]) => n + b - a, 0);
  const t = plan.type;
  const Ctor = fixedCtor(t);
  const kind = Ctor ? 'fixed' : t.id === 'bool' ? 'bool' : 'utf8';
  const s: Sink = { length, at: 0, valid: NO_BITMAP, nulls: 0, allValid: true, used: 0, inAt: 0, mask: mask?.keep, dictionary: [], ids: new Map() };
  if (kind === 'fixed') s.values = new (Ctor as FixedCtor)(length);
  else if (kind === 'bool') s.values = new Uint8Array((length + 7) >> 3);
  else {
    s.offsets = new Int32Array(length + 1);
    s.bytes = new Uint8Array(1024);
    s.codes = new Int32Array(length);
  }
  await readChunks(h, file, meta, plan, ranges, compressors, kind, s);
  const type = arrowType(t);
  const nullBitmap = s.nulls > 0 ? s.valid : undefined;
  if (kind === 'utf8') {
    let bytes = (s.bytes as Uint8Array).subarray(0, s.used);
    // Strings of several lengths leave much of the room reserved at the longest unused, and a
    // partition copies such a buffer out (part.ts): copied here instead, before the codes are
    // remembered by this very buffer, the group-by still finds them (dictionary-codes.ts).
    if (compactedOnEncode(bytes)) bytes = bytes.slice();
    if (s.codes) rememberCodes(s.offsets as Int32Array, bytes, nullBitmap, s.codes, s.dictionary);
    return makeVector(makeData({ type, length, nullCount: s.nulls, nullBitmap, valueOffsets: s.offsets, data: bytes } as never));
  }
  return makeVector(makeData({ type, length, nullCount: s.nulls, nullBitmap, data: s.values } as never));
}

/**
 * ANDs the comparisons of the column with numbers into `keep` (one entry per row of the ranges)
 * page by page, without making the column; returns the rows `keep` then holds, or undefined when
 * a page is not PLAIN values of a number type with no nulls (`keep` may then hold some of the
 * comparisons' results, which applying them again over the whole column leaves as they are).
 */
export async function testFlatColumn(file: AsyncBuffer, meta: FileMetaData, plan: ColumnPlan, ranges: readonly (readonly [number, number])[], compressors: Compressors, clauses: PageTest['clauses'], keep: Uint8Array): Promise<number | undefined> {
  const h = await hyparquetPages();
  const test: PageTest = { clauses, keep, kept: 0 };
  const s: Sink = { length: keep.length, at: 0, valid: NO_BITMAP, nulls: 0, allValid: true, used: 0, inAt: 0, dictionary: [], ids: new Map(), test };
  try {
    await readChunks(h, file, meta, plan, ranges, compressors, 'fixed', s);
  } catch (e) {
    if (e instanceof NotTestable) return undefined;
    throw e;
  }
  return test.kept;
}

/** Every row group's chunk of the column over the ranges, into the sink. */
async function readChunks(h: Hyparquet, file: AsyncBuffer, meta: FileMetaData, plan: ColumnPlan, ranges: readonly (readonly [number, number])[], compressors: Compressors, kind: 'fixed' | 'bool' | 'utf8', s: Sink): Promise<void> {
  const schemaPath = h.getSchemaPath(meta.schema, [plan.name]);
  const element = schemaPath[schemaPath.length - 1].element;
  const maxDef = schemaPath.slice(1).filter((p) => p.element.repetition_type !== 'REQUIRED').length;
  for (const [start, end] of ranges) {
    for (const { g, first } of groupsOver(meta, start, end)) {
      const chunk = g.columns.find((c) => c.meta_data?.path_in_schema.length === 1 && c.meta_data.path_in_schema[0] === plan.name);
      const cm = chunk?.meta_data;
      if (!cm) throw new Error(`no chunk of column '${plan.name}' in a row group`);
      if (chunk.file_path) throw new Error(`column '${plan.name}' is in another file (${chunk.file_path}), which is not supported`);
      const from = Number(cm.dictionary_page_offset || cm.data_page_offset);
      const to = from + Number(cm.total_compressed_size);
      // A local file's chunk is read into this thread's scratch buffer: nothing awaits between the
      // read and the end of readChunk, which copies out everything it keeps.
      const buf = isLocalFile(file) ? file.chunk(from, to) : new Uint8Array(await file.slice(from, to));
      const decoder: ColumnDecoder = { pathInSchema: [plan.name], type: cm.type, element, schemaPath, codec: cm.codec, parsers: { ...(PARSERS as ColumnDecoder['parsers']) }, compressors };
      readChunk(h, buf, decoder, maxDef, kind, Math.max(start - first, 0), Math.min(end, first + Number(g.num_rows)) - first, s);
    }
  }
}
