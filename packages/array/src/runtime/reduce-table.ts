/**
 * The built-in reductions as data: one row each says how a run of values becomes a partial
 * (`chunk`, on the WebAssembly kernels), how two partials merge (`combine`), how the last partial
 * becomes the result (`finalize`), the result's dtype and whether NaNs are skipped. The graph
 * builder (reductions/reductions.ts), the kernels' driver (runtime/reduce.ts), the exported
 * functions and the ChunkedArray methods all read this table: adding a reduction is one row.
 */
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
import { accumulatorOf, asNumbers, floatResult, int64Words, type DType, type TypedArray } from '../dtype';
import { int64Extreme, int64Sum, intProd } from './int64';

/** One lane's partial: what the kernels compute for a contiguous run of values (bigint: an exact int64). */
export interface LanePartial {
  v: number | bigint;
  m?: Moments;
  g?: ArgExtremum;
}

/** How a partial is laid out: one value, moments (count, sum, m2), or an extremum with its flat index. */
export type PartialLayout = 'value' | 'moments' | 'arg';

/** What finalize needs besides the partial. */
export interface FinalizeContext {
  readonly name: string;
  readonly ddof: number;
  readonly dtype: DType;
}

export interface ReductionRow {
  readonly layout: PartialLayout;
  /** Skips NaNs (NumPy's nan-functions). */
  readonly nanAware: boolean;
  /** Takes `ddof` (delta degrees of freedom: var and std). */
  readonly ddof?: boolean;
  /** The partial of a run of values; `offset` is the flat position of its first value (arg-reductions). */
  chunk(k: Kernels, x: TypedArray, offset: number): LanePartial;
  combine(p: LanePartial, q: LanePartial): LanePartial;
  finalize(l: LanePartial, ctx: FinalizeContext): number | bigint;
  /** The result's dtype for an input dtype. */
  dtype(input: DType): DType;
  /** A faster chunk step for `op(a, b)` over two float64 arrays in kernel memory, when the kernels have one. */
  readonly binary?: (k: Kernels, op: Parameters<Kernels['sumBinary']>[0], a: Float64Array, b: Float64Array) => LanePartial;
  /** The chunk step from the sum of `count` values a kernel formed itself (sum and mean). */
  readonly fromSum?: (count: number, sum: number) => LanePartial;
}

type NumericArray = Float64Array | Float32Array | Int32Array;

/** Booleans (Uint8Array) and int64 (as float64) as numbers for the kernels that take numbers only. */
const numeric = (x: TypedArray): NumericArray => (x instanceof Uint8Array ? Int32Array.from(x) : (asNumbers(x) as NumericArray));

type V = number | bigint;
const same = (d: DType): DType => d;
const bool = (): DType => 'bool';
// NumPy's indices are int64 (intp).
const index = (): DType => 'int64';
const value = (l: LanePartial, _ctx: FinalizeContext): V => l.v;

function valueRow(nanAware: boolean, chunk: (k: Kernels, x: TypedArray) => V, merge: (a: V, b: V) => V, dtype: (d: DType) => DType, finalize = value): ReductionRow {
  return { layout: 'value', nanAware, chunk: (k, x) => ({ v: chunk(k, x) }), combine: (p, q) => ({ v: merge(p.v, q.v) }), finalize, dtype };
}

const isFloatArray = (x: TypedArray): x is Float64Array | Float32Array => x instanceof Float64Array || x instanceof Float32Array;

/**
 * Sums of integers, exactly (modulo 2^64 as NumPy's int64 sum): int64 word by word, others through
 * the float64 kernel in runs short enough (2^21 values below 2^31) that every partial sum is exact.
 */
function intSum(k: Kernels, x: Exclude<TypedArray, Float64Array | Float32Array>): bigint {
  if (x instanceof BigInt64Array) return int64Sum(x);
  const RUN = 1 << 21;
  let total = 0n;
  for (let s = 0; s < x.length; s += RUN) total += BigInt(k.sum(x.subarray(s, s + RUN)));
  return BigInt.asIntN(64, total);
}

const addV = (a: V, b: V): V => (typeof a === 'number' && typeof b === 'number' ? a + b : BigInt.asIntN(64, BigInt(a) + BigInt(b)));
const mulV = (a: V, b: V): V => (typeof a === 'number' && typeof b === 'number' ? a * b : BigInt.asIntN(64, BigInt(a) * BigInt(b)));
/** Float partials take Math.min/max (NaN propagates); an int64 partial (or the ±Infinity identity) compares as is. */
const minV = (a: V, b: V): V => (typeof a === 'number' && typeof b === 'number' ? Math.min(a, b) : a <= b ? a : b);
const maxV = (a: V, b: V): V => (typeof a === 'number' && typeof b === 'number' ? Math.max(a, b) : a >= b ? a : b);

function sumChunk(k: Kernels, x: TypedArray, nan: boolean): V {
  if (!isFloatArray(x)) return intSum(k, x);
  return nan ? k.nansum(x) : k.sum(x);
}

function prodChunk(k: Kernels, x: TypedArray, nan: boolean): V {
  if (!isFloatArray(x)) return BigInt(intProd(x));
  if (!x.length) return 1;
  return nan ? k.nanprod(x) : k.prod(x);
}

/** min/max: an integer min of nothing would return the identity (±Infinity); NumPy refuses it. */
function extremum(identity: number, merge: (a: V, b: V) => V, pick: (k: Kernels, x: NumericArray) => number, max: boolean, nanAware = false): ReductionRow {
  const chunk = (k: Kernels, x: TypedArray): V => (!x.length ? identity : x instanceof BigInt64Array ? int64Extreme(x, max) : pick(k, numeric(x)));
  return valueRow(nanAware, chunk, merge, same, (l, ctx) => {
    if (l.v === identity && ctx.dtype !== 'float64' && ctx.dtype !== 'float32') throw new RangeError(`zero-size array to reduction operation ${ctx.name} which has no identity`);
    return l.v;
  });
}

function momentsRow(nanAware: boolean, finalize: (m: Moments, ddof: number) => number, ddof = true): ReductionRow {
  return {
    layout: 'moments',
    nanAware,
    ddof,
    chunk: (k, x) => ({ v: 0, m: k.moments(numeric(x), { skipna: nanAware }) }),
    combine: (p, q) => ({ v: 0, m: mergeMoments(p.m!, q.m!) }),
    finalize: (l, ctx) => finalize(l.m!, ctx.ddof),
    dtype: floatResult,
  };
}

/**
 * mean needs only count and sum: the sum kernel reads a run once, where the moments kernel also
 * forms each leaf's squared deviations. The partial keeps the moments layout with m2 = 0 (mean
 * never reads it), so a mean partial is never merged into a var or std.
 */
function meanRow(): ReductionRow {
  const part = (count: number, sum: number): LanePartial => ({ v: 0, m: { count, sum, m2: 0 } });
  return {
    layout: 'moments',
    nanAware: false,
    ddof: false,
    chunk: (k, x) => part(x.length, x.length ? k.sum(numeric(x)) : 0),
    combine: (p, q) => part(p.m!.count + q.m!.count, p.m!.sum + q.m!.sum),
    finalize: (l) => momentsMean(l.m!),
    dtype: floatResult,
    binary: (k, op, a, b) => part(a.length, k.sumBinary(op, a, b)),
    fromSum: part,
  };
}

/**
 * The arg-extremum of int64 values, exactly: the kernels compare doubles, which tie beyond 2^53.
 * The partial keeps the exact value in `v` (a bigint) for the merges; the first position wins ties.
 */
function int64Arg(x: BigInt64Array, max: boolean, offset: number): LanePartial {
  if (!x.length) return { v: 0, g: { value: NaN, index: -1 } };
  const w = int64Words(x);
  let best = 0;
  let hi = w[1];
  let lo = w[0] >>> 0;
  for (let i = 1; i < x.length; i++) {
    const h = w[2 * i + 1];
    const l = w[2 * i] >>> 0;
    if (max ? h > hi || (h === hi && l > lo) : h < hi || (h === hi && l < lo)) {
      best = i;
      hi = h;
      lo = l;
    }
  }
  return { v: x[best], g: { value: Number(x[best]), index: best + offset } };
}

function mergeInt64Arg(p: LanePartial, q: LanePartial, max: boolean): LanePartial {
  if (p.g!.index < 0) return q;
  if (q.g!.index < 0) return p;
  const a = BigInt(p.v);
  const b = BigInt(q.v);
  if (a === b) return p.g!.index <= q.g!.index ? p : q;
  return (max ? b > a : b < a) ? q : p;
}

function argRow(nanAware: boolean, max: boolean): ReductionRow {
  return {
    layout: 'arg',
    nanAware,
    chunk: (k, x, offset) =>
      x instanceof BigInt64Array
        ? int64Arg(x, max, offset)
        : { v: 0, g: max ? k.argmaxPartial(numeric(x), { offset, skipna: nanAware }) : k.argminPartial(numeric(x), { offset, skipna: nanAware }) },
    combine: (p, q) =>
      typeof p.v === 'bigint' || typeof q.v === 'bigint' ? mergeInt64Arg(p, q, max) : { v: 0, g: max ? mergeArgmax(p.g!, q.g!) : mergeArgmin(p.g!, q.g!) },
    finalize: (l, ctx) => {
      if (l.g!.index < 0) throw new RangeError(nanAware ? 'All-NaN slice encountered' : `attempt to get ${ctx.name} of an empty sequence`);
      return l.g!.index;
    },
    dtype: index,
  };
}

export const REDUCTIONS = {
  sum: { ...valueRow(false, (k, x) => sumChunk(k, x, false), addV, accumulatorOf), binary: (k, op, a, b) => ({ v: k.sumBinary(op, a, b) }), fromSum: (_, v) => ({ v }) },
  nansum: valueRow(true, (k, x) => sumChunk(k, x, true), addV, accumulatorOf),
  prod: valueRow(false, (k, x) => prodChunk(k, x, false), mulV, accumulatorOf),
  nanprod: valueRow(true, (k, x) => prodChunk(k, x, true), mulV, accumulatorOf),
  min: extremum(Infinity, minV, (k, x) => k.min(x), false),
  max: extremum(-Infinity, maxV, (k, x) => k.max(x), true),
  // Integers have no NaN: their nanmin/nanmax are min/max (exact for int64).
  nanmin: valueRow(true, (k, x) => (!x.length ? NaN : isFloatArray(x) ? k.nanmin(x) : extremumOf(k, x, false)), (a, b) => (typeof a === 'number' && typeof b === 'number' ? mergeNanmin(a, b) : minV(a, b)), same),
  nanmax: valueRow(true, (k, x) => (!x.length ? NaN : isFloatArray(x) ? k.nanmax(x) : extremumOf(k, x, true)), (a, b) => (typeof a === 'number' && typeof b === 'number' ? mergeNanmax(a, b) : maxV(a, b)), same),
  mean: meanRow(),
  nanmean: momentsRow(true, (m) => momentsMean(m), false),
  var: momentsRow(false, momentsVar),
  nanvar: momentsRow(true, momentsVar),
  std: momentsRow(false, momentsStd),
  nanstd: momentsRow(true, momentsStd),
  argmin: argRow(false, false),
  argmax: argRow(false, true),
  nanargmin: argRow(true, false),
  nanargmax: argRow(true, true),
  any: valueRow(false, (k, x) => (x.length && k.any(anyInput(x)) ? 1 : 0), (a, b) => (a || b ? 1 : 0), bool),
  all: valueRow(false, (k, x) => (!x.length || k.all(anyInput(x)) ? 1 : 0), (a, b) => (a && b ? 1 : 0), bool),
} satisfies Record<string, ReductionRow>;

function extremumOf(k: Kernels, x: TypedArray, max: boolean): V {
  return x instanceof BigInt64Array ? int64Extreme(x, max) : max ? k.max(numeric(x)) : k.min(numeric(x));
}

/** any/all read int64 as float64: zero stays zero, any other value stays non-zero. */
const anyInput = (x: TypedArray): Exclude<TypedArray, BigInt64Array> => asNumbers(x);

/** The name of a built-in reduction. */
export type ReduceFn = keyof typeof REDUCTIONS;

export const REDUCTION_NAMES = Object.keys(REDUCTIONS) as ReduceFn[];

export function reductionRow(fn: ReduceFn): ReductionRow {
  const row = (REDUCTIONS as Record<string, ReductionRow>)[fn];
  if (!row) throw new RangeError(`unknown reduction '${String(fn)}' (known: ${REDUCTION_NAMES.join(', ')})`);
  return row;
}
