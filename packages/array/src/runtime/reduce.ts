/**
 * Reductions as tree reductions (Dask's `reduction`): each block is reduced to a *partial* by the
 * WebAssembly kernels, partials are merged in groups of `splitEvery`, and the last merge finalises.
 * Partials are plain objects of Float64Arrays, one value per position of the kept dimensions.
 */
import { knownPlace } from './layout';
import {
  mergeArgmax,
  mergeArgmin,
  mergeMoments,
  mergeNanmax,
  mergeNanmin,
  momentsMean,
  momentsStd,
  momentsVar,
  type ArgExtremum,
  type Kernels,
  type Moments,
} from '@pdask/kernels';
import { alloc, type DType, type TypedArray } from '../dtype';
import { broadcastTo, sizeOf, stridesOf, transposeBlock, type Block } from './block';
import { evalBlock, evalRange, tileContext, TILE, type BlockPlace, type ExprNode } from './expr';
import { kernelsFor } from './arena';
import { kernelTile, withKernels } from './kernels';
import { forWasmTiles, simpleBinary, wasmEvaluable } from './wasm-expr';

export type ReduceFn =
  | 'sum' | 'nansum' | 'prod' | 'nanprod' | 'min' | 'max' | 'nanmin' | 'nanmax'
  | 'mean' | 'nanmean' | 'var' | 'nanvar' | 'std' | 'nanstd'
  | 'argmin' | 'argmax' | 'nanargmin' | 'nanargmax' | 'any' | 'all';

type Kind = 'num' | 'mom' | 'arg' | 'bool';

export function kindOf(fn: ReduceFn): Kind {
  if (fn.endsWith('mean') || fn.endsWith('var') || fn.endsWith('std')) return 'mom';
  if (fn.includes('arg')) return 'arg';
  if (fn === 'any' || fn === 'all') return 'bool';
  return 'num';
}

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
  readonly kind: Kind;
  /** Block shape with reduced axes of length 1. */
  readonly shape: readonly number[];
  readonly a: Float64Array;
  readonly b?: Float64Array;
  readonly c?: Float64Array;
}

type NumericArray = Float64Array | Float32Array | Int32Array;

function numeric(x: TypedArray): NumericArray {
  return x instanceof Uint8Array ? Int32Array.from(x) : x;
}

/** One lane's partial: what the kernels compute for a contiguous run of values. */
interface LanePartial {
  v: number;
  m?: Moments;
  g?: ArgExtremum;
}

function laneReduce(k: Kernels, fn: ReduceFn, x: TypedArray, offset: number): LanePartial {
  switch (fn) {
    case 'sum':
      return { v: k.sum(x) };
    case 'nansum':
      return { v: x instanceof Uint8Array ? k.sum(x) : k.nansum(x) };
    case 'prod':
      return { v: x.length ? k.prod(numeric(x)) : 1 };
    case 'nanprod':
      return { v: x.length ? k.nanprod(numeric(x)) : 1 };
    case 'min':
      return { v: x.length ? k.min(numeric(x)) : Infinity };
    case 'max':
      return { v: x.length ? k.max(numeric(x)) : -Infinity };
    case 'nanmin':
      return { v: x.length ? k.nanmin(numeric(x)) : NaN };
    case 'nanmax':
      return { v: x.length ? k.nanmax(numeric(x)) : NaN };
    case 'any':
      return { v: x.length && k.any(x) ? 1 : 0 };
    case 'all':
      return { v: !x.length || k.all(x) ? 1 : 0 };
    case 'argmin':
    case 'nanargmin':
      return { v: 0, g: k.argminPartial(numeric(x), { offset, skipna: fn === 'nanargmin' }) };
    case 'argmax':
    case 'nanargmax':
      return { v: 0, g: k.argmaxPartial(numeric(x), { offset, skipna: fn === 'nanargmax' }) };
    default:
      return { v: 0, m: k.moments(numeric(x), { skipna: fn.startsWith('nan') }) };
  }
}

function mergeLane(fn: ReduceFn, p: LanePartial, q: LanePartial): LanePartial {
  switch (fn) {
    case 'sum':
    case 'nansum':
      return { v: p.v + q.v };
    case 'prod':
    case 'nanprod':
      return { v: p.v * q.v };
    case 'min':
      return { v: Math.min(p.v, q.v) };
    case 'max':
      return { v: Math.max(p.v, q.v) };
    case 'nanmin':
      return { v: mergeNanmin(p.v, q.v) };
    case 'nanmax':
      return { v: mergeNanmax(p.v, q.v) };
    case 'any':
      return { v: p.v || q.v ? 1 : 0 };
    case 'all':
      return { v: p.v && q.v ? 1 : 0 };
    case 'argmin':
    case 'nanargmin':
      return { v: 0, g: mergeArgmin(p.g!, q.g!) };
    case 'argmax':
    case 'nanargmax':
      return { v: 0, g: mergeArgmax(p.g!, q.g!) };
    default:
      return { v: 0, m: mergeMoments(p.m!, q.m!) };
  }
}

function toPartial(fn: ReduceFn, shape: readonly number[], lanes: readonly LanePartial[]): Partial {
  const kind = kindOf(fn);
  const n = lanes.length;
  const a = new Float64Array(n);
  if (kind === 'mom') {
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
    return { kind, shape, a, b };
  }
  lanes.forEach((l, i) => (a[i] = l.v));
  return { kind, shape, a };
}

function laneOf(p: Partial, i: number): LanePartial {
  if (p.kind === 'mom') return { v: 0, m: { count: p.a[i], sum: p.b![i], m2: p.c![i] } };
  if (p.kind === 'arg') return { v: 0, g: { value: p.a[i], index: p.b![i] } };
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
  const kind = kindOf(spec.fn);
  const pshape = shape.map((s, d) => (spec.axes.includes(d) ? 1 : s));
  if (spec.axes.length === nd) {
    let lane: LanePartial | undefined;
    // Inputs in the arena: the kernels instantiated over it read them in place.
    const mem = inputs.find((b) => b.mem)?.mem;
    const ka = mem && n > 0 ? kernelsFor(mem) : undefined;
    if (ka) lane = arenaReduce(ka, spec.fn, expr, data, n);
    // Heap or shared inputs of float64 arithmetic: copied into kernel memory tile by tile.
    if (!lane && expr.t !== 'in' && n > 0 && wasmEvaluable(k, expr, data, true)) lane = tiledReduce(k, spec.fn, expr, data, n);
    const kt = expr.t === 'in' && isShared(data[expr.i]) ? kernelTile(k, expr.dtype) : undefined;
    if (lane) {
      // reduced in place above
    } else if (expr.t === 'in' && !kt) {
      lane = laneReduce(k, spec.fn, data[expr.i], 0);
    } else if (expr.t === 'in' && kt) {
      // A shared input: copied tile by tile into kernel memory (memcpy), reduced there in place.
      const src = data[expr.i];
      let acc: LanePartial | undefined;
      for (let start = 0; start < n || !acc; start += kt.length) {
        const len = Math.min(kt.length, n - start);
        const t = len === kt.length ? kt : kt.subarray(0, len);
        t.set(src.subarray(start, start + len));
        const l = laneReduce(k, spec.fn, t, start);
        acc = acc ? mergeLane(spec.fn, acc, l) : l;
        if (n === 0) break;
      }
      lane = acc!;
    } else {
      lane = fusedTiles(k, spec.fn, expr, data, place, n);
    }
    if (kind === 'arg' && lane.g!.index >= 0) {
      const gshape = spec.globalShape ?? shape;
      lane = { v: 0, g: { value: lane.g!.value, index: flatToGlobal(lane.g!.index, place, gshape) } };
    }
    return toPartial(spec.fn, pshape, [lane]);
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
  const off = kind === 'arg' ? place.offset[spec.axes[0]] : 0;
  const lanes: LanePartial[] = new Array(nLanes);
  for (let i = 0; i < nLanes; i++) lanes[i] = laneReduce(k, spec.fn, t.data.subarray(i * laneLen, (i + 1) * laneLen), off);
  return toPartial(spec.fn, pshape, lanes);
}

/** A block's partial straight from the arena, or undefined when the expression needs the JS evaluator. */
function arenaReduce(ka: Kernels, fn: ReduceFn, expr: ExprNode, data: TypedArray[], n: number): LanePartial | undefined {
  if (expr.t === 'in') return ka.owns(data[expr.i]) ? laneReduce(ka, fn, data[expr.i], 0) : undefined;
  if (!wasmEvaluable(ka, expr, data)) return undefined;
  const simple = fn === 'sum' ? simpleBinary(expr, data) : undefined;
  if (simple) return { v: ka.sumBinary(simple.op, simple.a, simple.b) };
  return tiledReduce(ka, fn, expr, data, n);
}

/** The expression evaluated by the kernels tile by tile, each tile reduced in kernel memory. */
function tiledReduce(k: Kernels, fn: ReduceFn, expr: ExprNode, data: TypedArray[], n: number): LanePartial | undefined {
  let acc: LanePartial | undefined;
  forWasmTiles(k, expr, data, n, (values, start) => {
    const l = laneReduce(k, fn, values, start);
    acc = acc ? mergeLane(fn, acc, l) : l;
  });
  return acc;
}

/**
 * Evaluates the program tile by tile, the last value of each tile written into kernel memory and
 * reduced there: nothing of block size is ever written.
 */
function fusedTiles(k: Kernels, fn: ReduceFn, expr: ExprNode, data: TypedArray[], place: BlockPlace, n: number): LanePartial {
  const ctx = tileContext(data, place, (node) => (node === expr ? kernelTile(k, node.dtype) : undefined));
  let acc: LanePartial | undefined;
  for (let start = 0; start < n || (n === 0 && !acc); start += TILE) {
    const len = Math.min(TILE, n - start);
    let v = evalRange(expr, ctx, start, len);
    if (typeof v === 'number') v = alloc(expr.dtype, len).fill(v);
    const lane = laneReduce(k, fn, v, start);
    acc = acc ? mergeLane(fn, acc, lane) : lane;
    if (n === 0) break;
  }
  return acc!;
}

/** Merges partials of the same shape, position by position. */
export function combinePartials(fn: ReduceFn, parts: readonly Partial[]): Partial {
  if (parts.length === 1) return parts[0];
  const n = parts[0].a.length;
  const lanes: LanePartial[] = new Array(n);
  for (let i = 0; i < n; i++) {
    let acc = laneOf(parts[0], i);
    for (let j = 1; j < parts.length; j++) acc = mergeLane(fn, acc, laneOf(parts[j], i));
    lanes[i] = acc;
  }
  return toPartial(fn, parts[0].shape, lanes);
}

/** Merges the last group of partials and produces the result block. */
export function reduceAggregate(spec: ReduceSpec, outShape: readonly number[], parts: readonly Partial[]): Block {
  const p = combinePartials(spec.fn, parts);
  const n = p.a.length;
  const out = alloc(spec.dtype, n);
  for (let i = 0; i < n; i++) out[i] = finalValue(spec, laneOf(p, i));
  return { dtype: spec.dtype, shape: [...outShape], data: out };
}

function finalValue(spec: ReduceSpec, l: LanePartial): number {
  switch (kindOf(spec.fn)) {
    case 'mom': {
      const m = l.m!;
      if (spec.fn.endsWith('mean')) return momentsMean(m);
      if (spec.fn.endsWith('var')) return momentsVar(m, spec.ddof);
      return momentsStd(m, spec.ddof);
    }
    case 'arg':
      if (l.g!.index < 0) throw new RangeError(spec.fn.startsWith('nan') ? 'All-NaN slice encountered' : `attempt to get ${spec.fn} of an empty sequence`);
      return l.g!.index;
    default:
      if (spec.fn === 'min' || spec.fn === 'max') {
        if (!Number.isFinite(l.v) && l.v === (spec.fn === 'min' ? Infinity : -Infinity) && spec.dtype !== 'float64' && spec.dtype !== 'float32') {
          // An integer min of nothing: the identity leaked from empty lanes.
          throw new RangeError(`zero-size array to reduction operation ${spec.fn} which has no identity`);
        }
      }
      return l.v;
  }
}
