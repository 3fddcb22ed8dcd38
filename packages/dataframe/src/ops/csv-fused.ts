/**
 * The fastest path of readCsv's block reader: one pass of the WebAssembly kernel
 * (@pdask/kernels' csvScan) splits the block's fields and converts them at once (numbers as their
 * digits are met, ISO times to int64 nanoseconds with the day's arithmetic done once per date,
 * string fields as byte ranges), with no string per field and no table of every field's span. It
 * reads only unquoted fields in the plain format (one-byte separator, '.' decimals, no thousands
 * mark, comment character or extra missing-value texts) and columns of float, int32, utf8 and
 * naive timestamp type. Fields in other spellings are read here by the general rules, exactly as
 * the span path (csv-fast-convert.ts) reads them; on anything else (a quote, a malformed line, a
 * value the rules refuse) it returns null and the block goes to the span path, which reads quoted
 * fields, and from there to csv-parse, which names the line.
 */
import { Buffer, isUtf8 } from '../io/buffer';
import { makeData, makeVector, Utf8, type Data, type Vector } from 'apache-arrow';
import type { CsvFieldKind, CsvStrings, KernelArray } from '@pdask/kernels';
import { bigVector } from '../types/big-vectors';
import { asciiByte, fastFormat } from './csv-fast';
import { LITTLE_ENDIAN } from './endian';
import { fieldText, numberByRules, timeByRules, type FieldReader } from './csv-fast-convert';
import type { CsvFormat } from './csv-text';
import { kernels } from './kernels';
import { numbersAs } from './results';
import { arrowType, type TypeDesc } from './types';

const NL = 10;
const CR = 13;

/** How the scan reads a kept column of this type, or null when it does not. */
function kindOf(t: TypeDesc): CsvFieldKind | null {
  if (t.id === 'float') return 'float64';
  if (t.id === 'int' && t.bits === 32 && t.nullable !== true) return 'int32';
  if (t.id === 'utf8') return 'string';
  if (t.id === 'timestamp' && t.tz === null && t.unit === 'ns' && LITTLE_ENDIAN) return 'timestamp';
  return null;
}

/** Bytes that may appear in a plain number: a separator among them would make fields ambiguous here. */
const NUMBER_BYTES = new Set([...'0123456789.+-eE'].map((c) => c.charCodeAt(0)));

/** Whether the fused pass can read blocks of this format and these column types at all. */
export function fusedFormat(f: CsvFormat, types: readonly TypeDesc[], extraNa: number): boolean {
  if (!fastFormat(f) || f.comment !== null || f.thousands !== null || f.decimal !== '.' || extraNa > 0) return false;
  const sep = asciiByte(f.sep);
  if (NUMBER_BYTES.has(sep) || sep === NL || sep === CR) return false;
  return types.every((t) => kindOf(t) !== null);
}

/**
 * The kept columns of the records in the reader's buffer (every record `nfields` fields), or null
 * when the fused pass does not decide this block.
 */
export function fusedColumns(r: FieldReader, nfields: number, usecols: readonly number[], types: readonly TypeDesc[], direct?: { source: KernelArray<Uint8Array>; length: number }): { rows: number; vectors: Vector[] } | null {
  const f = r.format;
  if (!fusedFormat(f, types, r.extraNa.length) || (!direct && r.buf.length > 0x7fff0000)) return null;
  const kinds: CsvFieldKind[] = new Array<CsvFieldKind>(nfields).fill('skip');
  const slot = new Int32Array(nfields).fill(-1);
  usecols.forEach((at, j) => {
    kinds[at] = kindOf(types[j])!;
    slot[at] = j;
  });
  const options = { kinds, sep: asciiByte(f.sep), quote: asciiByte(f.quote), nullTexts: [...r.na] };
  const scan = direct ? kernels().csvScan(direct.source, { ...options, length: direct.length }) : kernels().csvScan(r.buf, options);
  if (!scan) return null;
  // Fallback cells read from the kernels' memory (a view made after the scan: the memory may have grown).
  if (direct) {
    const a = direct.source.array;
    r = { ...r, buf: Buffer.from(a.buffer, a.byteOffset, direct.length) };
  }
  const { rows, columns, fallback } = scan;
  // Cells in other spellings: csv-fast-convert's rules (missing texts, spaces, long numbers, …).
  const valid: (Uint8Array | null)[] = usecols.map(() => null);
  for (let k = 0; k < fallback.length; k += 4) {
    const [row, field, s, e] = [fallback[k], fallback[k + 1], fallback[k + 2], fallback[k + 3]];
    const j = slot[field];
    const col = columns[field]!;
    if (kinds[field] === 'string') {
      // Unquoted, so missing exactly when its text is one of the missing-value texts (not 'None': pandas 1.5).
      if (r.na.has(fieldText(r, s, e))) (valid[j] ??= new Uint8Array(rows).fill(1))[row] = 0;
    } else if (kinds[field] === 'timestamp') {
      const v = timeByRules(r, s, e);
      if (v === undefined) return null;
      if (v === null) {
        valid[j] ??= new Uint8Array(rows).fill(1);
        valid[j]![row] = 0;
        (col as BigInt64Array)[row] = 0n;
      } else (col as BigInt64Array)[row] = v;
    } else {
      const x = numberByRules(r, fieldText(r, s, e), types[j]);
      if (x === undefined) return null;
      (col as Float64Array | Int32Array)[row] = x;
    }
  }
  const vectors: Vector[] = [];
  for (let j = 0; j < usecols.length; j++) {
    const t = types[j];
    const col = columns[usecols[j]]!;
    const k = kinds[usecols[j]];
    if (k === 'float64') vectors.push(numbersAs(col as Float64Array, t));
    else if (k === 'int32') vectors.push(makeVector(col as Int32Array));
    else if (k === 'string') {
      const v = utf8Vector(col as CsvStrings, valid[j]);
      if (!v) return null;
      vectors.push(v);
    } else vectors.push(bigVector(arrowType(t), col as BigInt64Array, valid[j]));
  }
  return { rows, vectors };
}

/**
 * An Arrow Utf8 vector of the scanned strings, missing rows emptied; null when the bytes are not
 * UTF-8 (the general path then reads them as U+FFFD, as csv-parse does).
 */
function utf8Vector(c: CsvStrings, valid: Uint8Array | null): Vector | null {
  if (c.nonAscii && !isUtf8(c.data)) return null;
  const n = c.offsets.length - 1;
  let { offsets, data } = c;
  let bitmap: Uint8Array | undefined;
  let nulls = 0;
  if (valid) {
    bitmap = new Uint8Array((n + 7) >> 3);
    const o = new Int32Array(n + 1);
    const d = new Uint8Array(data.length);
    let at = 0;
    for (let i = 0; i < n; i++) {
      if (valid[i]) {
        bitmap[i >> 3] |= 1 << (i & 7);
        d.set(data.subarray(offsets[i], offsets[i + 1]), at);
        at += offsets[i + 1] - offsets[i];
      } else nulls++;
      o[i + 1] = at;
    }
    offsets = o;
    data = d.slice(0, at);
  }
  return makeVector(makeData({ type: new Utf8(), length: n, nullCount: nulls, data, valueOffsets: offsets, nullBitmap: nulls ? bitmap : undefined } as unknown as Parameters<typeof makeData>[0]) as Data);
}
