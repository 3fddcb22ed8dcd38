// XXH64 (Yann Collet's xxHash, 64-bit; the hash Dask uses to name arrays by content), streamed: the
// host feeds whole 32-byte stripes with xxh64_stripes, then the rest with xxh64_final.
// State at st: [0..3] the four accumulators (u64), [4] the result of xxh64_final.

const P1: u64 = 11400714785074694791;
const P2: u64 = 14029467366897019727;
const P3: u64 = 1609587929392839161;
const P4: u64 = 9650029242287828579;
const P5: u64 = 2870177450012600261;

// @ts-ignore: decorator
@inline function round(acc: u64, v: u64): u64 { return rotl<u64>(acc + v * P2, 31) * P1; }
// @ts-ignore: decorator
@inline function merge(h: u64, acc: u64): u64 { return (h ^ round(0, acc)) * P1 + P4; }

/** Starts a hash with `seed`. */
export function xxh64_init(st: usize, seed: u64): void {
  store<u64>(st, seed + P1 + P2);
  store<u64>(st, seed + P2, 8);
  store<u64>(st, seed, 16);
  store<u64>(st, seed - P1, 24);
}

/** Consumes `stripes` 32-byte stripes from p. */
export function xxh64_stripes(st: usize, p: usize, stripes: i32): void {
  let v1 = load<u64>(st), v2 = load<u64>(st, 8), v3 = load<u64>(st, 16), v4 = load<u64>(st, 24);
  for (let i = 0; i < stripes; i++) {
    const q = p + (<usize>i << 5);
    v1 = round(v1, load<u64>(q));
    v2 = round(v2, load<u64>(q, 8));
    v3 = round(v3, load<u64>(q, 16));
    v4 = round(v4, load<u64>(q, 24));
  }
  store<u64>(st, v1); store<u64>(st, v2, 8); store<u64>(st, v3, 16); store<u64>(st, v4, 24);
}

/** Finishes over the last `n` (< 32) bytes at p; `total` is the length of the whole input. */
export function xxh64_final(st: usize, p: usize, n: i32, total: u64, seed: u64): void {
  let h: u64;
  if (total >= 32) {
    const v1 = load<u64>(st), v2 = load<u64>(st, 8), v3 = load<u64>(st, 16), v4 = load<u64>(st, 24);
    h = rotl<u64>(v1, 1) + rotl<u64>(v2, 7) + rotl<u64>(v3, 12) + rotl<u64>(v4, 18);
    h = merge(h, v1); h = merge(h, v2); h = merge(h, v3); h = merge(h, v4);
  } else {
    h = seed + P5;
  }
  h += total;
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    h ^= round(0, load<u64>(p + i));
    h = rotl<u64>(h, 27) * P1 + P4;
  }
  if (i + 4 <= n) {
    h ^= <u64>load<u32>(p + i) * P1;
    h = rotl<u64>(h, 23) * P2 + P3;
    i += 4;
  }
  for (; i < n; i++) {
    h ^= <u64>load<u8>(p + i) * P5;
    h = rotl<u64>(h, 11) * P1;
  }
  h ^= h >> 33; h *= P2; h ^= h >> 29; h *= P3; h ^= h >> 32;
  store<u64>(st, h, 32);
}
