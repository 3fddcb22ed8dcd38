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
import { floatResult, type DType, type TypedArray } from '../dtype';

/** One lane's partial: what the kernels compute for a contiguous run of values. */
export interface LanePartial {
  v: number;
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
  finalize(l: LanePartial, ctx: FinalizeContext): number;
  /** The result's dtype for an input dtype. */
  dtype(input: DType): DType;
  /** A faster chunk step for `op(a, b)` over two float64 arrays in kernel memory, when the kernels have one. */
  readonly binary?: (k: Kernels, op: Parameters<Kernels['sumBinary']>[0], a: Float64Array, b: Float64Array) => LanePartial;
}

type NumericArray = Float64Array | Float32Array | Int32Array;

/** Booleans (Uint8Array) as numbers for the kernels that take numbers only. */
const numeric = (x: TypedArray): NumericArray => (x instanceof Uint8Array ? Int32Array.from(x) : x);

const same = (d: DType): DType => d;
const bool = (): DType => 'bool';
const index = (): DType => 'int32';
const value = (l: LanePartial, _ctx: FinalizeContext): number => l.v;

function valueRow(nanAware: boolean, chunk: (k: Kernels, x: TypedArray) => number, merge: (a: number, b: number) => number, dtype: (d: DType) => DType, finalize = value): ReductionRow {
  return { layout: 'value', nanAware, chunk: (k, x) => ({ v: chunk(k, x) }), combine: (p, q) => ({ v: merge(p.v, q.v) }), finalize, dtype };
}

/** min/max: an integer min of nothing would return the identity (±Infinity); NumPy refuses it. */
function extremum(identity: number, merge: (a: number, b: number) => number, pick: (k: Kernels, x: NumericArray) => number): ReductionRow {
  return valueRow(false, (k, x) => (x.length ? pick(k, numeric(x)) : identity), merge, same, (l, ctx) => {
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

function argRow(nanAware: boolean, max: boolean): ReductionRow {
  return {
    layout: 'arg',
    nanAware,
    chunk: (k, x, offset) => ({ v: 0, g: max ? k.argmaxPartial(numeric(x), { offset, skipna: nanAware }) : k.argminPartial(numeric(x), { offset, skipna: nanAware }) }),
    combine: (p, q) => ({ v: 0, g: max ? mergeArgmax(p.g!, q.g!) : mergeArgmin(p.g!, q.g!) }),
    finalize: (l, ctx) => {
      if (l.g!.index < 0) throw new RangeError(nanAware ? 'All-NaN slice encountered' : `attempt to get ${ctx.name} of an empty sequence`);
      return l.g!.index;
    },
    dtype: index,
  };
}

const add = (a: number, b: number) => a + b;
const mul = (a: number, b: number) => a * b;

export const REDUCTIONS = {
  sum: { ...valueRow(false, (k, x) => k.sum(x), add, floatResult), binary: (k, op, a, b) => ({ v: k.sumBinary(op, a, b) }) },
  nansum: valueRow(true, (k, x) => (x instanceof Uint8Array ? k.sum(x) : k.nansum(x)), add, floatResult),
  prod: valueRow(false, (k, x) => (x.length ? k.prod(numeric(x)) : 1), mul, floatResult),
  nanprod: valueRow(true, (k, x) => (x.length ? k.nanprod(numeric(x)) : 1), mul, floatResult),
  min: extremum(Infinity, Math.min, (k, x) => k.min(x)),
  max: extremum(-Infinity, Math.max, (k, x) => k.max(x)),
  nanmin: valueRow(true, (k, x) => (x.length ? k.nanmin(numeric(x)) : NaN), mergeNanmin, same),
  nanmax: valueRow(true, (k, x) => (x.length ? k.nanmax(numeric(x)) : NaN), mergeNanmax, same),
  mean: momentsRow(false, (m) => momentsMean(m), false),
  nanmean: momentsRow(true, (m) => momentsMean(m), false),
  var: momentsRow(false, momentsVar),
  nanvar: momentsRow(true, momentsVar),
  std: momentsRow(false, momentsStd),
  nanstd: momentsRow(true, momentsStd),
  argmin: argRow(false, false),
  argmax: argRow(false, true),
  nanargmin: argRow(true, false),
  nanargmax: argRow(true, true),
  any: valueRow(false, (k, x) => (x.length && k.any(x) ? 1 : 0), (a, b) => (a || b ? 1 : 0), bool),
  all: valueRow(false, (k, x) => (!x.length || k.all(x) ? 1 : 0), (a, b) => (a && b ? 1 : 0), bool),
} satisfies Record<string, ReductionRow>;

/** The name of a built-in reduction. */
export type ReduceFn = keyof typeof REDUCTIONS;

export const REDUCTION_NAMES = Object.keys(REDUCTIONS) as ReduceFn[];

export function reductionRow(fn: ReduceFn): ReductionRow {
  const row = (REDUCTIONS as Record<string, ReductionRow>)[fn];
  if (!row) throw new RangeError(`unknown reduction '${String(fn)}' (known: ${REDUCTION_NAMES.join(', ')})`);
  return row;
}
