/** The WebAssembly module's exports (see kernels/assembly). Pointers and lengths are i32. */
type Unary = (p: number, n: number, st: number) => void;
type Arg = (p: number, n: number, base: number, st: number) => void;
type Test = (p: number, n: number) => number;
type GroupKernel = (codes: number, vals: number, n: number, kmin: number, ng: number, table: number) => void;
/** Returns the rows aggregated before the first key outside [kmin, kmin + ng). */
type FitKernel = (codes: number, vals: number, n: number, kmin: number, ng: number, table: number, reps: number) => number;
type PickKernel = (codes: number, vals: number, n: number, kmin: number, ng: number, table: number, op: number) => void;

export interface KernelExports {
  heap_base(): number;
  sum_f64: Unary; sum_f32: Unary; sum_i32: Unary;
  nansum_f64: Unary; nansum_f32: Unary;
  count_f64: Unary; count_f32: Unary;
  moments_f64: Unary; moments_f32: Unary; moments_i32: Unary;
  nanmoments_f64: Unary; nanmoments_f32: Unary;
  min_f64: Unary; max_f64: Unary; nanmin_f64: Unary; nanmax_f64: Unary;
  min_f32: Unary; max_f32: Unary; nanmin_f32: Unary; nanmax_f32: Unary;
  min_i32: Unary; max_i32: Unary;
  argmin_f64: Arg; argmax_f64: Arg; nanargmin_f64: Arg; nanargmax_f64: Arg;
  argmin_f32: Arg; argmax_f32: Arg; nanargmin_f32: Arg; nanargmax_f32: Arg;
  argmin_i32: Arg; argmax_i32: Arg;
  prod_f64: Unary; prod_f32: Unary; prod_i32: Unary; nanprod_f64: Unary; nanprod_f32: Unary;
  any_f64: Test; all_f64: Test; any_f32: Test; all_f32: Test; any_i32: Test; all_i32: Test;
  sum_u8: Test; any_u8: Test; all_u8: Test;
  gb_fold_replicas(table: number, len: number, reps: number): void;
  gb_sumcount_f64: GroupKernel; gb_sumcount_f32: GroupKernel; gb_sumcount_i32: GroupKernel;
  gb_sumcount_rep4_f64: GroupKernel; gb_sumcount_rep4_f32: GroupKernel; gb_sumcount_rep4_i32: GroupKernel;
  gb_moments_f64: GroupKernel; gb_moments_f32: GroupKernel; gb_moments_i32: GroupKernel;
  gb_pick_f64: PickKernel; gb_pick_f32: PickKernel; gb_pick_i32: PickKernel;
  gb_size(codes: number, n: number, kmin: number, ng: number, table: number): void;
  minmax_i32(p: number, n: number, st: number): void;
  fact_i32(keys: number, n: number, valid: number, vbit: number, table: number, bits: number,
    uniques: number, limit: number, st: number, codes: number): number;
  rehash_i32(uniques: number, nu: number, table: number, bits: number): void;
  fact_utf8(offs: number, data: number, n: number, valid: number, vbit: number, table: number, bits: number,
    uoffs: number, udata: number, ucap: number, uhash: number, limit: number, st: number, codes: number): number;
  rehash_utf8(uhash: number, nu: number, table: number, bits: number): void;
  binary_f64(op: number, pa: number, pb: number, po: number, n: number): void;
  binary_scalar_f64(op: number, pa: number, s: number, po: number, n: number, rev: number): void;
  sum_binary_f64(op: number, pa: number, pb: number, n: number, st: number): void;
  sum_squares_scalar_f64(op: number, pa: number, s: number, n: number, st: number): void;
  xxh64_init(st: number, seed: bigint): void;
  xxh64_stripes(st: number, p: number, stripes: number): void;
  xxh64_final(st: number, p: number, n: number, total: bigint, seed: bigint): void;
  uniform_f64(st: number, po: number, groups: number, lo: number, span: number): void;
  lloyd_f64(px: number, n: number, d: number, ct: number, kn: number, cr: number, kp: number, sums: number, counts: number,
    labels: number, dist: number, exact: number, st: number): void;
  closest_f64(px: number, n: number, d: number, pc: number, m: number, pin: number, pout: number): void;
  newton_work(p: number): number;
  newton_f64(px: number, py: number, n: number, d: number, intercept: number, beta: number, b0: number,
    work: number, grad: number, hess: number, st: number): number;
  householder_qr_f64(pa: number, m: number, n: number, pw: number, pr: number, pq: number, pt: number): void;
  mm_pack_a_f64(src: number, rs: number, cs: number, mc: number, kc: number, dst: number): void;
  mm_pack_a_f32(src: number, rs: number, cs: number, mc: number, kc: number, dst: number): void;
  mm_pack_b_f64(src: number, rs: number, cs: number, kc: number, nc: number, dst: number): void;
  mm_pack_b_f32(src: number, rs: number, cs: number, kc: number, nc: number, dst: number): void;
  radix_count_f64(p: number, n: number, counts: number, slots: number): number;
  radix_select_f64(p: number, n: number, slots: number, keys: number, nk: number, out: number): number;
  mm_macro_f64(pa: number, pb: number, pc: number, ldc: number, mc: number, nc: number, kc: number): void;
  csv_fused(buf: number, len: number, nfields: number, kinds: number, outs: number, cap: number, sep: number, quote: number,
    fb: number, fbCap: number, st: number, rowLimit: number, nulls: number): number;
  gb_sumcount_fit_f64: FitKernel; gb_sumcount_fit_f32: FitKernel; gb_sumcount_fit_i32: FitKernel;
  glm_grad_f64(px: number, py: number, n: number, d: number, intercept: number, multinomial: number, pc: number, nc: number,
    positive: number, pb: number, pg: number, pz: number, st: number): number;
  glm_work(k: number): number;
  glm_binomial_many_f64(px: number, py: number, n: number, d: number, intercept: number, pc: number, nc: number, positive: number,
    k: number, pt: number, pg: number, pl: number, pz: number): number;
  glm_many_work(k: number): number;
  glm_many_tile(): number;
  snappy_uncompress(src: number, srcLen: number, dst: number, dstLen: number): number;
}
