/**
 * Fused float64 arithmetic (add, sub, mul, div over arena blocks and scalars) evaluated by the
 * WebAssembly kernels, tile by tile into kernel memory, for reductions over such expressions:
 * `(x + y).sum()` runs as one SIMD kernel that reads x and y in place and writes nothing, other
 * chains of these operations as SIMD kernels into L2-sized tiles. Anything else (other operations,
 * dtypes, broadcast or heap inputs) takes the JS evaluator in expr.ts.
 */
import type { BinaryOp as KernelOp, Kernels, KernelArray } from '@pdask/kernels';
import type { TypedArray } from '../dtype';
import type { ExprNode } from './expr';
import { TILE } from './expr';

const OPS = new Set(['add', 'sub', 'mul', 'div']);

/**
 * Whether the kernels can evaluate `node` with `k`: reading every input in place, or (`copy`)
 * with inputs outside kernel memory copied in tile by tile (a memcpy, far cheaper than a JS loop).
 */
export function wasmEvaluable(k: Kernels, node: ExprNode, inputs: readonly TypedArray[], copy = false): boolean {
  if (node.dtype !== 'float64') return false;
  switch (node.t) {
    case 'in':
      return inputs[node.i] instanceof Float64Array && (copy || k.owns(inputs[node.i]));
    case 'const':
      return true;
    case 'bin':
      return OPS.has(node.op) && operand(k, node.a, inputs, copy) && operand(k, node.b, inputs, copy);
    default:
      return false;
  }
}

/**
 * An operand of a float64 operation: a scalar of any dtype (`x - 1` has an int64 literal) is used
 * as the double it is, as the JS evaluator uses it.
 */
function operand(k: Kernels, node: ExprNode, inputs: readonly TypedArray[], copy: boolean): boolean {
  return node.t === 'const' || wasmEvaluable(k, node, inputs, copy);
}

/** The two arena inputs of `a op b`, when the expression is exactly that (the fused-sum case). */
export function simpleBinary(node: ExprNode, inputs: readonly TypedArray[]): { op: KernelOp; a: Float64Array; b: Float64Array } | undefined {
  if (node.t !== 'bin' || node.a.t !== 'in' || node.b.t !== 'in') return undefined;
  return { op: node.op as KernelOp, a: inputs[node.a.i] as Float64Array, b: inputs[node.b.i] as Float64Array };
}

/**
 * The input and scalar of `(x op c) * (x op c)` (one node used twice, as `d.mul(d)` builds it, or
 * two equal nodes), for the one-pass sum of squares; undefined for anything else.
 */
export function squaredDeviation(node: ExprNode, inputs: readonly TypedArray[]): { op: KernelOp; x: Float64Array; c: number } | undefined {
  if (node.t !== 'bin' || node.op !== 'mul') return undefined;
  const d = node.a;
  if (d.t !== 'bin' || !OPS.has(d.op) || d.a.t !== 'in' || d.b.t !== 'const' || !sameDeviation(d, node.b)) return undefined;
  const x = inputs[d.a.i];
  return x instanceof Float64Array ? { op: d.op as KernelOp, x, c: d.b.v } : undefined;
}

function sameDeviation(d: ExprNode & { t: 'bin' }, e: ExprNode): boolean {
  if (e === d) return true;
  return e.t === 'bin' && e.op === d.op && e.a.t === 'in' && d.a.t === 'in' && e.a.i === d.a.i && e.b.t === 'const' && d.b.t === 'const' && Object.is(e.b.v, d.b.v);
}

/** Per-thread tiles in each kernels instance, reused between tasks (tasks of a thread run one at a time). */
const tiles = new WeakMap<Kernels, KernelArray<Float64Array>[]>();

function tilePool(k: Kernels): KernelArray<Float64Array>[] {
  let t = tiles.get(k);
  if (!t) tiles.set(k, (t = []));
  return t;
}

/**
 * Calls `reduce(values, start)` for consecutive tiles of the expression's values over n elements;
 * `values` lives in k's memory (or is a view of an input), so the kernels reduce it in place.
 */
export function forWasmTiles(k: Kernels, root: ExprNode, inputs: readonly TypedArray[], n: number, reduce: (values: Float64Array, start: number) => void): void {
  forTiles(k, [root], inputs, n, (v, start, len) => reduce(typeof v[0] === 'number' ? new Float64Array(len).fill(v[0]) : v[0], start));
}

/**
 * The operands of a root `a op b` (add, sub, mul, div, neither side a constant), tile by tile, for
 * reductions with a fused two-operand kernel (`sum(a op b)` writes nothing): the root's own tile
 * is never written and read back. Undefined when the root is not of that form.
 */
export function binaryRoot(root: ExprNode): { op: KernelOp; a: ExprNode; b: ExprNode } | undefined {
  if (root.t !== 'bin' || !OPS.has(root.op) || root.a.t === 'const' || root.b.t === 'const') return undefined;
  return { op: root.op as KernelOp, a: root.a, b: root.b };
}

export function forWasmTilePairs(
  k: Kernels,
  a: ExprNode,
  b: ExprNode,
  inputs: readonly TypedArray[],
  n: number,
  reduce: (a: Float64Array, b: Float64Array, start: number) => void,
): void {
  forTiles(k, [a, b], inputs, n, (v, start) => reduce(v[0] as Float64Array, v[1] as Float64Array, start));
}

/** Evaluates `roots` tile by tile (a node shared by several roots or operands is evaluated once per tile). */
function forTiles(k: Kernels, roots: readonly ExprNode[], inputs: readonly TypedArray[], n: number, use: (values: (Float64Array | number)[], start: number, len: number) => void): void {
  const pool = tilePool(k);
  const owned = inputs.map((x) => k.owns(x));
  // A node used twice (`d.mul(d)`) is one object: evaluated once per tile.
  const seen = new Map<ExprNode, Float64Array | number>();
  for (let start = 0; start < n; start += TILE) {
    const len = Math.min(TILE, n - start);
    let used = 0;
    seen.clear();
    const tile = (): Float64Array => {
      if (used === pool.length) pool.push(k.alloc(Float64Array, TILE));
      return pool[used++].array.subarray(0, len);
    };
    const evalNode = (node: ExprNode): Float64Array | number => {
      if (node.t === 'const') return node.v;
      const known = seen.get(node);
      if (known !== undefined) return known;
      let out: Float64Array;
      if (node.t === 'in') {
        const src = (inputs[node.i] as Float64Array).subarray(start, start + len);
        if (owned[node.i]) return src;
        out = tile();
        out.set(src);
      } else {
        const b = node as ExprNode & { t: 'bin' };
        const a = evalNode(b.a);
        const c = evalNode(b.b);
        // Views are read after any allocation (growing a shared memory keeps them valid anyway).
        out = tile();
        k.binary(b.op as KernelOp, a, c, out);
      }
      seen.set(node, out);
      return out;
    };
    use(roots.map(evalNode), start, len);
  }
}
