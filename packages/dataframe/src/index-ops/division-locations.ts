/**
 * Where to cut a sorted index into partitions, as Dask's from_pandas (sorted_division_locations,
 * Dask 2022.12): steps of about `chunksize` rows (or len / npartitions, the remainder spread over
 * the first partitions), a cut never falling inside a run of equal labels.
 */
import { compareSortKeys, type SortKey } from '../ops/sort';

export interface DivisionLocations {
  divisions: SortKey[];
  /** Row positions of the cuts: partition i is rows [locations[i], locations[i + 1]). */
  locations: number[];
}

export function sortedDivisionLocations(seq: readonly SortKey[], size: { npartitions?: number; chunksize?: number }): DivisionLocations {
  const len = seq.length;
  const uniq: SortKey[] = [];
  const offsets: number[] = [];
  seq.forEach((k, i) => {
    if (i === 0 || compareSortKeys(seq[i - 1], k) !== 0) (uniq.push(k), offsets.push(i));
  });
  const duplicates = uniq.length < len;
  const np = size.npartitions;
  const enforceExact = duplicates && np !== undefined && offsets.length >= np;
  let chunksize = size.chunksize ?? 0;
  let residual = 0;
  const subtractDrift = np !== undefined;
  if (np !== undefined) {
    chunksize = Math.floor(len / np);
    residual = len % np;
  }
  const chunksizes = (ind: number): number => chunksize + (ind < residual ? 1 : 0);
  const divisions: SortKey[] = [seq[0]];
  const locations = [0];
  let i = chunksizes(0);
  let ind: number | null = null;
  let drift = 0;
  let divsRemain = enforceExact ? np! - divisions.length : 0;
  // Index of the unique value at row i: offsets are ascending, so a binary search.
  const uniqueAt = (row: number): number => {
    let lo = 0;
    let hi = offsets.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (offsets[mid] <= row) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  while (i < len) {
    let div = seq[i];
    let pos: number;
    if (duplicates) {
      if (ind === null) ind = uniqueAt(i);
      if (enforceExact) {
        const offsRemain = offsets.length - ind;
        if (divsRemain > offsRemain) {
          ind -= divsRemain - offsRemain;
          i = offsets[ind];
          div = seq[i];
        }
      }
      pos = offsets[ind];
    } else pos = i;
    if (compareSortKeys(div, divisions[divisions.length - 1]) <= 0) {
      if (duplicates) {
        ind = ind! + 1;
        i = ind < offsets.length ? offsets[ind] : len;
      } else i += 1;
    } else {
      if (subtractDrift) drift += pos - locations[locations.length - 1] - chunksizes(divisions.length - 1);
      if (enforceExact) divsRemain -= 1;
      i = pos + Math.max(1, chunksizes(divisions.length) - drift);
      divisions.push(div);
      locations.push(pos);
      ind = null;
    }
  }
  divisions.push(seq[len - 1]);
  locations.push(len);
  return { divisions, locations };
}
