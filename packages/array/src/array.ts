/**
 * The lazy chunked array (Dask's `Array`): shape, chunks, dtype and how its blocks are made.
 * An array is either backed by a layer of tasks, or is a fused elementwise *expression* over
 * other arrays that becomes tasks only when something needs its blocks on their own.
 */
import {
  CollectionBase,
  collectionSymbol,
  dataNode,
  isRemoteValue,
  layerNode,
  lit,
  MaterializedLayer,
  ref,
  type CollectionGraph,
  type ComputeOptions,
  type GraphNode,
  type LayerInfo,
  type LayerNode,
} from '@pdask/core';
import { blockIndices, blockOffset, blockShape, linearIndex, numBlocks, type Chunks, type ChunksSpec } from './chunks';
import { itemsize, toDType, type DType } from './dtype';
import { blockLayer } from './layer';
import { BlockKeys } from './block-keys';
import { chooseScheduler } from './inline';
import type { NDArray } from './ndarray';
import { arrayOps } from './ops/index';
import { detach, type Block } from './runtime/block';
import type { ExprNode } from './runtime/expr';
import { astype as astypeOf, binary, clip, unary, type Operand } from './elementwise/build';
import { dot, matmul } from './linalg/matmul';
import { mapBlocks, type BlockInfo, type MapBlocksOptions } from './blockwise/map-blocks';
import { mapOverlap, type MapOverlapOptions } from './blockwise/map-overlap';
import { cumulativeWith, type CumulativeOptions } from './reductions/cumulative';
import { reduceBuiltin, type ArgReduceOptions, type FullReduceOptions, type FullVarOptions, type ReduceOptions, type VarOptions } from './reductions/reductions';
import type { ReduceFn } from './runtime/reduce-table';
import { rechunk } from './rechunk/rechunk';
import { getitem, type Index } from './slicing/slicing';
import { ravel, reshape, squeeze, transpose } from './shape/shape';
import { writeZarr, type ToZarrOptions, type ZarrSource } from './io/zarr';
import type { ZarrWrite } from './io/zarr-write';
import { computeChunkSizes } from './slicing/lazy-mask';
import { repeat } from './routines/tile-repeat';
import { swapaxes } from './routines/axes';
import { take, type TakeIndices } from './routines/take';
import { diagonal, trace } from './routines/diagonal';
import { nonzero } from './routines/nonzero';
import { vindex, type VIndexEntry } from './slicing/vindex';
import { setitem, type SetTarget, type SetValue } from './slicing/setitem';
import { round as roundOf } from './elementwise/round';
import { topkWith, type TopkOptions } from './stats/topk';
import { momentWith, type MomentOptions } from './stats/moments';

export type Source =
  | { readonly k: 'layer'; readonly node: LayerNode }
  | { readonly k: 'expr'; readonly expr: ExprNode; readonly inputs: readonly ChunkedArray<unknown>[]; readonly label: string };

/** What `compute()` gives: an NDArray, or a number (boolean for any/all) for 0-d results. */
export type ArrayResult = NDArray | number | boolean;

/** A user function over blocks (mapBlocks, mapOverlap). */
export type BlockFunction = (block: NDArray, info: BlockInfo) => NDArray | ArrayBufferView | number;

/** The result type of a comparison of arrays computing to R. */
type Compared<R> = ChunkedArray<R extends NDArray ? NDArray : boolean>;

export class ChunkedArray<R = NDArray> extends CollectionBase<R> {
  private materialized?: LayerNode;

  /** @internal */
  constructor(
    readonly name: string,
    readonly shape: readonly number[],
    readonly chunks: Chunks,
    readonly dtype: DType,
    /** @internal */
    readonly source: Source,
    /** The keys its layer was made with, if made here (fromBlocks): see block-keys.ts. */
    private blockKeys?: BlockKeys,
  ) {
    super();
  }

  get ndim(): number {
    return this.shape.length;
  }
  get size(): number {
    return this.shape.reduce((a, b) => a * b, 1);
  }
  get nbytes(): number {
    return this.size * itemsize(this.dtype);
  }
  /** Blocks per dimension. */
  get numblocks(): number[] {
    return numBlocks(this.chunks);
  }
  /** The largest block size per dimension. */
  get chunksize(): number[] {
    return this.chunks.map((c) => Math.max(...c));
  }
  /** Number of blocks. */
  get npartitions(): number {
    return this.numblocks.reduce((a, b) => a * b, 1);
  }

  key(idx: readonly number[]): string {
    return (this.blockKeys ??= new BlockKeys(this.name, numBlocks(this.chunks))).key(idx);
  }

  /** Every block key, C order. */
  keys(): string[] {
    return [...blockIndices(this.numblocks)].map((i) => this.key(i));
  }

  /** The layer that produces this array's blocks (an expression becomes one task per block here). */
  get layer(): LayerNode {
    if (this.source.k === 'layer') return this.source.node;
    if (!this.materialized) {
      const { expr, inputs, label } = this.source;
      const grid = this.numblocks;
      const outNd = this.ndim;
      this.materialized = blockLayer(
        this.name,
        label,
        grid,
        (idx) =>
          arrayOps.blockwise.task(
            this.key(idx),
            lit(expr),
            lit({ shape: blockShape(this.chunks, idx), offset: blockOffset(this.chunks, idx), id: linearIndex(grid, idx) }),
            ...inputs.map((a) => ref(a.key(broadcastIndex(a.shape, outNd, idx)))),
          ),
        inputs.map((a) => a.layer),
        arrayInfo(this.shape, this.chunks, this.dtype),
      );
    }
    return this.materialized;
  }

  [collectionSymbol](): CollectionGraph<R> {
    return {
      roots: [this.layer],
      keys: this.keys(),
      finalize: { op: arrayOps.assemble.ref, args: [{ dtype: this.dtype, shape: this.shape, chunks: this.chunks }] },
      resultBytes: this.nbytes,
      advice: 'reduce it first or write it with toZarr',
      rebuild: (values) => {
        // Blocks returned to the caller are copied out of the arena: they outlive the array that
        // frees it. Blocks kept by worker threads (remote values) stay where they are.
        const nodes = this.keys().map((k) => {
          const v = values.get(k);
          return dataNode(k, isRemoteValue(v) ? v : detach(v as Block));
        });
        return new ChunkedArray<R>(this.name, this.shape, this.chunks, this.dtype, { k: 'layer', node: layerNode(new MaterializedLayer(this.name, nodes, 'persisted')) });
      },
    };
  }

  protected tokenKey(): unknown {
    return this.name;
  }

  /**
   * compute(): an NDArray, or a number for a 0-d array (e.g. a full reduction). Without a
   * `scheduler` option, a graph over less than `array.inline-threshold` bytes (built-in operations
   * only) runs in the calling thread, and so does one reading a Zarr store object of this thread:
   * see inline.ts. persist() keeps the blocks in the worker threads that computed them (threads
   * scheduler); they are released when the returned array is garbage.
   */
  protected override computeOptions(opts: ComputeOptions, persist: boolean): ComputeOptions {
    return chooseScheduler([this.layer], opts, persist);
  }

  toString(): string {
    const t = (xs: readonly number[]) => `(${xs.join(', ')}${xs.length === 1 ? ',' : ''})`;
    return `pdask.array<${this.name.split('-')[0]}, shape=${t(this.shape)}, dtype=${this.dtype}, chunksize=${t(this.chunksize)}, chunktype=NDArray>`;
  }

  // Elementwise (broadcasting, scalars, dtype promotion): fused into one expression per block.

  add(other: Operand): ChunkedArray<R> {
    return binary('add', this, other) as ChunkedArray<R>;
  }
  sub(other: Operand): ChunkedArray<R> {
    return binary('sub', this, other) as ChunkedArray<R>;
  }
  mul(other: Operand): ChunkedArray<R> {
    return binary('mul', this, other) as ChunkedArray<R>;
  }
  div(other: Operand): ChunkedArray<R> {
    return binary('div', this, other) as ChunkedArray<R>;
  }
  floorDiv(other: Operand): ChunkedArray<R> {
    return binary('floorDiv', this, other) as ChunkedArray<R>;
  }
  mod(other: Operand): ChunkedArray<R> {
    return binary('mod', this, other) as ChunkedArray<R>;
  }
  pow(other: Operand): ChunkedArray<R> {
    return binary('pow', this, other) as ChunkedArray<R>;
  }
  maximum(other: Operand): ChunkedArray<R> {
    return binary('maximum', this, other) as ChunkedArray<R>;
  }
  minimum(other: Operand): ChunkedArray<R> {
    return binary('minimum', this, other) as ChunkedArray<R>;
  }
  eq(other: Operand): Compared<R> {
    return binary('eq', this, other) as Compared<R>;
  }
  ne(other: Operand): Compared<R> {
    return binary('ne', this, other) as Compared<R>;
  }
  lt(other: Operand): Compared<R> {
    return binary('lt', this, other) as Compared<R>;
  }
  le(other: Operand): Compared<R> {
    return binary('le', this, other) as Compared<R>;
  }
  gt(other: Operand): Compared<R> {
    return binary('gt', this, other) as Compared<R>;
  }
  ge(other: Operand): Compared<R> {
    return binary('ge', this, other) as Compared<R>;
  }
  and(other: Operand): Compared<R> {
    return binary('logicalAnd', this, other) as Compared<R>;
  }
  or(other: Operand): Compared<R> {
    return binary('logicalOr', this, other) as Compared<R>;
  }
  neg(): ChunkedArray<R> {
    return unary('neg', this) as ChunkedArray<R>;
  }
  abs(): ChunkedArray<R> {
    return unary('abs', this) as ChunkedArray<R>;
  }
  sqrt(): ChunkedArray<R> {
    return unary('sqrt', this) as ChunkedArray<R>;
  }
  exp(): ChunkedArray<R> {
    return unary('exp', this) as ChunkedArray<R>;
  }
  log(): ChunkedArray<R> {
    return unary('log', this) as ChunkedArray<R>;
  }
  /** NumPy's round/around: half to even at `decimals` places (negative: tens, hundreds, ...). */
  round(decimals = 0): ChunkedArray<R> {
    return roundOf(this, decimals) as ChunkedArray<R>;
  }
  clip(min?: Operand | null, max?: Operand | null): ChunkedArray<R> {
    return clip(this, min, max) as ChunkedArray<R>;
  }
  astype(dtype: DType | string): ChunkedArray<R> {
    return astypeOf(this, toDType(dtype)) as ChunkedArray<R>;
  }

  // Reductions: one per row of the reductions table (runtime/reduce-table.ts), each also a
  // function of the package (`da.nanstd(x)`); a test checks that both sets match the table.

  private reduceBy(fn: ReduceFn, opts: VarOptions | undefined): ChunkedArray<never> {
    return reduceBuiltin<never>(this, fn, opts, `ChunkedArray.${fn}`);
  }
  sum(opts?: FullReduceOptions): ChunkedArray<number>;
  sum(opts: ReduceOptions): ChunkedArray<NDArray>;
  sum(opts?: ReduceOptions): ChunkedArray<number | NDArray> {
    return this.reduceBy('sum', opts);
  }
  nansum(opts?: FullReduceOptions): ChunkedArray<number>;
  nansum(opts: ReduceOptions): ChunkedArray<NDArray>;
  nansum(opts?: ReduceOptions): ChunkedArray<number | NDArray> {
    return this.reduceBy('nansum', opts);
  }
  prod(opts?: FullReduceOptions): ChunkedArray<number>;
  prod(opts: ReduceOptions): ChunkedArray<NDArray>;
  prod(opts?: ReduceOptions): ChunkedArray<number | NDArray> {
    return this.reduceBy('prod', opts);
  }
  nanprod(opts?: FullReduceOptions): ChunkedArray<number>;
  nanprod(opts: ReduceOptions): ChunkedArray<NDArray>;
  nanprod(opts?: ReduceOptions): ChunkedArray<number | NDArray> {
    return this.reduceBy('nanprod', opts);
  }
  min(opts?: FullReduceOptions): ChunkedArray<number>;
  min(opts: ReduceOptions): ChunkedArray<NDArray>;
  min(opts?: ReduceOptions): ChunkedArray<number | NDArray> {
    return this.reduceBy('min', opts);
  }
  max(opts?: FullReduceOptions): ChunkedArray<number>;
  max(opts: ReduceOptions): ChunkedArray<NDArray>;
  max(opts?: ReduceOptions): ChunkedArray<number | NDArray> {
    return this.reduceBy('max', opts);
  }
  nanmin(opts?: FullReduceOptions): ChunkedArray<number>;
  nanmin(opts: ReduceOptions): ChunkedArray<NDArray>;
  nanmin(opts?: ReduceOptions): ChunkedArray<number | NDArray> {
    return this.reduceBy('nanmin', opts);
  }
  nanmax(opts?: FullReduceOptions): ChunkedArray<number>;
  nanmax(opts: ReduceOptions): ChunkedArray<NDArray>;
  nanmax(opts?: ReduceOptions): ChunkedArray<number | NDArray> {
    return this.reduceBy('nanmax', opts);
  }
  mean(opts?: FullReduceOptions): ChunkedArray<number>;
  mean(opts: ReduceOptions): ChunkedArray<NDArray>;
  mean(opts?: ReduceOptions): ChunkedArray<number | NDArray> {
    return this.reduceBy('mean', opts);
  }
  nanmean(opts?: FullReduceOptions): ChunkedArray<number>;
  nanmean(opts: ReduceOptions): ChunkedArray<NDArray>;
  nanmean(opts?: ReduceOptions): ChunkedArray<number | NDArray> {
    return this.reduceBy('nanmean', opts);
  }
  var(opts?: FullVarOptions): ChunkedArray<number>;
  var(opts: VarOptions): ChunkedArray<NDArray>;
  var(opts?: VarOptions): ChunkedArray<number | NDArray> {
    return this.reduceBy('var', opts);
  }
  nanvar(opts?: FullVarOptions): ChunkedArray<number>;
  nanvar(opts: VarOptions): ChunkedArray<NDArray>;
  nanvar(opts?: VarOptions): ChunkedArray<number | NDArray> {
    return this.reduceBy('nanvar', opts);
  }
  std(opts?: FullVarOptions): ChunkedArray<number>;
  std(opts: VarOptions): ChunkedArray<NDArray>;
  std(opts?: VarOptions): ChunkedArray<number | NDArray> {
    return this.reduceBy('std', opts);
  }
  nanstd(opts?: FullVarOptions): ChunkedArray<number>;
  nanstd(opts: VarOptions): ChunkedArray<NDArray>;
  nanstd(opts?: VarOptions): ChunkedArray<number | NDArray> {
    return this.reduceBy('nanstd', opts);
  }
  argmin(opts?: FullReduceOptions): ChunkedArray<number>;
  argmin(opts: ArgReduceOptions): ChunkedArray<NDArray>;
  argmin(opts?: ReduceOptions): ChunkedArray<number | NDArray> {
    return this.reduceBy('argmin', opts);
  }
  argmax(opts?: FullReduceOptions): ChunkedArray<number>;
  argmax(opts: ArgReduceOptions): ChunkedArray<NDArray>;
  argmax(opts?: ReduceOptions): ChunkedArray<number | NDArray> {
    return this.reduceBy('argmax', opts);
  }
  nanargmin(opts?: FullReduceOptions): ChunkedArray<number>;
  nanargmin(opts: ArgReduceOptions): ChunkedArray<NDArray>;
  nanargmin(opts?: ReduceOptions): ChunkedArray<number | NDArray> {
    return this.reduceBy('nanargmin', opts);
  }
  nanargmax(opts?: FullReduceOptions): ChunkedArray<number>;
  nanargmax(opts: ArgReduceOptions): ChunkedArray<NDArray>;
  nanargmax(opts?: ReduceOptions): ChunkedArray<number | NDArray> {
    return this.reduceBy('nanargmax', opts);
  }
  any(opts?: FullReduceOptions): ChunkedArray<boolean>;
  any(opts: ReduceOptions): ChunkedArray<NDArray>;
  any(opts?: ReduceOptions): ChunkedArray<boolean | NDArray> {
    return this.reduceBy('any', opts);
  }
  all(opts?: FullReduceOptions): ChunkedArray<boolean>;
  all(opts: ReduceOptions): ChunkedArray<NDArray>;
  all(opts?: ReduceOptions): ChunkedArray<boolean | NDArray> {
    return this.reduceBy('all', opts);
  }

  cumsum(opts?: CumulativeOptions): ChunkedArray<NDArray> {
    return cumulativeWith(this, 'cumsum', opts, 'ChunkedArray.cumsum') as ChunkedArray<NDArray>;
  }
  cumprod(opts?: CumulativeOptions): ChunkedArray<NDArray> {
    return cumulativeWith(this, 'cumprod', opts, 'ChunkedArray.cumprod') as ChunkedArray<NDArray>;
  }
  nancumsum(opts?: CumulativeOptions): ChunkedArray<NDArray> {
    return cumulativeWith(this, 'nancumsum', opts, 'ChunkedArray.nancumsum') as ChunkedArray<NDArray>;
  }
  nancumprod(opts?: CumulativeOptions): ChunkedArray<NDArray> {
    return cumulativeWith(this, 'nancumprod', opts, 'ChunkedArray.nancumprod') as ChunkedArray<NDArray>;
  }

  // Shape, indexing and layout.

  /** NumPy indexing; see slicing.ts for the syntax: `x.slice(0, '1:5', '::-1', [2, 3], mask, null, '...')`. */
  slice(...index: Index[]): ChunkedArray<NDArray> {
    return getitem(this, index) as ChunkedArray<NDArray>;
  }
  reshape(shape: readonly number[]): ChunkedArray<R> {
    return reshape(this, shape) as ChunkedArray<R>;
  }
  transpose(axes?: readonly number[]): ChunkedArray<R> {
    return transpose(this, axes) as ChunkedArray<R>;
  }
  /** The transpose (reversed axes). */
  get T(): ChunkedArray<R> {
    return transpose(this) as ChunkedArray<R>;
  }
  rechunk(chunks: ChunksSpec): ChunkedArray<R> {
    return rechunk(this, chunks);
  }
  squeeze(axis?: number | readonly number[]): ChunkedArray<NDArray> {
    return squeeze(this, axis) as ChunkedArray<NDArray>;
  }
  ravel(): ChunkedArray<R> {
    return ravel(this) as ChunkedArray<R>;
  }
  matmul(other: ChunkedArray<unknown>): ChunkedArray<NDArray> {
    return matmul(this, other);
  }
  dot(other: ChunkedArray<unknown>): ChunkedArray<NDArray> {
    return dot(this, other);
  }

  // User functions and storage.

  mapBlocks(fn: BlockFunction, opts?: MapBlocksOptions): ChunkedArray<NDArray> {
    return mapBlocks(fn as never, [this], opts, 'ChunkedArray.mapBlocks');
  }
  /** The function over every block with a halo of `depth` neighbouring elements (stencils). */
  mapOverlap(fn: BlockFunction, opts: MapOverlapOptions): ChunkedArray<NDArray> {
    return mapOverlap(fn, this, opts, 'ChunkedArray.mapOverlap');
  }
  /** Writes the array to Zarr (one task per block); resolves to the stored array, read lazily. */
  toZarr(target: ZarrSource, opts: ToZarrOptions & { compute: false }): Promise<ZarrWrite>;
  toZarr(target: ZarrSource, opts?: ToZarrOptions & { compute?: ComputeOptions }): Promise<ChunkedArray<NDArray>>;
  toZarr(target: ZarrSource, opts?: ToZarrOptions): Promise<ChunkedArray<NDArray> | ZarrWrite>;
  toZarr(target: ZarrSource, opts?: ToZarrOptions): Promise<ChunkedArray<NDArray> | ZarrWrite> {
    return writeZarr(this, target, opts, 'ChunkedArray.toZarr');
  }
  /** The array with its unknown (NaN) chunk sizes computed (Dask's compute_chunk_sizes). */
  computeChunkSizes(opts?: ComputeOptions): Promise<ChunkedArray<R>> {
    return computeChunkSizes(this, opts);
  }

  // NumPy's ndarray methods among the layout routines (the functions are in routines/).

  /** Every element `repeats` times along `axis` (the flattened array without one). */
  repeat(repeats: number, axis?: number | null): ChunkedArray<NDArray> {
    return repeat(this, repeats, axis);
  }
  swapaxes(axis1: number, axis2: number): ChunkedArray<NDArray> {
    return swapaxes(this, axis1, axis2);
  }
  /** Positions along `axis` (the flattened array without one); indices of any shape. */
  take(indices: TakeIndices, axis?: number | null): ChunkedArray<NDArray> {
    return take(this, indices, axis);
  }
  diagonal(offset = 0, axis1 = 0, axis2 = 1): ChunkedArray<NDArray> {
    return diagonal(this, offset, axis1, axis2);
  }
  trace(offset = 0, axis1 = 0, axis2 = 1): ChunkedArray<NDArray | number> {
    return trace(this, offset, axis1, axis2);
  }
  /** One array of positions per dimension (unknown chunk sizes until computed). */
  nonzero(): ChunkedArray<NDArray>[] {
    return nonzero(this);
  }
  /** Pointwise indexing (Dask's `x.vindex[[0, 2], [1, 3]]`): one list of entries, one per dimension. */
  vindex(index: readonly VIndexEntry[]): ChunkedArray<NDArray> {
    return vindex(this, index);
  }
  /**
   * `x[target] = value` as a new lazy array (this one is unchanged): a boolean mask (chunked, or an
   * NDArray of this shape), or one index entry per dimension as `slice` takes them.
   */
  set(target: SetTarget, value: SetValue): ChunkedArray<R> {
    return setitem(this, target, value) as ChunkedArray<R>;
  }

  // Statistics (stats/): Dask's Array.topk, argtopk and moment.

  /** The k largest values along an axis (default the last), largest first; k < 0: the smallest. */
  topk(k: number, opts?: TopkOptions): ChunkedArray<NDArray> {
    return topkWith('ChunkedArray.topk', this, k, opts, false);
  }
  /** Positions along the axis of topk's values. */
  argtopk(k: number, opts?: TopkOptions): ChunkedArray<NDArray> {
    return topkWith('ChunkedArray.argtopk', this, k, opts, true);
  }
  /** The order-th central moment (Dask's Array.moment). */
  moment(order: number, opts?: MomentOptions): ChunkedArray<NDArray | number> {
    return momentWith('ChunkedArray.moment', this, order, opts);
  }
}

/** The block of an input (shape `inShape`) that a block `idx` of an `outNd`-d broadcast result reads. */
export function broadcastIndex(inShape: readonly number[], outNd: number, idx: readonly number[]): number[] {
  const pad = outNd - inShape.length;
  return inShape.map((s, k) => (s === 1 ? 0 : idx[k + pad]));
}

/** What an array's layer holds: its bytes and its largest block (NaN when chunk sizes are unknown). */
export function arrayInfo(shape: readonly number[], chunks: Chunks, dtype: DType): LayerInfo {
  const size = itemsize(dtype);
  let largest = size;
  for (const c of chunks) {
    let m = 0;
    for (const v of c) m = v > m || Number.isNaN(v) ? v : m;
    largest *= m;
  }
  return { bytes: shape.reduce((a, b) => a * b, 1) * size, largestBlock: largest };
}

/** Layer info of arrays made by user functions (never run inline: their cost is unknown). */
export const USER_CODE: LayerInfo = Object.freeze({ userCode: true });
/** Layer info of arrays whose tasks read objects of the calling thread (a Zarr store object). */
export const CALLER_THREAD: LayerInfo = Object.freeze({ callerThread: true });

/** A new array backed by a per-block task layer (`info` adds to the array's sizes). */
export function fromBlocks<R = NDArray>(
  label: string,
  name: string,
  shape: readonly number[],
  chunks: Chunks,
  dtype: DType,
  make: (idx: number[], key: string) => GraphNode | readonly GraphNode[],
  parents: readonly ChunkedArray<unknown>[],
  extraParents: readonly LayerNode[] = [],
  info: LayerInfo = {},
): ChunkedArray<R> {
  const grid = numBlocks(chunks);
  // The layer's keys and its readers' references are then the same strings (see block-keys.ts).
  const keys = new BlockKeys(name, grid);
  const node = blockLayer(name, label, grid, (idx) => make(idx, keys.key(idx)), [...parents.map((p) => p.layer), ...extraParents], { ...arrayInfo(shape, chunks, dtype), ...info });
  return new ChunkedArray<R>(name, shape, chunks, dtype, { k: 'layer', node }, keys);
}
