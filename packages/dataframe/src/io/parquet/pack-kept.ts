/**
 * A page's values at the rows a filter's mask keeps, moved to the front in place, in order, with
 * no branch per row: every value is written at the next slot and only a kept row claims it (a
 * filter's mask is unpredictable, so a test per row was mispredicted about half the time on
 * workload (a)'s `x > 0.5`). The copy loops that follow then run with no mask test.
 */

/**
 * Packs `values[from + k]` for the rows k of [0, count) with `mask[maskAt + k]` = 1 into
 * `values[from ...]`; returns the end of the packed values. Values past it are left unspecified.
 */
export function packKept(values: Int32Array, from: number, count: number, mask: Uint8Array, maskAt: number): number {
  let w = from;
  for (let k = 0; k < count; k++) (values[w] = values[from + k]), (w += mask[maskAt + k]);
  return w;
}
