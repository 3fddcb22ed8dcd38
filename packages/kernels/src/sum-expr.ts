/**
 * sum(f(inputs)) for a chain f of float64 add/sub/mul/div over inputs and constants, by one kernel
 * pass (kernels/assembly/expr.ts): the chain is compiled here into a small register program, the
 * kernel evaluates it 512 elements at a time in L1 and sums each group with sum_f64's leaves. Inputs
 * in kernel memory are read in place; others are copied in tile by tile (one memcpy that stays in
 * L2), so the result never depends on where the data live.
 */
import type { BinaryOp } from './elementwise.js';
import { state, type Runtime } from './runtime.js';

/** A node of the chain. A node object used twice (`d * d`) is evaluated once per group. */
export type SumExpr =
  | { readonly t: 'in'; readonly i: number }
  | { readonly t: 'const'; readonly v: number }
  | { readonly t: 'bin'; readonly op: BinaryOp; readonly a: SumExpr; readonly b: SumExpr };

const OPS: Record<BinaryOp, number> = { add: 0, sub: 1, mul: 2, div: 3 };
const INPUT = 0;
const REGISTER = 1 << 24;
const CONSTANT = 2 << 24;
/** The kernel's GROUP (elements per register) and its register count here. */
const GROUP = 512;
const MAX_REGISTERS = 8;
const PROGRAM_BYTES = 4096;
const REGISTER_BYTES = MAX_REGISTERS * GROUP * 8;
/** Copy tiles of at most 128 KiB per input: with the registers they stay in L2. */
const MAX_TILE = 16384;
const IN_PLACE_BLOCK = 1 << 18;

interface Program {
  readonly code: number[];
  readonly root: number;
  readonly consts: number[];
}

function jsOp(op: BinaryOp, a: number, b: number): number {
  return op === 'add' ? a + b : op === 'sub' ? a - b : op === 'mul' ? a * b : a / b;
}

/** Post-order code with registers reused once their last reader has run. */
function compile(root: SumExpr, nInputs: number): Program {
  const uses = new Map<SumExpr, number>();
  const count = (e: SumExpr): void => {
    const u = uses.get(e) ?? 0;
    uses.set(e, u + 1);
    if (u === 0 && e.t === 'bin') {
      count(e.a);
      count(e.b);
    }
  };
  count(root);
  const code: number[] = [];
  const consts: number[] = [];
  const free: number[] = [];
  let registers = 0;
  const done = new Map<SumExpr, number | { v: number }>();
  // An operand: an encoded input or register, or a folded constant.
  const emit = (e: SumExpr): number | { v: number } => {
    const known = done.get(e);
    if (known !== undefined) return known;
    let out: number | { v: number };
    if (e.t === 'in') {
      if (!Number.isInteger(e.i) || e.i < 0 || e.i >= nInputs) throw new RangeError(`sumExpr: input ${e.i} of ${nInputs}`);
      out = INPUT | e.i;
    } else if (e.t === 'const') {
      out = { v: e.v };
    } else {
      const op = OPS[e.op];
      if (op === undefined) throw new TypeError(`sumExpr: unknown op ${String(e.op)} (add, sub, mul, div)`);
      const a = emit(e.a);
      const b = emit(e.b);
      if (typeof a !== 'number' && typeof b !== 'number') out = { v: jsOp(e.op, a.v, b.v) };
      else {
        release(e.a, a);
        release(e.b, b);
        const dst = free.length ? free.pop()! : registers++;
        if (dst >= MAX_REGISTERS) throw new RangeError(`sumExpr: the chain needs more than ${MAX_REGISTERS} registers`);
        const enc = (x: number | { v: number }): number => (typeof x === 'number' ? x : CONSTANT | (consts.push(x.v) - 1));
        code.push(op, dst, enc(a), enc(b));
        out = REGISTER | dst;
      }
    }
    done.set(e, out);
    return out;
  };
  const release = (e: SumExpr, x: number | { v: number }): void => {
    const left = uses.get(e)! - 1;
    uses.set(e, left);
    if (left === 0 && typeof x === 'number' && (x & ~0xffffff) === REGISTER) free.push(x & 0xffffff);
  };
  const r = emit(root);
  if (typeof r !== 'number') throw new RangeError('sumExpr: the chain is a constant (no input to sum over)');
  // A root made by the last instruction is summed as it is formed, never stored (root -1).
  const fused = (r & ~0xffffff) === REGISTER && code.length > 0 && code[code.length - 3] === (r & 0xffffff);
  return { code, root: fused ? -1 : r, consts };
}

export function sumExpr(rt: Runtime, root: SumExpr, inputs: readonly Float64Array[]): number {
  if (inputs.length === 0) throw new RangeError('sumExpr: no inputs');
  const n = inputs[0].length;
  for (const x of inputs) {
    if (!(x instanceof Float64Array)) throw new TypeError('sumExpr: inputs must be Float64Arrays');
    if (x.length !== n) throw new RangeError(`sumExpr: length mismatch ${x.length} vs ${n}`);
  }
  const prog = compile(root, inputs.length);
  const m = rt.mem;
  const words = 2 + prog.code.length;
  const pinAt = words * 4;
  const pcAt = Math.ceil((pinAt + inputs.length * 4) / 8) * 8;
  if (pcAt + prog.consts.length * 8 > PROGRAM_BYTES) throw new RangeError('sumExpr: the chain is too long');
  const owned = inputs.map((x) => m.owns(x));
  const heap = owned.filter((o) => !o).length;
  const tilesAt = m.scratch + PROGRAM_BYTES + REGISTER_BYTES;
  const room = m.scratchBytes - PROGRAM_BYTES - REGISTER_BYTES;
  const cap = heap === 0 ? IN_PLACE_BLOCK : Math.min(MAX_TILE, Math.floor(room / (8 * heap) / GROUP) * GROUP);
  if (cap < GROUP) throw new RangeError(`sumExpr: the scratch area (${m.scratchBytes} bytes) is too small for ${heap} copied inputs`);
  const st = state(rt);
  const p = m.scratch;
  const head = m.i32(p, words);
  head[0] = prog.code.length / 4;
  head[1] = prog.root;
  head.set(prog.code, 2);
  m.f64(p + pcAt, prog.consts.length).set(prog.consts);
  const pin = m.i32(p + pinAt, inputs.length);
  const tiles = inputs.map((_, k) => (owned[k] ? undefined : m.f64(tilesAt + owned.slice(0, k).filter((o) => !o).length * cap * 8, cap)));
  for (let s = 0; s < n; s += cap) {
    const len = Math.min(cap, n - s);
    for (let k = 0; k < inputs.length; k++) {
      const t = tiles[k];
      if (t) {
        t.set(inputs[k].subarray(s, s + len));
        pin[k] = t.byteOffset;
      } else pin[k] = inputs[k].byteOffset + s * 8;
    }
    rt.x.sum_expr_f64(p, p + pinAt, p + pcAt, p + PROGRAM_BYTES, len, m.state);
  }
  return Number.isFinite(st[0]) ? st[0] + st[1] : st[0];
}
