/**
 * Writing one partition as CSV (toCsv): what pandas 1.5's to_csv writes for the partition, as
 * Dask calls it on each partition. Missing values are `naRep`, booleans True/False, floats as
 * NumPy's str() (or `floatFormat`), datetimes and timedeltas as pandas formats the partition's
 * column. A field holding the separator, a quote or '\n' is quoted, its quotes doubled,
 * and a row of one empty field is written `""`, as Python's csv module does (QUOTE_MINIMAL).
 */
import { DataType, type Vector } from 'apache-arrow';
import * as iconv from 'iconv-lite';
import { timeTexts } from '../local/format-time';
import { cellOf } from '../types/big-vectors';
import { durationCsvTexts, float32Text, float64Text, formatFloat, type FloatFormat } from './csv-format';
import { decodePart, type Part } from './part';
import { indexColumnsOf, isIndexColumn } from './spec';
import { nodeBuiltin } from '../io/node-only';
const fsMod = () => nodeBuiltin('node:fs', 'toCsv');
const pathMod = () => nodeBuiltin('node:path', 'toCsv');
const zlibMod = () => nodeBuiltin('node:zlib', 'toCsv');

export interface CsvWriteSpec {
  path: string;
  sep: string;
  /** Write the index levels (or the row positions, for a frame without an index) first. */
  index: boolean;
  /** Header texts of the index columns (pandas: the level names, '' when unnamed). */
  indexNames: readonly string[];
  /** Header texts of the columns, or null for no header line. */
  header: readonly string[] | null;
  naRep: string;
  floatFormat: FloatFormat | null;
  /** 'w' truncates, 'a' appends (a single file's later partitions always append). */
  mode: 'w' | 'a';
  compression: 'gzip' | null;
  encoding: string;
  /** Whether the encoding's byte-order mark, if it has one (UTF-16), may be written: at the start of a file only. */
  addBom: boolean;
}

function quote(s: string, sep: string): string {
  // Python 3.11's csv module quotes the characters of the line terminator ('\n'), not a lone '\r'.
  return s.includes(sep) || s.includes('"') || s.includes('\n') ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Every cell of a column as text, missing values as naRep. */
function columnTexts(v: Vector, naRep: string, ff: FloatFormat | null): string[] {
  const n = v.length;
  const t = v.type as DataType;
  const missing = (i: number): boolean => v.isValid(i) === false;
  if (DataType.isDuration(t)) return durationCsvTexts(Array.from({ length: n }, (_, i) => cellOf(v, i) as bigint | null), naRep);
  const times = timeTexts(v, Array.from({ length: n }, (_, i) => i));
  if (times) return times.map((s, i) => (missing(i) ? naRep : s));
  const out = new Array<string>(n);
  if (DataType.isFloat(t)) {
    const text = ff ? (x: number) => formatFloat(x, ff) : t.precision === 1 ? float32Text : float64Text;
    for (let i = 0; i < n; i++) {
      const x = v.get(i) as number | null;
      out[i] = x === null || x !== x ? naRep : text(x);
    }
    return out;
  }
  for (let i = 0; i < n; i++) {
    const x: unknown = v.get(i);
    out[i] = x === null || x === undefined ? naRep : typeof x === 'boolean' ? (x ? 'True' : 'False') : String(x);
  }
  return out;
}

/** The CSV text of one partition; `firstLabel` is its first row position when it has no index. */
export function partCsvText(part: Part, spec: Omit<CsvWriteSpec, 'path' | 'mode' | 'compression' | 'encoding' | 'addBom'>, firstLabel: number): string {
  const b = decodePart(part);
  const idx = indexColumnsOf(b.names);
  const data = b.names.filter((n) => !isIndexColumn(n));
  const texts: string[][] = [];
  const header: string[] = [];
  if (spec.index && idx.length === 0) {
    texts.push(Array.from({ length: b.numRows }, (_, i) => String(firstLabel + i)));
    header.push(spec.indexNames[0] ?? '');
  } else if (spec.index) {
    idx.forEach((c, j) => {
      texts.push(columnTexts(b.vectors[b.names.indexOf(c)] as Vector, spec.naRep, spec.floatFormat));
      header.push(spec.indexNames[j] ?? '');
    });
  }
  for (const c of data) texts.push(columnTexts(b.vectors[b.names.indexOf(c)] as Vector, spec.naRep, spec.floatFormat));
  const line = (fields: readonly string[]): string => (fields.length === 1 && fields[0] === '' ? '""' : fields.map((f) => quote(f, spec.sep)).join(spec.sep));
  const lines: string[] = [];
  if (spec.header) lines.push(line([...header, ...spec.header]));
  for (let i = 0; i < b.numRows; i++) lines.push(line(texts.map((col) => col[i])));
  return lines.length === 0 ? '' : lines.join('\n') + '\n';
}

/**
 * Writes one partition. `after` is the previous partition's write when they share one file, so
 * that partitions land in order; it carries nothing.
 */
export const writeCsvPart = (part: Part, spec: CsvWriteSpec, firstLabel: number, after?: unknown): string => {
  void after;
  const text = partCsvText(part, spec, firstLabel);
  let bytes: Uint8Array = spec.addBom ? iconv.encode(text, spec.encoding) : iconv.encode(text, spec.encoding, { addBOM: false });
  // A gzip member per write: appended members make one valid gzip stream, as Python's gzip reads it.
  if (spec.compression === 'gzip' && (bytes.length > 0 || spec.mode === 'w')) bytes = zlibMod().gzipSync(bytes);
  fsMod().mkdirSync(pathMod().dirname(spec.path), { recursive: true });
  if (spec.mode === 'a') fsMod().appendFileSync(spec.path, bytes);
  else fsMod().writeFileSync(spec.path, bytes);
  return spec.path;
};

export const collectPaths = (paths: readonly string[]): string[] => [...new Set(paths)];
