/**
 * Elementwise float64 arithmetic and uniform random fill. The WASM kernels run when every array
 * lives in kernel memory (the point: fused chains over tiles, e.g. sum(x + y), with no JS loop);
 * otherwise a JS loop with the same IEEE results runs, so the answer never depends on where the
 * data lives.
 */
import { state, type Runtime } from './runtime.js';

export type BinaryOp = 'add' | 'sub' | 'mul' | 'div';
const OPS: Record<BinaryOp, number> = { add: 0, sub: 1, mul: 2, div: 3 };

const IN_PLACE_BLOCK = 1 << 18;

export function binary(rt: Runtime, op: BinaryOp, a: Float64Array | number, b: Float64Array | number, out: Float64Array): void {
  const code = OPS[op];
  if (code === undefined) throw new TypeError(`binary: unknown op ${String(op)} (add, sub, mul, div)`);
  const n = out.length;
  if (typeof a !== 'number' && a.length !== n) throw new RangeError(`binary: length mismatch ${a.length} vs ${n}`);
  if (typeof b !== 'number' && b.length !== n) throw new RangeError(`binary: length mismatch ${b.length} vs ${n}`);
  const m = rt.mem;
  if (typeof a === 'number' && typeof b === 'number') {
    out.fill(jsOp(code, a, b));
    return;
  }
  if (m.owns(out) && (typeof a === 'number' || m.owns(a)) && (typeof b === 'number' || m.owns(b))) {
    const po = out.byteOffset;
    for (let s = 0; s < n; s += IN_PLACE_BLOCK) {
      const len = Math.min(IN_PLACE_BLOCK, n - s);
      const o = s * 8;
      if (typeof a === 'number') rt.x.binary_scalar_f64(code, (b as Float64Array).byteOffset + o, a, po + o, len, 1);
      else if (typeof b === 'number') rt.x.binary_scalar_f64(code, a.byteOffset + o, b, po + o, len, 0);
      else rt.x.binary_f64(code, a.byteOffset + o, b.byteOffset + o, po + o, len);
    }
    return;
  }
  binaryJs(code, a, b, out);
}

function jsOp(code: number, a: number, b: number): number {
  return code === 0 ? a + b : code === 1 ? a - b : code === 2 ? a * b : a / b;
}

function binaryJs(code: number, a: Float64Array | number, b: Float64Array | number, out: Float64Array): void {
  const n = out.length;
  if (typeof a === 'number') for (let i = 0; i < n; i++) out[i] = jsOp(code, a, (b as Float64Array)[i]);
  else if (typeof b === 'number') for (let i = 0; i < n; i++) out[i] = jsOp(code, a[i], b);
  else if (code === 0) for (let i = 0; i < n; i++) out[i] = a[i] + b[i];
  else for (let i = 0; i < n; i++) out[i] = jsOp(code, a[i], b[i]);
}

/** Offset of the generator state inside the state area (past the 8 f64 reduction slots). */
const RNG_SLOT = 512;
/** Doubles per group of the x8 generator (one per interleaved xoshiro128+). */
export const UNIFORM_GROUP = 8;

/**
 * Fills `out` (a multiple of 8 long) with uniform doubles from the eight interleaved xoshiro128+
 * generators whose 32 state words are in `state` (updated: see kernels/assembly/random.ts for the
 * layout and the definition), `lo + u * span` when scaled.
 */
export function fillUniform(rt: Runtime, state: Int32Array, out: Float64Array, lo = 0, span = 1): void {
  if (state.length !== 32) throw new RangeError('fillUniform: state must hold 32 words (8 generators x 4)');
  if (out.length % UNIFORM_GROUP !== 0) throw new RangeError(`fillUniform: length ${out.length} is not a multiple of ${UNIFORM_GROUP}`);
  const st = rt.mem.state + RNG_SLOT;
  rt.mem.i32(st, 32).set(state);
  if (rt.mem.owns(out)) {
    const po = out.byteOffset;
    for (let s = 0; s < out.length; s += IN_PLACE_BLOCK) rt.x.uniform_f64(st, po + s * 8, Math.min(IN_PLACE_BLOCK, out.length - s) / UNIFORM_GROUP, lo, span);
  } else {
    // Generated into the scratch area block by block, then copied out.
    const cap = Math.floor(rt.mem.scratchBytes / 64) * 8;
    for (let s = 0; s < out.length; s += cap) {
      const len = Math.min(cap, out.length - s);
      rt.x.uniform_f64(st, rt.mem.scratch, len / UNIFORM_GROUP, lo, span);
      out.set(rt.mem.f64(rt.mem.scratch, len), s);
    }
  }
  state.set(rt.mem.i32(st, 32));
}

/**
 * sum(a op b) for float64 arrays without writing a op b: the same bits as `binary` then `sum`.
 * In place when both live in kernel memory; otherwise through `binary` into the scratch area.
 */
export function sumBinary(rt: Runtime, op: BinaryOp, a: Float64Array, b: Float64Array): number {
  const code = OPS[op];
  if (code === undefined) throw new TypeError(`sumBinary: unknown op ${String(op)} (add, sub, mul, div)`);
  const n = a.length;
  if (b.length !== n) throw new RangeError(`sumBinary: length mismatch ${n} vs ${b.length}`);
  const m = rt.mem;
  const st = state(rt);
  if (m.owns(a) && m.owns(b)) {
    const pa = a.byteOffset;
    const pb = b.byteOffset;
    for (let s = 0; s < n; s += IN_PLACE_BLOCK) rt.x.sum_binary_f64(code, pa + s * 8, pb + s * 8, Math.min(IN_PLACE_BLOCK, n - s), m.state);
  } else {
    const cap = Math.floor(m.scratchBytes / 8);
    for (let s = 0; s < n; s += cap) {
      const len = Math.min(cap, n - s);
      binaryJs(code, a.subarray(s, s + len), b.subarray(s, s + len), m.f64(m.scratch, len));
      rt.x.sum_f64(m.scratch, len, m.state);
    }
  }
  return Number.isFinite(st[0]) ? st[0] + st[1] : st[0];
}

/**
 * sum((a op s)^2) for a float64 array in kernel memory, read once and nothing written (the
 * deviations of a variance, `((x - c) * (x - c)).sum()`). Undefined when `a` is not in kernel
 * memory: the caller evaluates `a op s` into a tile and uses sumBinary.
 */
export function sumSquaresScalar(rt: Runtime, op: BinaryOp, a: Float64Array, s: number): number | undefined {
  const code = OPS[op];
  if (code === undefined) throw new TypeError(`sumSquaresScalar: unknown op ${String(op)} (add, sub, mul, div)`);
  const m = rt.mem;
  if (!m.owns(a)) return undefined;
  const st = state(rt);
  const n = a.length;
  const pa = a.byteOffset;
  for (let i = 0; i < n; i += IN_PLACE_BLOCK) rt.x.sum_squares_scalar_f64(code, pa + i * 8, s, Math.min(IN_PLACE_BLOCK, n - i), m.state);
  return Number.isFinite(st[0]) ? st[0] + st[1] : st[0];
}
