/**
 * The fast path of readCsv's block reader: one pass over the block's UTF-8 bytes that finds the
 * byte span of every kept field, with no string per line or per field. It decides only the plain
 * cases (one-byte separator and quote, no comment character in the block, no skipped rows, one
 * kind of line end) and gives up (returns null) on anything else: a malformed line, a quote where
 * csv-parse would refuse one, a bare CR, a mix of LF and CRLF. The general path (csv-parse) then
 * reads the block again and reports the error, with the file and line, as it always did.
 */
import type { Vector } from 'apache-arrow';
import type { CsvFormat } from './csv-text';

/**
 * Byte spans of the kept fields of every record, record after record: field j of row i starts at
 * spans[i * stride + 2j] and ends before spans[i * stride + 2j + 1]. A start is the byte after an
 * opening quote, or ~start (a negative number) when the field is quoted and holds doubled quotes,
 * which must be undone; an end is the byte before a closing quote.
 */
export interface FieldSpans {
  rows: number;
  stride: number;
  spans: Int32Array;
}

const NL = 10;
const CR = 13;

/** The byte of a one-character option that is plain ASCII, or -1. */
export function asciiByte(s: string | null): number {
  if (s === null || s.length !== 1) return -1;
  const c = s.charCodeAt(0);
  return c < 0x80 ? c : -1;
}

/** Whether the fast path can read text in this format at all. */
export function fastFormat(f: CsvFormat): boolean {
  return asciiByte(f.sep) >= 0 && asciiByte(f.quote) >= 0 && (f.comment === null || asciiByte(f.comment) >= 0);
}

/**
 * The spans of the fields at positions `usecols` of the records in `buf[from, to)`, each record
 * having exactly `nfields` fields; null where csv-parse's reading is not this simple one.
 */
export function splitFields(buf: Uint8Array, from: number, to: number, f: CsvFormat, nfields: number, usecols: readonly number[]): FieldSpans | null {
  if (!fastFormat(f) || to > 0x7fffffff) return null;
  const sep = asciiByte(f.sep);
  const q = asciiByte(f.quote);
  const cm = asciiByte(f.comment);
  if (cm >= 0 && buf.subarray(from, to).indexOf(cm) >= 0) return null;
  // Bytes above all of sep, quote, CR and LF (most: digits, letters) end no unquoted field.
  const hiSpecial = Math.max(sep, q, CR);
  const slot = new Int32Array(nfields).fill(-1);
  usecols.forEach((at, j) => {
    slot[at] = j;
  });
  const ncols = usecols.length;
  // Capacity from the first line's length; grown by doubling when short.
  const firstNl = buf.indexOf(NL, from);
  const lineLen = firstNl < 0 || firstNl >= to ? to - from : firstNl - from + 1;
  let cap = Math.ceil(((to - from) / Math.max(1, lineLen)) * 1.25) + 16;
  const stride = 2 * ncols;
  let spans = new Int32Array(cap * stride);
  // 0: lines end with LF, 1: with CRLF (csv-parse takes the first line end it sees as the only one).
  let crlf = -1;
  let row = 0;
  let pos = from;
  while (pos < to) {
    let c = buf[pos];
    // An empty line is skipped (csv-parse's skip_empty_lines).
    if (c === NL) {
      if (crlf === 1) return null;
      crlf = 0;
      pos++;
      continue;
    }
    if (c === CR) {
      if (pos + 1 < to && buf[pos + 1] === NL && crlf !== 0) {
        crlf = 1;
        pos += 2;
        continue;
      }
      return null;
    }
    if (row === cap) {
      cap *= 2;
      spans = grow(spans, cap * stride);
    }
    const base = row * stride;
    let field = 0;
    for (;;) {
      let s = pos;
      let e: number;
      let doubled = false;
      if (pos < to && buf[pos] === q) {
        s = ++pos;
        for (;;) {
          while (pos < to && buf[pos] !== q) pos++;
          if (pos >= to) return null; // unclosed quote
          if (pos + 1 < to && buf[pos + 1] === q) {
            doubled = true;
            pos += 2;
            continue;
          }
          e = pos++;
          break;
        }
        c = pos < to ? buf[pos] : -1;
        if (c !== sep && c !== NL && c !== CR && c !== -1) return null;
      } else {
        let p = pos;
        while (p < to) {
          const b = buf[p];
          if (b > hiSpecial || (b !== sep && b !== NL && b !== CR && b !== q)) p++;
          else break;
        }
        pos = p;
        if (pos < to && buf[pos] === q) return null;
        e = pos;
      }
      if (field < nfields) {
        const j = slot[field];
        if (j >= 0) {
          spans[base + 2 * j] = doubled ? ~s : s;
          spans[base + 2 * j + 1] = e;
        }
      }
      field++;
      if (pos >= to) break;
      c = buf[pos];
      if (c === sep) {
        pos++;
        continue;
      }
      if (c === NL) {
        if (crlf === 1) return null;
        crlf = 0;
        pos++;
        break;
      }
      if (pos + 1 < to && buf[pos + 1] === NL && crlf !== 0) {
        crlf = 1;
        pos += 2;
        break;
      }
      return null;
    }
    if (field !== nfields) return null;
    row++;
  }
  return { rows: row, stride, spans };
}

function grow(a: Int32Array, cap: number): Int32Array<ArrayBuffer> {
  const out = new Int32Array(cap);
  out.set(a);
  return out;
}

/** A column of the fast path from its field spans (null: leave the block to the general path). */
export type SpanColumn = (j: number, spans: ColumnSpans) => Vector | null;

/** The spans of one column: row i's at spans[at + i * stride] (start) and the next (end). */
export interface ColumnSpans {
  rows: number;
  spans: Int32Array;
  at: number;
  stride: number;
}

/**
 * The kept columns of a block's records, or null when the fast path does not decide this block
 * (a format or line it does not read, rows to skip, a value some converter refuses).
 */
export function fastColumns(buf: Buffer, f: CsvFormat, nfields: number, usecols: readonly number[], skip: { rows: readonly number[] } | null, column: SpanColumn): { rows: number; vectors: Vector[] } | null {
  if (skip && skip.rows.length > 0) return null;
  const spans = splitFields(buf, 0, buf.length, f, nfields, usecols);
  if (!spans) return null;
  const vectors: Vector[] = [];
  for (let j = 0; j < usecols.length; j++) {
    const v = column(j, { rows: spans.rows, spans: spans.spans, at: 2 * j, stride: spans.stride });
    if (!v) return null;
    vectors.push(v);
  }
  return { rows: spans.rows, vectors };
}
