/**
 * Region writes into an existing Zarr array (Dask's `to_zarr(region=...)`): where the region
 * lies, and block sizes that follow the Zarr chunks inside it, so that every Zarr chunk the
 * region touches is written by exactly one task (a partly covered chunk is read, changed and
 * written back by zarrita; two tasks doing that to one chunk would lose one of the changes).
 */
import { parseSlice, sliceRange, type Slice } from '../slicing/slicing';

/** One dimension of a region: a slice string ('2:5', ':') or a Slice (`da.s(2, 5)`); step 1. */
export type RegionEntry = string | Slice;

export interface Region {
  readonly start: readonly number[];
  readonly shape: readonly number[];
}

export function parseRegion(region: readonly RegionEntry[], arrayShape: readonly number[], where: string): Region {
  if (!Array.isArray(region) || region.length !== arrayShape.length) {
    throw new RangeError(`toZarr: region needs one slice per dimension of the Zarr array at ${where} (shape [${arrayShape.join(', ')}]), got ${Array.isArray(region) ? region.length : typeof region}`);
  }
  const start: number[] = [];
  const shape: number[] = [];
  region.forEach((e, d) => {
    if (typeof e === 'number') throw new TypeError(`toZarr: region entry ${d} is the number ${e}; use a slice ('${e}:${e + 1}') so the dimension stays`);
    const sl = typeof e === 'string' ? parseSlice(e) : e;
    if (!sl || typeof sl !== 'object') throw new TypeError(`toZarr: region entry ${d} must be a slice string or { start, stop }, got ${typeof e}`);
    const r = sliceRange(sl, arrayShape[d]);
    if (r.step !== 1) throw new RangeError(`toZarr: region entry ${d} has step ${r.step}; only contiguous regions (step 1) can be written`);
    start.push(r.start);
    shape.push(r.count);
  });
  return { start, shape };
}

/** Block sizes along each dimension that split the region at the Zarr chunk boundaries. */
export function regionChunks(region: Region, zarrChunks: readonly number[]): number[][] {
  return region.shape.map((n, d) => {
    const c = zarrChunks[d];
    if (n === 0) return [0];
    const out: number[] = [];
    let at = region.start[d];
    const end = at + n;
    while (at < end) {
      const next = Math.min(end, (Math.floor(at / c) + 1) * c);
      out.push(next - at);
      at = next;
    }
    return out;
  });
}
