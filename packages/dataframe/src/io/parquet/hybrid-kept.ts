/**
 * A page's dictionary indices decoded with a filter's mask applied as they are written: only the
 * kept rows' indices, packed in order. Decoding every index (hybrid.ts) and then packing the kept
 * ones (pack-kept.ts) made two passes over every row of the page; on workload (a)'s key column
 * (half the rows kept) the packing pass cost a quarter of the string read.
 */
import { MAX_HYBRID_WIDTH, runValue, tailWord, varint } from './hybrid';

/**
 * The values k of [0, n) of the RLE / bit-packed hybrid run data at bytes [pos, end), `width` bits
 * each, whose `mask[maskAt + k]` is 1, written in order into `out` from index 0; returns how many.
 * `out` needs room for n values (every value is written at the next slot, which only a kept one
 * claims: a filter's mask is unpredictable, so no branch on it).
 */
export function decodeHybridKept(b: Uint8Array, pos: number, end: number, width: number, n: number, out: Int32Array, mask: Uint8Array, maskAt: number): number {
  if (width > MAX_HYBRID_WIDTH) throw new Error(`RLE/bit-packed width ${width} is over ${MAX_HYBRID_WIDTH} bits`);
  if (out.length < n) throw new RangeError(`decodeHybridKept: room for ${out.length} values, not ${n}`);
  if (maskAt < 0 || maskAt + n > mask.length) throw new RangeError(`decodeHybridKept: rows ${maskAt}-${maskAt + n} are outside the mask of ${mask.length}`);
  if (width === 0) {
    // Every index is 0 (a dictionary of one entry), and no run needs reading.
    let kept = 0;
    for (let k = 0; k < n; k++) kept += mask[maskAt + k];
    out.fill(0, 0, kept);
    return kept;
  }
  const bits = (1 << width) - 1;
  const valueBytes = (width + 7) >> 3;
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const lastLoad = b.length - 4;
  let at = 0;
  let w = 0;
  while (at < n) {
    if (pos >= end) throw new Error(`RLE/bit-packed data ends after ${at} of ${n} values`);
    const [h, p] = varint(b, pos);
    pos = p;
    if ((h & 1) === 0) {
      const count = Math.min(h / 2, n - at);
      const v = runValue(b, pos, valueBytes);
      pos += valueBytes;
      let kept = 0;
      for (let k = 0; k < count; k++) kept += mask[maskAt + at + k];
      out.fill(v & bits, w, w + kept);
      w += kept;
      at += count;
      continue;
    }
    const groups = (h - 1) / 2;
    const count = Math.min(groups * 8, n - at);
    const stop = pos + groups * width;
    if (stop > end) throw new Error('bit-packed run overruns its page');
    // One 32-bit load per value as in hybrid.ts (width + shift fit in 32 bits); the last values,
    // whose load would pass the end of `b`, a byte at a time.
    let bit = pos * 8;
    let k = 0;
    const m0 = maskAt + at;
    for (; k < count; k++, bit += width) {
      const i = bit >>> 3;
      if (i > lastLoad) break;
      out[w] = (view.getUint32(i, true) >>> (bit & 7)) & bits;
      w += mask[m0 + k];
    }
    for (; k < count; k++, bit += width) {
      out[w] = (tailWord(b, bit >>> 3) >>> (bit & 7)) & bits;
      w += mask[m0 + k];
    }
    at += count;
    pos = stop;
  }
  return w;
}
