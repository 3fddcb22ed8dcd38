/**
 * Elementwise operations with NumPy broadcasting. The result is an *expression* array: chains of
 * elementwise operations fuse into one task per block, and a reduction of such a chain evaluates
 * it tile by tile without materialising it.
 */
import { tokenize } from '@pdask/core';
import { ChunkedArray } from '../array';
import { commonChunks, sameChunks } from '../chunks';
import { floatResult, isFloat, promote, promoteScalar, type DType } from '../dtype';
import type { NDArray } from '../ndarray';
import { asArray, type ArrayLike } from '../creation/from-array';
import { rechunk } from '../rechunk/rechunk';
import { applyBinary, applyUnary, type BinaryOp, type ExprNode, type UnaryOp } from '../runtime/expr';

/** An operand: a chunked array, a JS number/boolean, or eager data (NDArray, typed or nested array). */
export type Operand = ChunkedArray<unknown> | number | boolean | ArrayLike;

const COMPARISON = new Set<BinaryOp>(['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'logicalAnd', 'logicalOr', 'logicalXor']);
const TRUE_FLOAT_BIN = new Set<BinaryOp>(['div', 'arctan2', 'hypot', 'logaddexp', 'logaddexp2', 'copysign']);
const BOOL_UNARY = new Set<UnaryOp>(['isnan', 'isinf', 'isfinite', 'logicalNot', 'signbit']);
const SAME_UNARY = new Set<UnaryOp>(['neg', 'positive', 'abs', 'square', 'sign']);
const BITWISE = new Set<string>(['bitwiseAnd', 'bitwiseOr', 'bitwiseXor', 'leftShift', 'rightShift', 'bitwiseNot']);
/** NumPy's ufunc names, for errors. */
const UFUNC: Record<string, string> = {
  bitwiseAnd: 'bitwise_and', bitwiseOr: 'bitwise_or', bitwiseXor: 'bitwise_xor', leftShift: 'left_shift', rightShift: 'right_shift', bitwiseNot: 'invert', ldexp: 'ldexp',
};

function arithmetic(d: DType): DType {
  // NumPy's other bool loops (floor_divide, mod, power, square, shifts) give int8, which pdask lacks.
  return d === 'bool' ? 'int32' : d;
}

/** NumPy's bool loops: add is logical or, multiply logical and; subtract and negative have none. */
const BOOL_BINARY: Partial<Record<BinaryOp, BinaryOp>> = { add: 'logicalOr', mul: 'logicalAnd' };

function refuseBool(op: string, ...dtypes: DType[]): void {
  if (!dtypes.every((d) => d === 'bool')) return;
  if (op === 'sub') throw new TypeError('numpy boolean subtract, the `-` operator, is not supported, use the bitwise_xor, the `^` operator, or the logical_xor function instead.');
  if (op === 'neg') throw new TypeError('The numpy boolean negative, the `-` operator, is not supported, use the `~` operator or the logical_not function instead.');
  if (op === 'sign' || op === 'positive') throw new TypeError(`ufunc '${op}' did not contain a loop with signature matching types <class 'numpy.dtype[bool_]'> -> None`);
}

function refuseFloat(op: string, ...dtypes: DType[]): void {
  if (dtypes.some(isFloat)) {
    throw new TypeError(`ufunc '${UFUNC[op] ?? op}' not supported for the input types (${dtypes.join(', ')}), and the inputs could not be safely coerced to any supported types according to the casting rule 'safe'`);
  }
}

export function binaryDType(op: BinaryOp, a: DType, b: DType): DType {
  if (COMPARISON.has(op)) return 'bool';
  if (BITWISE.has(op)) {
    refuseFloat(op, a, b);
    const p = promote(a, b);
    return op === 'leftShift' || op === 'rightShift' ? arithmetic(p) : p;
  }
  if (op === 'ldexp') {
    refuseFloat(op, b);
    return floatResult(a);
  }
  refuseBool(op, a, b);
  const p = promote(a, b);
  if (p === 'bool' && BOOL_BINARY[op]) return 'bool';
  if (TRUE_FLOAT_BIN.has(op)) return floatResult(p === 'float32' ? 'float32' : isFloat(p) ? p : 'float64');
  if (op === 'maximum' || op === 'minimum' || op === 'fmax' || op === 'fmin') return p;
  return arithmetic(p);
}

export function unaryDType(op: UnaryOp, a: DType): DType {
  if (BOOL_UNARY.has(op)) return 'bool';
  if (op === 'bitwiseNot') {
    refuseFloat(op, a);
    return a;
  }
  refuseBool(op, a);
  // abs of bool is bool (NumPy's ?->? loop); square of bool int8 (int32 here).
  if (SAME_UNARY.has(op)) return op === 'abs' || op === 'sign' ? a : arithmetic(a);
  return floatResult(a);
}

/**
 * An operand of a computation in `domain`: int64 values (bigints) meet number arrays only through
 * a cast, so the evaluator's loops see one kind of element. Constants stay numbers.
 */
function operandIn(n: ExprNode, domain: DType): ExprNode {
  if (n.t === 'const' || (n.dtype === 'int64') === (domain === 'int64')) return n;
  return { t: 'cast', a: n, dtype: domain === 'int64' ? 'int64' : 'float64' };
}

/** The dtype an operation computes in (its result's, except for comparisons). */
function domainOf(op: BinaryOp, dx: DType, dy: DType, result: DType): DType {
  if (!COMPARISON.has(op)) return result;
  const p = promote(dx, dy);
  // Comparisons of int64 with other integers are exact; with floats, as float64 (NumPy's too).
  return op.startsWith('logical') ? 'float64' : p;
}

type Arg = { k: 'arr'; a: ChunkedArray<unknown> } | { k: 'const'; v: number; dtype: DType };

function toArg(x: Operand): Arg {
  if (typeof x === 'number') return { k: 'const', v: x, dtype: Number.isSafeInteger(x) ? 'int64' : 'float64' };
  if (typeof x === 'boolean') return { k: 'const', v: x ? 1 : 0, dtype: 'bool' };
  if (x instanceof ChunkedArray) return { k: 'arr', a: x };
  return { k: 'arr', a: asArray(x as ArrayLike) };
}

export function broadcastShapes(shapes: readonly (readonly number[])[]): number[] {
  const nd = Math.max(0, ...shapes.map((s) => s.length));
  const out = new Array<number>(nd).fill(1);
  for (const s of shapes) {
    const pad = nd - s.length;
    s.forEach((n, k) => {
      const d = k + pad;
      if (out[d] === 1) out[d] = n;
      else if (n !== 1 && n !== out[d] && !(Number.isNaN(n) && Number.isNaN(out[d]))) {
        throw new RangeError(`operands could not be broadcast together with shapes ${shapes.map((x) => `(${x.join(',')}${x.length === 1 ? ',' : ''})`).join(' ')}`);
      }
    });
  }
  return out;
}

/**
 * Builds `make(args)` over operands with broadcasting. Expression operands of the result's shape
 * and chunks are inlined (fusion); others are read block by block.
 */
export function elementwise(label: string, operands: readonly Operand[], make: (args: ExprNode[], dtypes: DType[]) => ExprNode): ChunkedArray<unknown> {
  const args = operands.map(toArg);
  const arrays = args.filter((a): a is { k: 'arr'; a: ChunkedArray<unknown> } => a.k === 'arr').map((a) => a.a);
  if (!arrays.length) throw new TypeError(`${label}: at least one operand must be an array`);
  const shape = broadcastShapes(arrays.map((a) => a.shape));
  const nd = shape.length;
  // Output chunks: the common refinement of the chunks of the operands that span each dimension.
  const chunks: number[][] = shape.map((n, d) => {
    let c: number[] | undefined;
    for (const a of arrays) {
      const k = d - (nd - a.ndim);
      if (k < 0 || !(a.shape[k] === n || (Number.isNaN(n) && Number.isNaN(a.shape[k]))) || (n === 1 && a.shape[k] === 1 && c)) continue;
      c = c ? (sameChunks(c, a.chunks[k]) ? c : commonChunks(c, a.chunks[k] as number[])) : [...a.chunks[k]];
    }
    return c ?? [n];
  });
  const inputs: ChunkedArray<unknown>[] = [];
  const inputIndex = new Map<string, number>();
  const addInput = (a: ChunkedArray<unknown>): number => {
    let i = inputIndex.get(a.name);
    if (i === undefined) {
      i = inputs.length;
      inputs.push(a);
      inputIndex.set(a.name, i);
    }
    return i;
  };
  const nodes: ExprNode[] = [];
  const dtypes: DType[] = [];
  // One node per operand array: `d.mul(d)` evaluates d once per tile (see EvalContext.memo).
  const shared = new Map<string, ExprNode>();
  for (const arg of args) {
    if (arg.k === 'const') {
      nodes.push({ t: 'const', v: arg.v, dtype: arg.dtype });
      dtypes.push(arg.dtype);
      continue;
    }
    let a = arg.a;
    const pad = nd - a.ndim;
    const want = a.shape.map((s, k) => (s === 1 && shape[k + pad] !== 1 ? [1] : chunks[k + pad]));
    if (!a.chunks.every((c, k) => sameChunks(c, want[k]))) a = rechunk(a, want);
    dtypes.push(a.dtype);
    const known = shared.get(a.name);
    if (known) {
      nodes.push(known);
    } else if (a.source.k === 'expr' && a.ndim === nd && a.shape.every((s, k) => s === shape[k])) {
      const src = a.source;
      const remap = src.inputs.map((x) => addInput(x));
      const e = renumber(src.expr, remap);
      shared.set(a.name, e);
      nodes.push(e);
    } else {
      nodes.push({ t: 'in', i: addInput(a), dtype: a.dtype });
    }
  }
  const expr = fold(make(nodes, dtypes));
  const name = `${label}-${tokenize(expr, inputs.map((x) => x.name), chunks)}`;
  return new ChunkedArray(name, shape, chunks, expr.dtype, { k: 'expr', expr, inputs, label });
}

function renumber(e: ExprNode, remap: readonly number[]): ExprNode {
  switch (e.t) {
    case 'in':
      return { ...e, i: remap[e.i] };
    case 'const':
    case 'gen':
      return e;
    case 'un':
    case 'cast':
      return { ...e, a: renumber(e.a, remap) };
    case 'bin':
      return { ...e, a: renumber(e.a, remap), b: renumber(e.b, remap) };
    case 'where':
      return { ...e, c: renumber(e.c, remap), a: renumber(e.a, remap), b: renumber(e.b, remap) };
  }
}

/** Folds operations on constants (x * (2 + 1) keeps one constant). */
function fold(e: ExprNode): ExprNode {
  if (e.t === 'bin' && e.a.t === 'const' && e.b.t === 'const') return { t: 'const', v: applyBinary(e.op, e.a.v, e.b.v), dtype: e.dtype };
  if (e.t === 'un' && e.a.t === 'const') return { t: 'const', v: applyUnary(e.op, e.a.v), dtype: e.dtype };
  return e;
}

/** dtype of a constant against the other operand: NumPy's weak scalars. */
function constDType(n: ExprNode, other: DType): DType {
  return n.t === 'const' ? promoteScalar(other, n.dtype === 'bool' ? n.v !== 0 : n.v) : n.dtype;
}

export function binary(op: BinaryOp, a: Operand, b: Operand): ChunkedArray<unknown> {
  return elementwise(op, [a, b], ([x, y]) => {
    const dx = x.t === 'const' && y.t !== 'const' ? constDType(x, y.dtype) : x.dtype;
    // ldexp's exponent is an integer operand, not a weak scalar of the mantissa's kind.
    const dy = y.t === 'const' && x.t !== 'const' && op !== 'ldexp' ? constDType(y, x.dtype) : y.dtype;
    const dtype = binaryDType(op, dx, dy);
    // bool + bool is logical or, bool * bool logical and (NumPy's ?? loops), computed as such.
    const run = dtype === 'bool' ? (BOOL_BINARY[op] ?? op) : op;
    const domain = domainOf(run, dx, dy, dtype);
    return { t: 'bin', op: run, a: operandIn(x, domain), b: operandIn(y, domain), dtype };
  });
}

export function unary(op: UnaryOp, a: Operand): ChunkedArray<unknown> {
  return elementwise(op, [a], ([x]) => {
    const dtype = unaryDType(op, x.dtype);
    // int64 stays int64 where the result is int64 (exact); anything else reads it as float64.
    return { t: 'un', op, a: operandIn(x, dtype === 'int64' ? 'int64' : 'float64'), dtype };
  });
}

export function where(cond: Operand, a: Operand, b: Operand): ChunkedArray<unknown> {
  return elementwise('where', [cond, a, b], ([c, x, y]) => {
    const dx = x.t === 'const' && y.t !== 'const' ? constDType(x, y.dtype) : x.dtype;
    const dy = y.t === 'const' && x.t !== 'const' ? constDType(y, x.dtype) : y.dtype;
    const dtype = promote(dx, dy);
    const cond: ExprNode = c.dtype === 'int64' ? { t: 'cast', a: c, dtype: 'bool' } : c;
    return { t: 'where', c: cond, a: operandIn(x, dtype), b: operandIn(y, dtype), dtype };
  });
}

export function astype(a: ChunkedArray<unknown>, dtype: DType): ChunkedArray<unknown> {
  if (a.dtype === dtype) return a;
  return elementwise('astype', [a], ([x]) => ({ t: 'cast', a: x, dtype }));
}

export function clip(a: Operand, min?: Operand | null, max?: Operand | null): ChunkedArray<unknown> {
  let r: ChunkedArray<unknown> = a instanceof ChunkedArray ? a : toArg(a).k === 'arr' ? (toArg(a) as { a: ChunkedArray<unknown> }).a : (() => { throw new TypeError('clip: the first operand must be an array'); })();
  if (min !== undefined && min !== null) r = binary('maximum', r, min);
  if (max !== undefined && max !== null) r = binary('minimum', r, max);
  return r;
}

export type { NDArray };
