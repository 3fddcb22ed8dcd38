/**
 * Reductions as tree reductions (Dask's `reduction`): each block is reduced to a *partial* by the
 * WebAssembly kernels, partials are merged in groups of `splitEvery`, and the last merge finalises.
 * Partials are plain objects of Float64Arrays, one value per position of the kept dimensions.
 * What each reduction does at each step is its row of the table in reduce-table.ts.
 */
import { knownPlace } from './layout';
import type { Kernels } from '@pdask/kernels';
import { alloc, fillNumber, type DType, type TypedArray } from '../dtype';
import { broadcastTo, sizeOf, stridesOf, transposeBlock, type Block } from './block';
import { evalBlock, evalRange, tileContext, TILE, type BlockPlace, type ExprNode } from './expr';
import { kernelsForBlock } from './arena';
import { kernelTile, withKernels } from './kernels';
import { binaryRoot, forWasmTilePairs, forWasmTiles, simpleBinary, squaredDeviation, wasmEvaluable } from './wasm-expr';
import { reductionRow, type LanePartial, type PartialLayout, type ReduceFn, type ReductionRow } from './reduce-table';

export type { ReduceFn } from './reduce-table';

export interface ReduceSpec {
  readonly fn: ReduceFn;
  /** Reduced axes (of the block, sorted). */
  readonly axes: readonly number[];
  readonly ddof: number;
  readonly dtype: DType;
  readonly keepdims: boolean;
  /** For argmin/argmax over all axes of an n-d array: the global shape, to make flat indices. */
  readonly globalShape?: readonly number[];
}

export interface Partial {
  readonly kind: PartialLayout;
  /** Block shape with reduced axes of length 1. */
  readonly shape: readonly number[];
  /** Values; a BigInt64Array holds exact int64 values (integer sums, products, extrema). */
  readonly a: Float64Array | BigInt64Array;
  readonly b?: Float64Array;
  readonly c?: Float64Array;
}

function toPartial(row: ReductionRow, shape: readonly number[], lanes: readonly LanePartial[]): Partial {
  const kind = row.layout;
  const n = lanes.length;
  const a = new Float64Array(n);
  if (kind === 'moments') {
    const b = new Float64Array(n);
    const c = new Float64Array(n);
    lanes.forEach((l, i) => {
      a[i] = l.m!.count;
      b[i] = l.m!.sum;
      c[i] = l.m!.m2;
    });
    return { kind, shape, a, b, c };
  }
  if (kind === 'arg') {
    const b = new Float64Array(n);
    lanes.forEach((l, i) => {
      a[i] = l.g!.value;
      b[i] = l.g!.index;
    });
    // int64 extrema travel exactly (see reduce-table.ts: int64Arg).
    if (lanes.some((l) => typeof l.v === 'bigint')) return { kind, shape, a: BigInt64Array.from(lanes, (l) => BigInt(l.v)), b };
    return { kind, shape, a, b };
  }
  if (lanes.some((l) => typeof l.v === 'bigint')) {
    const big = new BigInt64Array(n);
    lanes.forEach((l, i) => (big[i] = typeof l.v === 'bigint' ? l.v : BigInt(l.v)));
    return { kind, shape, a: big };
  }
  lanes.forEach((l, i) => (a[i] = l.v as number));
  return { kind, shape, a };
}

function laneOf(p: Partial, i: number): LanePartial {
  const a = p.a as Float64Array;
  if (p.kind === 'moments') return { v: 0, m: { count: a[i], sum: p.b![i], m2: p.c![i] } };
  if (p.kind === 'arg') return p.a instanceof BigInt64Array ? { v: p.a[i], g: { value: Number(p.a[i]), index: p.b![i] } } : { v: 0, g: { value: a[i], index: p.b![i] } };
  return { v: p.a[i] };
}

/** Position of the first element of the block along each axis, for global argmin indices. */
export interface ChunkArgs {
  readonly expr: ExprNode;
  readonly place: BlockPlace;
}

/** The partial of one block (of a fused elementwise program over input blocks). */
export function reduceChunk(spec: ReduceSpec, prog: ChunkArgs, ...inputs: Block[]): Partial | Promise<Partial> {
  return withKernels((k) => chunkWith(k, spec, prog, inputs));
}

const isShared = (a: TypedArray): boolean => typeof SharedArrayBuffer !== 'undefined' && a.buffer instanceof SharedArrayBuffer;

function flatToGlobal(local: number, place: BlockPlace, gshape: readonly number[]): number {
  // Block-local C-order index -> global multi-index -> global C-order index.
  const bs = place.shape;
  let rem = local;
  let g = 0;
  const gst = stridesOf(gshape);
  const bst = stridesOf(bs);
  for (let d = 0; d < bs.length; d++) {
    const i = Math.floor(rem / bst[d]);
    rem -= i * bst[d];
    g += (place.offset[d] + i) * gst[d];
  }
  return g;
}

function chunkWith(k: Kernels, spec: ReduceSpec, prog: ChunkArgs, inputs: Block[]): Partial {
  const { expr } = prog;
  const place = knownPlace(prog.place, inputs);
  const shape = place.shape;
  const nd = shape.length;
  const n = sizeOf(shape);
  const data = inputs.map((b) => broadcastTo(b, shape));
  const row = reductionRow(spec.fn);
  const pshape = shape.map((s, d) => (spec.axes.includes(d) ? 1 : s));
  if (spec.axes.length === nd) {
    let lane: LanePartial | undefined;
    // Inputs in the arena: the kernels instantiated over it read them in place.
    const withMem = inputs.find((b) => b.mem);
    const ka = withMem && n > 0 ? kernelsForBlock(withMem) : undefined;
    if (ka) {
      try {
        lane = arenaReduce(ka, row, expr, data, n);
      } catch (e) {
        // A block's own memory is sized for it and a few tiles: past that, the copying path below.
        if (!(e instanceof RangeError && withMem!.alone)) throw e;
      }
    }
    // Heap or shared inputs of float64 arithmetic: copied into kernel memory tile by tile.
    if (!lane && expr.t !== 'in' && n > 0 && wasmEvaluable(k, expr, data, true)) lane = tiledReduce(k, row, expr, data, n);
    const kt = expr.t === 'in' && isShared(data[expr.i]) ? kernelTile(k, expr.dtype) : undefined;
    if (lane) {
      // reduced in place above
    } else if (expr.t === 'in' && !kt) {
      lane = row.chunk(k, data[expr.i], 0);
    } else if (expr.t === 'in' && kt) {
      // A shared input: copied tile by tile into kernel memory (memcpy), reduced there in place.
      const src = data[expr.i];
      let acc: LanePartial | undefined;
      for (let start = 0; start < n || !acc; start += kt.length) {
        const len = Math.min(kt.length, n - start);
        const t = len === kt.length ? kt : kt.subarray(0, len);
        t.set((src as Exclude<TypedArray, BigInt64Array>).subarray(start, start + len));
        const l = row.chunk(k, t, start);
        acc = acc ? row.combine(acc, l) : l;
        if (n === 0) break;
      }
      lane = acc!;
    } else {
      lane = fusedTiles(k, row, expr, data, place, n);
    }
    if (row.layout === 'arg' && lane.g!.index >= 0) {
      const gshape = spec.globalShape ?? shape;
      lane = { v: lane.v, g: { value: lane.g!.value, index: flatToGlobal(lane.g!.index, place, gshape) } };
    }
    return toPartial(row, pshape, [lane]);
  }
  // Some axes: materialise the block, move reduced axes last, one kernel call per kept position.
  const values = expr.t === 'in' ? data[expr.i] : evalBlock(expr, data, place);
  const kept = shape.map((_, d) => d).filter((d) => !spec.axes.includes(d));
  const perm = [...kept, ...spec.axes];
  const t = transposeBlock({ dtype: expr.dtype, shape, data: values }, perm);
  let laneLen = 1;
  for (const d of spec.axes) laneLen *= shape[d];
  const nLanes = laneLen === 0 ? sizeOf(kept.map((d) => shape[d])) : n / laneLen;
  // argmin/argmax take one axis: indices along it are global from the block offset.
  const off = row.layout === 'arg' ? place.offset[spec.axes[0]] : 0;
  const lanes: LanePartial[] = new Array(nLanes);
  for (let i = 0; i < nLanes; i++) lanes[i] = row.chunk(k, t.data.subarray(i * laneLen, (i + 1) * laneLen), off);
  return toPartial(row, pshape, lanes);
}

/** A block's partial straight from the arena, or undefined when the expression needs the JS evaluator. */
function arenaReduce(ka: Kernels, row: ReductionRow, expr: ExprNode, data: TypedArray[], n: number): LanePartial | undefined {
  if (expr.t === 'in') return ka.owns(data[expr.i]) ? row.chunk(ka, data[expr.i], 0) : undefined;
  if (!wasmEvaluable(ka, expr, data)) return undefined;
  const simple = row.binary ? simpleBinary(expr, data) : undefined;
  if (simple) return row.binary!(ka, simple.op, simple.a, simple.b);
  const sq = row.fromSum ? squaredDeviation(expr, data) : undefined;
  if (sq) {
    // `(x - c) * (x - c)`: x read once, deviations squared and summed in registers.
    const total = ka.sumSquaresScalar(sq.op, sq.x, sq.c);
    if (total !== undefined) return row.fromSum!(n, total);
  }
  return tiledReduce(ka, row, expr, data, n);
}

/** The expression evaluated by the kernels tile by tile, each tile reduced in kernel memory. */
function tiledReduce(k: Kernels, row: ReductionRow, expr: ExprNode, data: TypedArray[], n: number): LanePartial | undefined {
  let acc: LanePartial | undefined;
  // `reduce(a op b)` with a two-operand kernel: the operands' tiles are reduced together, and the
  // root's tile is never written (one pass over L2 and one kernel call fewer per tile).
  const pair = row.binary ? binaryRoot(expr) : undefined;
  if (pair) {
    forWasmTilePairs(k, pair.a, pair.b, data, n, (a, b) => {
      const l = row.binary!(k, pair.op, a, b);
      acc = acc ? row.combine(acc, l) : l;
    });
    return acc;
  }
  forWasmTiles(k, expr, data, n, (values, start) => {
    const l = row.chunk(k, values, start);
    acc = acc ? row.combine(acc, l) : l;
  });
  return acc;
}

/**
 * Evaluates the program tile by tile, the last value of each tile written into kernel memory and
 * reduced there: nothing of block size is ever written.
 */
function fusedTiles(k: Kernels, row: ReductionRow, expr: ExprNode, data: TypedArray[], place: BlockPlace, n: number): LanePartial {
  const ctx = tileContext(data, place, (node) => (node === expr ? kernelTile(k, node.dtype) : undefined));
  let acc: LanePartial | undefined;
  for (let start = 0; start < n || (n === 0 && !acc); start += TILE) {
    const len = Math.min(TILE, n - start);
    let v = evalRange(expr, ctx, start, len);
    if (typeof v === 'number') {
      const filled = alloc(expr.dtype, len);
      fillNumber(filled, v);
      v = filled;
    }
    const lane = row.chunk(k, v, start);
    acc = acc ? row.combine(acc, lane) : lane;
    if (n === 0) break;
  }
  return acc!;
}

/** Merges partials of the same shape, position by position. */
export function combinePartials(fn: ReduceFn, parts: readonly Partial[]): Partial {
  if (parts.length === 1) return parts[0];
  const row = reductionRow(fn);
  const n = parts[0].a.length;
  const lanes: LanePartial[] = new Array(n);
  for (let i = 0; i < n; i++) {
    let acc = laneOf(parts[0], i);
    for (let j = 1; j < parts.length; j++) acc = row.combine(acc, laneOf(parts[j], i));
    lanes[i] = acc;
  }
  return toPartial(row, parts[0].shape, lanes);
}

/** Merges the last group of partials and produces the result block. */
export function reduceAggregate(spec: ReduceSpec, outShape: readonly number[], parts: readonly Partial[]): Block {
  const row = reductionRow(spec.fn);
  const p = combinePartials(spec.fn, parts);
  const n = p.a.length;
  const out = alloc(spec.dtype, n);
  const ctx = { name: spec.fn, ddof: spec.ddof, dtype: spec.dtype };
  for (let i = 0; i < n; i++) {
    const v = row.finalize(laneOf(p, i), ctx);
    if (out instanceof BigInt64Array) out[i] = typeof v === 'bigint' ? v : BigInt(v);
    else out[i] = Number(v);
  }
  return { dtype: spec.dtype, shape: [...outShape], data: out };
}
