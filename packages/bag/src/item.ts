/**
 * A lazy scalar: the result of a bag aggregation (`sum`, `count`, `mean`, …), Dask's `Item`. It
 * is a core single-key collection, so it can be computed, persisted, visualised, and passed to
 * `bag.map`, `delayed` functions and other aggregations as a lazy argument.
 */
import {
  arr,
  dataLayer,
  Delayed,
  fnArg,
  layerNode,
  MaterializedLayer,
  ref,
  SingleKeyCollection,
  toArgSpec,
  tokenize,
  type Key,
  type LayerNode,
} from '@pdask/core';
import { userOp, type UserFunction } from './graph';
import { bagOps } from './ops';

export class Item<T> extends SingleKeyCollection<T> {
  protected withLayer(layer: LayerNode): Item<T> {
    return new Item<T>(this.key, layer);
  }

  /** An Item already holding its value (what `persist` returns). */
  static fromData<T>(key: Key, value: T): Item<T> {
    return new Item<T>(key, dataLayer(key, value));
  }

  /** The same value as a core Delayed (same key, same graph). */
  toDelayed(): Delayed<T> {
    return new Delayed<T>(this.key, this.layer);
  }

  /** Lazily applies `fn(value, ...args)` (Dask's `Item.apply`). */
  apply<R, A extends unknown[] = []>(fn: UserFunction<(x: T, ...args: A) => R>, ...args: A): Item<R> {
    const op = userOp(fn, 'apply');
    const parents: LayerNode[] = [this.layer];
    const extra = arr(args.map((a) => toArgSpec(a, parents)));
    const key = `apply-${tokenize(this.key, op, extra)}`;
    const node = bagOps.applyToItem.task(key, fnArg(op), ref(this.key), extra);
    return new Item<R>(key, layerNode(new MaterializedLayer(key, [node], 'apply'), parents));
  }

  toString(): string {
    return `Item('${this.key}')`;
  }
}
