// Group-by aggregation over dense integer codes: row i belongs to group codes[i] - kmin, and rows
// whose group falls outside [0, ng) (for example the -1 code of a null key) are skipped. Values are
// f64, f32 or i32; NaN values are skipped (pandas' skipna), and every table is a plain array of
// f64 indexed by group so the host can read, merge and finalise it without another kernel.
//
// Sum and count share one 16-byte slot per group so a row touches one cache line, which is what
// bounds the high-cardinality case. With few groups the bound is instead the store-to-load chain
// when neighbouring rows hit the same slot, so gb_sumcount_rep4 spreads rows over four replicas of
// the table (row i uses replica i & 3) and gb_fold_replicas adds them up afterwards.
import { load1, load2 } from './lanes';

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

// Sum and count as one f64x2 per group slot: a row costs one 16-byte load, one vector add and one
// store instead of two scalar read-modify-writes (half the memory operations, which is what bounds
// the few-group case once the replicas have removed the store-to-load chains). A NaN value adds
// [0, 0]. Rows are spread over `reps` replicas as in gb_sumcount_rep4 (reps is 1 or 4). The kernel
// stops at the first row whose group falls outside [0, ng) and returns the rows it finished, so the
// host can aggregate with a key range guessed from the first block and widen it when a key falls
// outside (no separate min/max pass over the keys).
// @ts-ignore: decorator
@inline function addRow(t: usize, x: f64): void {
  const xs = f64x2.splat(x);
  const v = v128.and(f64x2.replace_lane(xs, 1, 1.0), f64x2.eq(xs, xs));
  v128.store(t, f64x2.add(v128.load(t), v));
}

// @ts-ignore: decorator
@inline function addPair(t0: usize, t1: usize, x: v128): void {
  // x = values of two rows; NaN lanes become 0 and count 0. Row 0 adds [x0, c0], row 1 [x1, c1].
  const ok = f64x2.eq(x, x);
  const xs = v128.and(x, ok);
  const cs = v128.and(f64x2.splat(1.0), ok);
  v128.store(t0, f64x2.add(v128.load(t0), i64x2.shuffle(xs, cs, 0, 2)));
  v128.store(t1, f64x2.add(v128.load(t1), i64x2.shuffle(xs, cs, 1, 3)));
}

// @ts-ignore: decorator
@inline function sumCountFitImpl<T>(codes: usize, vals: usize, n: i32, kmin: i32, ng: i32, table: usize, reps: i32): i32 {
  const S = sizeof<T>();
  const rep: usize = reps == 4 ? <usize>ng << 4 : 0;
  const t1 = table + rep, t2 = table + 2 * rep, t3 = table + 3 * rep;
  const lo = i32x4.splat(kmin), lim = i32x4.splat(ng);
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const ga = i32x4.sub(v128.load(codes + (<usize>i << 2)), lo);
    const gb = i32x4.sub(v128.load(codes + (<usize>i << 2), 16), lo);
    if (!i32x4.all_true(v128.and(i32x4.lt_u(ga, lim), i32x4.lt_u(gb, lim)))) break;
    const oa = i32x4.shl(ga, 4);
    const ob = i32x4.shl(gb, 4);
    const v = vals + <usize>i * S;
    addPair(table + <usize>i32x4.extract_lane(oa, 0), t1 + <usize>i32x4.extract_lane(oa, 1), load2<T>(v));
    addPair(t2 + <usize>i32x4.extract_lane(oa, 2), t3 + <usize>i32x4.extract_lane(oa, 3), load2<T>(v + 2 * S));
    addPair(table + <usize>i32x4.extract_lane(ob, 0), t1 + <usize>i32x4.extract_lane(ob, 1), load2<T>(v + 4 * S));
    addPair(t2 + <usize>i32x4.extract_lane(ob, 2), t3 + <usize>i32x4.extract_lane(ob, 3), load2<T>(v + 6 * S));
  }
  for (; i + 4 <= n; i += 4) {
    // Group offsets of four rows at once; leave the loop if any is out of range.
    const g = i32x4.sub(v128.load(codes + (<usize>i << 2)), lo);
    if (!i32x4.all_true(i32x4.lt_u(g, lim))) break;
    const o = i32x4.shl(g, 4);
    const v = vals + <usize>i * S;
    addPair(table + <usize>i32x4.extract_lane(o, 0), t1 + <usize>i32x4.extract_lane(o, 1), load2<T>(v));
    addPair(t2 + <usize>i32x4.extract_lane(o, 2), t3 + <usize>i32x4.extract_lane(o, 3), load2<T>(v + 2 * S));
  }
  for (; i < n; i++) {
    const g = load<i32>(codes + (<usize>i << 2)) - kmin;
    if (<u32>g >= <u32>ng) break;
    addRow(table + (<usize>g << 4), load1<T>(vals + <usize>i * S));
  }
  return i;
}

export function gb_sumcount_fit_f64(c: usize, v: usize, n: i32, kmin: i32, ng: i32, t: usize, reps: i32): i32 { return sumCountFitImpl<f64>(c, v, n, kmin, ng, t, reps); }
export function gb_sumcount_fit_f32(c: usize, v: usize, n: i32, kmin: i32, ng: i32, t: usize, reps: i32): i32 { return sumCountFitImpl<f32>(c, v, n, kmin, ng, t, reps); }
export function gb_sumcount_fit_i32(c: usize, v: usize, n: i32, kmin: i32, ng: i32, t: usize, reps: i32): i32 { return sumCountFitImpl<i32>(c, v, n, kmin, ng, t, reps); }
