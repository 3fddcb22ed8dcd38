// Group-by aggregation over dense integer codes: row i belongs to group codes[i] - kmin, and rows
// whose group falls outside [0, ng) (for example the -1 code of a null key) are skipped. Values are
// f64, f32 or i32; NaN values are skipped (pandas' skipna), and every table is a plain array of
// f64 indexed by group so the host can read, merge and finalise it without another kernel.
//
// Sum and count share one 16-byte slot per group so a row touches one cache line, which is what
// bounds the high-cardinality case. With few groups the bound is instead the store-to-load chain
// when neighbouring rows hit the same slot, so gb_sumcount_rep4 spreads rows over four replicas of
// the table (row i uses replica i & 3) and gb_fold_replicas adds them up afterwards.
import { load1 } from './lanes';

// @ts-ignore: decorator
@inline function sumCountImpl<T>(codes: usize, vals: usize, n: i32, kmin: i32, ng: i32, table: usize): void {
  const S = sizeof<T>();
  for (let i = 0; i < n; i++) {
    const g = load<i32>(codes + (<usize>i << 2)) - kmin;
    if (<u32>g >= <u32>ng) continue;
    const x = load1<T>(vals + <usize>i * S);
    const t = table + (<usize>g << 4);
    const ok = x == x;
    store<f64>(t, load<f64>(t) + (ok ? x : 0));
    store<f64>(t, load<f64>(t, 8) + (ok ? 1.0 : 0.0), 8);
  }
}

// @ts-ignore: decorator
@inline function sumCountRep4Impl<T>(codes: usize, vals: usize, n: i32, kmin: i32, ng: i32, table: usize): void {
  const S = sizeof<T>();
  const rep = <usize>ng << 4;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const c = codes + (<usize>i << 2);
    const v = vals + <usize>i * S;
    const g0 = load<i32>(c) - kmin, g1 = load<i32>(c, 4) - kmin, g2 = load<i32>(c, 8) - kmin, g3 = load<i32>(c, 12) - kmin;
    const x0 = load1<T>(v), x1 = load1<T>(v + S), x2 = load1<T>(v + 2 * S), x3 = load1<T>(v + 3 * S);
    if (<u32>g0 < <u32>ng) {
      const t = table + (<usize>g0 << 4); const ok = x0 == x0;
      store<f64>(t, load<f64>(t) + (ok ? x0 : 0)); store<f64>(t, load<f64>(t, 8) + (ok ? 1.0 : 0.0), 8);
    }
    if (<u32>g1 < <u32>ng) {
      const t = table + rep + (<usize>g1 << 4); const ok = x1 == x1;
      store<f64>(t, load<f64>(t) + (ok ? x1 : 0)); store<f64>(t, load<f64>(t, 8) + (ok ? 1.0 : 0.0), 8);
    }
    if (<u32>g2 < <u32>ng) {
      const t = table + 2 * rep + (<usize>g2 << 4); const ok = x2 == x2;
      store<f64>(t, load<f64>(t) + (ok ? x2 : 0)); store<f64>(t, load<f64>(t, 8) + (ok ? 1.0 : 0.0), 8);
    }
    if (<u32>g3 < <u32>ng) {
      const t = table + 3 * rep + (<usize>g3 << 4); const ok = x3 == x3;
      store<f64>(t, load<f64>(t) + (ok ? x3 : 0)); store<f64>(t, load<f64>(t, 8) + (ok ? 1.0 : 0.0), 8);
    }
  }
  sumCountImpl<T>(codes + (<usize>i << 2), vals + <usize>i * S, n - i, kmin, ng, table);
}

/** Adds replicas 1..reps-1 of a table of `len` f64s into replica 0. */
export function gb_fold_replicas(table: usize, len: i32, reps: i32): void {
  const bytes = <usize>len << 3;
  for (let r = 1; r < reps; r++) {
    const src = table + <usize>r * bytes;
    let i: usize = 0;
    for (; i + 16 <= bytes; i += 16) v128.store(table + i, f64x2.add(v128.load(table + i), v128.load(src + i)));
    for (; i < bytes; i += 8) store<f64>(table + i, load<f64>(table + i) + load<f64>(src + i));
  }
}

// Moments per group, 32-byte slots [count, sum of (x - K), M2, K], K being the group's first value.
// Youngs & Cramer's update adds to M2 the increment (n y - T)^2 / (n (n - 1)) with y = x - K and T
// the running sum of y. Shifting by K keeps n y - T at the scale of the spread rather than of the
// values, so 1e9 + noise loses no more digits than noise alone. The host recovers sum = T + n K.
// @ts-ignore: decorator
@inline function momentsImpl<T>(codes: usize, vals: usize, n: i32, kmin: i32, ng: i32, table: usize): void {
  const S = sizeof<T>();
  for (let i = 0; i < n; i++) {
    const g = load<i32>(codes + (<usize>i << 2)) - kmin;
    if (<u32>g >= <u32>ng) continue;
    const x = load1<T>(vals + <usize>i * S);
    if (x != x) continue;
    const t = table + (<usize>g << 5);
    const c = load<f64>(t);
    if (c == 0) {
      store<f64>(t, 1);
      store<f64>(t, 0, 8);
      store<f64>(t, 0, 16);
      store<f64>(t, x, 24);
      continue;
    }
    const y = x - load<f64>(t, 24);
    const s = load<f64>(t, 8) + y;
    const c1 = c + 1;
    const d = c1 * y - s;
    store<f64>(t, load<f64>(t, 16) + d * d / (c1 * c), 16);
    store<f64>(t, c1);
    store<f64>(t, s, 8);
  }
}

// min/max/first/last per group: one f64 per group, NaN meaning "no value yet" (the host fills the
// table with NaN). Ties in min/max keep the first value seen (pandas), so +0 and -0 are not reordered.
// @ts-ignore: decorator
@inline function pickImpl<T>(codes: usize, vals: usize, n: i32, kmin: i32, ng: i32, table: usize, op: i32): void {
  const S = sizeof<T>();
  for (let i = 0; i < n; i++) {
    const g = load<i32>(codes + (<usize>i << 2)) - kmin;
    if (<u32>g >= <u32>ng) continue;
    const x = load1<T>(vals + <usize>i * S);
    if (x != x) continue;
    const t = table + (<usize>g << 3);
    const cur = load<f64>(t);
    let take: bool;
    if (op == 0) take = cur != cur || x < cur;       // min
    else if (op == 1) take = cur != cur || x > cur;  // max
    else if (op == 2) take = cur != cur;             // first
    else take = true;                                // last
    if (take) store<f64>(t, x);
  }
}

export function gb_sumcount_f64(c: usize, v: usize, n: i32, kmin: i32, ng: i32, t: usize): void { sumCountImpl<f64>(c, v, n, kmin, ng, t); }
export function gb_sumcount_f32(c: usize, v: usize, n: i32, kmin: i32, ng: i32, t: usize): void { sumCountImpl<f32>(c, v, n, kmin, ng, t); }
export function gb_sumcount_i32(c: usize, v: usize, n: i32, kmin: i32, ng: i32, t: usize): void { sumCountImpl<i32>(c, v, n, kmin, ng, t); }
export function gb_sumcount_rep4_f64(c: usize, v: usize, n: i32, kmin: i32, ng: i32, t: usize): void { sumCountRep4Impl<f64>(c, v, n, kmin, ng, t); }
export function gb_sumcount_rep4_f32(c: usize, v: usize, n: i32, kmin: i32, ng: i32, t: usize): void { sumCountRep4Impl<f32>(c, v, n, kmin, ng, t); }
export function gb_sumcount_rep4_i32(c: usize, v: usize, n: i32, kmin: i32, ng: i32, t: usize): void { sumCountRep4Impl<i32>(c, v, n, kmin, ng, t); }
export function gb_moments_f64(c: usize, v: usize, n: i32, kmin: i32, ng: i32, t: usize): void { momentsImpl<f64>(c, v, n, kmin, ng, t); }
export function gb_moments_f32(c: usize, v: usize, n: i32, kmin: i32, ng: i32, t: usize): void { momentsImpl<f32>(c, v, n, kmin, ng, t); }
export function gb_moments_i32(c: usize, v: usize, n: i32, kmin: i32, ng: i32, t: usize): void { momentsImpl<i32>(c, v, n, kmin, ng, t); }
export function gb_pick_f64(c: usize, v: usize, n: i32, kmin: i32, ng: i32, t: usize, op: i32): void {
  // Dispatch outside the loop so each variant is its own specialised loop.
  if (op == 0) pickImpl<f64>(c, v, n, kmin, ng, t, 0);
  else if (op == 1) pickImpl<f64>(c, v, n, kmin, ng, t, 1);
  else if (op == 2) pickImpl<f64>(c, v, n, kmin, ng, t, 2);
  else pickImpl<f64>(c, v, n, kmin, ng, t, 3);
}
export function gb_pick_f32(c: usize, v: usize, n: i32, kmin: i32, ng: i32, t: usize, op: i32): void {
  if (op == 0) pickImpl<f32>(c, v, n, kmin, ng, t, 0);
  else if (op == 1) pickImpl<f32>(c, v, n, kmin, ng, t, 1);
  else if (op == 2) pickImpl<f32>(c, v, n, kmin, ng, t, 2);
  else pickImpl<f32>(c, v, n, kmin, ng, t, 3);
}
export function gb_pick_i32(c: usize, v: usize, n: i32, kmin: i32, ng: i32, t: usize, op: i32): void {
  if (op == 0) pickImpl<i32>(c, v, n, kmin, ng, t, 0);
  else if (op == 1) pickImpl<i32>(c, v, n, kmin, ng, t, 1);
  else if (op == 2) pickImpl<i32>(c, v, n, kmin, ng, t, 2);
  else pickImpl<i32>(c, v, n, kmin, ng, t, 3);
}

/** Min and max of int32 codes (for choosing direct indexing); state i32 [min, max]. */
export function minmax_i32(p: usize, n: i32, st: usize): void {
  let lo = i32x4.splat(load<i32>(st)), hi = i32x4.splat(load<i32>(st, 4));
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const q = p + (<usize>i << 2);
    const a = v128.load(q), b = v128.load(q, 16);
    lo = i32x4.min_s(lo, i32x4.min_s(a, b));
    hi = i32x4.max_s(hi, i32x4.max_s(a, b));
  }
  let mn = min(min(i32x4.extract_lane(lo, 0), i32x4.extract_lane(lo, 1)), min(i32x4.extract_lane(lo, 2), i32x4.extract_lane(lo, 3)));
  let mx = max(max(i32x4.extract_lane(hi, 0), i32x4.extract_lane(hi, 1)), max(i32x4.extract_lane(hi, 2), i32x4.extract_lane(hi, 3)));
  for (; i < n; i++) {
    const x = load<i32>(p + (<usize>i << 2));
    mn = min(mn, x); mx = max(mx, x);
  }
  store<i32>(st, mn);
  store<i32>(st, mx, 4);
}

/** Rows per group (NaN values included): pandas' `size`. Only needed when some value was NaN. */
export function gb_size(codes: usize, n: i32, kmin: i32, ng: i32, table: usize): void {
  for (let i = 0; i < n; i++) {
    const g = load<i32>(codes + (<usize>i << 2)) - kmin;
    if (<u32>g >= <u32>ng) continue;
    const t = table + (<usize>g << 3);
    store<f64>(t, load<f64>(t) + 1);
  }
}
