/**
 * Exact int64 loops for the elementwise evaluator, reductions and cumulative sums. Values are read
 * word by word (two int32 words per element) as doubles while they stay within ±2^53, where
 * double arithmetic is exact and checked; only elements outside that range (or results that leave
 * it) take bigint arithmetic. Results are stored modulo 2^64, as NumPy's int64 loops wrap.
 */
import { int64Words } from '../dtype';

const TWO32 = 4294967296;
const MAX = Number.MAX_SAFE_INTEGER;
/** A high word in [-2^21, 2^21): the element is within ±2^53, exact as a double. */
const HI = 2097152;

/** An int64 operand: an array, or a scalar (an integer-valued number or a bigint). */
export type I64Operand = BigInt64Array | number | bigint;

export type I64BinaryOp =
  | 'add' | 'sub' | 'mul' | 'floorDiv' | 'mod' | 'fmod' | 'pow' | 'maximum' | 'minimum' | 'fmax' | 'fmin'
  | 'bitwiseAnd' | 'bitwiseOr' | 'bitwiseXor' | 'leftShift' | 'rightShift';
export type I64UnaryOp = 'neg' | 'positive' | 'abs' | 'square' | 'sign' | 'bitwiseNot';
export type I64CompareOp = 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge';

const big = (v: number | bigint): bigint => (typeof v === 'bigint' ? v : BigInt(Math.trunc(v)));

function floorDivBig(a: bigint, b: bigint): bigint {
  if (b === 0n) return 0n;
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}

function modBig(a: bigint, b: bigint): bigint {
  if (b === 0n) return 0n;
  const r = a % b;
  return r !== 0n && r < 0n !== b < 0n ? r + b : r;
}

function powBig(a: bigint, e: bigint): bigint {
  if (e < 0n) throw new RangeError('Integers to negative integer powers are not allowed.');
  let r = 1n;
  let b = BigInt.asIntN(64, a);
  while (e > 0n) {
    if (e & 1n) r = BigInt.asIntN(64, r * b);
    b = BigInt.asIntN(64, b * b);
    e >>= 1n;
  }
  return r;
}

const pyMod = (a: number, b: number): number => {
  const r = a % b;
  return r !== 0 && r < 0 !== b < 0 ? r + b : r;
};

/** Per op: a double version (its result checked to be within ±2^53) and the exact bigint one. */
const BIN: Record<Exclude<I64BinaryOp, 'bitwiseAnd' | 'bitwiseOr' | 'bitwiseXor'>, { fast?: (a: number, b: number) => number; slow: (a: bigint, b: bigint) => bigint }> = {
  add: { fast: (a, b) => a + b, slow: (a, b) => a + b },
  sub: { fast: (a, b) => a - b, slow: (a, b) => a - b },
  mul: { fast: (a, b) => a * b, slow: (a, b) => a * b },
  // Exact for |a| < 2^53: the quotient never rounds up to the next integer (see README).
  floorDiv: { fast: (a, b) => (b === 0 ? 0 : Math.floor(a / b)), slow: floorDivBig },
  mod: { fast: (a, b) => (b === 0 ? 0 : pyMod(a, b)), slow: modBig },
  // C's fmod: the sign of the dividend (bigint % truncates too).
  fmod: { fast: (a, b) => (b === 0 ? 0 : a % b), slow: (a, b) => (b === 0n ? 0n : a % b) },
  pow: { slow: powBig },
  maximum: { fast: (a, b) => (a > b ? a : b), slow: (a, b) => (a > b ? a : b) },
  minimum: { fast: (a, b) => (a < b ? a : b), slow: (a, b) => (a < b ? a : b) },
  fmax: { fast: (a, b) => (a > b ? a : b), slow: (a, b) => (a > b ? a : b) },
  fmin: { fast: (a, b) => (a < b ? a : b), slow: (a, b) => (a < b ? a : b) },
  // NumPy: shifts by 64 or more (or negative) give 0, or -1 for a negative value shifted right.
  leftShift: { fast: (a, b) => (b >= 0 && b < 64 ? a * 2 ** b : 0), slow: (a, b) => (b >= 0n && b < 64n ? a << b : 0n) },
  rightShift: { fast: (a, b) => (b >= 0 && b < 64 ? Math.floor(a / 2 ** b) : a < 0 ? -1 : 0), slow: (a, b) => (b >= 0n && b < 64n ? a >> b : a < 0n ? -1n : 0n) },
};

interface Reader {
  /** The element as a double when within ±2^53, else NaN. */
  num(i: number): number;
  big(i: number): bigint;
  /** Low and high words. */
  lo(i: number): number;
  hi(i: number): number;
}

function reader(x: I64Operand): Reader {
  if (x instanceof BigInt64Array) {
    const w = int64Words(x);
    return {
      num: (i) => {
        const h = w[2 * i + 1];
        return h >= -HI && h < HI ? h * TWO32 + (w[2 * i] >>> 0) : NaN;
      },
      big: (i) => x[i],
      lo: (i) => w[2 * i],
      hi: (i) => w[2 * i + 1],
    };
  }
  const b = BigInt.asIntN(64, big(x));
  const n = Number(b);
  const safe = n <= MAX && n >= -MAX ? n : NaN;
  const lo = Number(BigInt.asIntN(32, b));
  const hi = Number(BigInt.asIntN(32, b >> 32n));
  return { num: () => safe, big: () => b, lo: () => lo, hi: () => hi };
}

function write(w: Int32Array, i: number, r: number): void {
  w[2 * i] = r | 0;
  w[2 * i + 1] = Math.floor(r / TWO32);
}

/** `out[i] = a[i] op b[i]` over len elements, exactly (modulo 2^64). */
export function int64Binary(op: I64BinaryOp, a: I64Operand, b: I64Operand, out: BigInt64Array, len: number): void {
  const ra = reader(a);
  const rb = reader(b);
  const ow = int64Words(out);
  if (op === 'bitwiseAnd' || op === 'bitwiseOr' || op === 'bitwiseXor') {
    const f = op === 'bitwiseAnd' ? (x: number, y: number) => x & y : op === 'bitwiseOr' ? (x: number, y: number) => x | y : (x: number, y: number) => x ^ y;
    for (let i = 0; i < len; i++) {
      ow[2 * i] = f(ra.lo(i), rb.lo(i));
      ow[2 * i + 1] = f(ra.hi(i), rb.hi(i));
    }
    return;
  }
  const { fast, slow } = BIN[op];
  if (op === 'add' || op === 'sub' || op === 'mul') {
    arith(op === 'add' ? 0 : op === 'sub' ? 1 : 2, a, b, out, ow, len, slow);
    return;
  }
  for (let i = 0; i < len; i++) {
    if (fast) {
      const x = ra.num(i);
      const y = rb.num(i);
      if (x === x && y === y) {
        const r = fast(x, y);
        if (r <= MAX && r >= -MAX) {
          write(ow, i, r);
          continue;
        }
      }
    }
    out[i] = slow(ra.big(i), rb.big(i));
  }
}

/** A scalar operand as a double (NaN when beyond ±2^53: every element then takes bigints). */
function scalarNum(x: number | bigint): number {
  const n = Number(BigInt.asIntN(64, big(x)));
  return n <= MAX && n >= -MAX ? n : NaN;
}

/**
 * add/sub/mul written out (the hot path of int64 expressions): the words read inline, the result
 * checked to be within ±2^53 (then exact), else the element computed with bigints.
 */
function arith(kind: 0 | 1 | 2, a: I64Operand, b: I64Operand, out: BigInt64Array, ow: Int32Array, len: number, slow: (x: bigint, y: bigint) => bigint): void {
  const aw = a instanceof BigInt64Array ? int64Words(a) : undefined;
  const bw = b instanceof BigInt64Array ? int64Words(b) : undefined;
  const ac = aw ? 0 : scalarNum(a as number | bigint);
  const bc = bw ? 0 : scalarNum(b as number | bigint);
  for (let i = 0; i < len; i++) {
    let x = ac;
    let y = bc;
    if (aw) {
      const h = aw[2 * i + 1];
      x = h >= -HI && h < HI ? h * TWO32 + (aw[2 * i] >>> 0) : NaN;
    }
    if (bw) {
      const h = bw[2 * i + 1];
      y = h >= -HI && h < HI ? h * TWO32 + (bw[2 * i] >>> 0) : NaN;
    }
    const r = kind === 0 ? x + y : kind === 1 ? x - y : x * y;
    if (r <= MAX && r >= -MAX) {
      ow[2 * i] = r | 0;
      ow[2 * i + 1] = Math.floor(r / TWO32);
    } else {
      out[i] = slow(aw ? (a as BigInt64Array)[i] : big(a as number | bigint), bw ? (b as BigInt64Array)[i] : big(b as number | bigint));
    }
  }
}

const UN: Record<Exclude<I64UnaryOp, 'bitwiseNot'>, { fast: (a: number) => number; slow: (a: bigint) => bigint }> = {
  neg: { fast: (a) => -a, slow: (a) => -a },
  positive: { fast: (a) => a, slow: (a) => a },
  abs: { fast: Math.abs, slow: (a) => (a < 0n ? -a : a) },
  square: { fast: (a) => a * a, slow: (a) => a * a },
  sign: { fast: (a) => (a > 0 ? 1 : a < 0 ? -1 : 0), slow: (a) => (a > 0n ? 1n : a < 0n ? -1n : 0n) },
};

export const I64_BINARY = new Set<string>(['add', 'sub', 'mul', 'floorDiv', 'mod', 'fmod', 'pow', 'maximum', 'minimum', 'fmax', 'fmin', 'bitwiseAnd', 'bitwiseOr', 'bitwiseXor', 'leftShift', 'rightShift']);
export const I64_UNARY = new Set<string>(['neg', 'positive', 'abs', 'square', 'sign', 'bitwiseNot']);
export const I64_COMPARE = new Set<string>(['eq', 'ne', 'lt', 'le', 'gt', 'ge']);

export function int64Unary(op: I64UnaryOp, a: I64Operand, out: BigInt64Array, len: number): void {
  const ra = reader(a);
  const ow = int64Words(out);
  if (op === 'bitwiseNot') {
    for (let i = 0; i < len; i++) {
      ow[2 * i] = ~ra.lo(i);
      ow[2 * i + 1] = ~ra.hi(i);
    }
    return;
  }
  const { fast, slow } = UN[op];
  for (let i = 0; i < len; i++) {
    const x = ra.num(i);
    if (x === x) {
      const r = fast(x);
      if (r <= MAX && r >= -MAX) {
        write(ow, i, r);
        continue;
      }
    }
    out[i] = slow(ra.big(i));
  }
}

/** Exact comparison of int64 values (high words signed, then low words unsigned). */
export function int64Compare(op: I64CompareOp, a: I64Operand, b: I64Operand, out: Uint8Array, len: number): void {
  const ra = reader(a);
  const rb = reader(b);
  for (let i = 0; i < len; i++) {
    const ha = ra.hi(i);
    const hb = rb.hi(i);
    const c = ha !== hb ? (ha < hb ? -1 : 1) : ra.lo(i) >>> 0 === rb.lo(i) >>> 0 ? 0 : ra.lo(i) >>> 0 < rb.lo(i) >>> 0 ? -1 : 1;
    out[i] = (op === 'eq' ? c === 0 : op === 'ne' ? c !== 0 : op === 'lt' ? c < 0 : op === 'le' ? c <= 0 : op === 'gt' ? c > 0 : c >= 0) ? 1 : 0;
  }
}

// ---- accumulation (sums, products, running sums) ---------------------------------------------

/** A running int64 value: a double while within ±2^53, a bigint beyond. */
export type Acc = number | bigint;

/** `acc + v` or `acc * v`, exact modulo 2^64. */
export function accStep(acc: Acc, v: Acc, sum: boolean): Acc {
  if (typeof acc === 'number' && typeof v === 'number') {
    const r = sum ? acc + v : acc * v;
    if (r <= MAX && r >= -MAX) return r;
  }
  const r = BigInt.asIntN(64, sum ? big(acc) + big(v) : big(acc) * big(v));
  const n = Number(r);
  return n <= MAX && n >= -MAX ? n : r;
}

/** Element i of an integer array (any integer dtype) as an Acc. */
export function accAt(x: BigInt64Array | Int32Array | Uint8Array, w: Int32Array | undefined, i: number): Acc {
  if (!w) return x[i] as number;
  const h = w[2 * i + 1];
  return h >= -HI && h < HI ? h * TWO32 + (w[2 * i] >>> 0) : (x as BigInt64Array)[i];
}

/** Writes an Acc into element i of an int64 array. */
export function accWrite(out: BigInt64Array, w: Int32Array, i: number, v: Acc): void {
  if (typeof v === 'number') write(w, i, v);
  else out[i] = v;
}

/**
 * The exact sum (modulo 2^64) of an int64 array: the words summed as doubles (exact for 2^20
 * elements at a time), combined as bigints once per 2^20 elements.
 */
export function int64Sum(x: BigInt64Array): bigint {
  const w = int64Words(x);
  let total = 0n;
  const STEP = 1 << 20;
  for (let s = 0; s < x.length; s += STEP) {
    const e = Math.min(x.length, s + STEP);
    let lo = 0;
    let hi = 0;
    for (let i = 2 * s; i < 2 * e; i += 2) {
      lo += w[i] >>> 0;
      hi += w[i + 1];
    }
    total += (BigInt(hi) << 32n) + BigInt(lo);
  }
  return BigInt.asIntN(64, total);
}

/** The exact product (modulo 2^64) of an integer array. */
export function intProd(x: BigInt64Array | Int32Array | Uint8Array): Acc {
  const w = x instanceof BigInt64Array ? int64Words(x) : undefined;
  let acc: Acc = 1;
  for (let i = 0; i < x.length; i++) {
    acc = accStep(acc, accAt(x, w, i), false);
    if (acc === 0) break;
  }
  return acc;
}

/** The smallest (or largest) element of a non-empty int64 array, exactly. */
export function int64Extreme(x: BigInt64Array, max: boolean): bigint {
  const w = int64Words(x);
  let bh = w[1];
  let bl = w[0] >>> 0;
  let best = 0;
  for (let i = 1; i < x.length; i++) {
    const h = w[2 * i + 1];
    const l = w[2 * i] >>> 0;
    const better = max ? h > bh || (h === bh && l > bl) : h < bh || (h === bh && l < bl);
    if (better) {
      bh = h;
      bl = l;
      best = i;
    }
  }
  return x[best];
}
