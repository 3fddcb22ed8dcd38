/**
 * Dense matrix product (kernels/assembly/matmul.ts): C = A B, or C += A B into a given array,
 * row-major, float64 or float32 operands, float64 result.
 *
 * The loops of a packed product (Goto's): for each tile of C (at most C_TILE_BYTES, so any size of
 * operand fits in kernel memory), for each KC-deep slab of the inner dimension, a KC x NC panel of B
 * is packed once, then every MC x KC block of A; the kernel's macro step multiplies a packed pair
 * into the tile. Operands in kernel memory are packed in place; others are first copied block by
 * block into a staging area (the packed block's rows only), so no whole-operand copy is made.
 * JS drives these loops so that each WebAssembly call is short (see the kernel's comment).
 */
import type { KernelExports } from './exports.js';
import { resolve, type Input, type Runtime } from './runtime.js';

export interface MatmulOptions {
  /** `a` holds Aᵀ: k x m, row-major (default false). */
  transposeA?: boolean;
  /** `b` holds Bᵀ: n x k, row-major (default false). */
  transposeB?: boolean;
  /** m x n values that A B is added to, in place; it is also the return value. */
  accumulate?: Float64Array;
}

/** The operand types of `matmul`. */
export type MatmulArray = Float64Array | Float32Array;

/** Depth of a packed slab: a KC x NR micro-panel of B (8 KiB) stays in L1. */
const KC = 256;
/** Rows of a packed block of A: MC x KC (192 KiB) stays in L2. */
const MC = 96;
/** Columns of a packed panel of B: KC x NC (4 MiB) stays in L3. */
const NC = 2048;
/** The largest tile of C kept in kernel memory during a product. */
const C_TILE_BYTES = 32 * 2 ** 20;
/** Micro-kernel tile (kernel constants MR x NR): packed blocks are padded to these. */
const MR = 4;
const NR = 4;

interface Operand {
  readonly data: MatmulArray;
  /** Byte offset in kernel memory when read in place, else -1. */
  readonly inPlace: number;
  readonly f32: boolean;
  /** Stored rows x cols (row-major). */
  readonly cols: number;
  /** Whether the stored matrix is the transpose of the operand. */
  readonly transposed: boolean;
}

function operand(rt: Runtime, name: string, input: Input<MatmulArray>, rows: number, cols: number, transposed: boolean): Operand {
  const data = resolve(input);
  if (!(data instanceof Float64Array) && !(data instanceof Float32Array)) {
    throw new TypeError(`matmul: ${name} must be a Float64Array or Float32Array, got ${Object.prototype.toString.call(data)}`);
  }
  const [r, c] = transposed ? [cols, rows] : [rows, cols];
  if (data.length !== r * c) throw new RangeError(`matmul: ${name} has ${data.length} values, expected ${r} x ${c} = ${r * c}`);
  return { data, inPlace: rt.mem.owns(data) ? data.byteOffset : -1, f32: data instanceof Float32Array, cols: c, transposed };
}

/**
 * The address and strides (rs, cs: elements between rows and columns of the operand) of the
 * operand's block at (r0, c0) of size nr x nc, copying it into `stage` unless it is in kernel memory.
 */
function block(rt: Runtime, op: Operand, r0: number, c0: number, nr: number, nc: number, stage: number): [number, number, number] {
  const bpe = op.f32 ? 4 : 8;
  // Stored coordinates: a transposed operand's block (r0, c0, nr x nc) is (c0, r0, nc x nr) in storage.
  const [sr0, sc0, snr, snc] = op.transposed ? [c0, r0, nc, nr] : [r0, c0, nr, nc];
  if (op.inPlace >= 0) {
    const addr = op.inPlace + (sr0 * op.cols + sc0) * bpe;
    return op.transposed ? [addr, 1, op.cols] : [addr, op.cols, 1];
  }
  const buf = rt.mem.buffer;
  const dst = op.f32 ? new Float32Array(buf, stage, snr * snc) : new Float64Array(buf, stage, snr * snc);
  const src = op.data;
  if (snc === op.cols) dst.set(src.subarray(sr0 * op.cols, (sr0 + snr) * op.cols));
  else for (let i = 0; i < snr; i++) {
    const s = (sr0 + i) * op.cols + sc0;
    dst.set(src.subarray(s, s + snc), i * snc);
  }
  return op.transposed ? [stage, 1, snc] : [stage, snc, 1];
}

export function matmul(
  rt: Runtime,
  aIn: Input<MatmulArray>,
  bIn: Input<MatmulArray>,
  m: number,
  k: number,
  n: number,
  options: MatmulOptions = {},
): Float64Array {
  for (const [what, v] of [['m', m], ['k', k], ['n', n]] as const) {
    if (!Number.isInteger(v) || v < 0) throw new RangeError(`matmul: ${what} must be a non-negative integer, got ${v}`);
  }
  const a = operand(rt, 'a', aIn, m, k, options.transposeA ?? false);
  const b = operand(rt, 'b', bIn, k, n, options.transposeB ?? false);
  let out = options.accumulate ?? new Float64Array(m * n);
  if (!(out instanceof Float64Array)) throw new TypeError('matmul: accumulate must be a Float64Array');
  if (out.length !== m * n) throw new RangeError(`matmul: accumulate has ${out.length} values, expected ${m} x ${n} = ${m * n}`);
  if (m === 0 || n === 0 || k === 0) return out;
  // An `accumulate` in kernel memory: read its address now, the allocation below may grow (detach) it.
  const outAt = rt.mem.owns(out) ? out.byteOffset : -1;

  const nc = Math.min(n, NC);
  const kc = Math.min(k, KC);
  const mt = Math.min(m, Math.max(MC, Math.floor(C_TILE_BYTES / 8 / nc / MC) * MC));
  const mc = Math.min(m, MC);
  const pad = (x: number, q: number) => Math.ceil(x / q) * q;
  // One allocation: C tile, packed A, packed B, and staging for blocks of A and B.
  const cBytes = mt * nc * 8;
  const paBytes = pad(mc, MR) * kc * 8;
  const pbBytes = pad(nc, NR) * kc * 8;
  const saBytes = a.inPlace >= 0 ? 0 : mc * kc * 8;
  const sbBytes = b.inPlace >= 0 ? 0 : kc * nc * 8;
  const al = (x: number) => Math.ceil(x / 64) * 64;
  const base = rt.mem.alloc(al(cBytes) + al(paBytes) + al(pbBytes) + al(saBytes) + sbBytes);
  try {
    const pc = base;
    const pa = pc + al(cBytes);
    const pb = pa + al(paBytes);
    const sa = pb + al(pbBytes);
    const sb = sa + al(saBytes);
    if (outAt >= 0) out = rt.mem.f64(outAt, m * n);
    const x: KernelExports = rt.x;
    const packA = a.f32 ? x.mm_pack_a_f32 : x.mm_pack_a_f64;
    const packB = b.f32 ? x.mm_pack_b_f32 : x.mm_pack_b_f64;
    for (let i0 = 0; i0 < m; i0 += mt) {
      const rows = Math.min(mt, m - i0);
      for (let j0 = 0; j0 < n; j0 += nc) {
        const cols = Math.min(nc, n - j0);
        // The tile starts from the values of `out` (zeros for a new result): C += A B.
        const tile = rt.mem.f64(pc, rows * cols);
        if (cols === n) tile.set(out.subarray(i0 * n, (i0 + rows) * n));
        else for (let i = 0; i < rows; i++) tile.set(out.subarray((i0 + i) * n + j0, (i0 + i) * n + j0 + cols), i * cols);
        for (let p0 = 0; p0 < k; p0 += kc) {
          const depth = Math.min(kc, k - p0);
          const [bp, brs, bcs] = block(rt, b, p0, j0, depth, cols, sb);
          packB(bp, brs, bcs, depth, cols, pb);
          for (let ic = 0; ic < rows; ic += mc) {
            const h = Math.min(mc, rows - ic);
            const [ap, ars, acs] = block(rt, a, i0 + ic, p0, h, depth, sa);
            packA(ap, ars, acs, h, depth, pa);
            x.mm_macro_f64(pa, pb, pc + ic * cols * 8, cols, h, cols, depth);
          }
        }
        const done = rt.mem.f64(pc, rows * cols);
        if (cols === n) out.set(done, i0 * n);
        else for (let i = 0; i < rows; i++) out.set(done.subarray(i * cols, (i + 1) * cols), (i0 + i) * n + j0);
      }
    }
    return out;
  } finally {
    rt.mem.release(base);
  }
}
