import type { LayerNode } from '../graph/high-level';
import type { Key, OpRef } from '../graph/spec';

/**
 * The collection protocol (Dask's `__dask_graph__`/`__dask_keys__`/`__dask_postcompute__`): anything
 * that implements it can be computed, persisted, visualised and passed to `delayed` functions.
 */
export const collectionSymbol = Symbol.for('pdask.collection');

/**
 * How to turn the values of a collection's keys into its result. It is an operation (not a
 * closure) so that it can run on the caller, on a worker, or inside a larger graph.
 * Result = op(values, ...args), values in the order of `keys`.
 */
export interface Finalizer {
  readonly op: OpRef;
  readonly args?: readonly unknown[];
}

export interface CollectionGraph<T> {
  /** Output layers of the collection; the whole graph is reachable from them. */
  readonly roots: readonly LayerNode[];
  /** The keys whose values make the result. */
  readonly keys: readonly Key[];
  /** Without a finalizer the result is the value of the single key. */
  readonly finalize?: Finalizer;
  /**
   * Estimated bytes of the result gathered into the caller, when the collection knows it (an
   * array's shape and dtype): results too large for memory are refused before anything runs.
   */
  readonly resultBytes?: number;
  /** What to do instead of gathering a result too large (e.g. "reduce it first or write it with toZarr"). */
  readonly advice?: string;
  /** The same collection backed by computed values (persist). */
  rebuild(values: ReadonlyMap<Key, unknown>): Collection<T>;
}

export interface Collection<T> {
  [collectionSymbol](): CollectionGraph<T>;
}

export function isCollection(x: unknown): x is Collection<unknown> {
  return (typeof x === 'object' || typeof x === 'function') && x !== null && collectionSymbol in x;
}

/** The computed type of a collection, or the value itself for anything else. */
export type ResultOf<C> = C extends Collection<infer T> ? T : C;
