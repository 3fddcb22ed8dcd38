/** A lazy single value (Dask's Scalar): the result of a series reduction or `len`. */
import { inspect } from 'node:util';
import {
  collectionSymbol,
  computeCollections,
  dataNode,
  layerNode,
  MaterializedLayer,
  persist as persistAll,
  tokenizeSymbol,
  visualize,
  type Collection,
  type CollectionGraph,
  type ComputeOptions,
  type Key,
  type LayerNode,
  type VisualizeOptions,
} from '@pdask/core';

export class Scalar<T> implements Collection<T> {
  /** @internal */
  constructor(
    readonly key: Key,
    /** @internal */
    readonly layer: LayerNode,
  ) {}

  [collectionSymbol](): CollectionGraph<T> {
    return {
      roots: [this.layer],
      keys: [this.key],
      rebuild: (values) => new Scalar<T>(this.key, layerNode(new MaterializedLayer(this.key, [dataNode(this.key, values.get(this.key))], 'data'))),
    };
  }

  [tokenizeSymbol](): unknown {
    return this.key;
  }

  compute(opts: ComputeOptions = {}): Promise<T> {
    return computeCollections([this], opts).then((r) => r[0] as T);
  }

  async persist(opts: ComputeOptions = {}): Promise<Scalar<T>> {
    const [p] = await persistAll(this, opts);
    return p as Scalar<T>;
  }

  visualize(opts: VisualizeOptions = {}): Promise<string> {
    return visualize([this], opts);
  }

  toString(): string {
    return `Scalar('${this.key}')`;
  }

  [inspect.custom](): string {
    return this.toString();
  }
}
