/**
 * A Zarr write that has not run yet: what `toZarr(..., { compute: false })` returns (Dask's
 * `to_zarr(compute=False)` returns a Delayed). It is a core collection, so it can be computed on
 * its own, with other collections in one `compute(a, b, ...)` (shared inputs computed once), or
 * passed to delayed functions. Its value is null, as Dask's is None: the data is in the store.
 */
import { CollectionBase, collectionSymbol, dataNode, layerNode, MaterializedLayer, type CollectionGraph, type ComputeOptions, type LayerNode } from '@pdask/core';
import { chooseScheduler } from '../inline';
import { arrayOps } from '../ops/index';

export class ZarrWrite extends CollectionBase<null> {
  /** @internal */
  constructor(
    /** @internal */
    readonly layer: LayerNode,
    /** @internal */
    readonly writeKeys: readonly string[],
    /** Where the data goes: the store's label and the array's path in it. */
    readonly target: string,
  ) {
    super();
  }

  /** Number of write tasks (one per block, after the rechunk that aligns blocks to Zarr chunks). */
  get npartitions(): number {
    return this.writeKeys.length;
  }

  [collectionSymbol](): CollectionGraph<null> {
    return {
      roots: [this.layer],
      keys: this.writeKeys,
      finalize: { op: arrayOps.zarrWritten.ref },
      // Persisting runs the writes; the persisted collection holds their markers and writes nothing again.
      rebuild: (values) =>
        new ZarrWrite(layerNode(new MaterializedLayer(`persisted-${this.writeKeys[0] ?? 'zarr'}`, this.writeKeys.map((k) => dataNode(k, values.get(k))), 'persisted')), this.writeKeys, this.target),
    };
  }

  protected tokenKey(): unknown {
    return this.layer.layer.name;
  }

  /** As for arrays: without a `scheduler`, a small graph, or one that uses a store object of this thread, runs in the calling thread. */
  protected override computeOptions(opts: ComputeOptions, persist: boolean): ComputeOptions {
    return chooseScheduler([this.layer], opts, persist);
  }

  toString(): string {
    return `ZarrWrite(${this.target}, ${this.writeKeys.length} blocks)`;
  }
}
