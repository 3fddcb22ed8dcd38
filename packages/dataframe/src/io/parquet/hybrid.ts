/**
 * Parquet's RLE / bit-packed hybrid encoding (definition levels and dictionary indices) decoded
 * into typed arrays. hyparquet decodes it into JS arrays of numbers, one element per row: for a
 * column of 1e7 rows with no nulls its definition levels alone were a tenth of a read's time, and
 * they only said "every row is present".
 */

/** Widths above this go through hyparquet (a value and its shift within a byte must fit one 32-bit load). */
export const MAX_HYBRID_WIDTH = 24;

let scratch = new Int32Array(0);

/** A reusable Int32Array of at least n elements (decoding is synchronous, so one per thread suffices). */
export function scratchInts(n: number): Int32Array {
  if (scratch.length < n) scratch = new Int32Array(Math.max(n, scratch.length * 2, 1024));
  return scratch;
}

/** A ULEB128 varint at `pos`: [value, next position]. */
export function varint(b: Uint8Array, pos: number): [number, number] {
  let v = 0;
  let shift = 0;
  for (;;) {
    const x = b[pos++];
    if (x === undefined) throw new Error('truncated RLE/bit-packed run header');
    v += (x & 0x7f) * 2 ** shift;
    if ((x & 0x80) === 0) return [v, pos];
    shift += 7;
  }
}

/** An RLE run's repeated value: `valueBytes` little-endian bytes at `pos`. */
export function runValue(b: Uint8Array, pos: number, valueBytes: number): number {
  let v = 0;
  for (let k = 0; k < valueBytes; k++) v |= b[pos + k] << (8 * k);
  return v;
}

/** The little-endian 32-bit word at byte `i`, a byte at a time, stopping at the end of `b` (a bit-packed run's last values). */
export function tailWord(b: Uint8Array, i: number): number {
  let v = 0;
  for (let j = 0; j < 4 && i + j < b.length; j++) v |= b[i + j] << (8 * j);
  return v;
}

/**
 * `n` values of `width` bits from bytes [pos, end) into `out` (from index 0). Returns the position
 * after the runs read. Bit-packed runs may hold padding values past `n`: they are not written.
 */
export function decodeHybrid(b: Uint8Array, pos: number, end: number, width: number, n: number, out: Int32Array): number {
  if (width === 0) {
    out.fill(0, 0, n);
    return pos;
  }
  if (width > MAX_HYBRID_WIDTH) throw new Error(`RLE/bit-packed width ${width} is over ${MAX_HYBRID_WIDTH} bits`);
  const mask = (1 << width) - 1;
  const valueBytes = (width + 7) >> 3;
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const lastLoad = b.length - 4;
  let at = 0;
  while (at < n) {
    if (pos >= end) throw new Error(`RLE/bit-packed data ends after ${at} of ${n} values`);
    const [h, p] = varint(b, pos);
    pos = p;
    if ((h & 1) === 0) {
      const count = Math.min(h / 2, n - at);
      const v = runValue(b, pos, valueBytes);
      pos += valueBytes;
      out.fill(v & mask, at, at + count);
      at += count;
      continue;
    }
    const groups = (h - 1) / 2;
    const count = Math.min(groups * 8, n - at);
    const stop = pos + groups * width;
    if (stop > end) throw new Error('bit-packed run overruns its page');
    // Each value from one little-endian 32-bit load at its first byte (a width of at most 24 bits
    // plus a shift of at most 7 fits): a third of the time of a byte-at-a-time accumulator. The
    // last few values, whose load would pass the end of `b`, are read a byte at a time.
    let bit = pos * 8;
    let k = 0;
    for (; k < count; k++, bit += width) {
      const i = bit >>> 3;
      if (i > lastLoad) break;
      out[at + k] = (view.getUint32(i, true) >>> (bit & 7)) & mask;
    }
    for (; k < count; k++, bit += width) {
      out[at + k] = (tailWord(b, bit >>> 3) >>> (bit & 7)) & mask;
    }
    at += count;
    pos = stop;
  }
  return pos;
}

/**
 * Definition levels of `n` rows of a flat column: null when every row is present (one RLE run of
 * `maxDef`, what writers emit for a column without nulls, is recognised without decoding), else
 * one entry per row, 1 where present.
 */
export function presentRows(b: Uint8Array, pos: number, end: number, maxDef: number, n: number): Uint8Array | null {
  const width = 32 - Math.clz32(maxDef);
  const [h, p] = varint(b, pos);
  if ((h & 1) === 0 && h / 2 >= n) {
    if (runValue(b, p, (width + 7) >> 3) === maxDef) return null;
  }
  const levels = scratchInts(n);
  decodeHybrid(b, pos, end, width, n, levels);
  const out = new Uint8Array(n);
  let all = true;
  for (let i = 0; i < n; i++) {
    const present = levels[i] === maxDef ? 1 : 0;
    out[i] = present;
    if (present === 0) all = false;
  }
  return all ? null : out;
}
