/**
 * Rows of a string (Utf8) vector where a mask is 1, copied as bytes and offsets: the generic take
 * made a JS string per row and encoded it back to UTF-8.
 */
import { DataType, makeData, makeVector, type Vector } from 'apache-arrow';

/** The rows of a one-chunk Utf8 vector where `mask` is 1 (nulls kept); undefined for other vectors. */
export function takeUtf8Mask(v: Vector, mask: Uint8Array, count: number): Vector | undefined {
  if (!DataType.isUtf8(v.type as DataType) || v.data.length !== 1) return undefined;
  const d = v.data[0];
  // Arrow slices the offsets with the data (row i at offs[i]) but not the validity bitmap (bit offset + i).
  const offs = d.valueOffsets as Int32Array;
  const src = d.values as Uint8Array;
  const nullable = d.nullCount > 0 && !!d.nullBitmap && d.nullBitmap.length > 0;
  const bitmap = d.nullBitmap as Uint8Array;
  let bytes = 0;
  for (let i = 0; i < d.length; i++) if (mask[i]) bytes += offs[i + 1] - offs[i];
  const data = new Uint8Array(bytes);
  const offsets = new Int32Array(count + 1);
  const valid = nullable ? new Uint8Array((count + 7) >> 3) : undefined;
  let nulls = 0;
  let j = 0;
  let at = 0;
  for (let i = 0; i < d.length; i++) {
    if (!mask[i]) continue;
    const a = offs[i];
    const len = offs[i + 1] - a;
    if (len <= 16) for (let k = 0; k < len; k++) data[at + k] = src[a + k];
    else data.set(src.subarray(a, a + len), at);
    at += len;
    if (valid) {
      const bit = d.offset + i;
      if ((bitmap[bit >> 3] >> (bit & 7)) & 1) valid[j >> 3] |= 1 << (j & 7);
      else nulls++;
    }
    offsets[++j] = at;
  }
  return makeVector(makeData({ type: v.type, length: count, nullCount: nulls, nullBitmap: nulls > 0 ? valid : undefined, valueOffsets: offsets, data } as never));
}
