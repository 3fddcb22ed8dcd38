/**
 * Fused elementwise programs. A chain of elementwise operations (and the generators of creation
 * functions) is kept as one expression tree per output block, evaluated over a range of the block
 * at a time, so `(x + y).sum()` reads x and y once without ever writing a whole x + y block.
 */
import { alloc, asNumbers, fillNumber, isIntegral, numbersToInt64, type DType, type NumericArray, type TypedArray } from '../dtype';
import { castInto, same } from './block';
import { I64_BINARY, I64_COMPARE, I64_UNARY, int64Binary, int64Compare, int64Unary, type I64BinaryOp, type I64CompareOp, type I64Operand, type I64UnaryOp } from './int64';
import { fillNormal, fillUniform, streamFor, type RandomState } from './random';

export type UnaryOp =
  | 'neg' | 'positive' | 'abs' | 'sqrt' | 'square' | 'reciprocal' | 'exp' | 'expm1' | 'log' | 'log1p' | 'log2' | 'log10'
  | 'sin' | 'cos' | 'tan' | 'arcsin' | 'arccos' | 'arctan' | 'sinh' | 'cosh' | 'tanh' | 'arcsinh' | 'arccosh' | 'arctanh'
  | 'floor' | 'ceil' | 'trunc' | 'rint' | 'sign' | 'isnan' | 'isinf' | 'isfinite' | 'logicalNot'
  | 'bitwiseNot' | 'signbit' | 'fix' | 'deg2rad' | 'rad2deg';

export type BinaryOp =
  | 'add' | 'sub' | 'mul' | 'div' | 'floorDiv' | 'mod' | 'pow' | 'maximum' | 'minimum' | 'fmax' | 'fmin' | 'arctan2' | 'hypot'
  | 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge' | 'logicalAnd' | 'logicalOr' | 'logicalXor'
  | 'bitwiseAnd' | 'bitwiseOr' | 'bitwiseXor' | 'leftShift' | 'rightShift' | 'logaddexp' | 'logaddexp2' | 'fmod' | 'copysign' | 'ldexp';

export type GenSpec =
  | { readonly k: 'random'; readonly dist: 'random' | 'uniform' | 'normal' | 'integers'; readonly seed: number; readonly a: number; readonly b: number }
  /** value = start + step * (global flat index); 1-D arrays (arange, linspace). */
  | { readonly k: 'arange'; readonly start: number; readonly step: number; readonly stop?: number; readonly n?: number }
  /** 1 where column - row === diag (2-D). */
  | { readonly k: 'eye'; readonly diag: number };

export type ExprNode =
  | { readonly t: 'in'; readonly i: number; readonly dtype: DType }
  | { readonly t: 'const'; readonly v: number; readonly dtype: DType }
  | { readonly t: 'gen'; readonly g: GenSpec; readonly dtype: DType }
  | { readonly t: 'un'; readonly op: UnaryOp; readonly a: ExprNode; readonly dtype: DType }
  | { readonly t: 'bin'; readonly op: BinaryOp; readonly a: ExprNode; readonly b: ExprNode; readonly dtype: DType }
  | { readonly t: 'where'; readonly c: ExprNode; readonly a: ExprNode; readonly b: ExprNode; readonly dtype: DType }
  | { readonly t: 'cast'; readonly a: ExprNode; readonly dtype: DType };

/** Where the block sits in the whole array: what generators need. */
export interface BlockPlace {
  readonly shape: readonly number[];
  readonly offset: readonly number[];
  /** C-order number of the block in its grid: the random stream of the block. */
  readonly id: number;
}

export interface EvalContext {
  /** Input blocks, already broadcast to the output block's shape. */
  readonly inputs: readonly TypedArray[];
  readonly place: BlockPlace;
  /** Buffer for a node's values over `len` elements (fresh, or reused between tiles). */
  readonly buffer: (node: ExprNode, len: number) => TypedArray;
  readonly gens: Map<GenSpec, RandomState>;
  /** Input i over a range; by default a view of `inputs[i]`. */
  readonly input?: (i: number, start: number, len: number) => TypedArray;
  /**
   * The last range each node was evaluated over, and its values. An expression shares a node
   * wherever one array is used twice (`d.mul(d)`): evaluated once per range, and a random
   * generator is not drawn from twice (which would give the two uses different numbers).
   */
  readonly memo: Map<ExprNode, { start: number; len: number; v: Val }>;
}

const rint = (x: number): number => {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 ? 2 * Math.round(x / 2) : r;
};

const UN: Record<UnaryOp, (x: number) => number> = {
  neg: (x) => -x,
  positive: (x) => x,
  abs: Math.abs,
  sqrt: Math.sqrt,
  square: (x) => x * x,
  reciprocal: (x) => 1 / x,
  exp: Math.exp,
  expm1: Math.expm1,
  log: Math.log,
  log1p: Math.log1p,
  log2: Math.log2,
  log10: Math.log10,
  sin: Math.sin,
  cos: Math.cos,
  tan: Math.tan,
  arcsin: Math.asin,
  arccos: Math.acos,
  arctan: Math.atan,
  sinh: Math.sinh,
  cosh: Math.cosh,
  tanh: Math.tanh,
  arcsinh: Math.asinh,
  arccosh: Math.acosh,
  arctanh: Math.atanh,
  floor: Math.floor,
  ceil: Math.ceil,
  trunc: Math.trunc,
  rint,
  sign: (x) => (x > 0 ? 1 : x < 0 ? -1 : x),
  isnan: (x) => (x !== x ? 1 : 0),
  isinf: (x) => (x === Infinity || x === -Infinity ? 1 : 0),
  isfinite: (x) => (Number.isFinite(x) ? 1 : 0),
  logicalNot: (x) => (x === 0 ? 1 : 0),
  // On int32/uint8 (stored modulo 2^8); bool arrays take logicalNot (evalNode).
  bitwiseNot: (x) => ~x,
  signbit: (x) => (x < 0 || Object.is(x, -0) ? 1 : 0),
  fix: Math.trunc,
  deg2rad: (x) => x * (Math.PI / 180),
  rad2deg: (x) => x * (180 / Math.PI),
};

/** NumPy's npy_logaddexp: exact at x == y (infinities included), log1p of the smaller term. */
const logaddexp = (x: number, y: number): number => {
  if (x === y) return x + Math.LN2;
  const d = x - y;
  return d > 0 ? x + Math.log1p(Math.exp(-d)) : d <= 0 ? y + Math.log1p(Math.exp(d)) : d;
};
const logaddexp2 = (x: number, y: number): number => {
  if (x === y) return x + 1;
  const d = x - y;
  return d > 0 ? x + Math.LOG2E * Math.log1p(2 ** -d) : d <= 0 ? y + Math.LOG2E * Math.log1p(2 ** d) : d;
};
/** x * 2^n without overflowing 2^n itself (ldexp(1e-300, 1100) is finite). */
const ldexp = (x: number, n: number): number => {
  while (n > 1023) {
    x *= 2 ** 1023;
    n -= 1023;
  }
  while (n < -1022) {
    x *= 2 ** -1022;
    n += 1022;
  }
  return x * 2 ** n;
};

/** Python's modulo: the result has the sign of the divisor (NumPy's `mod`). */
const pyMod = (a: number, b: number): number => {
  const r = a % b;
  return r !== 0 && r < 0 !== b < 0 ? r + b : r;
};

const BIN: Record<BinaryOp, (a: number, b: number) => number> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  floorDiv: (a, b) => Math.floor(a / b),
  mod: pyMod,
  pow: (a, b) => a ** b,
  maximum: (a, b) => (a !== a || b !== b ? NaN : a > b ? a : b),
  minimum: (a, b) => (a !== a || b !== b ? NaN : a < b ? a : b),
  fmax: (a, b) => (a !== a ? b : b !== b ? a : a > b ? a : b),
  fmin: (a, b) => (a !== a ? b : b !== b ? a : a < b ? a : b),
  arctan2: Math.atan2,
  hypot: Math.hypot,
  eq: (a, b) => (a === b ? 1 : 0),
  ne: (a, b) => (a !== b ? 1 : 0),
  lt: (a, b) => (a < b ? 1 : 0),
  le: (a, b) => (a <= b ? 1 : 0),
  gt: (a, b) => (a > b ? 1 : 0),
  ge: (a, b) => (a >= b ? 1 : 0),
  logicalAnd: (a, b) => (a !== 0 && b !== 0 ? 1 : 0),
  logicalOr: (a, b) => (a !== 0 || b !== 0 ? 1 : 0),
  logicalXor: (a, b) => ((a !== 0) !== (b !== 0) ? 1 : 0),
  bitwiseAnd: (a, b) => a & b,
  bitwiseOr: (a, b) => a | b,
  bitwiseXor: (a, b) => a ^ b,
  // NumPy: shifts by the width or more (or negative) give 0, or -1 for a negative value shifted right.
  leftShift: (a, b) => (b >= 0 && b < 32 ? a << b : 0),
  rightShift: (a, b) => (b >= 0 && b < 32 ? a >> b : a < 0 ? -1 : 0),
  logaddexp,
  logaddexp2,
  fmod: (a, b) => a % b,
  copysign: (a, b) => (b < 0 || Object.is(b, -0) ? -Math.abs(a) : Math.abs(a)),
  ldexp,
};

/** Integer division and modulo by zero give 0, as NumPy's integer loops do (with a warning). */
const INT_BIN: Partial<Record<BinaryOp, (a: number, b: number) => number>> = {
  floorDiv: (a, b) => (b === 0 ? 0 : Math.floor(a / b)),
  mod: (a, b) => (b === 0 ? 0 : pyMod(a, b)),
  fmod: (a, b) => (b === 0 ? 0 : a % b),
};

export function applyUnary(op: UnaryOp, x: number): number {
  return UN[op](x);
}
export function applyBinary(op: BinaryOp, a: number, b: number): number {
  return BIN[op](a, b);
}

type Val = TypedArray | number;

/** Values of `node` over the flat range [start, start + len) of the block. */
export function evalRange(node: ExprNode, ctx: EvalContext, start: number, len: number): Val {
  if (node.t === 'in' || node.t === 'const') return evalNode(node, ctx, start, len);
  const hit = ctx.memo.get(node);
  if (hit && hit.start === start && hit.len === len) return hit.v;
  const v = evalNode(node, ctx, start, len);
  ctx.memo.set(node, { start, len, v });
  return v;
}

/** A value as numbers: an int64 array converted (the builder inserts casts; this is the fallback). */
function num(v: Val): NumericArray | number {
  return typeof v === 'number' ? v : asNumbers(v);
}

/** A value as an int64 operand: number arrays converted (the builder inserts casts; this is the fallback). */
function i64(v: Val): I64Operand {
  return typeof v === 'number' || v instanceof BigInt64Array ? v : numbersToInt64(v);
}

const isInt64 = (v: Val): boolean => v instanceof BigInt64Array;

function castConst(v: number, dtype: DType): number {
  if (dtype === 'bool') return v !== 0 ? 1 : 0;
  return isIntegral(dtype) ? Math.trunc(v) || 0 : v;
}

function evalNode(node: ExprNode, ctx: EvalContext, start: number, len: number): Val {
  switch (node.t) {
    case 'in':
      return ctx.input ? ctx.input(node.i, start, len) : ctx.inputs[node.i].subarray(start, start + len);
    case 'const':
      return node.v;
    case 'gen':
      return generate(node, ctx, start, len);
    case 'cast': {
      const a = evalRange(node.a, ctx, start, len);
      if (typeof a === 'number') return castConst(a, node.dtype);
      const out = ctx.buffer(node, len);
      castInto(a, out, node.dtype);
      return out;
    }
    case 'un': {
      const a0 = evalRange(node.a, ctx, start, len);
      if (node.dtype === 'int64' && I64_UNARY.has(node.op)) {
        if (typeof a0 === 'number') return Number(BigInt.asIntN(64, BigInt(UN[node.op](a0))));
        const out = ctx.buffer(node, len) as BigInt64Array;
        int64Unary(node.op as I64UnaryOp, i64(a0), out, len);
        return out;
      }
      const a = num(a0);
      const f = node.op === 'bitwiseNot' && node.dtype === 'bool' ? UN.logicalNot : UN[node.op];
      if (typeof a === 'number') return f(a);
      const out = ctx.buffer(node, len) as NumericArray;
      if (node.op === 'neg') for (let i = 0; i < len; i++) out[i] = -a[i];
      else if (node.op === 'square') for (let i = 0; i < len; i++) out[i] = a[i] * a[i];
      else for (let i = 0; i < len; i++) out[i] = f(a[i]);
      return out;
    }
    case 'bin': {
      const a0 = evalRange(node.a, ctx, start, len);
      const b0 = evalRange(node.b, ctx, start, len);
      if (node.dtype === 'int64' && I64_BINARY.has(node.op)) {
        if (typeof a0 === 'number' && typeof b0 === 'number') return foldInt64(node.op as I64BinaryOp, a0, b0);
        const out = ctx.buffer(node, len) as BigInt64Array;
        int64Binary(node.op as I64BinaryOp, i64(a0), i64(b0), out, len);
        return out;
      }
      if (I64_COMPARE.has(node.op) && (isInt64(a0) || isInt64(b0)) && exactInts(a0) && exactInts(b0)) {
        const out = ctx.buffer(node, len) as Uint8Array;
        int64Compare(node.op as I64CompareOp, i64(a0), i64(b0), out, len);
        return out;
      }
      const a = num(a0);
      const b = num(b0);
      const f = (isIntegral(node.dtype) && INT_BIN[node.op]) || BIN[node.op];
      if (typeof a === 'number' && typeof b === 'number') return f(a, b);
      const out = ctx.buffer(node, len);
      const res = out instanceof BigInt64Array ? new Float64Array(len) : out;
      binaryLoop(node.op, f, a, b, res, len);
      if (out instanceof BigInt64Array) numbersToInt64(res, out);
      return out;
    }
    case 'where': {
      const c = num(evalRange(node.c, ctx, start, len));
      const a0 = evalRange(node.a, ctx, start, len);
      const b0 = evalRange(node.b, ctx, start, len);
      const out = ctx.buffer(node, len);
      if (out instanceof BigInt64Array) {
        const a = i64(a0);
        const b = i64(b0);
        const sa = typeof a === 'bigint' ? a : typeof a === 'number' ? BigInt(a) : undefined;
        const sb = typeof b === 'bigint' ? b : typeof b === 'number' ? BigInt(b) : undefined;
        for (let i = 0; i < len; i++) {
          const ci = typeof c === 'number' ? c : c[i];
          out[i] = ci !== 0 ? (sa ?? (a as BigInt64Array)[i]) : (sb ?? (b as BigInt64Array)[i]);
        }
        return out;
      }
      const a = num(a0);
      const b = num(b0);
      const o = out as NumericArray;
      for (let i = 0; i < len; i++) {
        const ci = typeof c === 'number' ? c : c[i];
        o[i] = ci !== 0 ? (typeof a === 'number' ? a : a[i]) : typeof b === 'number' ? b : b[i];
      }
      return o;
    }
  }
}

/** Whether a value holds integers only (then an int64 comparison against it is exact). */
function exactInts(v: Val): boolean {
  return typeof v === 'number' ? Number.isInteger(v) : !(v instanceof Float64Array || v instanceof Float32Array);
}

/** An int64 operation on two scalars (folded constants), as a number. */
function foldInt64(op: I64BinaryOp, a: number, b: number): number {
  const out = new BigInt64Array(1);
  int64Binary(op, a, b, out, 1);
  return Number(out[0]);
}

/** The hot loops: add/sub/mul/div are written out so V8 compiles them without a call per element. */
function binaryLoop(op: BinaryOp, f: (a: number, b: number) => number, a: NumericArray | number, b: NumericArray | number, out: NumericArray, len: number): void {
  if (typeof a !== 'number' && typeof b !== 'number') {
    switch (op) {
      case 'add':
        for (let i = 0; i < len; i++) out[i] = a[i] + b[i];
        return;
      case 'sub':
        for (let i = 0; i < len; i++) out[i] = a[i] - b[i];
        return;
      case 'mul':
        for (let i = 0; i < len; i++) out[i] = a[i] * b[i];
        return;
      case 'div':
        for (let i = 0; i < len; i++) out[i] = a[i] / b[i];
        return;
      default:
        for (let i = 0; i < len; i++) out[i] = f(a[i], b[i]);
        return;
    }
  }
  if (typeof b === 'number') {
    const x = a as NumericArray;
    switch (op) {
      case 'add':
        for (let i = 0; i < len; i++) out[i] = x[i] + b;
        return;
      case 'mul':
        for (let i = 0; i < len; i++) out[i] = x[i] * b;
        return;
      default:
        for (let i = 0; i < len; i++) out[i] = f(x[i], b);
        return;
    }
  }
  const y = b as NumericArray;
  const s = a as number;
  for (let i = 0; i < len; i++) out[i] = f(s, y[i]);
}

function generate(node: ExprNode & { t: 'gen' }, ctx: EvalContext, start: number, len: number): Val {
  const buf = ctx.buffer(node, len);
  if (!(buf instanceof BigInt64Array)) return generateNumbers(node, ctx, start, len, buf);
  const g = node.g;
  if (g.k === 'arange') {
    // Exact beyond 2^53 too: integer arange values as bigints where doubles could round.
    const base = ctx.place.offset[0] + start;
    const last = Math.abs(g.start) + Math.abs(g.step) * (base + len);
    if (last > Number.MAX_SAFE_INTEGER && Number.isInteger(g.start) && Number.isInteger(g.step)) {
      const s0 = BigInt(g.start);
      const st = BigInt(g.step);
      for (let i = 0; i < len; i++) buf[i] = s0 + BigInt(base + i) * st;
      return buf;
    }
  }
  const tmp = generateNumbers({ ...node, dtype: 'float64' }, ctx, start, len, new Float64Array(len));
  numbersToInt64(tmp, buf);
  return buf;
}

function generateNumbers(node: ExprNode & { t: 'gen' }, ctx: EvalContext, start: number, len: number, out: NumericArray): NumericArray {
  const g = node.g;
  const place = ctx.place;
  if (g.k === 'random') {
    // Keyed by the generator spec, which an int64 node shares with its float64 stand-in above.
    let st = ctx.gens.get(g);
    if (!st) {
      st = streamFor(g.seed, place.id);
      ctx.gens.set(g, st);
    }
    // Ranges of a block are always visited in order, so the stream continues across tiles.
    if (g.dist === 'normal') fillNormal(st, out as Float64Array, 0, len, g.a, g.b);
    else if (g.dist === 'integers') {
      const tmp = new Float64Array(len);
      fillUniform(st, tmp, 0, len);
      const span = g.b - g.a;
      for (let i = 0; i < len; i++) out[i] = g.a + Math.floor(tmp[i] * span);
    } else {
      // By the WASM kernel when loaded: in place when `out` is a kernel tile (a fused reduction).
      fillUniform(st, out as Float64Array, 0, len, g.dist === 'uniform' ? g.a : 0, g.dist === 'uniform' ? g.b - g.a : 1);
    }
    return out;
  }
  if (g.k === 'arange') {
    const base = place.offset[0] + start;
    for (let i = 0; i < len; i++) out[i] = g.start + (base + i) * g.step;
    // linspace: the last point is exactly `stop`, as NumPy makes it.
    if (g.stop !== undefined && g.n !== undefined && base + len === g.n && len > 0) out[len - 1] = g.stop;
    return out;
  }
  // eye
  const w = place.shape[1];
  for (let i = 0; i < len; i++) {
    const p = start + i;
    const r = place.offset[0] + Math.floor(p / w);
    const c = place.offset[1] + (p % w);
    out[i] = c - r === g.diag ? 1 : 0;
  }
  return out;
}

export function freshContext(inputs: readonly TypedArray[], place: BlockPlace): EvalContext {
  return { inputs, place, gens: new Map(), memo: new Map(), buffer: (node, len) => alloc(node.dtype, len) };
}

/** Elements per tile when a program is evaluated piecewise (small enough to stay in L2 cache). */
export const TILE = 32768;

const isShared = (a: TypedArray): boolean => typeof SharedArrayBuffer !== 'undefined' && a.buffer instanceof SharedArrayBuffer;

/**
 * A context that evaluates tile by tile with reused buffers. Inputs held in a SharedArrayBuffer are
 * first copied tile by tile (a native memcpy) into the JS heap: V8's loops over shared typed arrays
 * run several times slower than over ordinary ones.
 */
export function tileContext(inputs: readonly TypedArray[], place: BlockPlace, rootBuffer?: (node: ExprNode) => TypedArray | undefined): EvalContext {
  let n = 1;
  for (const s of place.shape) n *= s;
  // Small blocks get small buffers: a zero-filled 256 KiB buffer per node would dominate them.
  const size = Math.max(1, Math.min(TILE, n));
  const pool = new Map<ExprNode, TypedArray>();
  const inPool = new Map<number, TypedArray>();
  const shared = inputs.map(isShared);
  return {
    inputs,
    place,
    gens: new Map(),
    memo: new Map(),
    buffer: (node, len) => {
      let b = rootBuffer?.(node) ?? pool.get(node);
      if (!b) {
        b = alloc(node.dtype, size);
        pool.set(node, b);
      }
      return len === b.length ? b : b.subarray(0, len);
    },
    input: (i, start, len) => {
      const src = inputs[i].subarray(start, start + len);
      if (!shared[i]) return src;
      let b = inPool.get(i);
      if (!b) {
        b = new (inputs[i].constructor as new (n: number) => TypedArray)(size);
        inPool.set(i, b);
      }
      const dst = len === b.length ? b : b.subarray(0, len);
      same(dst).set(same(src));
      return dst;
    },
  };
}

/** The whole block as a new typed array of the root's dtype (an input is returned as it is). */
export function evalBlock(root: ExprNode, inputs: readonly TypedArray[], place: BlockPlace): TypedArray {
  let n = 1;
  for (const s of place.shape) n *= s;
  if (root.t === 'in') return inputs[root.i];
  const out = alloc(root.dtype, n);
  const ctx = tileContext(inputs, place);
  for (let start = 0; start < n; start += TILE) {
    const len = Math.min(TILE, n - start);
    const v = evalRange(root, ctx, start, len);
    if (typeof v === 'number') fillNumber(out, v, start, start + len);
    else same(out).set(same(v), start);
  }
  return out;
}
