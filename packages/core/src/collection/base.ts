/**
 * The one base class of every pdask collection and single-value result (Delayed, a bag's Item, a
 * dataframe's Scalar, arrays, bags, frames, series): compute/persist/visualize, tokenizing and the
 * printed form are written here once. A subclass says what it is made of (`[collectionSymbol]`)
 * and what identifies it (`tokenKey`), and may adjust the options a compute runs with.
 */
import { layerNode, MaterializedLayer, type LayerNode } from '../graph/high-level';
import { dataNode, type Key } from '../graph/spec';
import { tokenizeSymbol } from '../tokenize/tokenize';
import { visualize, type VisualizeOptions } from '../visualize/visualize';
import { computeCollections, persist as persistAll, type ComputeOptions } from './compute';
import { collectionSymbol, type Collection, type CollectionGraph } from './protocol';

/** Node's `util.inspect.custom`, by its registered symbol (no import of node:util: core also runs in browsers). */
const inspectCustom = Symbol.for('nodejs.util.inspect.custom');

export abstract class CollectionBase<T> implements Collection<T> {
  abstract [collectionSymbol](): CollectionGraph<T>;

  /** What identifies this collection's value in tokens (its name or key: names are tokens of their inputs). */
  protected abstract tokenKey(): unknown;

  /** The printed form (`Delayed('add-…')`, `dask.bag<…>`). */
  abstract toString(): string;

  /** Options a `compute()`/`persist()` of this collection alone runs with (e.g. small arrays choose the calling thread). */
  protected computeOptions(opts: ComputeOptions, _persist: boolean): ComputeOptions {
    return opts;
  }

  [tokenizeSymbol](): unknown {
    return this.tokenKey();
  }

  /** Runs the graph and returns the result. */
  compute(opts: ComputeOptions = {}): Promise<T> {
    return computeCollections([this], this.computeOptions(opts, false)).then((r) => r[0] as T);
  }

  /**
   * Computes and returns the same collection backed by its results. On the threads scheduler the
   * results stay in the worker threads that computed them; other schedulers bring them here.
   */
  async persist(opts: ComputeOptions = {}): Promise<this> {
    const [p] = await persistAll(this, this.computeOptions(opts, true));
    return p as this;
  }

  /** Draws the task graph; returns the SVG (or DOT) and writes it to `filename` when given. */
  visualize(opts: VisualizeOptions = {}): Promise<string> {
    return visualize([this], opts);
  }

  [inspectCustom](): string {
    return this.toString();
  }
}

/**
 * A collection of one key made by one layer (Delayed, Item, Scalar): persisting it gives the same
 * class holding the value under the same key.
 */
export abstract class SingleKeyCollection<T> extends CollectionBase<T> {
  /** @internal */
  constructor(
    readonly key: Key,
    /** @internal */
    readonly layer: LayerNode,
  ) {
    super();
  }

  /** The same class over another layer that produces `key`. */
  protected abstract withLayer(layer: LayerNode): SingleKeyCollection<T>;

  [collectionSymbol](): CollectionGraph<T> {
    return {
      roots: [this.layer],
      keys: [this.key],
      rebuild: (values) => this.withLayer(dataLayer(this.key, values.get(this.key))),
    };
  }

  protected tokenKey(): unknown {
    return this.key;
  }
}

/** A layer holding one known value under `key`. */
export function dataLayer(key: Key, value: unknown): LayerNode {
  return layerNode(new MaterializedLayer(key, [dataNode(key, value)], 'data'));
}
