import type { ArgSpec, DataNode, GraphNode, Key, OpRef, TaskNode } from '../graph/spec';
import { resolveOp, resolveOpSync, type OpFunction } from '../ops/registry';

/** A task's failure, with the key of the exact (possibly fused) member that threw. */
export class TaskFailure<K = Key> {
  constructor(
    readonly key: K,
    readonly error: unknown,
  ) {}
}

type Getter<K> = (key: K) => unknown;

function isPromiseLike(x: unknown): x is PromiseLike<unknown> {
  return typeof x === 'object' && x !== null && typeof (x as { then?: unknown }).then === 'function';
}

/** OpRef objects known to resolve synchronously (graphs reuse one OpRef per function). */
const ready = new WeakSet<OpRef>();
/**
 * The last of them seen: a graph of tiny tasks calls a few functions 100,000s of times in a row,
 * and an identity check is cheaper than the WeakSet's lookup (4% of the tiny-task tree's sync compute).
 */
let lastReady: OpRef | undefined;

/** Queues the loading of an operation not yet known to resolve synchronously; returns the queue, made on first need. */
function loadOp(op: OpRef, pending: Promise<unknown>[] | undefined): Promise<unknown>[] | undefined {
  if (op === lastReady) return pending;
  if (ready.has(op)) {
    lastReady = op;
    return pending;
  }
  if (op.k === 'src' || resolveOpSync(op)) ready.add(op);
  else (pending ??= []).push(resolveOp(op));
  return pending;
}

function loadArgOps<K>(a: ArgSpec<K>, pending: Promise<unknown>[] | undefined): Promise<unknown>[] | undefined {
  if (a.t === 'fn') pending = loadOp(a.op, pending);
  else if (a.t === 'arr') for (const x of a.items) pending = loadArgOps(x, pending);
  else if (a.t === 'obj') for (const e of a.entries) pending = loadArgOps(e[1], pending);
  return pending;
}

function loadTaskOps<K>(t: TaskNode<K> | DataNode<K>, pending: Promise<unknown>[] | undefined): Promise<unknown>[] | undefined {
  if (t.kind !== 'task') return pending;
  pending = loadOp(t.op, pending);
  for (const a of t.args) if (a.t !== 'lit' && a.t !== 'ref') pending = loadArgOps(a, pending);
  return pending;
}

/**
 * Loads every module operation a node needs, so that running it afterwards is synchronous.
 * Returns undefined when nothing had to be loaded (the common case after warm-up, which then
 * allocates nothing: this runs once per task).
 */
export function prepareOps<K>(node: GraphNode<K>): Promise<void> | undefined {
  let pending: Promise<unknown>[] | undefined;
  if (node.kind === 'fused') for (const m of node.members) pending = loadTaskOps(m, pending);
  else pending = loadTaskOps(node, pending);
  return pending ? Promise.all(pending).then(() => undefined) : undefined;
}

function evalArg<K>(a: ArgSpec<K>, get: Getter<K>): unknown {
  switch (a.t) {
    case 'lit':
      return a.v;
    case 'ref':
      return get(a.key);
    case 'arr':
      return a.items.map((x) => evalArg(x, get));
    case 'obj': {
      const o: Record<string, unknown> = {};
      for (const [k, x] of a.entries) o[k] = evalArg(x, get);
      return o;
    }
    case 'fn':
      return opFunction(a.op);
  }
}

function opFunction(op: OpRef): OpFunction {
  const fn = resolveOpSync(op);
  if (!fn) throw new Error(`Operation '${op.name}' from '${op.k === 'mod' ? op.spec : 'source'}' was not loaded (call prepareOps first)`);
  return fn;
}

function callTask<K>(t: TaskNode<K>, get: Getter<K>): unknown {
  const fn = opFunction(t.op);
  const a = t.args;
  // Tiny tasks take one or two arguments: called directly, without an argument array to spread.
  switch (a.length) {
    case 0:
      return fn();
    case 1:
      return fn(evalArg(a[0], get));
    case 2:
      return fn(evalArg(a[0], get), evalArg(a[1], get));
  }
  const args = new Array(a.length);
  for (let i = 0; i < args.length; i++) args[i] = evalArg(a[i], get);
  return fn(...args);
}

/**
 * Runs a node whose operations are loaded and whose inputs `get` can supply. Returns the value, or
 * a promise when a task function is asynchronous. Throws TaskFailure naming the failing member.
 */
export function runNode<K>(node: GraphNode<K>, get: Getter<K>): unknown {
  if (node.kind === 'data') return node.value;
  if (node.kind === 'task') {
    try {
      const v = callTask(node, get);
      return isPromiseLike(v) ? Promise.resolve(v).catch((e) => Promise.reject(new TaskFailure(node.key, e))) : v;
    } catch (e) {
      throw new TaskFailure(node.key, e);
    }
  }
  return runFused(node.members, 0, new Map<K, unknown>(), get);
}

function runFused<K>(members: readonly (TaskNode<K> | DataNode<K>)[], from: number, local: Map<K, unknown>, get: Getter<K>): unknown {
  const lookup: Getter<K> = (k) => (local.has(k) ? local.get(k) : get(k));
  let last: unknown;
  for (let i = from; i < members.length; i++) {
    const m = members[i];
    if (m.kind === 'data') {
      last = m.value;
    } else {
      try {
        last = callTask(m, lookup);
      } catch (e) {
        throw new TaskFailure(m.key, e);
      }
      if (isPromiseLike(last)) {
        // Continue the chain asynchronously once this member settles.
        return Promise.resolve(last).then(
          (v) => {
            local.set(m.key, v);
            return i + 1 < members.length ? runFused(members, i + 1, local, get) : v;
          },
          (e) => Promise.reject(new TaskFailure(m.key, e)),
        );
      }
    }
    local.set(m.key, last);
  }
  return last;
}

export { isPromiseLike };
