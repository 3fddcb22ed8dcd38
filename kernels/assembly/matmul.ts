// Dense matrix product C += A B in float64, the per-block step of matmul, tensordot and einsum.
//
// The host drives the cache blocking (packing a kc x nc panel of B, then mc x kc blocks of A, and
// calling mm_macro_f64 for each pair), so every call is short: V8 runs a WebAssembly function on its
// baseline code until it has been called enough to be optimised, and one call over a whole 1000 x
// 1000 product would never leave it.
//
// Packed A: panels of MR rows, each kc steps of MR values (rows past mc are zeros).
// Packed B: panels of NR columns, each kc steps of NR values (columns past nc are zeros).
// The micro-kernel keeps an MR x NR tile of C in 8 f64x2 registers while it walks kc: per step
// 2 loads of B, 4 splats of A, 8 multiplies and 8 adds (wasm SIMD has no fused multiply-add).
// 4 x 4 measured fastest here among 4x4, 3x6, 4x6, 5x4, 6x4 and 8x2, with kc loops unrolled or
// not: x64 has 16 vector registers and V8 keeps one as scratch, so 12 accumulators spill.
// Each element of C is the sum over p of A[i, p] B[p, j] in p order within a kc block, added to C
// once per block.
//
// Sources may be float64 or float32 (widened while packing), with any row and column strides in
// elements, so a transposed operand is packed directly.

const MR = 4;
const NR = 4;

// ---- packing -------------------------------------------------------------------------------------

// @ts-ignore: decorator
@inline function ld<T>(src: usize, i: i32, j: i32, rs: i32, cs: i32): f64 {
  return <f64>load<T>(src + ((<usize>i * <usize>rs + <usize>j * <usize>cs) * sizeof<T>()));
}

// @ts-ignore: decorator
@inline function packA<T>(src: usize, rs: i32, cs: i32, mc: i32, kc: i32, dst: usize): void {
  for (let i0 = 0; i0 < mc; i0 += MR) {
    const rows = min(MR, mc - i0);
    let d = dst + ((<usize>i0 * <usize>kc) << 3);
    if (rows == MR) {
      for (let p = 0; p < kc; p++) {
        store<f64>(d, ld<T>(src, i0, p, rs, cs));
        store<f64>(d, ld<T>(src, i0 + 1, p, rs, cs), 8);
        store<f64>(d, ld<T>(src, i0 + 2, p, rs, cs), 16);
        store<f64>(d, ld<T>(src, i0 + 3, p, rs, cs), 24);
        d += MR << 3;
      }
    } else {
      for (let p = 0; p < kc; p++) {
        for (let r = 0; r < MR; r++) store<f64>(d + (<usize>r << 3), r < rows ? ld<T>(src, i0 + r, p, rs, cs) : 0.0);
        d += MR << 3;
      }
    }
  }
}

// @ts-ignore: decorator
@inline function packB<T>(src: usize, rs: i32, cs: i32, kc: i32, nc: i32, dst: usize): void {
  for (let j0 = 0; j0 < nc; j0 += NR) {
    const cols = min(NR, nc - j0);
    let d = dst + ((<usize>j0 * <usize>kc) << 3);
    if (cols == NR) {
      for (let p = 0; p < kc; p++) {
        store<f64>(d, ld<T>(src, p, j0, rs, cs));
        store<f64>(d, ld<T>(src, p, j0 + 1, rs, cs), 8);
        store<f64>(d, ld<T>(src, p, j0 + 2, rs, cs), 16);
        store<f64>(d, ld<T>(src, p, j0 + 3, rs, cs), 24);
        d += NR << 3;
      }
    } else {
      for (let p = 0; p < kc; p++) {
        for (let c = 0; c < NR; c++) store<f64>(d + (<usize>c << 3), c < cols ? ld<T>(src, p, j0 + c, rs, cs) : 0.0);
        d += NR << 3;
      }
    }
  }
}

/** Packs the mc x kc block of A whose element (i, p) is at src + (i rs + p cs) * 8. */
export function mm_pack_a_f64(src: usize, rs: i32, cs: i32, mc: i32, kc: i32, dst: usize): void {
  packA<f64>(src, rs, cs, mc, kc, dst);
}
export function mm_pack_a_f32(src: usize, rs: i32, cs: i32, mc: i32, kc: i32, dst: usize): void {
  packA<f32>(src, rs, cs, mc, kc, dst);
}
/** Packs the kc x nc block of B whose element (p, j) is at src + (p rs + j cs) * 8. */
export function mm_pack_b_f64(src: usize, rs: i32, cs: i32, kc: i32, nc: i32, dst: usize): void {
  packB<f64>(src, rs, cs, kc, nc, dst);
}
export function mm_pack_b_f32(src: usize, rs: i32, cs: i32, kc: i32, nc: i32, dst: usize): void {
  packB<f32>(src, rs, cs, kc, nc, dst);
}

// ---- the micro-kernel ----------------------------------------------------------------------------

/** Adds lanes of a row of the tile to C: the first `nr` of its NR values. */
// @ts-ignore: decorator
@inline function addRow(pc: usize, c0: v128, c1: v128, nr: i32): void {
  if (nr == NR) {
    v128.store(pc, f64x2.add(v128.load(pc), c0));
    v128.store(pc, f64x2.add(v128.load(pc, 16), c1), 16);
    return;
  }
  if (nr > 0) store<f64>(pc, load<f64>(pc) + f64x2.extract_lane(c0, 0));
  if (nr > 1) store<f64>(pc, load<f64>(pc, 8) + f64x2.extract_lane(c0, 1), 8);
  if (nr > 2) store<f64>(pc, load<f64>(pc, 16) + f64x2.extract_lane(c1, 0), 16);
}

/** C[0:mr, 0:nr] += (packed A panel) (packed B panel) over kc steps; C row stride ldc elements. */
function micro(pa: usize, pb: usize, kc: i32, pc: usize, ldc: i32, mr: i32, nr: i32): void {
  let c00 = f64x2.splat(0), c01 = f64x2.splat(0);
  let c10 = f64x2.splat(0), c11 = f64x2.splat(0);
  let c20 = f64x2.splat(0), c21 = f64x2.splat(0);
  let c30 = f64x2.splat(0), c31 = f64x2.splat(0);
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(pb), b1 = v128.load(pb, 16);
    let a = v128.load64_splat(pa);
    c00 = f64x2.add(c00, f64x2.mul(a, b0));
    c01 = f64x2.add(c01, f64x2.mul(a, b1));
    a = v128.load64_splat(pa, 8);
    c10 = f64x2.add(c10, f64x2.mul(a, b0));
    c11 = f64x2.add(c11, f64x2.mul(a, b1));
    a = v128.load64_splat(pa, 16);
    c20 = f64x2.add(c20, f64x2.mul(a, b0));
    c21 = f64x2.add(c21, f64x2.mul(a, b1));
    a = v128.load64_splat(pa, 24);
    c30 = f64x2.add(c30, f64x2.mul(a, b0));
    c31 = f64x2.add(c31, f64x2.mul(a, b1));
    pa += MR << 3;
    pb += NR << 3;
  }
  const row = <usize>ldc << 3;
  addRow(pc, c00, c01, nr);
  if (mr > 1) addRow(pc + row, c10, c11, nr);
  if (mr > 2) addRow(pc + 2 * row, c20, c21, nr);
  if (mr > 3) addRow(pc + 3 * row, c30, c31, nr);
}

/**
 * C[0:mc, 0:nc] += A B for a packed mc x kc block of A and a packed kc x nc panel of B, C row-major
 * float64 with row stride ldc elements. The B micro-panel (kc x NR) stays in L1 while the A
 * panels, in L2, stream past it.
 */
export function mm_macro_f64(pa: usize, pb: usize, pc: usize, ldc: i32, mc: i32, nc: i32, kc: i32): void {
  for (let j = 0; j < nc; j += NR) {
    const nr = min(NR, nc - j);
    const bp = pb + ((<usize>j * <usize>kc) << 3);
    for (let i = 0; i < mc; i += MR) {
      micro(pa + ((<usize>i * <usize>kc) << 3), bp, kc, pc + ((<usize>i * <usize>ldc + <usize>j) << 3), ldc, min(MR, mc - i), nr);
    }
  }
}
