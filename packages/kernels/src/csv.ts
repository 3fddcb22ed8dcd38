/**
 * One pass over a block of CSV bytes that splits its unquoted fields and converts the kept ones
 * (kernels/assembly/csv.ts): the reader of @pdask/dataframe's readCsv for plain blocks. Fields the
 * kernel does not convert itself (any spelling but the plain ones) come back in `fallback` for the
 * caller's general rules; a block it does not read at all (quotes, ragged lines, mixed line ends)
 * gives null.
 */
import { KernelArray } from './memory.js';
import { checkOptionKeys, optionKeys } from './options.js';
import type { Runtime } from './runtime.js';

/** What the scan does with one field of every line. */
export type CsvFieldKind = 'skip' | 'float64' | 'int32' | 'string' | 'timestamp';

const KIND_CODES: Record<CsvFieldKind, number> = { skip: 0, float64: 1, int32: 2, string: 3, timestamp: 4 };

export interface CsvScanOptions {
  /** One kind per field of a line (the line must have exactly this many fields). */
  kinds: readonly CsvFieldKind[];
  /** The separator byte (ASCII, not a digit, '.', '+', '-', 'e', 'E', CR or LF). */
  sep: number;
  /** The quote byte: a block holding it at the start of a field, or inside one, is declined. */
  quote: number;
  /** Texts a string field may hold to be missing: such fields (and empty ones) are listed in `fallback`. */
  nullTexts?: readonly string[];
  /** Scan only the first `length` bytes (default: all). */
  length?: number;
}

/** A string column as Arrow's Utf8 layout. */
export interface CsvStrings {
  offsets: Int32Array;
  data: Uint8Array;
  /** Whether any byte is >= 0x80 (the bytes may then not be valid UTF-8). */
  nonAscii: boolean;
}

export interface CsvScanResult {
  rows: number;
  /**
   * Per field: float64 values, int32 values, strings, timestamps as int64 nanoseconds since the
   * epoch (naive times); null for skipped fields. Number and time cells listed in `fallback` are
   * unset; string cells there hold their bytes.
   */
  columns: (Float64Array | Int32Array | BigInt64Array | CsvStrings | null)[];
  /**
   * Cells to read by the caller's rules, (row, field, start, end) each with the field's byte range
   * [start, end): numbers and times in other spellings, strings that may be missing-value texts.
   */
  fallback: Int32Array;
}

const NL = 10;
/** Rows per kernel call: small enough that the first block of a thread soon runs optimised code. */
const STEP = 1 << 15;

function checkByte(name: string, b: number): void {
  if (!Number.isInteger(b) || b < 0 || b > 127 || b === NL || b === 13 || (b >= 48 && b <= 57) || b === 46 || b === 43 || b === 45 || b === 101 || b === 69) {
    throw new RangeError(`csvScan: ${name} must be an ASCII byte other than a digit, '.', '+', '-', 'e', 'E', CR or LF (got ${b})`);
  }
}

const SCAN_KEYS = optionKeys<CsvScanOptions>({ kinds: true, sep: true, quote: true, nullTexts: true, length: true });

export function csvScan(rt: Runtime, bytes: Uint8Array | KernelArray<Uint8Array>, options: CsvScanOptions): CsvScanResult | null {
  checkOptionKeys('Kernels.csvScan', options, SCAN_KEYS);
  if (options === undefined) throw new TypeError('Kernels.csvScan: options { kinds, sep, quote } are required');
  const { kinds } = options;
  checkByte('sep', options.sep);
  if (!Number.isInteger(options.quote) || options.quote < 0 || options.quote > 127 || options.quote === options.sep) throw new RangeError('csvScan: quote must be an ASCII byte other than sep');
  const nf = kinds.length;
  if (nf === 0) throw new RangeError('csvScan: kinds is empty');
  const codes = kinds.map((k) => {
    const c = KIND_CODES[k];
    if (c === undefined) throw new RangeError(`csvScan: unknown field kind '${String(k)}'`);
    return c;
  });
  const { mem } = rt;
  const inPlace = bytes instanceof KernelArray;
  const len = options.length ?? bytes.length;
  if (!Number.isInteger(len) || len < 0 || len > bytes.length) throw new RangeError(`csvScan: length ${len} is not within the ${bytes.length} bytes given`);
  const owned: number[] = [];
  const alloc = (n: number): number => {
    const p = mem.alloc(Math.max(64, n));
    owned.push(p);
    return p;
  };
  try {
    let bufPtr: number;
    if (inPlace) bufPtr = bytes.ptr;
    else {
      bufPtr = alloc(len);
      mem.u8(bufPtr, len).set(len === bytes.length ? bytes : bytes.subarray(0, len));
    }
    const kindPtr = alloc(nf);
    mem.u8(kindPtr, nf).set(codes);
    const nullsPtr = alloc(256);
    const firsts = mem.u8(nullsPtr, 256);
    firsts.fill(0);
    for (const t of options.nullTexts ?? []) if (t.length > 0) firsts[new TextEncoder().encode(t)[0]] = 1;
    const view = (): Uint8Array => mem.u8(bufPtr, len);
    // Rows: estimated from the first line (1.25x), or counted exactly when that is short.
    const first = view().indexOf(NL);
    let cap = Math.ceil((len / Math.max(1, first < 0 ? len : first + 1)) * 1.25) + 16;
    let fbCap = 1024;
    // Room for each string column's bytes: from its field in the first line (1.5x), all of it when short.
    let room = firstLineFields(view(), first < 0 ? len : first, options.sep).map((n) => Math.min(len, Math.ceil(n * cap * 1.5) + 4096));
    for (;;) {
      const outs = codes.map((c, f) => (c === 0 ? 0 : c === 3 ? alloc(4 * (cap + 3) + (room[f] ?? len)) : alloc(cap * (c === 2 ? 4 : 8))));
      outs.forEach((p, f) => {
        if (codes[f] === 3) mem.i32(p + 4 * (cap + 1), 2).set([0, room[f] ?? len]);
        if (codes[f] === 3) mem.i32(p, 1)[0] = 0;
      });
      const outsPtr = alloc(4 * nf);
      mem.i32(outsPtr, nf).set(outs);
      const fbPtr = alloc(16 * fbCap);
      mem.i32(mem.state, 4).fill(0);
      let r = 0;
      for (let limit = STEP; r === 0; limit += STEP) r = rt.x.csv_fused(bufPtr, len, nf, kindPtr, outsPtr, cap, options.sep, options.quote, fbPtr, fbCap, mem.state, limit, nullsPtr);
      if (r === -1) return null;
      if (r === -2 || r === -3 || r === -4) {
        for (const p of [...outs.filter((p) => p !== 0), outsPtr, fbPtr]) {
          mem.release(p);
          owned.splice(owned.indexOf(p), 1);
        }
        if (r === -2) cap = countLines(view()) + 1;
        else if (r === -3) fbCap = cap * nf;
        else room = room.map(() => len);
        continue;
      }
      const [nfb, , , rows] = mem.i32(mem.state, 4);
      const buffer = mem.buffer;
      const columns = codes.map((c, f) => {
        if (c === 0) return null;
        if (c === 1) return new Float64Array(buffer, outs[f], rows).slice();
        if (c === 2) return new Int32Array(buffer, outs[f], rows).slice();
        if (c === 3) {
          const offsets = new Int32Array(buffer, outs[f], rows + 1).slice();
          const nonAscii = new Int32Array(buffer, outs[f] + 4 * (cap + 1), 1)[0] !== 0;
          return { offsets, data: new Uint8Array(buffer, outs[f] + 4 * (cap + 3), offsets[rows]).slice(), nonAscii };
        }
        return new BigInt64Array(buffer, outs[f], rows).slice();
      });
      return { rows, columns, fallback: new Int32Array(buffer, fbPtr, 4 * nfb).slice() };
    }
  } finally {
    for (const p of owned) mem.release(p);
  }
}

/** Byte lengths of the first line's fields split at every separator byte (an estimate: quotes are not read). */
function firstLineFields(b: Uint8Array, end: number, sep: number): number[] {
  const out: number[] = [];
  let s = 0;
  for (let i = 0; i <= end; i++) {
    if (i === end || b[i] === sep) {
      out.push(i - s);
      s = i + 1;
    }
  }
  return out;
}

function countLines(b: Uint8Array): number {
  let n = 0;
  for (let p = b.indexOf(NL); p >= 0; p = b.indexOf(NL, p + 1)) n++;
  return n;
}
