/** Division arithmetic: comparing index values, checking divisions, the union of two partitionings. */
import type { DivisionValue, Divisions } from '../base';

export const compareLabels = (a: DivisionValue, b: DivisionValue): number => {
  if (typeof a !== typeof b) throw new TypeError(`cannot compare the index values ${JSON.stringify(a)} and ${JSON.stringify(b)}: one is a number and the other a string`);
  return typeof a === 'number' ? a - (b as number) : a < b ? -1 : a > b ? 1 : 0;
};

/** Divisions given by a user: at least two values, numbers or strings alike, in ascending order. */
export function checkDivisions(d: unknown, method: string): DivisionValue[] {
  if (!Array.isArray(d) || d.length < 2) throw new TypeError(`${method}: divisions must be an array of at least two index values (npartitions + 1), got ${JSON.stringify(d)}`);
  const kind = typeof d[0];
  for (const x of d) {
    if ((typeof x !== 'number' && typeof x !== 'string') || typeof x !== kind || x !== x) throw new TypeError(`${method}: divisions must be all numbers or all strings, got ${JSON.stringify(d)}`);
  }
  for (let i = 1; i < d.length; i++) {
    const c = compareLabels(d[i - 1], d[i]);
    // Equal values are allowed only at the end (a last partition of one value), as in Dask.
    if (c > 0 || (c === 0 && i < d.length - 1)) throw new RangeError(`${method}: divisions must be sorted and unique (the last two may be equal), got [${d.join(', ')}]`);
  }
  return d as DivisionValue[];
}

/** Sorted union of two divisions without repeats (Dask's unique(merge_sorted(...))). */
export function unionDivisions(a: readonly DivisionValue[], b: readonly DivisionValue[]): DivisionValue[] {
  const all = [...a, ...b].sort(compareLabels);
  return all.filter((x, i) => i === 0 || compareLabels(all[i - 1], x) !== 0);
}

export const sameDivisions = (a: Divisions, b: Divisions): boolean =>
  a !== null && b !== null && a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * The partitions whose label range [d[i], d[i+1]) (closed for the last) can hold labels in the
 * closed range [lo, hi] (null: unbounded).
 */
export function partitionsOverlapping(d: readonly DivisionValue[], lo: DivisionValue | null, hi: DivisionValue | null): number[] {
  const out: number[] = [];
  const n = d.length - 1;
  for (let i = 0; i < n; i++) {
    const last = i === n - 1;
    const below = hi !== null && compareLabels(d[i], hi) > 0;
    const above = lo !== null && (last ? compareLabels(d[i + 1], lo) < 0 : compareLabels(d[i + 1], lo) <= 0);
    if (!below && !above) out.push(i);
  }
  return out;
}
