/**
 * The Bag: a lazy, partitioned collection of arbitrary values (Dask's `dask.bag.Bag`). Each
 * method adds one layer to the task graph and returns a new Bag (or a lazy scalar, `Item`);
 * nothing runs until `compute()`.
 */
import { CollectionBase, collectionSymbol, dataNode, Delayed, layerNode, lit, MaterializedLayer, ref, type ArgSpec, type CollectionGraph, type Key, type LayerNode } from '@pdask/core';
import { accumulate, join, product, take, type TakeOptions } from './combine';
import { ExtraArgs, keyArg, partitionKey, userFnArg, type KeySpec, type UserFunction } from './graph';
import { toTextFiles, type ToTextFilesOptions } from './io/to-text-files';
import { Item } from './item';
import { bagOps } from './ops';
import { opName, partitionwise } from './partitionwise';
import { extendPipe, pipeLayer, type Pipe, type StageDef } from './pipe';
import { checkFoldOptions, checkReductionFunctionOptions, type FoldOptions, type ReductionFunctionOptions } from './reductions/options';
import { reduceToBag, reduceToItem, type ReductionOptions } from './reductions/tree';
import { repartitionTo, type RepartitionOptions } from './repartition-size';
import { randomSample, type RandomSampleOptions } from './sample';
import { groupby, type GroupbyOptions } from './shuffle';
import { StringAccessor } from './str';
import { toDataFrame, type ToDataFrameOptions } from './to-dataframe';
import type { DataFrame } from '@pdask/dataframe';

/** An argument of a map-like method: a value, or a lazy one (another bag is read element-wise). */
export type BagArg<A> = A | Bag<A> | Item<A> | Delayed<A>;
export type BagArgs<A extends readonly unknown[]> = { [K in keyof A]: BagArg<A[K]> };

type Elem<T> = T extends Iterable<infer E> ? E : never;
type Tuple<T> = T extends readonly unknown[] ? T : never;

export function isBag(x: unknown): x is Bag<unknown> {
  return x instanceof Bag;
}

export class Bag<T> extends CollectionBase<T[]> {
  /** @internal Bags are made by `fromSequence`, `range`, `readText`, … and by bag methods. */
  constructor(
    /** The key prefix of the partitions: partition i is the key `${name}-${i}`. */
    readonly name: string,
    readonly npartitions: number,
    /** @internal The layer producing the partitions. */
    readonly layer: LayerNode,
    /** @internal How the partitions are computed when element-wise operations follow (fusion). */
    readonly pipe?: Pipe,
  ) {
    super();
  }

  /** The task-graph key of partition `i`. */
  key(i: number): Key {
    return partitionKey(this.name, i);
  }

  get keys(): Key[] {
    return Array.from({ length: this.npartitions }, (_, i) => this.key(i));
  }

  [collectionSymbol](): CollectionGraph<T[]> {
    return {
      roots: [this.layer],
      keys: this.keys,
      finalize: { op: bagOps.concatPartitions.ref },
      rebuild: (values) => Bag.fromPartitions<T>(this.name, this.keys.map((k) => values.get(k) as T[])),
    };
  }

  protected tokenKey(): unknown {
    return this.name;
  }

  /** @internal A bag whose partitions are already known (persist, fromSequence). */
  static fromPartitions<T>(name: string, parts: readonly (readonly T[])[], label = 'data'): Bag<T> {
    const nodes = parts.map((p, i) => dataNode(partitionKey(name, i), p));
    return new Bag<T>(name, parts.length, layerNode(new MaterializedLayer(name, nodes, label)));
  }

  // ---- computing ------------------------------------------------------------------------------
  // compute() (the elements, partition after partition), persist() (a bag backed by the computed
  // partitions, same name and keys) and visualize() come from CollectionBase.

  /** One core Delayed per partition (each computes to that partition's array). */
  toDelayed(): Delayed<T[]>[] {
    return this.keys.map((k) => new Delayed<T[]>(k, this.layer));
  }

  /** The first `n` elements, computing only the first `npartitions` partitions (default 1). */
  take(n: number, opts?: TakeOptions): Promise<T[]> {
    return take(this, n, opts);
  }

  /** Writes one text file per partition; `pattern`'s `*` is replaced by the partition index. */
  toTextFiles(pattern: string | readonly string[], opts?: ToTextFilesOptions): Promise<string[]> {
    return toTextFiles(this, pattern, opts);
  }

  // ---- element-wise ---------------------------------------------------------------------------

  /**
   * `fn(x, ...args)` for every element. Extra arguments that are bags are read element by element
   * (the bags zipped); Items and Delayed values are computed first; anything else is passed as is.
   */
  map<R, A extends unknown[] = []>(fn: UserFunction<(x: T, ...args: A) => R>, ...args: BagArgs<A>): Bag<R> {
    return this.mapLike<R>('map', fn, args, false);
  }

  /** `fn(...x, ...args)`: each element (an array) spread into the arguments. */
  starmap<R, A extends unknown[] = []>(fn: UserFunction<(...args: [...Tuple<T>, ...A]) => R>, ...args: BagArgs<A>): Bag<R> {
    return this.mapLike<R>('starmap', fn, args, true);
  }

  private mapLike<R>(method: string, fn: unknown, args: readonly unknown[], star: boolean): Bag<R> {
    const f = userFnArg(fn, method);
    const parents: LayerNode[] = [];
    const extra = new ExtraArgs(args, this.npartitions, method, parents, isBag);
    return this.fused<R>(method, fnLabel(f), [f, extra.token()], { kind: star ? 'starmap' : 'map', fn: f, extra }, parents);
  }

  /**
   * A bag one element-wise stage further down this bag's pipeline: its tasks run the whole chain
   * in one pass per partition (see pipe.ts). Keys are named as the unfused operation's would be.
   */
  private fused<R>(kind: string, fnName: string | undefined, token: unknown[], stage: StageDef, parents: readonly LayerNode[]): Bag<R> {
    const prefix = fnName && /^[\w$]+$/.test(fnName) ? `${kind}-${fnName}` : kind;
    const name = opName(prefix, [this.name], ...token);
    const pipe = extendPipe(this, stage, parents);
    return new Bag<R>(name, this.npartitions, pipeLayer(name, kind, this.npartitions, pipe), pipe);
  }

  /** Elements for which `pred(x, ...args)` is truthy. */
  filter<S extends T>(pred: UserFunction<(x: T) => x is S>): Bag<S>;
  filter<A extends unknown[] = []>(pred: UserFunction<(x: T, ...args: A) => unknown>, ...args: BagArgs<A>): Bag<T>;
  filter(pred: unknown, ...args: unknown[]): Bag<T> {
    return this.filterLike('filter', pred, args, true);
  }

  /** Elements for which `pred(x, ...args)` is falsy. */
  remove<A extends unknown[] = []>(pred: UserFunction<(x: T, ...args: A) => unknown>, ...args: BagArgs<A>): Bag<T> {
    return this.filterLike('remove', pred, args, false);
  }

  private filterLike(method: string, pred: unknown, args: readonly unknown[], keep: boolean): Bag<T> {
    const f = userFnArg(pred, method, 'predicate');
    const parents: LayerNode[] = [];
    const extra = new ExtraArgs(args, this.npartitions, method, parents, isBag);
    return this.fused<T>(method, fnLabel(f), [f, extra.token()], { kind: keep ? 'filter' : 'remove', fn: f, extra }, parents);
  }

  /** The elements of the elements (each an array or other iterable), concatenated. */
  flatten(): Bag<Elem<T>> {
    return this.fused<Elem<T>>('flatten', undefined, [], { kind: 'flatten', fn: null }, []);
  }

  /** `map(fn, ...args).flatten()` in one pass. */
  flatMap<R, A extends unknown[] = []>(fn: UserFunction<(x: T, ...args: A) => Iterable<R>>, ...args: BagArgs<A>): Bag<R> {
    const f = userFnArg(fn, 'flatMap');
    const parents: LayerNode[] = [];
    const extra = new ExtraArgs(args, this.npartitions, 'flatMap', parents, isBag);
    return this.fused<R>('flatMap', fnLabel(f), [f, extra.token()], { kind: 'flatMap', fn: f, extra }, parents);
  }

  /**
   * `x[key]` of every element, or `[x[k1], x[k2], …]` for an array of keys. A missing key is an
   * error unless a default is given.
   */
  pluck<K extends keyof T & (string | number)>(key: K, ...fallback: [] | [T[K]]): Bag<T[K]>;
  pluck(keys: readonly (string | number)[], ...fallback: [] | [unknown]): Bag<unknown[]>;
  pluck(key: string | number | readonly (string | number)[], ...fallback: [] | [unknown]): Bag<unknown> {
    const ok = (k: unknown) => typeof k === 'string' || typeof k === 'number';
    if (!(ok(key) || (Array.isArray(key) && key.every(ok)))) {
      throw new TypeError(`Bag.pluck: expected a property name, an index or an array of them, got ${typeof key}`);
    }
    const hasDefault = fallback.length > 0;
    return this.fused('pluck', undefined, [key, hasDefault, fallback[0]], { kind: 'pluck', fn: null, opt: [key, hasDefault, fallback[0]] }, []);
  }

  /**
   * `fn(partition, ...args)` for every partition; it returns the new partition (any iterable).
   * Extra arguments that are bags are passed partition by partition.
   */
  mapPartitions<R>(fn: UserFunction<(part: T[], ...args: never[]) => Iterable<R>>, ...args: unknown[]): Bag<R> {
    const f = userFnArg(fn, 'mapPartitions');
    const parents: LayerNode[] = [];
    const extra = new ExtraArgs(args, this.npartitions, 'mapPartitions', parents, isBag);
    return partitionwise<R>([this], {
      kind: 'mapPartitions',
      token: [f, extra.token()],
      fnName: fnLabel(f),
      parents,
      npartitions: this.npartitions,
      task: (key, i) => bagOps.mapPartitionsCall.task(key, lit(i), f, ref(this.key(i)), extra.at(i)),
    });
  }

  /** Running `binop` over all elements in order: `[x0, binop(x0, x1), …]` (with `initial` first if given). */
  accumulate<A = T>(binop: UserFunction<(acc: A, x: T) => A>, initial?: A): Bag<A> {
    return accumulate(this, binop, initial);
  }

  /** `[otherItem, item]` for every pair whose keys match (`other`: an array, a one-partition bag or a lazy value). */
  join<U>(other: readonly U[] | Bag<U> | Item<readonly U[]> | Delayed<readonly U[]>, onSelf: KeySpec<T>, onOther?: KeySpec<U>): Bag<[U, T]> {
    return join(this, other, onSelf, onOther);
  }

  /** Cartesian product with another bag: `[a, b]` pairs (npartitions multiply). */
  product<U>(other: Bag<U>): Bag<[T, U]> {
    return product(this, other);
  }

  /**
   * The same elements, in order, in `npartitions` partitions (neighbours merged, or partitions
   * split evenly), or (`{ partitionSize }`, which computes the bag to measure it, so returns a
   * promise) in partitions of at most about that much memory.
   */
  repartition(npartitions: number | (RepartitionOptions & { npartitions: number; partitionSize?: undefined })): Bag<T>;
  repartition(opts: RepartitionOptions & { partitionSize: number | string }): Promise<Bag<T>>;
  repartition(arg: number | RepartitionOptions): Bag<T> | Promise<Bag<T>> {
    return repartitionTo(this, arg);
  }

  // ---- grouping ---------------------------------------------------------------------------------

  /** `[key, elements]` groups, by a full shuffle across partitions (every group in one partition). */
  groupby<K>(grouper: UserFunction<(x: T) => K>, opts?: GroupbyOptions): Bag<[K, T[]]>;
  groupby<P extends keyof T & (string | number)>(grouper: P, opts?: GroupbyOptions): Bag<[T[P], T[]]>;
  groupby(grouper: KeySpec<T>, opts?: GroupbyOptions): Bag<[unknown, T[]]> {
    return groupby(this, grouper, opts);
  }

  /**
   * Group-and-reduce without a shuffle (Dask's `foldby`): per key, `binop(acc, x)` over elements in
   * each partition, then partial results merged with `combine` (default binop) in a tree.
   * `initial` / `combineInitial`: start values (a function is called for a fresh one per key);
   * `undefined` means none (the first value starts). Result: one partition of `[key, value]` pairs.
   */
  foldby<K, A = T>(
    key: UserFunction<(x: T) => K> | (keyof T & (string | number)),
    binop: UserFunction<(acc: A, x: T) => A>,
    initial?: A | UserFunction<() => A>,
    combine?: UserFunction<(a: A, b: A) => A>,
    combineInitial?: A | UserFunction<() => A>,
    opts?: ReductionOptions,
  ): Bag<[K, A]> {
    const k = keyArg(key, 'foldby');
    const b = userFnArg(binop, 'foldby', 'binop');
    const c = combine === undefined ? b : userFnArg(combine, 'foldby', 'combine function');
    const init = valueArg(initial, 'foldby');
    const cinit = valueArg(combineInitial, 'foldby');
    const merge = [c, lit(combineInitial !== undefined), cinit];
    return reduceToBag(this, 'foldby', { chunk: [k, b, lit(initial !== undefined), init], combine: merge, final: merge, token: [k, b, init, c, cinit] }, opts);
  }

  // ---- reductions (one row each in reductions/table.ts) -------------------------------------------

  /**
   * A tree reduction with your own functions: `perPartition(partition)` for every partition, then
   * `aggregate(results)` over groups of results until one is left (so `aggregate` must accept its
   * own outputs). Empty partitions are skipped unless the bag has only one. `name`: the key prefix.
   */
  reduction<P, R>(perPartition: UserFunction<(part: T[]) => P>, aggregate: UserFunction<(parts: P[]) => R>, opts?: ReductionFunctionOptions): Item<R> {
    const { name, ...rest } = checkReductionFunctionOptions(opts);
    const chunk = userFnArg(perPartition, 'reduction', 'perPartition function');
    const agg = userFnArg(aggregate, 'reduction', 'aggregate function');
    return reduceToItem<R>(this, 'reduction', { chunk: [chunk], combine: [agg], token: [chunk, agg], prefix: name }, rest);
  }

  /** `binop` folded over all elements; partial results merged with `combine` (default binop). */
  fold<A = T>(binop: UserFunction<(acc: A, x: T) => A>, combine?: UserFunction<(a: A, b: A) => A>, initial?: A, opts?: FoldOptions): Item<A> {
    const rest = checkFoldOptions(opts);
    const b = userFnArg(binop, 'fold', 'binop');
    const c = combine === undefined ? b : userFnArg(combine, 'fold', 'combine function');
    const has = lit(initial !== undefined);
    const init = valueArg(initial, 'fold');
    return reduceToItem<A>(this, 'fold', { chunk: [b, has, init], combine: [c, has, init], token: [b, c, has, init] }, rest);
  }

  sum(opts?: ReductionOptions): Item<T> {
    return reduceToItem(this, 'sum', {}, opts);
  }

  count(opts?: ReductionOptions): Item<number> {
    return reduceToItem(this, 'count', {}, opts);
  }

  /** The largest element (`>`); an error for an empty bag. */
  max(opts?: ReductionOptions): Item<T> {
    return reduceToItem(this, 'max', {}, opts);
  }

  /** The smallest element (`<`); an error for an empty bag. */
  min(opts?: ReductionOptions): Item<T> {
    return reduceToItem(this, 'min', {}, opts);
  }

  any(opts?: ReductionOptions): Item<boolean> {
    return reduceToItem(this, 'any', {}, opts);
  }

  all(opts?: ReductionOptions): Item<boolean> {
    return reduceToItem(this, 'all', {}, opts);
  }

  /** The arithmetic mean (NaN for an empty bag). */
  mean(opts?: ReductionOptions): Item<number> {
    return reduceToItem(this, 'mean', {}, opts);
  }

  /** The variance with `ddof` delta degrees of freedom (default 0, as Dask). */
  var(ddof = 0, opts?: ReductionOptions): Item<number> {
    const d = [lit(checkDdof(ddof, 'var'))];
    return reduceToItem(this, 'var', { final: d, token: d }, opts);
  }

  std(ddof = 0, opts?: ReductionOptions): Item<number> {
    const d = [lit(checkDdof(ddof, 'std'))];
    return reduceToItem(this, 'std', { final: d, token: d }, opts);
  }

  /** `[value, count]` pairs of distinct values (by value), most frequent first with `sort`. */
  frequencies(sort = false, opts?: ReductionOptions): Bag<[T, number]> {
    if (typeof sort !== 'boolean') throw new TypeError(`Bag.frequencies: sort must be a boolean, got ${typeof sort}`);
    return reduceToBag(this, 'frequencies', { final: [lit(sort)], token: [sort] }, opts);
  }

  /** The `k` largest elements (by `key`, a function or property), largest first. */
  topk(k: number, key?: KeySpec<T>, opts?: ReductionOptions): Bag<T> {
    if (!Number.isInteger(k) || k < 0) throw new RangeError(`Bag.topk: k must be a non-negative integer, got ${String(k)}`);
    const args = [lit(k), key === undefined ? lit(null) : keyArg(key, 'topk')];
    return reduceToBag(this, 'topk', { chunk: args, combine: args, token: args }, opts);
  }

  /** Distinct elements (by value, or by `key`), first occurrence kept, in one partition. */
  distinct(key?: KeySpec<T>, opts?: ReductionOptions): Bag<T> {
    const args = [key === undefined ? lit(null) : keyArg(key, 'distinct')];
    return reduceToBag(this, 'distinct', { chunk: args, combine: args, token: args }, opts);
  }

  toString(): string {
    return `Bag<${this.name}, npartitions=${this.npartitions}>`;
  }

  // ---- added for issue 13 ------------------------------------------------------------------------

  /** Python's string methods over a bag of strings: `b.str.lower()`, `b.str.split()`, `b.str.match('*.txt')` … */
  get str(): StringAccessor {
    return new StringAccessor(this);
  }

  /**
   * Each element kept with probability `prob` (Dask's `random_sample`). With `randomState` (an
   * integer) the sample is deterministic, and the same as Dask's for that seed.
   */
  randomSample(prob: number, opts?: RandomSampleOptions): Bag<T> {
    return randomSample(this, prob, opts);
  }

  /**
   * A @pdask/dataframe DataFrame of the records (objects by column name, arrays by position), one
   * partition per bag partition. Without `meta`, the columns and dtypes come from the first element,
   * which is computed (as Dask does). Needs @pdask/dataframe installed (loaded on first use).
   */
  toDataFrame(opts?: ToDataFrameOptions): Promise<DataFrame> {
    return toDataFrame(this, opts);
  }

  /** `n` bags, the i-th holding element i of every element (each an array): `pluck(0)`, …, `pluck(n - 1)`. */
  unzip(n: number): Bag<T extends readonly (infer E)[] ? E : unknown>[] {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`Bag.unzip: n must be a non-negative integer, got ${String(n)}`);
    return Array.from({ length: n }, (_, i) => this.pluck(i as keyof T & number) as Bag<T extends readonly (infer E)[] ? E : unknown>);
  }
}

/** The name of a user function argument, for key prefixes. */
function fnLabel(f: ArgSpec): string | undefined {
  return f.t === 'fn' ? f.op.name || undefined : undefined;
}

function checkDdof(ddof: number, method: string): number {
  if (!Number.isInteger(ddof) || ddof < 0) throw new RangeError(`Bag.${method}: ddof must be a non-negative integer, got ${String(ddof)}`);
  return ddof;
}

/** An initial value: a literal, or a function (shipped, called for each fresh start value). */
function valueArg(v: unknown, method: string): ArgSpec {
  return typeof v === 'function' ? userFnArg(v, method, 'initial value factory') : lit(v);
}
