/**
 * Sum/count/mean/size by direct indexing without a separate min/max pass over the keys: the key
 * range is taken from the first block and widened whenever the kernel meets a key outside it (the
 * kernel stops there; the rest of that block gives the new range). Widening at least doubles the
 * range by a quarter, so keys that grow steadily (sorted keys) re-lay the table a logarithmic number
 * of times.
 * When the range passes what direct indexing accepts, the caller falls back to min/max and the
 * hash table. The answer is the same as with the range known up front: every key is in the table,
 * and groups without rows are dropped.
 */
import { forBlocks, forBlocks2, type Runtime } from './runtime.js';
import { dtypeOf, type ValueArray } from './types.js';

/** Thrown inside the block walk to stop it (the range outgrew `cap`). */
const TOO_WIDE = Symbol('too wide');

/** Rows per call of the size kernel over keys in place (see IN_PLACE_BLOCK in runtime.ts). */
const SIZE_BLOCK = 1 << 18;

const I32_MIN = -0x80000000;
const I32_MAX = 0x7fffffff;

export interface SumCountTable {
  kmin: number;
  ng: number;
  sum: Float64Array;
  count: Float64Array;
  /** Rows per group: `count` itself unless some value was NaN. */
  size: Float64Array;
}

/**
 * Sums and counts per key in [kmin, kmin + ng), with ng <= cap; undefined when the keys span more
 * than `cap` (nothing is left allocated). Up to `replicateMax` groups, rows are spread over four
 * replicas of the table (see kernels/assembly/groupby.ts).
 */
export function sumCountFitted(rt: Runtime, keys: Int32Array, values: ValueArray, cap: number, replicateMax: number): SumCountTable | undefined {
  const { x, mem } = rt;
  const fit = { f64: x.gb_sumcount_fit_f64, f32: x.gb_sumcount_fit_f32, i32: x.gb_sumcount_fit_i32 }[dtypeOf(values)];
  const bpe = values.BYTES_PER_ELEMENT;
  // Allocating the table can grow the memory and detach `keys` when it lives there: keep its address.
  const keysAt = mem.owns(keys) ? keys.byteOffset : -1;
  const n = keys.length;
  let table = 0;
  let kmin = 0;
  let ng = 0;
  let reps = 1;
  /** A zeroed table for [lo, hi] holding the sums so far (folded into replica 0). */
  const place = (lo: number, hi: number): void => {
    const ng2 = hi - lo + 1;
    const reps2 = ng2 <= replicateMax ? 4 : 1;
    const t = mem.alloc(16 * ng2 * reps2);
    mem.f64(t, 2 * ng2 * reps2).fill(0);
    if (table !== 0) {
      if (reps === 4) x.gb_fold_replicas(table, 2 * ng, 4);
      mem.f64(t + 16 * (kmin - lo), 2 * ng).set(mem.f64(table, 2 * ng));
      mem.release(table);
    }
    table = t;
    kmin = lo;
    ng = ng2;
    reps = reps2;
  };
  const widen = (pc: number, m: number): void => {
    const st = mem.i32(mem.state, 2);
    st[0] = I32_MAX;
    st[1] = I32_MIN;
    x.minmax_i32(pc, m, mem.state);
    const [bmin, bmax] = mem.i32(mem.state, 2);
    let lo = table === 0 ? bmin : Math.min(bmin, kmin);
    let hi = table === 0 ? bmax : Math.max(bmax, kmin + ng - 1);
    const span = hi - lo + 1;
    if (span > cap) throw TOO_WIDE;
    if (table !== 0) {
      // Grow by at least a quarter of the old range, on the side(s) that overflowed.
      const extra = Math.min(cap, Math.max(span, Math.ceil(1.25 * ng))) - span;
      const below = bmin < kmin;
      const above = bmax > kmin + ng - 1;
      if (below && !above) lo = Math.max(I32_MIN, lo - extra);
      else if (above && !below) hi = Math.min(I32_MAX, hi + extra);
      else {
        lo = Math.max(I32_MIN, lo - (extra >> 1));
        hi = Math.min(I32_MAX, hi + (extra - (extra >> 1)));
      }
    }
    place(lo, hi);
  };
  try {
    forBlocks2(rt, keys, values, (pc, pv, m) => {
      let done = 0;
      while (done < m) {
        if (table !== 0) done += fit(pc + 4 * done, pv + bpe * done, m - done, kmin, ng, table, reps);
        if (done < m) widen(pc + 4 * done, m - done);
      }
    });
  } catch (e) {
    if (table !== 0) mem.release(table);
    if (e === TOO_WIDE) return undefined;
    throw e;
  }
  try {
    if (reps === 4) x.gb_fold_replicas(table, 2 * ng, 4);
    const t = mem.f64(table, 2 * ng);
    const sum = new Float64Array(ng);
    const count = new Float64Array(ng);
    let total = 0;
    for (let g = 0; g < ng; g++) {
      sum[g] = t[2 * g];
      count[g] = t[2 * g + 1];
      total += count[g];
    }
    let size = count;
    if (total !== n) {
      // Some values were NaN: count rows in another pass (reusing the table's memory).
      mem.f64(table, ng).fill(0);
      const p = table;
      if (keysAt < 0) forBlocks(rt, keys, (pc, m) => x.gb_size(pc, m, kmin, ng, p));
      else for (let s = 0; s < n; s += SIZE_BLOCK) x.gb_size(keysAt + 4 * s, Math.min(SIZE_BLOCK, n - s), kmin, ng, p);
      size = mem.f64(table, ng).slice();
    }
    return { kmin, ng, sum, count, size };
  } finally {
    mem.release(table);
  }
}
