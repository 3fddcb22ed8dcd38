/**
 * A lazy scalar: the result of a bag aggregation (`sum`, `count`, `mean`, …), Dask's `Item`. It
 * is a core collection with a single key, so it can be computed, persisted, visualised, and
 * passed to `bag.map`, `delayed` functions and other aggregations as a lazy argument.
 */
import { inspect } from 'node:util';
import {
  collectionSymbol,
  computeCollections,
  dataNode,
  Delayed,
  layerNode,
  MaterializedLayer,
  persist as persistAll,
  taskNode,
  toArgSpec,
  tokenize,
  tokenizeSymbol,
  toOpRef,
  visualize,
  type ArgSpec,
  type Collection,
  type CollectionGraph,
  type ComputeOptions,
  type Key,
  type LayerNode,
  type OpFunction,
  type VisualizeOptions,
} from '@pdask/core';
import { userOp, type UserFunction } from './graph';
import { applyToItem } from './ops/elementwise';

export class Item<T> implements Collection<T> {
  /** @internal Created by bag aggregations. */
  constructor(
    readonly key: Key,
    /** @internal */
    readonly layer: LayerNode,
  ) {}

  [collectionSymbol](): CollectionGraph<T> {
    return {
      roots: [this.layer],
      keys: [this.key],
      rebuild: (values) => Item.fromData<T>(this.key, values.get(this.key) as T),
    };
  }

  [tokenizeSymbol](): unknown {
    return this.key;
  }

  /** An Item already holding its value (what `persist` returns). */
  static fromData<T>(key: Key, value: T): Item<T> {
    return new Item<T>(key, layerNode(new MaterializedLayer(key, [dataNode(key, value)], 'data')));
  }

  compute(opts: ComputeOptions = {}): Promise<T> {
    return computeCollections([this], opts).then((r) => r[0] as T);
  }

  async persist(opts: ComputeOptions = {}): Promise<Item<T>> {
    const [p] = await persistAll(this, opts);
    return p as Item<T>;
  }

  /** Draws the task graph; returns the SVG (or DOT) text and writes it to `filename` when given. */
  visualize(opts: VisualizeOptions = {}): Promise<string> {
    return visualize([this], opts);
  }

  /** The same value as a core Delayed (same key, same graph). */
  toDelayed(): Delayed<T> {
    return new Delayed<T>(this.key, this.layer);
  }

  /** Lazily applies `fn(value, ...args)` (Dask's `Item.apply`). */
  apply<R, A extends unknown[] = []>(fn: UserFunction<(x: T, ...args: A) => R>, ...args: A): Item<R> {
    const op = userOp(fn, 'apply');
    const parents: LayerNode[] = [this.layer];
    const extra: ArgSpec = { t: 'arr', items: args.map((a) => toArgSpec(a, parents)) };
    const key = `apply-${tokenize(this.key, op, extra)}`;
    const node = taskNode(key, toOpRef(applyToItem as OpFunction), [{ t: 'fn', op }, { t: 'ref', key: this.key }, extra]);
    return new Item<R>(key, layerNode(new MaterializedLayer(key, [node], 'apply'), parents));
  }

  toString(): string {
    return `Item('${this.key}')`;
  }

  [inspect.custom](): string {
    return this.toString();
  }
}
