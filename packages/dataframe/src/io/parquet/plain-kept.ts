/**
 * A PLAIN page's fixed-width values at the rows a filter's mask keeps, read straight from the
 * page's bytes. After a column's definition levels the values usually start at an odd offset, so
 * a typed-array view of them is impossible; copying the page to align it (a new buffer per page)
 * cost more than the gather itself at workload (a)'s size (about 2 MB per row group and column,
 * made and collected per page). A DataView reads the unaligned values in place.
 */

/** The physical types read here, with their widths in bytes. */
export const PLAIN_WIDTH: Readonly<Record<string, number>> = { INT32: 4, INT64: 8, FLOAT: 4, DOUBLE: 8 };

/** An output column: any typed array (an INT32 may be stored into an int8 or uint16 column). */
type Out = { [i: number]: number | bigint; readonly length: number };

/**
 * Values k of [0, count) of the PLAIN run at `page[pos ...]` (stored as `physical`) whose
 * `mask[maskAt + k]` is 1, written in order into `out` from `at`; returns the end. Branch-free
 * (the mask of a filter is unpredictable): every value is written at the next slot and only a
 * kept one claims it, so `out` must have room for one value past the kept ones, or the write
 * falls past its end, where a typed array ignores it.
 */
export function gatherPlainKept(page: Uint8Array, pos: number, count: number, physical: string, mask: Uint8Array, maskAt: number, out: Out, at: number): number {
  const width = PLAIN_WIDTH[physical];
  if (width === undefined) throw new Error(`gatherPlainKept: physical type ${physical} is not fixed-width`);
  if (pos < 0 || pos + count * width > page.length) throw new RangeError(`gatherPlainKept: ${count} values of ${width} bytes at ${pos} overrun the page of ${page.length} bytes`);
  const dv = new DataView(page.buffer, page.byteOffset + pos, count * width);
  // One loop per type keeps each one's load monomorphic.
  switch (physical) {
    case 'DOUBLE':
      for (let k = 0, p = 0; k < count; k++, p += 8) (out[at] = dv.getFloat64(p, true)), (at += mask[maskAt + k]);
      break;
    case 'FLOAT':
      for (let k = 0, p = 0; k < count; k++, p += 4) (out[at] = dv.getFloat32(p, true)), (at += mask[maskAt + k]);
      break;
    case 'INT32':
      for (let k = 0, p = 0; k < count; k++, p += 4) (out[at] = dv.getInt32(p, true)), (at += mask[maskAt + k]);
      break;
    default:
      for (let k = 0, p = 0; k < count; k++, p += 8) (out[at] = dv.getBigInt64(p, true)), (at += mask[maskAt + k]);
  }
  return at;
}
