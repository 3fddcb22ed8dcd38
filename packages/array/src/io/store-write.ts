/**
 * Writes that have not run yet (`store(..., { compute: false })`, Dask's Delayed of a store):
 * a core collection over the write tasks of every target, whose value is null (Dask's None).
 * Computed alone, or with other collections in core's `compute(a, b, ...)` (shared inputs once).
 */
import { CollectionBase, collectionSymbol, dataNode, layerNode, MaterializedLayer, type CollectionGraph, type ComputeOptions, type LayerNode } from '@pdask/core';
import { chooseScheduler } from '../inline';
import { arrayOps } from '../ops/index';

export class StoreWrite extends CollectionBase<null> {
  /** @internal */
  constructor(
    /** @internal */
    readonly layers: readonly LayerNode[],
    /** @internal */
    readonly writeKeys: readonly string[],
    /** What is written, for printing. */
    readonly targets: readonly string[],
  ) {
    super();
  }

  /** Number of write tasks. */
  get npartitions(): number {
    return this.writeKeys.length;
  }

  [collectionSymbol](): CollectionGraph<null> {
    return {
      roots: this.layers,
      keys: this.writeKeys,
      finalize: { op: arrayOps.writesDone.ref },
      rebuild: (values) =>
        new StoreWrite([layerNode(new MaterializedLayer(`persisted-${this.writeKeys[0] ?? 'store'}`, this.writeKeys.map((k) => dataNode(k, values.get(k))), 'persisted'))], this.writeKeys, this.targets),
    };
  }

  protected tokenKey(): unknown {
    return this.layers.map((l) => l.layer.name);
  }

  /** As for arrays: without a `scheduler`, a small graph, or one writing objects of this thread, runs in the calling thread. */
  protected override computeOptions(opts: ComputeOptions, persist: boolean): ComputeOptions {
    return chooseScheduler(this.layers, opts, persist);
  }

  toString(): string {
    return `StoreWrite(${this.targets.join(', ')}; ${this.writeKeys.length} blocks)`;
  }
}
