// Uniform random doubles from eight interleaved xoshiro128+ generators ("xoshiro128+ x8"). A single
// xoshiro128+ is latency-bound (each draw waits for the previous state), so a stream here is eight
// independent generators advanced together in two i32x4 vectors: one step gives eight 32-bit draws.
// Two steps make eight doubles, double j of a group coming from generator j: 27 high bits of its
// first draw and 26 of its second, k / 2^53 in [0, 1). The JS fallback in @pdask/array
// (runtime/random.ts) implements the same definition and gives the same bits.
//
// State at st: 32 u32 words, the word w of generators 0-3 at st + 16 * w, of generators 4-7 at
// st + 64 + 16 * w (w = 0..3: s0, s1, s2, s3).

// @ts-ignore: decorator
@inline function rotl11(x: v128): v128 { return v128.or(i32x4.shl(x, 11), i32x4.shr_u(x, 21)); }

/** Eight doubles per group: out[0 .. 8 * groups). Optionally scaled: lo + u * span. */
export function uniform_f64(st: usize, po: usize, groups: i32, lo: f64, span: f64): void {
  let a0 = v128.load(st), a1 = v128.load(st, 16), a2 = v128.load(st, 32), a3 = v128.load(st, 48);
  let b0 = v128.load(st, 64), b1 = v128.load(st, 80), b2 = v128.load(st, 96), b3 = v128.load(st, 112);
  const scaled = lo != 0 || span != 1;
  const K = f64x2.splat(1.0 / 9007199254740992.0);
  const H = f64x2.splat(67108864.0);
  const LO = f64x2.splat(lo), SPAN = f64x2.splat(span);
  for (let g = 0; g < groups; g++) {
    // Step 1: first draws of the eight generators.
    const ra = i32x4.add(a0, a3), rb = i32x4.add(b0, b3);
    let ta = i32x4.shl(a1, 9), tb = i32x4.shl(b1, 9);
    a2 = v128.xor(a2, a0); b2 = v128.xor(b2, b0);
    a3 = v128.xor(a3, a1); b3 = v128.xor(b3, b1);
    a1 = v128.xor(a1, a2); b1 = v128.xor(b1, b2);
    a0 = v128.xor(a0, a3); b0 = v128.xor(b0, b3);
    a2 = v128.xor(a2, ta); b2 = v128.xor(b2, tb);
    a3 = rotl11(a3); b3 = rotl11(b3);
    // Step 2: second draws.
    const qa = i32x4.add(a0, a3), qb = i32x4.add(b0, b3);
    ta = i32x4.shl(a1, 9); tb = i32x4.shl(b1, 9);
    a2 = v128.xor(a2, a0); b2 = v128.xor(b2, b0);
    a3 = v128.xor(a3, a1); b3 = v128.xor(b3, b1);
    a1 = v128.xor(a1, a2); b1 = v128.xor(b1, b2);
    a0 = v128.xor(a0, a3); b0 = v128.xor(b0, b3);
    a2 = v128.xor(a2, ta); b2 = v128.xor(b2, tb);
    a3 = rotl11(a3); b3 = rotl11(b3);
    const ha = i32x4.shr_u(ra, 5), hb = i32x4.shr_u(rb, 5);
    const la = i32x4.shr_u(qa, 6), lb = i32x4.shr_u(qb, 6);
    // (high * 2^26 + low) * 2^-53: both parts exact in f64, so the result is exact.
    let u0 = f64x2.mul(f64x2.add(f64x2.mul(f64x2.convert_low_i32x4_u(ha), H), f64x2.convert_low_i32x4_u(la)), K);
    let u1 = f64x2.mul(f64x2.add(f64x2.mul(f64x2.convert_low_i32x4_u(i64x2.shuffle(ha, ha, 1, 0)), H), f64x2.convert_low_i32x4_u(i64x2.shuffle(la, la, 1, 0))), K);
    let u2 = f64x2.mul(f64x2.add(f64x2.mul(f64x2.convert_low_i32x4_u(hb), H), f64x2.convert_low_i32x4_u(lb)), K);
    let u3 = f64x2.mul(f64x2.add(f64x2.mul(f64x2.convert_low_i32x4_u(i64x2.shuffle(hb, hb, 1, 0)), H), f64x2.convert_low_i32x4_u(i64x2.shuffle(lb, lb, 1, 0))), K);
    if (scaled) {
      u0 = f64x2.add(LO, f64x2.mul(u0, SPAN));
      u1 = f64x2.add(LO, f64x2.mul(u1, SPAN));
      u2 = f64x2.add(LO, f64x2.mul(u2, SPAN));
      u3 = f64x2.add(LO, f64x2.mul(u3, SPAN));
    }
    const o = po + (<usize>g << 6);
    v128.store(o, u0); v128.store(o, u1, 16); v128.store(o, u2, 32); v128.store(o, u3, 48);
  }
  v128.store(st, a0); v128.store(st, a1, 16); v128.store(st, a2, 32); v128.store(st, a3, 48);
  v128.store(st, b0, 64); v128.store(st, b1, 80); v128.store(st, b2, 96); v128.store(st, b3, 112);
}
