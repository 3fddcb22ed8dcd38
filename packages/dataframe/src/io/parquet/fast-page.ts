/**
 * A version-1 data page of a flat column decoded straight into the read's Arrow buffers: levels
 * and dictionary indices into typed arrays (hybrid.ts), PLAIN numbers copied as bytes, strings
 * copied from the dictionary page's bytes, and only the rows of the read's mask written (the rows
 * its filters keep), so the columns not used by the filters are never materialised in full.
 * Pages it does not handle (booleans, version 2, delta and byte-stream-split encodings, very wide
 * dictionaries) return false and go through hyparquet's page reader.
 */
import { decodeHybrid, MAX_HYBRID_WIDTH, presentRows, scratchInts } from './hybrid';
import { decodeHybridKept } from './hybrid-kept';
import { packKept } from './pack-kept';
import { gatherPlainKept } from './plain-kept';
import { andPlainCompare, COMPARED } from './plain-compare';
import type { CompareOp } from './compare-numbers';

type Fixed = Float64Array | Float32Array | Int8Array | Int16Array | Int32Array | Uint8Array | Uint16Array | Uint32Array | BigInt64Array | BigUint64Array;

/** Where rows go (flat-column.ts' Sink): output row `at`, input row `inAt` (the mask's index). */
export interface PageSink {
  /** Output rows in all. */
  length: number;
  at: number;
  inAt: number;
  mask?: Uint8Array;
  allValid: boolean;
  values?: Fixed | Uint8Array;
  offsets?: Int32Array;
  bytes?: Uint8Array;
  used: number;
  /** Strings: each output row's id in the column's merged dictionary, while kept (see flat-column.ts). */
  codes?: Int32Array;
}

/** The column's dictionary: values (numbers) or packed strings. */
export interface PageDictionary {
  values?: Fixed;
  bytes?: Uint8Array;
  offsets?: Int32Array;
  /** The longest string's byte length (to size the output once per page). */
  maxLength?: number;
  /**
   * Each entry's id in the column's merged dictionary, -1 until a row uses it (absent: codes are
   * not kept): ids are given in order of first use, as a factorizer numbers keys.
   */
  ids?: Int32Array;
  /** Gives entry x its id on its first use (and records it in `ids`). */
  idOf?: (x: number) => number;
}

export interface PageHooks {
  /** Marks output row `s.at` missing (and the rows before it valid, the first time). */
  setNull: () => void;
  /** Marks output row `s.at` valid, once a null has been seen. */
  setValid: () => void;
  /** Makes room for `need` more string bytes. */
  grow: (need: number) => Uint8Array;
}

/** Bytes after a packed dictionary's last entry (see readV1Page's copy of short strings). */
export const DICTIONARY_PADDING = 8;

/** The most string bytes reserved ahead of the rows decoded (beyond it, a page's worth at a time). */
const RESERVE_BYTES = 1 << 26;

type ViewCtor = new (b: ArrayBufferLike, o: number, n: number) => Fixed;

/** The typed array of each fixed-width physical type's PLAIN values. */
const PHYSICAL_ARRAY: Partial<Record<string, ViewCtor>> = { INT32: Int32Array, INT64: BigInt64Array, FLOAT: Float32Array, DOUBLE: Float64Array };

/** `count` values of a PLAIN fixed-width run at `pos` as a typed array of `Ctor` (copied when unaligned). */
function plainValues(page: Uint8Array, pos: number, count: number, Ctor: ViewCtor): Fixed {
  const width = (Ctor as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT;
  const at = page.byteOffset + pos;
  if (at % width === 0) return new Ctor(page.buffer, at, count);
  const copy = page.slice(pos, pos + count * width);
  return new Ctor(copy.buffer, 0, count);
}

/**
 * Output rows [s.at, end) were written with values: marked valid once a null has been seen (a
 * page with no nulls after one with nulls), and `s.at` moved to `end`.
 */
function validUpTo(s: PageSink, hooks: PageHooks, end: number): void {
  if (!s.allValid) for (let k = s.at; k < end; k++) (s.at = k), hooks.setValid();
  s.at = end;
}

/** Where a v1 page's values start, after its definition levels, and which rows are present (null: all). */
function afterLevels(page: Uint8Array, n: number, maxDef: number): { pos: number; present: Uint8Array | null } {
  if (maxDef === 0) return { pos: 0, present: null };
  const len = page[0] | (page[1] << 8) | (page[2] << 16) | (page[3] << 24);
  return { pos: 4 + len, present: presentRows(page, 4, 4 + len, maxDef, n) };
}

/** Comparisons of a column with numbers, ANDed into a read's row mask page by page (plain-compare.ts). */
export interface PageTest {
  clauses: readonly { op: CompareOp; w: number }[];
  /** One entry per row of the read's ranges, in order. */
  keep: Uint8Array;
  /** The rows of the pages tested so far that `keep` holds. */
  kept: number;
}

/**
 * Tests rows [a, b) of a decompressed v1 page of `n` rows (input rows from `inAt`) against the
 * clauses; false when the page is not PLAIN values of a compared type with no nulls.
 */
export function testV1Page(page: Uint8Array, n: number, encoding: string, maxDef: number, physical: string, a: number, b: number, inAt: number, test: PageTest): boolean {
  if (encoding !== 'PLAIN' || !COMPARED.has(physical)) return false;
  const { pos, present } = afterLevels(page, n, maxDef);
  if (present !== null) return false;
  const start = pos + a * (physical === 'DOUBLE' ? 8 : 4);
  let kept = 0;
  for (const c of test.clauses) kept = andPlainCompare(page, start, b - a, physical, c.op, c.w, test.keep, inAt);
  test.kept += kept;
  return true;
}

/**
 * The strings of dictionary entries ix[lo, hi) (each of at most 8 bytes) appended at byte `used`
 * of the output as two 32-bit words each, with their end offsets from `offsets[at + 1]` and their
 * ids in the merged dictionary (given on first use); returns the bytes used then. No row is null or dropped, and the
 * output has room for 8 bytes at each row's start: the loop tests nothing per row.
 */
function copyWords(ix: Int32Array, lo: number, hi: number, doff: Int32Array, from32: DataView, to32: DataView, used: number, offsets: Int32Array, at: number, codes: Int32Array, ids: Int32Array, idOf: (x: number) => number): number {
  for (let r = lo; r < hi; r++) {
    const x = ix[r];
    const id = ids[x];
    codes[at] = id >= 0 ? id : idOf(x);
    const from = doff[x];
    to32.setInt32(used, from32.getInt32(from, true), true);
    to32.setInt32(used + 4, from32.getInt32(from + 4, true), true);
    used += doff[x + 1] - from;
    offsets[++at] = used;
  }
  return used;
}

/**
 * Rows [a, b) of a decompressed v1 page of `n` rows; false when the page is not one this handles.
 * `kind`: numbers ('fixed', stored as `physical`: INT32, INT64, FLOAT, DOUBLE) or strings ('utf8').
 */
export function readV1Page(page: Uint8Array, n: number, encoding: string, maxDef: number, kind: 'fixed' | 'utf8', physical: string, dict: PageDictionary | undefined, a: number, b: number, s: PageSink, hooks: PageHooks): boolean {
  const indexed = encoding === 'RLE_DICTIONARY' || encoding === 'PLAIN_DICTIONARY';
  if (!(indexed || encoding === 'PLAIN') || (indexed && dict === undefined)) return false;
  const Phys = PHYSICAL_ARRAY[physical];
  if (kind === 'fixed' && Phys === undefined) return false;
  const levels = afterLevels(page, n, maxDef);
  const present = levels.present;
  let pos = levels.pos;
  let nValues = n;
  if (present) {
    nValues = 0;
    for (let i = 0; i < n; i++) nValues += present[i];
  }
  const mask = s.mask;
  const base = s.inAt - a;
  let idx: Int32Array | undefined;
  // Strings of a whole page with no nulls under a mask: only the kept rows' indices are decoded
  // into idx[0, packed) (hybrid-kept.ts), so the copy loop below runs with no mask test.
  let packed = -1;
  if (indexed) {
    const w = page[pos++];
    if (w > MAX_HYBRID_WIDTH) return false;
    idx = scratchInts(nValues);
    if (kind === 'utf8' && !present && mask && a === 0 && b === n) packed = decodeHybridKept(page, pos, page.length, w, n, idx, mask, base);
    else decodeHybrid(page, pos, page.length, w, nValues, idx);
  }
  s.inAt += b - a;
  // The value index of row a.
  let vi = a;
  if (present) {
    vi = 0;
    for (let r = 0; r < a; r++) vi += present[r];
  }
  if (kind === 'fixed') {
    const out = s.values as Fixed & Record<number, number | bigint>;
    const width = (Phys as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT;
    // No nulls, no mask, PLAIN, the output as wide as the stored values (int8 is stored as INT32): the rows' bytes are the output's bytes.
    if (!present && !mask && !indexed && out.BYTES_PER_ELEMENT === width) {
      const dst = new Uint8Array(out.buffer, out.byteOffset + s.at * width, (b - a) * width);
      dst.set(page.subarray(pos + a * width, pos + b * width));
      validUpTo(s, hooks, s.at + b - a);
      return true;
    }
    // PLAIN values under a mask with no nulls are read in place (plain-kept.ts), not copied to align them.
    if (!present && !indexed && mask) {
      const at = gatherPlainKept(page, pos + vi * width, b - a, physical, mask, base + a, out, s.at);
      validUpTo(s, hooks, at);
      return true;
    }
    const src = (indexed ? (dict as PageDictionary).values : plainValues(page, pos, nValues, Phys as ViewCtor)) as Fixed & Record<number, number | bigint>;
    if (!present) {
      let at = s.at;
      if (indexed) {
        const ix = idx as Int32Array;
        // Branch-free (the mask of a filter is unpredictable): every row is written at the next
        // slot, which only a kept row claims; a write past the end of the output is a no-op.
        if (mask) for (let r = a; r < b; r++, vi++) (out[at] = src[ix[vi]]), (at += mask[base + r]);
        else for (let r = a; r < b; r++) out[at++] = src[ix[vi++]];
      } else {
        for (let r = a; r < b; r++) out[at++] = src[vi++];
      }
      validUpTo(s, hooks, at);
      return true;
    }
    for (let r = a; r < b; r++) {
      const has = present[r] === 1;
      if (mask && mask[base + r] === 0) {
        if (has) vi++;
        continue;
      }
      if (!has) {
        hooks.setNull();
        s.at++;
        continue;
      }
      out[s.at] = src[idx ? idx[vi] : vi];
      vi++;
      hooks.setValid();
      s.at++;
    }
    return true;
  }
  // Strings.
  const offsets = s.offsets as Int32Array;
  if (indexed) {
    const d = dict as PageDictionary;
    const db = d.bytes as Uint8Array;
    const doff = d.offsets as Int32Array;
    const ix = idx as Int32Array;
    const ids = d.ids;
    const idOf = d.idOf;
    const codes = ids === undefined || idOf === undefined ? undefined : s.codes;
    if (codes === undefined) s.codes = undefined;
    // Room for every output row still to come at this dictionary's longest string, up to 64 MiB:
    // one allocation for the column, not a doubling per page that copies what came before.
    // 8 bytes more: the last row's two words may pass its end (see copyWords).
    const rest = (s.length - s.at) * (d.maxLength ?? 0);
    const bytes = hooks.grow((rest <= RESERVE_BYTES ? rest : (b - a) * (d.maxLength ?? 0)) + 8);
    let used = s.used;
    let at = s.at;
    // Entries of at most 8 bytes are copied as two 32-bit words (the dictionary is padded, and the
    // bytes past an entry's end are overwritten by the next row's), where the output has room.
    const words = (d.maxLength ?? Infinity) <= 8 && db.length >= doff[doff.length - 1] + DICTIONARY_PADDING;
    const from32 = new DataView(db.buffer, db.byteOffset, db.byteLength);
    const to32 = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const room = bytes.length - 8;
    // No nulls: the kept rows' indices are first packed in place (pack-kept.ts), then copied in
    // the loop below with no mask test per row.
    let lo = a;
    let hi = b;
    let keep = mask;
    if (packed >= 0) {
      lo = vi = 0;
      hi = packed;
      keep = undefined;
    } else if (present === null && mask) {
      lo = vi;
      hi = packKept(ix, vi, b - a, mask, base + a);
      keep = undefined;
    }
    // The common case (workload (a)'s key): no nulls, no row dropped, short entries, codes kept.
    if (present === null && !keep && s.allValid && words && codes !== undefined && ids !== undefined && idOf !== undefined && used + (hi - lo) * (d.maxLength as number) <= room) {
      s.used = copyWords(ix, lo, hi, doff, from32, to32, used, offsets, at, codes, ids, idOf);
      s.at = at + hi - lo;
      return true;
    }
    for (let r = lo; r < hi; r++) {
      const has = present === null || present[r] === 1;
      if (keep && keep[base + r] === 0) {
        if (has) vi++;
        continue;
      }
      if (!has) {
        s.at = at;
        hooks.setNull();
        if (codes !== undefined) codes[at] = -1;
        offsets[++at] = used;
        continue;
      }
      const x = ix[vi++];
      if (codes !== undefined) {
        const id = (ids as Int32Array)[x];
        codes[at] = id >= 0 ? id : (idOf as (x: number) => number)(x);
      }
      const from = doff[x];
      const len = doff[x + 1] - from;
      if (words && used <= room) {
        to32.setInt32(used, from32.getInt32(from, true), true);
        to32.setInt32(used + 4, from32.getInt32(from + 4, true), true);
      } else if (len <= 16) for (let k = 0; k < len; k++) bytes[used + k] = db[from + k];
      else bytes.set(db.subarray(from, from + len), used);
      used += len;
      if (!s.allValid) {
        s.at = at;
        hooks.setValid();
      }
      offsets[++at] = used;
    }
    s.at = at;
    s.used = used;
    return true;
  }
  // PLAIN strings: a 4-byte length before each; the rows before `a` and dropped rows are stepped over.
  s.codes = undefined;
  let p = pos;
  for (let r = 0; r < a; r++) {
    if (present && present[r] === 0) continue;
    p += 4 + (page[p] | (page[p + 1] << 8) | (page[p + 2] << 16) | (page[p + 3] << 24));
  }
  for (let r = a; r < b; r++) {
    const has = present === null || present[r] === 1;
    const len = has ? page[p] | (page[p + 1] << 8) | (page[p + 2] << 16) | (page[p + 3] << 24) : 0;
    if (mask && mask[base + r] === 0) {
      if (has) p += 4 + len;
      continue;
    }
    if (!has) {
      hooks.setNull();
      offsets[++s.at] = s.used;
      continue;
    }
    if (p + 4 + len > page.length) throw new Error('a PLAIN string overruns its page');
    const bytes = hooks.grow(len);
    bytes.set(page.subarray(p + 4, p + 4 + len), s.used);
    s.used += len;
    p += 4 + len;
    hooks.setValid();
    offsets[++s.at] = s.used;
  }
  return true;
}
