/**
 * Each row's squared distance to the nearest of some centers, folded into a running minimum
 * (kernels/assembly/lloyd.ts `closest_f64`): the k-means++ weights, updated with one new center
 * per draw instead of recomputed against all of them.
 */
import { placeRows, forRowBlocks, rowsPerBlock } from './rows.js';
import { optionKeys } from './options.js';
import type { Runtime } from './runtime.js';
import type { RealArray } from './types.js';

export interface ClosestOptions {
  /** Columns of X (X is rows x features, row-major). */
  features: number;
}

export const CLOSEST_KEYS = optionKeys<ClosestOptions>({ features: true });

/**
 * closest[i] = min(closest[i], min over centers of ‖x_i − c‖²), centers folded in order, each
 * distance summed in feature order: folding centers one call at a time or in one call from
 * +Infinity gives the same bits.
 */
export function closestUpdate(rt: Runtime, x: RealArray, centers: Float64Array, closest: Float64Array, options: ClosestOptions): void {
  const d = options.features;
  if (!Number.isInteger(d) || d < 1) throw new RangeError(`closestUpdate: features must be a positive integer, got ${d}`);
  if (x.length % d !== 0) throw new RangeError(`closestUpdate: X has ${x.length} values, not a multiple of ${d} features`);
  if (centers.length % d !== 0) throw new RangeError(`closestUpdate: centers have ${centers.length} values, not a multiple of ${d} features`);
  const n = x.length / d;
  if (closest.length !== n) throw new RangeError(`closestUpdate: closest has length ${closest.length}, X has ${n} rows`);
  const m = centers.length / d;
  if (m === 0 || n === 0) return;
  // closest is read (copied in, or read in place) and written (copied out, or written in place).
  const placed = placeRows(rt, [
    { data: x, width: d },
    { data: closest, width: 1 },
    { data: closest, width: 1, output: true },
  ]);
  const pc = rt.mem.alloc(m * d * 8);
  try {
    rt.mem.f64(pc, m * d).set(centers);
    forRowBlocks(rt, placed, n, rowsPerBlock(rt, placed), (ptrs, rows) => {
      rt.x.closest_f64(ptrs[0], rows, d, pc, m, ptrs[1], ptrs[2]);
    });
  } finally {
    rt.mem.release(pc);
  }
}
