// sum(f(x, y, ...)) where f is a chain of float64 add/sub/mul/div over inputs and constants, in one
// pass over the inputs: f is evaluated GROUP elements at a time into registers that stay in L1, and
// each register group is summed by sum_f64's leaves. Against one kernel call per operation over
// L2-sized tiles (each writing its tile and the next reading it back), the inputs are read once
// and nothing of tile size is written. Every element has the IEEE value the chain of binary_f64
// calls gives, and GROUP is a multiple of LEAF, so the leaves are sum_f64's: the result has the
// bits of the operations followed by sum_f64 over the whole run.
//
// Program (i32 words at prog): [0] instruction count, [1] root operand, then per instruction
// [op (0 add, 1 sub, 2 mul, 3 div), destination register, operand a, operand b]. An operand is
// (kind << 24) | index: kind 0 input (its base address is u32 index at pin), 1 register, 2 constant
// (f64 index at pc). Registers are GROUP f64 each from regs. At most one operand is a constant.
// A root of -1 means the last instruction's value: it is summed as it is formed (sum_binary_f64's
// leaves), never stored. State as sum_f64: [0] sum, [1] compensation, [2] count.
import { LEAF, leafSum, tailSum, hsum } from './lanes';
import { binary_f64, binary_scalar_f64 } from './elementwise';

const GROUP: i32 = 512;
const REG_BYTES: usize = <usize>GROUP << 3;

// @ts-ignore: decorator
@inline function operand(enc: i32, pin: usize, regs: usize, i: i32): usize {
  const idx = <usize>(enc & 0xffffff);
  if (enc >>> 24 == 0) return <usize>load<u32>(pin + (idx << 2)) + (<usize>i << 3);
  return regs + idx * REG_BYTES;
}

// The running sum and compensation while a group's leaves are added (per instance, so per thread).
let gs: f64 = 0, gc: f64 = 0;

// @ts-ignore: decorator
@inline function addLeaf(v: f64): void {
  const t = gs + v;
  gc += Math.abs(gs) >= Math.abs(v) ? (gs - t) + v : (v - t) + gs;
  gs = t;
}

// @ts-ignore: decorator
@inline function bin2(op: i32, a: v128, b: v128): v128 {
  if (op == 0) return f64x2.add(a, b);
  if (op == 1) return f64x2.sub(a, b);
  if (op == 2) return f64x2.mul(a, b);
  return f64x2.div(a, b);
}

// Whole leaves of a op b (kind 0: both arrays, 1: a is the constant sv, 2: b is, 3: b is a, loaded
// once), in leafSum's lanes.
// @ts-ignore: decorator
@inline function fusedLeaves(op: i32, kind: i32, pa: usize, pb: usize, sv: v128, leaves: i32): void {
  for (let l = 0; l < leaves; l++) {
    let a0 = f64x2.splat(0), a1 = f64x2.splat(0), a2 = f64x2.splat(0), a3 = f64x2.splat(0);
    const base = <usize>l << 10;
    for (let o: usize = 0; o < 1024; o += 64) {
      const q = base + o;
      if (kind == 3) {
        const x0 = v128.load(pa + q), x1 = v128.load(pa + q + 16), x2 = v128.load(pa + q + 32), x3 = v128.load(pa + q + 48);
        a0 = f64x2.add(a0, bin2(op, x0, x0));
        a1 = f64x2.add(a1, bin2(op, x1, x1));
        a2 = f64x2.add(a2, bin2(op, x2, x2));
        a3 = f64x2.add(a3, bin2(op, x3, x3));
        continue;
      }
      a0 = f64x2.add(a0, bin2(op, kind == 1 ? sv : v128.load(pa + q), kind == 2 ? sv : v128.load(pb + q)));
      a1 = f64x2.add(a1, bin2(op, kind == 1 ? sv : v128.load(pa + q + 16), kind == 2 ? sv : v128.load(pb + q + 16)));
      a2 = f64x2.add(a2, bin2(op, kind == 1 ? sv : v128.load(pa + q + 32), kind == 2 ? sv : v128.load(pb + q + 32)));
      a3 = f64x2.add(a3, bin2(op, kind == 1 ? sv : v128.load(pa + q + 48), kind == 2 ? sv : v128.load(pb + q + 48)));
    }
    addLeaf(hsum(f64x2.add(f64x2.add(a0, a1), f64x2.add(a2, a3))));
  }
}

// @ts-ignore: decorator
@inline function fusedKind(op: i32, kind: i32, pa: usize, pb: usize, sv: v128, leaves: i32): void {
  if (op == 0) fusedLeaves(0, kind, pa, pb, sv, leaves);
  else if (op == 1) fusedLeaves(1, kind, pa, pb, sv, leaves);
  else if (op == 2) fusedLeaves(2, kind, pa, pb, sv, leaves);
  else fusedLeaves(3, kind, pa, pb, sv, leaves);
}

function fused(op: i32, kind: i32, pa: usize, pb: usize, sv: v128, leaves: i32): void {
  if (kind == 0) fusedKind(op, 0, pa, pb, sv, leaves);
  else if (kind == 1) fusedKind(op, 1, pa, pb, sv, leaves);
  else if (kind == 2) fusedKind(op, 2, pa, pb, sv, leaves);
  else fusedKind(op, 3, pa, pb, sv, leaves);
}

// @ts-ignore: decorator
@inline function run(q: usize, pin: usize, pc: usize, regs: usize, i: i32, len: i32): void {
  const op = load<i32>(q);
  const dst = regs + <usize>load<i32>(q, 4) * REG_BYTES;
  const a = load<i32>(q, 8), b = load<i32>(q, 12);
  if (a >>> 24 == 2) binary_scalar_f64(op, operand(b, pin, regs, i), load<f64>(pc + (<usize>(a & 0xffffff) << 3)), dst, len, 1);
  else if (b >>> 24 == 2) binary_scalar_f64(op, operand(a, pin, regs, i), load<f64>(pc + (<usize>(b & 0xffffff) << 3)), dst, len, 0);
  else binary_f64(op, operand(a, pin, regs, i), operand(b, pin, regs, i), dst, len);
}

export function sum_expr_f64(prog: usize, pin: usize, pc: usize, regs: usize, n: i32, st: usize): void {
  const count = load<i32>(prog);
  const root = load<i32>(prog, 4);
  // The fused last instruction (root -1) runs inline over whole leaves; a partial leaf (only at
  // the end of the run) takes the stored path.
  const last = root == -1 ? prog + 8 + (<usize>(count - 1) << 4) : 0;
  gs = load<f64>(st);
  gc = load<f64>(st, 8);
  for (let i = 0; i < n; i += GROUP) {
    const len = min(GROUP, n - i);
    const whole = root == -1 && len == GROUP;
    const stored = whole ? count - 1 : count;
    for (let k = 0; k < stored; k++) run(prog + 8 + (<usize>k << 4), pin, pc, regs, i, len);
    if (whole) {
      const op = load<i32>(last);
      const a = load<i32>(last, 8), b = load<i32>(last, 12);
      if (a >>> 24 == 2) fused(op, 1, 0, operand(b, pin, regs, i), f64x2.splat(load<f64>(pc + (<usize>(a & 0xffffff) << 3))), GROUP / LEAF);
      else if (b >>> 24 == 2) fused(op, 2, operand(a, pin, regs, i), 0, f64x2.splat(load<f64>(pc + (<usize>(b & 0xffffff) << 3))), GROUP / LEAF);
      else fused(op, a == b ? 3 : 0, operand(a, pin, regs, i), operand(b, pin, regs, i), f64x2.splat(0), GROUP / LEAF);
      continue;
    }
    const p = root == -1 ? regs + <usize>load<i32>(last, 4) * REG_BYTES : operand(root, pin, regs, i);
    let j = 0;
    for (; j + LEAF <= len; j += LEAF) addLeaf(leafSum<f64>(p + (<usize>j << 3), false));
    if (j < len) addLeaf(tailSum<f64>(p + (<usize>j << 3), len - j, false));
  }
  store<f64>(st, gs);
  store<f64>(st, gc, 8);
  store<f64>(st, load<f64>(st, 16) + <f64>n, 16);
}
