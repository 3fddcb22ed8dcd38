/**
 * The low-level task graph as plain, serialisable data. Every node can be structured-cloned to a
 * worker thread or encoded for the wire: operations are named (module + export, or source text),
 * never held as live functions.
 */

export type Key = string;

/** How a worker finds the function of a task. */
export type OpRef =
  /** A function exported by a module any worker can `import()`. */
  | { readonly k: 'mod'; readonly spec: string; readonly name: string }
  /** A self-contained user function shipped as source text (checked for captured variables). */
  | { readonly k: 'src'; readonly src: string; readonly name: string };

/**
 * An argument of a task. References to other keys may sit anywhere inside arrays and objects; an
 * explicit tagged tree (rather than Dask's "a string that happens to be a key") makes dependency
 * discovery and substitution unambiguous and cheap.
 */
export type ArgSpec<K = Key> =
  | { readonly t: 'lit'; readonly v: unknown }
  | { readonly t: 'ref'; readonly key: K }
  | { readonly t: 'arr'; readonly items: readonly ArgSpec<K>[] }
  | { readonly t: 'obj'; readonly entries: readonly (readonly [string, ArgSpec<K>])[] }
  /** A function value passed as an argument (e.g. the mapper of `bag.map`). */
  | { readonly t: 'fn'; readonly op: OpRef };

// Node types take the key type as a parameter: graphs are keyed by strings, but a worker thread
// receives them with small integer ids instead (see execute/threads/wire.ts).

export interface TaskNode<K = Key> {
  readonly kind: 'task';
  readonly key: K;
  readonly op: OpRef;
  readonly args: readonly ArgSpec<K>[];
  /** Unique keys this task reads, in first-seen order. */
  readonly deps: readonly K[];
}

/**
 * Marks a value that lives somewhere else (a worker thread's memory, a cluster): a reference the
 * executor resolves, not data. Such data nodes are never fused into their readers, so an executor
 * always meets them as nodes of their own.
 */
export const remoteValueSymbol = Symbol.for('pdask.remote-value');

export interface RemoteValue {
  readonly [remoteValueSymbol]: true;
  /** Whether an executor reads the value where it is (no copy to the caller first). */
  readableBy(executor: object): boolean;
  /** A copy of the value, for executors that cannot read it in place. */
  fetch(): Promise<unknown>;
  /** Lets the holder drop the value now (else when this reference is garbage-collected). */
  release(): void;
}

export function isRemoteValue(v: unknown): v is RemoteValue {
  return typeof v === 'object' && v !== null && remoteValueSymbol in v;
}

/** A value already known (a literal, or a persisted result). */
export interface DataNode<K = Key> {
  readonly kind: 'data';
  readonly key: K;
  readonly value: unknown;
  readonly deps: readonly K[];
}

/** A linear chain of tasks run as one; the last member produces `key`. */
export interface FusedNode<K = Key> {
  readonly kind: 'fused';
  readonly key: K;
  readonly members: readonly (TaskNode<K> | DataNode<K>)[];
  /** Keys read from outside the chain. */
  readonly deps: readonly K[];
}

export type GraphNode<K = Key> = TaskNode<K> | DataNode<K> | FusedNode<K>;

/** A materialised low-level graph. Insertion order is meaningful: it breaks ordering ties. */
export type Graph = Map<Key, GraphNode>;

const NO_DEPS: readonly Key[] = Object.freeze([]);

declare const argType: unique symbol;

/**
 * A task argument that produces a value of type T when the task runs. The type is a phantom: it
 * only lets TypeScript check what a task is built with against its operation's parameters.
 * `lit(v)` carries the literal's type; `ref(key)` and other untyped ArgSpecs fit any parameter
 * (the value of another task is not tracked by type, unless given: `ref<Block>(key)`).
 */
export type Arg<T> = ArgSpec & { readonly [argType]?: T };

/** A literal argument. */
export const lit = <T>(v: T): Arg<T> => ({ t: 'lit', v });
/** The value of another key. */
export const ref = <T = never>(key: Key): Arg<T> => ({ t: 'ref', key });
/** An array of arguments, as one argument (an array of their values). */
export const arr = <T>(items: readonly Arg<T>[]): Arg<T[]> => ({ t: 'arr', items });
/** A function given as an argument (a user function checked by `toOpRef`). */
export const fnArg = <F = never>(op: OpRef): Arg<F> => ({ t: 'fn', op });

export function dataNode(key: Key, value: unknown): DataNode {
  return { kind: 'data', key, value, deps: NO_DEPS };
}

export function taskNode(key: Key, op: OpRef, args: readonly ArgSpec[]): TaskNode {
  return { kind: 'task', key, op, args, deps: argDeps(args) };
}

/** Keys referenced by a list of arguments, each once, in first-seen order. */
export function argDeps(args: readonly ArgSpec[]): readonly Key[] {
  // Most tasks read one or two keys: plain argument lists are scanned without a stack, and a
  // Set is only made once the keys are many (a linear search is cheaper below that).
  let simple = args.length <= 16;
  for (let i = 0; i < args.length; i++) if (args[i].t === 'arr' || args[i].t === 'obj') simple = false;
  if (simple) {
    let out: Key[] | undefined;
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      if (a.t === 'ref' && !(out !== undefined && out.includes(a.key))) (out ??= []).push(a.key);
    }
    return out ?? NO_DEPS;
  }
  let out: Key[] | undefined;
  let seen: Set<Key> | undefined;
  const stack: ArgSpec[] = [];
  for (let i = args.length - 1; i >= 0; i--) stack.push(args[i]);
  while (stack.length) {
    const a = stack.pop()!;
    switch (a.t) {
      case 'ref':
        if (out === undefined) out = [a.key];
        else if (seen !== undefined ? !seen.has(a.key) : !out.includes(a.key)) {
          out.push(a.key);
          if (seen !== undefined) seen.add(a.key);
          else if (out.length > 16) seen = new Set(out);
        }
        break;
      case 'arr':
        for (let i = a.items.length - 1; i >= 0; i--) stack.push(a.items[i]);
        break;
      case 'obj':
        for (let i = a.entries.length - 1; i >= 0; i--) stack.push(a.entries[i][1]);
        break;
      default:
        break;
    }
  }
  return out ?? NO_DEPS;
}

/** A readable name for the operation of a node, for keys, labels and errors. */
export function opName(op: OpRef): string {
  return op.name || 'anonymous';
}
