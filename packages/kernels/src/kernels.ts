/** The public face of the kernels: one object per instance, returned by `loadKernels()`. */
import type { ArrowVectorLike } from './arrow.js';
import { Int32Factorizer, Utf8Factorizer, type StringColumn, type Validity } from './factorize.js';
import * as E from './elementwise.js';
import * as G from './groupby.js';
import { hash64, hash64Pieces, type HashPiece } from './hash.js';
import { instantiate, instantiateSync, LOAD_ASYNC_KEYS, LOAD_KEYS, type LoadKernelsOptions, type LoadOptions } from './load.js';
import * as L from './lloyd.js';
import * as CL from './closest.js';
import * as N from './logistic.js';
import * as GLM from './glm.js';
import * as Q from './qr.js';
import * as MM from './matmul.js';
import * as RX from './radix.js';
import { csvScan, type CsvScanOptions, type CsvScanResult } from './csv.js';
import { snappyUncompress } from './snappy.js';
import { KernelArray } from './memory.js';
import { momentsMean, momentsStd, momentsVar, type ArgExtremum, type Moments } from './partials.js';
import { checkOptionKeys, optionKeys } from './options.js';
import * as R from './reductions.js';
import { resolve, type Input, type Runtime } from './runtime.js';
import type { KernelArrayConstructor, KernelsMemory, KernelTypedArray, NumericArray, RealArray, ValueArray, ViewConstructor } from './types.js';

export interface VarOptions {
  /** Delta degrees of freedom: the divisor is count - ddof (NumPy's default 0; pandas' is 1). */
  ddof?: number;
}

export interface ArgOptions {
  /** Added to the returned index: the position of this chunk in the whole array. */
  offset?: number;
}

const VAR_KEYS = optionKeys<VarOptions>({ ddof: true });
const SKIPNA_KEYS = optionKeys<{ skipna?: boolean }>({ skipna: true });
const ARG_KEYS = optionKeys<ArgOptions & { skipna?: boolean }>({ offset: true, skipna: true });
const UNIFORM_KEYS = optionKeys<{ lo?: number; span?: number }>({ lo: true, span: true });
const QR_KEYS = optionKeys<Q.QROptions>({ q: true });
const MATMUL_KEYS = optionKeys<MM.MatmulOptions>({ transposeA: true, transposeB: true, accumulate: true });
const GROUPBY_AGG_KEYS = [...G.GROUPBY_KEYS, ...G.FINALIZE_KEYS];

export class Kernels {
  /** @internal */
  readonly rt: Runtime;

  /** @internal use `loadKernels()` */
  constructor(rt: Runtime) {
    this.rt = rt;
  }

  /** The WebAssembly memory the kernels work in (share it with other modules or Arrow buffers). */
  get memory(): KernelsMemory {
    return this.rt.mem.memory;
  }

  /**
   * Allocates a typed array in kernel memory (contents unspecified). Kernels read it in place, with
   * no copy. Call `free()` when done.
   */
  alloc<C extends KernelArrayConstructor>(ctor: C, length: number): KernelArray<InstanceType<C>> {
    const ptr = this.rt.mem.alloc(length * ctor.BYTES_PER_ELEMENT);
    return new KernelArray(this.rt.mem, ctor as unknown as ViewConstructor<InstanceType<C>>, ptr, length);
  }

  /** Copies `src` into a new KernelArray. */
  copyIn<T extends KernelTypedArray>(src: T): KernelArray<T> {
    const ctor = src.constructor as unknown as ViewConstructor<T>;
    const a = new KernelArray(this.rt.mem, ctor, this.rt.mem.alloc(src.byteLength), src.length);
    (a.array as Float64Array).set(src as unknown as Float64Array);
    return a;
  }

  /** Bytes allocated with `alloc`/`copyIn` and not yet freed. */
  get allocatedBytes(): number {
    return this.rt.mem.allocatedBytes;
  }

  // ---- reductions -------------------------------------------------------------------------------

  /** Sum; at least as accurate as NumPy's pairwise sum. Float32/Int32 accumulate in float64. */
  sum(x: Input<NumericArray> | Input<Uint8Array>): number {
    const a = resolve<KernelTypedArray>(x);
    return a instanceof Uint8Array ? R.sumBytes(this.rt, a) : R.sum(this.rt, a as NumericArray);
  }
  nansum(x: Input<NumericArray>): number {
    return R.nansum(this.rt, resolve(x));
  }
  /** Number of non-NaN elements. */
  count(x: Input<NumericArray>): number {
    return R.count(this.rt, resolve(x));
  }
  mean(x: Input<NumericArray>): number {
    return momentsMean(R.moments(this.rt, resolve(x), false));
  }
  nanmean(x: Input<NumericArray>): number {
    return momentsMean(R.moments(this.rt, resolve(x), true));
  }
  var(x: Input<NumericArray>, options: VarOptions = {}): number {
    checkOptionKeys('Kernels.var', options, VAR_KEYS);
    return momentsVar(R.moments(this.rt, resolve(x), false), options.ddof ?? 0);
  }
  nanvar(x: Input<NumericArray>, options: VarOptions = {}): number {
    checkOptionKeys('Kernels.nanvar', options, VAR_KEYS);
    return momentsVar(R.moments(this.rt, resolve(x), true), options.ddof ?? 0);
  }
  std(x: Input<NumericArray>, options: VarOptions = {}): number {
    checkOptionKeys('Kernels.std', options, VAR_KEYS);
    return momentsStd(R.moments(this.rt, resolve(x), false), options.ddof ?? 0);
  }
  nanstd(x: Input<NumericArray>, options: VarOptions = {}): number {
    checkOptionKeys('Kernels.nanstd', options, VAR_KEYS);
    return momentsStd(R.moments(this.rt, resolve(x), true), options.ddof ?? 0);
  }
  /** Minimum (IEEE: NaN propagates, -0 < +0). Throws RangeError on an empty array. */
  min(x: Input<NumericArray>): number {
    return R.extreme(this.rt, resolve(x), 'min', false);
  }
  max(x: Input<NumericArray>): number {
    return R.extreme(this.rt, resolve(x), 'max', false);
  }
  /** Minimum ignoring NaN; NaN when every element is NaN. Throws RangeError on an empty array. */
  nanmin(x: Input<NumericArray>): number {
    return R.extreme(this.rt, resolve(x), 'min', true);
  }
  nanmax(x: Input<NumericArray>): number {
    return R.extreme(this.rt, resolve(x), 'max', true);
  }
  /** Index of the first minimum (of the first NaN, if any). Throws RangeError on an empty array. */
  argmin(x: Input<NumericArray>): number {
    return requireIndex(R.argExtreme(this.rt, resolve(x), 'min', false), 'argmin');
  }
  argmax(x: Input<NumericArray>): number {
    return requireIndex(R.argExtreme(this.rt, resolve(x), 'max', false), 'argmax');
  }
  /** Index of the first minimum ignoring NaN. Throws RangeError when empty or all NaN (as NumPy). */
  nanargmin(x: Input<NumericArray>): number {
    return requireIndex(R.argExtreme(this.rt, resolve(x), 'min', true), 'nanargmin');
  }
  nanargmax(x: Input<NumericArray>): number {
    return requireIndex(R.argExtreme(this.rt, resolve(x), 'max', true), 'nanargmax');
  }
  /** Product, accumulated in float64 for every input type. */
  prod(x: Input<NumericArray>): number {
    return R.prod(this.rt, resolve(x), false);
  }
  nanprod(x: Input<NumericArray>): number {
    return R.prod(this.rt, resolve(x), true);
  }
  /** Whether some element is non-zero (NaN counts as non-zero). */
  any(x: Input<NumericArray> | Input<Uint8Array>): boolean {
    return R.anyAll(this.rt, resolve<KernelTypedArray>(x) as NumericArray | Uint8Array, false);
  }
  /** Whether every element is non-zero (NaN counts as non-zero). */
  all(x: Input<NumericArray> | Input<Uint8Array>): boolean {
    return R.anyAll(this.rt, resolve<KernelTypedArray>(x) as NumericArray | Uint8Array, true);
  }

  // ---- partials for tree reductions ---------------------------------------------------------------

  /** count, sum and M2 of one chunk: the partial of sum, mean, var and std (see mergeMoments). */
  moments(x: Input<NumericArray>, options: { skipna?: boolean } = {}): Moments {
    checkOptionKeys('Kernels.moments', options, SKIPNA_KEYS);
    return R.moments(this.rt, resolve(x), options.skipna ?? false);
  }
  /** The partial of argmin/min over one chunk (see mergeArgmin); index -1 for an empty chunk. */
  argminPartial(x: Input<NumericArray>, options: ArgOptions & { skipna?: boolean } = {}): ArgExtremum {
    checkOptionKeys('Kernels.argminPartial', options, ARG_KEYS);
    return R.argExtreme(this.rt, resolve(x), 'min', options.skipna ?? false, options.offset ?? 0);
  }
  argmaxPartial(x: Input<NumericArray>, options: ArgOptions & { skipna?: boolean } = {}): ArgExtremum {
    checkOptionKeys('Kernels.argmaxPartial', options, ARG_KEYS);
    return R.argExtreme(this.rt, resolve(x), 'max', options.skipna ?? false, options.offset ?? 0);
  }

  // ---- elementwise and random ----------------------------------------------------------------------

  /**
   * out = a op b for float64 (`op`: add, sub, mul, div; either operand may be a number). SIMD and
   * in place when every array lives in kernel memory; otherwise a JS loop with the same results.
   */
  binary(op: E.BinaryOp, a: Input<Float64Array> | number, b: Input<Float64Array> | number, out: Input<Float64Array>): void {
    E.binary(this.rt, op, typeof a === 'number' ? a : resolve(a), typeof b === 'number' ? b : resolve(b), resolve(out));
  }

  /**
   * sum((a op s)^2) of a float64 array that lives in kernel memory, read once and nothing written;
   * undefined when `a` is elsewhere (use `binary` then `sumBinary`).
   */
  sumSquaresScalar(op: E.BinaryOp, a: Float64Array, s: number): number | undefined {
    return E.sumSquaresScalar(this.rt, op, a, s);
  }

  /** sum(a op b) of float64 arrays, nothing written (in place when both live in kernel memory). */
  sumBinary(op: E.BinaryOp, a: Input<Float64Array>, b: Input<Float64Array>): number {
    return E.sumBinary(this.rt, op, resolve(a), resolve(b));
  }

  /**
   * Uniform doubles in [0, 1) (or `lo + u * span`) from eight interleaved xoshiro128+ generators
   * whose 32 state words are in `state` (updated, so the next call continues the stream); `out`'s
   * length must be a multiple of 8. Each double has 53 random bits from two draws of one generator.
   * The layout and definition are in kernels/assembly/random.ts.
   */
  fillUniform(state: Int32Array, out: Input<Float64Array>, options: { lo?: number; span?: number } = {}): void {
    checkOptionKeys('Kernels.fillUniform', options, UNIFORM_KEYS);
    E.fillUniform(this.rt, state, resolve(out), options.lo ?? 0, options.span ?? 1);
  }

  /**
   * XXH64 of the bytes of `view` (any typed array or DataView) as 16 hex digits: the fast
   * non-cryptographic hash for naming data by its content (Dask uses the same).
   */
  hash64(view: ArrayBufferView, seed: bigint = 0n): string {
    return hash64(this.rt, view, seed);
  }

  /**
   * hash64 of the pieces' bytes laid end to end, copying each piece to its `to` (when given) in
   * the same pass: one read of the source for both.
   */
  hash64Pieces(pieces: readonly HashPiece[], seed: bigint = 0n): string {
    return hash64Pieces(this.rt, pieces, seed);
  }

  /** Whether the kernels work in a shared memory (`createSharedMemory`). */
  get shared(): boolean {
    return this.rt.mem.shared;
  }

  /** Whether a typed array lives in this instance's memory (so kernels read it in place). */
  owns(x: ArrayBufferView): boolean {
    return this.rt.mem.owns(x);
  }

  // ---- group-by ---------------------------------------------------------------------------------

  /**
   * Per-group statistics of `values` grouped by `keys`, enough to finalise each of `aggs` (default
   * ['mean']) with `finalizeGroupBy`, or to merge with other partitions' partials (`mergeGroupBy`).
   */
  groupby(keys: Input<Int32Array>, values: Input<ValueArray>, aggs: readonly G.GroupAgg[] = ['mean'], options: G.GroupByOptions = {}): G.GroupByPartial {
    checkOptionKeys('Kernels.groupby', options, G.GROUPBY_KEYS);
    return G.groupby(this.rt, keys, values, aggs, options);
  }

  /** One aggregation per group: `{ keys, values }`, keys ascending (pandas' `groupby(k)[v].agg()`). */
  groupbyAgg(
    keys: Input<Int32Array>,
    values: Input<ValueArray>,
    agg: G.GroupAgg,
    options: G.GroupByOptions & G.FinalizeOptions = {},
  ): { keys: Int32Array; values: Float64Array } {
    checkOptionKeys('Kernels.groupbyAgg', options, GROUPBY_AGG_KEYS);
    const p = G.groupby(this.rt, keys, values, [agg], { sort: options.sort });
    return { keys: p.keys, values: G.finalizeGroupBy(p, agg, { ddof: options.ddof }) };
  }

  /** Merges two partitions' partials, `a` holding the earlier rows. */
  mergeGroupBy(a: G.GroupByPartial, b: G.GroupByPartial): G.GroupByPartial {
    return G.mergeGroupBy(this.rt, a, b);
  }

  // ---- machine learning: per-block partials of iterative fits -------------------------------------

  /**
   * One Lloyd step of k-means over the rows of `x` (rows x `features`, row-major; float64 in
   * kernel memory is read in place, anything else streamed and converted): each row's nearest of
   * the `centers` (k x features) by squared Euclidean distance (ties to the lowest index), the
   * per-cluster sums and counts of the rows, and the inertia. Partials of disjoint rows add up
   * (`mergeLloyd`). Optionally writes each row's label and squared distance.
   */
  lloydPartial(x: Input<RealArray>, centers: Float64Array, options: L.LloydOptions): L.LloydPartial {
    checkOptionKeys('Kernels.lloydPartial', options, L.LLOYD_KEYS);
    return L.lloydPartial(this.rt, resolve<RealArray>(x), centers, options);
  }

  /**
   * Folds `centers` (m x features) into `closest`, each row's running squared distance to the
   * nearest center so far: closest[i] = min(closest[i], min_j ‖x_i − c_j‖²), exact distances
   * summed in feature order, so one center per call or all at once give the same bits. Keeps the
   * k-means++ weights up to date at one distance per row and draw.
   */
  closestUpdate(x: Input<RealArray>, centers: Float64Array, closest: Input<Float64Array>, options: CL.ClosestOptions): void {
    checkOptionKeys('Kernels.closestUpdate', options, CL.CLOSEST_KEYS);
    CL.closestUpdate(this.rt, resolve<RealArray>(x), centers, resolve(closest), options);
  }

  /**
   * Σ log-loss of labels `y` (0 or 1) at coefficients `coef` over the rows of `x` (rows x
   * `features`), its gradient and the upper triangle of its Hessian XᵀWX, with an implicit
   * column of ones when `intercept` is set: the partial of a Newton step. Partials of disjoint rows
   * add up (`mergeNewton`). A label other than 0 or 1 throws `LabelError`.
   */
  logisticPartial(x: Input<RealArray>, y: Input<RealArray>, coef: Float64Array, options: N.NewtonOptions): N.NewtonPartial {
    checkOptionKeys('Kernels.logisticPartial', options, N.NEWTON_KEYS);
    return N.logisticPartial(this.rt, resolve<RealArray>(x), resolve<RealArray>(y), coef, options);
  }

  /**
   * Householder QR of a row-major m x n float64 matrix: Q (m x k, row-major, orthonormal columns)
   * and R (k x n, upper triangular), k = min(m, n), with R's diagonal entries -sign(x0) ‖x‖ (a
   * positive leading entry gives a negative diagonal) and zero columns left as they are. `{ q: false }`
   * skips forming Q. `a` may be a KernelArray (or a view of kernel memory); it is not modified.
   */
  householderQR(a: Input<Float64Array>, m: number, n: number, options?: Q.QROptions): Q.QRResult {
    checkOptionKeys('Kernels.householderQR', options, QR_KEYS);
    return Q.householderQR(this.rt, a, m, n, options);
  }

  /**
   * The matrix product of a (m x k) and b (k x n), row-major float64 or float32, as an m x n
   * float64 array (float32 operands are widened, so their products are summed in float64).
   * `transposeA` / `transposeB` read a as k x m / b as n x k; `accumulate` adds the product to an
   * m x n Float64Array in place and returns it (it must not overlap a or b). Operands may be
   * KernelArrays (or views of kernel memory): they are read in place, and never modified.
   */
  matmul(a: Input<MM.MatmulArray>, b: Input<MM.MatmulArray>, m: number, k: number, n: number, options?: MM.MatmulOptions): Float64Array {
    checkOptionKeys('Kernels.matmul', options, MATMUL_KEYS);
    return MM.matmul(this.rt, a, b, m, k, n, options);
  }

  /**
   * One counting pass of an exact radix selection over float64 values (quantiles): each non-NaN
   * value's key is its high 32 bits made order-preserving (unsigned key order = numeric order).
   * Without `slots`, adds to `counts` (65536 entries) the values per top 16 bits of the key; with
   * `slots` (65536 entries: a slot per top-16 bucket, or -1), adds those of a bucket with slot s per
   * low 16 bits, at s * 65536 + low (`counts`: 65536 per slot). Returns the number of NaNs.
   */
  radixCount(x: Input<Float64Array>, counts: Uint32Array, slots?: Int32Array): number {
    return RX.radixCount(this.rt, x, counts, slots);
  }

  /**
   * The last pass of that selection: the non-NaN values whose 32-bit key is one of `keys`, in input
   * order; `slots` must be >= 0 exactly for the keys' top 16 bits.
   */
  radixSelect(x: Input<Float64Array>, slots: Int32Array, keys: Uint32Array): Float64Array {
    return RX.radixSelect(this.rt, x, slots, keys);
  }

  // ---- factorisation ------------------------------------------------------------------------------

  /** codes (first-appearance order, -1 for nulls) and uniques of int32 keys or strings. */
  factorize(values: Input<Int32Array>): { codes: Int32Array; uniques: Int32Array };
  factorize(values: StringColumn): { codes: Int32Array; uniques: string[] };
  factorize(values: Input<Int32Array> | StringColumn): { codes: Int32Array; uniques: Int32Array | string[] } {
    const isInt = values instanceof Int32Array || values instanceof KernelArray ||
      (isArrowInt32(values));
    if (isInt) {
      const f = new Int32Factorizer(this.rt);
      try {
        const codes = f.add(values as Input<Int32Array> | ArrowVectorLike);
        return { codes, uniques: f.uniques() };
      } finally {
        f.dispose();
      }
    }
    const f = new Utf8Factorizer(this.rt);
    try {
      const codes = f.add(values as StringColumn);
      return { codes, uniques: f.uniques() };
    } finally {
      f.dispose();
    }
  }

  /** An incremental int32 factorizer: `add(batch)` returns codes consistent across batches. */
  int32Factorizer(): Int32Factorizer {
    return new Int32Factorizer(this.rt);
  }

  /** An incremental string factorizer for JS strings and Arrow Utf8 / dictionary vectors. */
  utf8Factorizer(): Utf8Factorizer {
    return new Utf8Factorizer(this.rt);
  }

  /**
   * Splits a block of CSV bytes (unquoted fields, every line `kinds.length` fields) and converts
   * the fields at once: plain numbers, int32s and ISO times; string fields as byte ranges. Cells
   * of other spellings come back in `fallback`; null when the block is not one this scan reads
   * (a quote, a line with another number of fields, a bare CR, LF and CRLF mixed).
   */
  csvScan(bytes: Uint8Array | KernelArray<Uint8Array>, options: CsvScanOptions): CsvScanResult | null {
    return csvScan(this.rt, bytes, options);
  }

  /**
   * The `length` bytes a raw snappy block decompresses to (Parquet's SNAPPY pages), as a view of
   * kernel memory that the next call on this instance reuses: copy what you keep. Throws when the
   * block is malformed or its length is not `length`.
   */
  snappyUncompress(input: Uint8Array, length: number): Uint8Array {
    return snappyUncompress(this.rt, input, length);
  }

  /**
   * Σ log-loss of labels `y` over the rows of `x` (rows x `features`) at coefficients `coef` and
   * its gradient, binomial (one coefficient row; label code `positive` counts as 1) or multinomial
   * (one row per class), with an implicit column of ones when `intercept` is set. Partials of
   * disjoint rows add up. A label outside `classes` or a NaN score throws `GlmRowError`.
   */
  glmGradient(x: Input<RealArray>, y: Input<RealArray>, coef: Float64Array, options: GLM.GlmGradientOptions): GLM.GlmGradient {
    checkOptionKeys('Kernels.glmGradient', options, GLM.GLM_GRADIENT_KEYS);
    return GLM.glmGradient(this.rt, resolve<RealArray>(x), resolve<RealArray>(y), coef, options);
  }
}

function isArrowInt32(v: unknown): v is ArrowVectorLike {
  const d = (v as { data?: { values?: unknown; dictionary?: unknown }[] }).data;
  return Array.isArray(d) && d.length > 0 && d[0].values instanceof Int32Array && !d[0].dictionary;
}

export type { Validity };

function requireIndex(r: ArgExtremum, name: string): number {
  if (r.index < 0) throw new RangeError(`${name} of an empty${name.startsWith('nan') ? ' or all-NaN' : ''} array`);
  return r.index;
}

/**
 * Instantiates the kernels: `const k = await loadKernels(); k.sum(x)`. With `url`, the module is
 * fetched from there (streaming compilation) instead of the inlined copy.
 */
export async function loadKernels(options: LoadKernelsOptions = {}): Promise<Kernels> {
  checkOptionKeys('loadKernels', options, LOAD_ASYNC_KEYS);
  return new Kernels(await instantiate(options));
}

/**
 * `loadKernels` without awaiting, from the inlined module (no `url`: nothing can be fetched
 * synchronously). Chromium allows it on a page's main thread too, but blocks the page while it
 * compiles; prefer `loadKernels` there. With a shared memory outside Node, `import
 * '@pdask/kernels/shared'` first.
 */
export function loadKernelsSync(options: LoadOptions = {}): Kernels {
  checkOptionKeys('loadKernelsSync', options, LOAD_KEYS);
  return new Kernels(instantiateSync(options));
}
