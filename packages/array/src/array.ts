/**
 * The lazy chunked array (Dask's `Array`): shape, chunks, dtype and how its blocks are made.
 * An array is either backed by a layer of tasks, or is a fused elementwise *expression* over
 * other arrays that becomes tasks only when something needs its blocks on their own.
 */
import { inspect } from 'node:util';
import {
  collectionSymbol,
  computeCollections,
  dataNode,
  isRemoteValue,
  layerNode,
  lit,
  MaterializedLayer,
  persist as persistAll,
  ref,
  tokenizeSymbol,
  visualize,
  type Collection,
  type CollectionGraph,
  type ComputeOptions,
  type GraphNode,
  type LayerInfo,
  type LayerNode,
  type VisualizeOptions,
} from '@pdask/core';
import { blockIndices, blockKey, blockOffset, blockShape, linearIndex, numBlocks, type Chunks } from './chunks';
import { itemsize, type DType } from './dtype';
import { blockLayer } from './layer';
import { needsCallerThread, runsInline } from './inline';
import type { NDArray } from './ndarray';
import type { ArrayMethods } from './methods';
import { arrayOps } from './ops/index';
import { detach, type Block } from './runtime/block';
import type { ExprNode } from './runtime/expr';

export type Source =
  | { readonly k: 'layer'; readonly node: LayerNode }
  | { readonly k: 'expr'; readonly expr: ExprNode; readonly inputs: readonly ChunkedArray<unknown>[]; readonly label: string };

/** What `compute()` gives: an NDArray, or a number (boolean for any/all) for 0-d results. */
export type ArrayResult = NDArray | number | boolean;

/** The NumPy-style methods, attached to the prototype by methods.ts (see ArrayMethods there). */
export interface ChunkedArray<R = NDArray> extends ArrayMethods<R> {}

export class ChunkedArray<R = NDArray> implements Collection<R> {
  private materialized?: LayerNode;

  /** @internal */
  constructor(
    readonly name: string,
    readonly shape: readonly number[],
    readonly chunks: Chunks,
    readonly dtype: DType,
    /** @internal */
    readonly source: Source,
  ) {}

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
    return blockKey(this.name, idx);
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

  [tokenizeSymbol](): unknown {
    return this.name;
  }

  /**
   * Runs the graph: an NDArray, or a number for a 0-d array (e.g. a full reduction). Without a
   * `scheduler` option, a graph over less than `array.inline-threshold` bytes (built-in operations
   * only) runs in the calling thread: see inline.ts.
   */
  compute(opts: ComputeOptions = {}): Promise<R> {
    const roots = [this.layer];
    const o = opts.scheduler === undefined && (runsInline(roots) || needsCallerThread(roots)) ? { ...opts, scheduler: 'sync' } : opts;
    return computeCollections([this], o).then((r) => r[0] as R);
  }

  /**
   * Computes the blocks and returns an array backed by them (same name). On the threads
   * scheduler the blocks stay in the worker threads that computed them, and later computations
   * on the same pool start there; they are released when the returned array is garbage. Other
   * schedulers bring the blocks to the caller.
   */
  async persist(opts: ComputeOptions = {}): Promise<ChunkedArray<R>> {
    const o = opts.scheduler === undefined && needsCallerThread([this.layer]) ? { ...opts, scheduler: 'sync' } : opts;
    const [p] = await persistAll(this, o);
    return p as ChunkedArray<R>;
  }

  /** The task graph as SVG (written to `filename` when given). */
  visualize(opts: VisualizeOptions = {}): Promise<string> {
    return visualize([this], opts);
  }

  toString(): string {
    const t = (xs: readonly number[]) => `(${xs.join(', ')}${xs.length === 1 ? ',' : ''})`;
    return `pdask.array<${this.name.split('-')[0]}, shape=${t(this.shape)}, dtype=${this.dtype}, chunksize=${t(this.chunksize)}, chunktype=NDArray>`;
  }

  [inspect.custom](): string {
    return this.toString();
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
  const node = blockLayer(name, label, grid, (idx) => make(idx, blockKey(name, idx)), [...parents.map((p) => p.layer), ...extraParents], { ...arrayInfo(shape, chunks, dtype), ...info });
  return new ChunkedArray<R>(name, shape, chunks, dtype, { k: 'layer', node });
}
