import type { GraphNode, Key } from '../graph/spec';
import { TaskSet } from './task-set';

export type WorkerId = string;

/**
 * released: not computed (or dropped); waiting: some input not in memory; ready: runnable, not yet
 * placed; processing: placed on a worker; memory: held by at least one worker; erred: failed, or
 * an input failed.
 */
export type TaskStatus = 'released' | 'waiting' | 'ready' | 'processing' | 'memory' | 'erred';

/**
 * Shared empty lists: most tasks have one reader and one holder, and a graph has 100,000s of tasks,
 * so lists are only allocated when first appended to (see addDependent / addHolder).
 */
const NO_TASKS: TaskState[] = [];
const NO_WORKERS: WorkerState[] = [];

export class TaskState {
  // Declared, not initialised here: every TaskState is made by `newTaskState`'s object literal (see there).
  declare status: TaskStatus;
  /**
   * Its node's key, kept beside `status`: every status change records the key in the story, and
   * reading it through the node (an object made while building the graph, far from this one in
   * memory) was a cache miss per transition, the costliest line of a tiny task's bookkeeping.
   */
  declare readonly key: Key;
  /** Inputs, aligned with `node.deps`. Set once, when the task is linked into its graph. */
  declare deps: TaskState[];
  declare dependents: TaskState[];
  /** Inputs not yet in memory (meaningful while waiting). */
  declare waitingOn: number;
  /** Dependents that still need this result; at 0 (and unwanted) the result is released. */
  declare waiters: number;
  /** Holds by clients/callers that want this result. */
  declare wanted: number;
  declare whoHas: WorkerState[];
  declare processingOn: WorkerState | undefined;
  declare nbytes: number;
  /** Tie-breaker for equal priorities: submission order. */
  declare seq: number;
  /** Position of this task in the graph update that created it (drivers use it as a compact id). */
  declare index: number;
  /**
   * What only failing, retried, killed or scattered tasks need, made when first set: a graph has
   * 100,000s of tasks that all survive into the old generation, so every field costs.
   */
  declare private rare: RareTaskFields | undefined;
  declare readonly node: GraphNode;
  declare priority: number;
  /** Position in the one TaskSet that keeps it here (see TaskSet), or -1. */
  declare setAt: number;

  /** `key` is the node's own key, passed to say which task this is. */
  constructor(key: Key, node: GraphNode, priority: number) {
    if (node.key !== key) throw new Error(`TaskState: key '${key}' is not its node's key '${node.key}'`);
    // The object made by the literal, not `this`: see newTaskState.
    return newTaskState(node, priority, 0, -1);
  }

  /**
   * Of `nbytes`, what another worker reading the result would copy: less when parts of it sit in
   * memory every worker reads in place (SharedArrayBuffer between threads). Placement weighs this.
   * Kept apart only when it differs (rare: results in shared memory).
   */
  get moveBytes(): number {
    const m = this.rare?.moveBytes;
    return m === undefined ? this.nbytes : m;
  }
  set moveBytes(v: number) {
    if (v !== this.nbytes) this.rareFields().moveBytes = v;
    else if (this.rare !== undefined) this.rare.moveBytes = undefined;
  }

  /** Workers that died while running this task. */
  get suspicious(): number {
    return this.rare === undefined ? 0 : this.rare.suspicious;
  }
  set suspicious(v: number) {
    if (v !== 0 || this.rare !== undefined) this.rareFields().suspicious = v;
  }

  get retriesLeft(): number {
    return this.rare === undefined ? 0 : this.rare.retriesLeft;
  }
  set retriesLeft(v: number) {
    if (v !== 0 || this.rare !== undefined) this.rareFields().retriesLeft = v;
  }

  get error(): unknown {
    return this.rare?.error;
  }
  set error(v: unknown) {
    if (v !== undefined || this.rare !== undefined) this.rareFields().error = v;
  }

  /** The key whose failure made this task fail (itself, or an input). */
  get errorOrigin(): Key | undefined {
    return this.rare?.errorOrigin;
  }
  set errorOrigin(v: Key | undefined) {
    if (v !== undefined || this.rare !== undefined) this.rareFields().errorOrigin = v;
  }

  /** Put on a worker directly (scatter): it has no computation, so a lost copy cannot be rebuilt. */
  get scattered(): boolean {
    return this.rare === undefined ? false : this.rare.scattered;
  }
  set scattered(v: boolean) {
    if (v || this.rare !== undefined) this.rareFields().scattered = v;
  }

  private rareFields(): RareTaskFields {
    return (this.rare ??= { suspicious: 0, retriesLeft: 0, error: undefined, errorOrigin: undefined, scattered: false, moveBytes: undefined });
  }
}

/**
 * A TaskState, made by an object literal with the class's prototype rather than by `new`. V8
 * learns per literal (its allocation site) that what it makes survives, and then allocates it
 * straight in the old generation; instances of a class made by `new` are always made young. A
 * graph's 100,000s of TaskStates all outlive the compute, so made young each was copied twice by
 * the scavenger (into the survivor space, then out to the old generation): in a micro-benchmark of
 * 200,000 objects of this shape kept alive, scavenging took about 5x less time this way.
 * One literal for every TaskState, so that they all share one hidden class.
 */
export function newTaskState(node: GraphNode, priority: number, seq: number, index: number): TaskState {
  return {
    __proto__: TaskState.prototype,
    status: 'released',
    key: node.key,
    deps: NO_TASKS,
    dependents: NO_TASKS,
    waitingOn: 0,
    waiters: 0,
    wanted: 0,
    whoHas: NO_WORKERS,
    processingOn: undefined,
    nbytes: 0,
    seq,
    index,
    rare: undefined,
    node,
    priority,
    setAt: -1,
  } as unknown as TaskState;
}

interface RareTaskFields {
  suspicious: number;
  retriesLeft: number;
  error: unknown;
  errorOrigin: Key | undefined;
  scattered: boolean;
  /** Set when it differs from `nbytes`; undefined: the same. */
  moveBytes: number | undefined;
}

/**
 * `asList`, when given, is `[reader]`, shared by the inputs whose only reader it is (in a tree,
 * every input): a one-reader list is never changed in place, only replaced (see addHolder).
 */
export function addDependent(dep: TaskState, reader: TaskState, asList?: TaskState[]): void {
  const n = dep.dependents.length;
  if (n === 0) dep.dependents = asList ?? [reader];
  else if (n === 1) dep.dependents = [dep.dependents[0], reader];
  else dep.dependents.push(reader);
}

/**
 * A one-holder list is the worker's own `alone` list (shared, never changed: most results have
 * one holder, and a list per result is an allocation per task); longer lists are the task's own.
 */
export function addHolder(ts: TaskState, w: WorkerState): void {
  const n = ts.whoHas.length;
  if (n === 0) ts.whoHas = w.alone;
  else if (n === 1) ts.whoHas = [ts.whoHas[0], w];
  else ts.whoHas.push(w);
}

/** Forgets that `w` holds `ts` (see addHolder: a one-holder list is shared, so it is replaced, not changed). */
export function removeHolder(ts: TaskState, w: WorkerState): void {
  const i = ts.whoHas.indexOf(w);
  if (i < 0) return;
  if (ts.whoHas.length === 1) ts.whoHas = NO_WORKERS;
  else ts.whoHas.splice(i, 1);
}

export function clearHolders(ts: TaskState): void {
  ts.whoHas = NO_WORKERS;
}

export class WorkerState {
  /** Tasks placed here, running or queued. */
  readonly processing = new TaskSet();
  /** Results held here. */
  readonly has = new TaskSet();
  /** Exponential average of task run time on this worker, ms; negative until measured. */
  avgDurationMs = -1;
  /** The holder list of a result only this worker holds (shared by all of them; see addHolder). */
  readonly alone: WorkerState[] = [this];

  constructor(
    readonly id: WorkerId,
    readonly nthreads: number,
  ) {}
}
