// The passes of an exact radix selection over float64 values (quantiles of @pdask/array): each value's
// order-preserving 32-bit key (its high word, sign-flipped: negative values have all bits inverted,
// others the sign bit set, so unsigned key order is numeric order), counted by its top 16 bits, or
// by its low 16 bits inside the wanted top-16 buckets, or gathered when the key is a wanted one.
// NaNs are skipped (and counted by the first pass).

// @ts-ignore: decorator
@inline function keyOf(x: f64): u32 {
  const h = <u32>(reinterpret<u64>(x) >>> 32);
  return (h & 0x80000000) ? ~h : h | 0x80000000;
}

/**
 * With slots = 0: counts[key >>> 16]++ (65536 u32 counters). Otherwise slots (65536 i32) maps a
 * top-16 bucket to a slot s or -1, and counts[s * 65536 + (key & 0xffff)]++. Returns the NaNs seen.
 */
export function radix_count_f64(p: usize, n: i32, counts: usize, slots: usize): i32 {
  let nans = 0;
  if (slots == 0) {
    for (let i = 0; i < n; i++) {
      const x = load<f64>(p + (<usize>i << 3));
      if (x != x) {
        nans++;
        continue;
      }
      const a = counts + (<usize>(keyOf(x) >>> 16) << 2);
      store<u32>(a, load<u32>(a) + 1);
    }
    return nans;
  }
  for (let i = 0; i < n; i++) {
    const x = load<f64>(p + (<usize>i << 3));
    if (x != x) {
      nans++;
      continue;
    }
    const k = keyOf(x);
    const s = load<i32>(slots + (<usize>(k >>> 16) << 2));
    if (s >= 0) {
      const a = counts + ((<usize>s << 18) | (<usize>(k & 0xffff) << 2));
      store<u32>(a, load<u32>(a) + 1);
    }
  }
  return nans;
}

/**
 * Writes to out the values whose key is one of keys[0..nk) (u32), in input order; slots (65536 i32)
 * is >= 0 exactly for the wanted keys' top-16 buckets. Returns how many were written.
 */
export function radix_select_f64(p: usize, n: i32, slots: usize, keys: usize, nk: i32, out: usize): i32 {
  let m = 0;
  for (let i = 0; i < n; i++) {
    const x = load<f64>(p + (<usize>i << 3));
    if (x != x) continue;
    const k = keyOf(x);
    if (load<i32>(slots + (<usize>(k >>> 16) << 2)) < 0) continue;
    for (let j = 0; j < nk; j++) {
      if (load<u32>(keys + (<usize>j << 2)) == k) {
        store<f64>(out + (<usize>m << 3), x);
        m++;
        break;
      }
    }
  }
  return m;
}
