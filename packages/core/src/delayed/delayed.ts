import { randomId as randomUUID } from '../tokenize/hasher';
import { dataLayer, SingleKeyCollection } from '../collection/base';
import type { Collection } from '../collection/protocol';
import { toArgSpec } from '../graph/args';
import { freshLayerNode, layerNode, MaterializedLayer, type LayerNode } from '../graph/high-level';
import { taskNode, type ArgSpec, type Key, type OpRef } from '../graph/spec';
import { coreOps } from '../ops/index';
import type { ModuleFunction, Op, OpFunction } from '../ops/registry';
import { toOpRef } from '../ops/shippable';
import { checkOptions, intAtLeast, type OptionSchema } from '../options/options';
import { tokenize } from '../tokenize/tokenize';

/**
 * A value, or a lazy value of that type (any collection that computes to it: a Delayed, a bag's
 * lazy scalar, a distributed Future…), possibly inside arrays and plain objects.
 */
export type Lazy<T> =
  | T
  | Collection<T>
  | (T extends readonly (infer E)[] ? readonly Lazy<E>[] : T extends Record<string, unknown> ? { [K in keyof T]: Lazy<T[K]> } : never);

export type LazyArgs<P extends readonly unknown[]> = { [K in keyof P]: Lazy<P[K]> };

export interface DelayedOptions {
  /** Deterministic keys from a token of function and arguments (default false: a fresh uuid). */
  pure?: boolean;
  /** Key prefix (default: the function's name). */
  name?: string;
  /** The number of results of a function that returns a tuple: the Delayed can be destructured. */
  nout?: number;
}

export type DelayedFunction<F extends OpFunction> = (...args: LazyArgs<Parameters<F>>) => Delayed<Awaited<ReturnType<F>>>;

/**
 * A lazy value: a key in a task graph that computes it. Created by `delayed`; combined by passing
 * Delayed values to other delayed functions; run by `compute()`.
 */
export class Delayed<T = unknown> extends SingleKeyCollection<T> {
  /** @internal */
  constructor(
    key: Key,
    layer: LayerNode,
    /** @internal */
    readonly nout?: number,
  ) {
    super(key, layer);
  }

  protected withLayer(layer: LayerNode): Delayed<T> {
    return new Delayed<T>(this.key, layer, this.nout);
  }

  /** A Delayed already holding its value (what `persist` returns). */
  static fromData<T>(key: Key, value: T): Delayed<T> {
    return new Delayed<T>(key, dataLayer(key, value));
  }

  /** Lazy `value[index]` (Dask's `d[i]` and `d.attr`). */
  get<K extends keyof T & (string | number)>(index: K): Delayed<T[K]>;
  get(index: string | number): Delayed<unknown>;
  get(index: string | number): Delayed<unknown> {
    return buildCall(coreOps.getitem, [this, index], { pure: true, name: 'getitem' });
  }

  /** Lazy `value.method(...args)`. */
  call<M extends keyof T & string>(
    method: M,
    ...args: T[M] extends OpFunction ? LazyArgs<Parameters<T[M]>> : never
  ): Delayed<T[M] extends OpFunction ? Awaited<ReturnType<T[M]>> : never> {
    return buildCall(coreOps.callMethod, [this, method, ...(args as unknown[])], { pure: true, name: method }) as never;
  }

  /** Destructuring of results declared with `{ nout }`. */
  *[Symbol.iterator](): Iterator<Delayed<T extends readonly (infer E)[] ? E : unknown>> {
    if (this.nout === undefined) {
      throw new TypeError(`Delayed('${this.key}') has no known length: declare it with delayed(fn, { nout: n }) to destructure it`);
    }
    for (let i = 0; i < this.nout; i++) yield this.get(i) as never;
  }

  toString(): string {
    return `Delayed('${this.key}')`;
  }
}

function keyFor(prefix: string, pure: boolean, op: OpRef, args: readonly ArgSpec[]): Key {
  return `${prefix}-${pure ? tokenize(op, args) : randomUUID()}`;
}

/** Builds one task (one layer) calling `fn` on possibly-lazy arguments. */
function buildCall(fn: OpFunction | ModuleFunction | Op, args: readonly unknown[], opts: DelayedOptions): Delayed<never> {
  const op = toOpRef(fn);
  const parents: LayerNode[] = [];
  const specs = args.map((a) => toArgSpec(a, parents));
  const key = keyFor(opts.name ?? (op.name || 'delayed'), opts.pure ?? false, op, specs);
  const node = taskNode(key, op, specs);
  const layer = new MaterializedLayer(key, [node], op.name);
  return new Delayed<never>(key, opts.pure ? layerNode(layer, parents) : freshLayerNode(layer, parents), opts.nout);
}

const DELAYED_OPTIONS: OptionSchema<DelayedOptions> = {
  pure: 'boolean',
  name: 'string',
  nout: intAtLeast(0),
};

/**
 * Makes a function lazy (`dask.delayed`): calling the result builds a task instead of running it.
 * Given a non-function value, wraps that value (finding any Delayed inside arrays and objects).
 *
 * The function is shipped to worker threads as source text, so it must be self-contained: one
 * that captures variables from its enclosing scope is refused here, with the variable's name.
 */
export function delayed<F extends OpFunction>(fn: F, opts?: DelayedOptions): DelayedFunction<F>;
export function delayed<F extends OpFunction>(fn: ModuleFunction<F>, opts?: DelayedOptions): DelayedFunction<F>;
export function delayed<T>(value: T, opts?: DelayedOptions): Delayed<T>;
export function delayed(x: unknown, opts: DelayedOptions = {}): unknown {
  checkOptions('delayed', opts, DELAYED_OPTIONS);
  const isModule = typeof x === 'object' && x !== null && 'moduleRef' in x;
  if (typeof x === 'function' || isModule) {
    const fn = x as OpFunction | ModuleFunction;
    // Check shippability now, at definition time, so the error points at the delayed() call.
    toOpRef(fn);
    return (...args: unknown[]) => buildCall(fn, args, opts);
  }
  if (x instanceof Delayed) return x;
  const parents: LayerNode[] = [];
  const spec = toArgSpec(x, parents);
  const prefix = opts.name ?? typeName(x);
  if (spec.t === 'lit') {
    const key = `${prefix}-${opts.pure ? tokenize(x) : randomUUID()}`;
    return new Delayed(key, dataLayer(key, x), opts.nout);
  }
  const op = coreOps.identity;
  const key = keyFor(prefix, opts.pure ?? false, op.ref, [spec]);
  return new Delayed(key, layerNode(new MaterializedLayer(key, [op.task(key, spec)], 'identity'), parents), opts.nout);
}

function typeName(x: unknown): string {
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'array';
  if (typeof x === 'object') return (Object.getPrototypeOf(x)?.constructor?.name ?? 'object').toLowerCase();
  return typeof x;
}

