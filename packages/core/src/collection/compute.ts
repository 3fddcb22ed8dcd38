import * as config from '../config/config';
import { getExecutor, type Executor } from '../execute/executor';
import { registerBuiltinExecutors } from '../execute/registry';
import { resolveResidentInputs } from '../execute/resident-inputs';
import { cullIndexed } from '../graph/cull';
import { fuseLinearIndexed } from '../graph/fuse';
import { inlineDataIndexed } from '../graph/inline';
import { IndexedGraph } from '../graph/indexed';
import { isRemoteValue, type Key } from '../graph/spec';
import { resolveOp } from '../ops/registry';
import { orderIndexed } from '../order/order';
import { progressBar } from '../progress/progress';
import { isProgressReporter, type ProgressReporter } from '../progress/reporter';
import { checkOptions, intAtLeast, nearestName, OptionError, type OptionSchema } from '../options/options';
import { checkMemory } from './memory';
import { collectionSymbol, isCollection, type Collection, type CollectionGraph, type ResultOf } from './protocol';

export interface ComputeOptions {
  /** 'threads' (default), 'sync', a name registered by another package, or an Executor. */
  scheduler?: string | Executor;
  /** Size of the thread pool (default: config 'num-workers', the number of cores). */
  numWorkers?: number;
  /** Fuse linear chains before running (default: config 'optimization.fuse.active'). */
  optimizeGraph?: boolean;
  /** Show a progress bar on stderr (default: config 'progress'), or report to `progress({ onUpdate })` / `domProgress(element)`. */
  progress?: boolean | ProgressReporter;
  /** Re-run a failing task this many times before failing the computation. */
  retries?: number;
  /**
   * Fail a task that runs longer than this (ms) with TaskTimeoutError, stopping the thread or
   * process running it (Dask has no such option; JavaScript cannot interrupt a running function).
   */
  taskTimeoutMs?: number;
}

const COMPUTE_OPTIONS: OptionSchema<ComputeOptions> = {
  scheduler: { anyOf: ['string', 'object'] },
  numWorkers: intAtLeast(1),
  optimizeGraph: 'boolean',
  progress: (v) => (typeof v === 'boolean' || isProgressReporter(v) ? undefined : 'a boolean, or a reporter from progress({ onUpdate }) or domProgress(element)'),
  retries: intAtLeast(0),
  taskTimeoutMs: (v) => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? undefined : 'a number of milliseconds > 0'),
};
const OPTION_KEYS = new Set(Object.keys(COMPUTE_OPTIONS));

/**
 * compute()'s option names, each accepting anything: for the options of a method that computes
 * (extending ComputeOptions), whose compute options are checked by the compute() they reach.
 */
export const COMPUTE_OPTION_NAMES: OptionSchema<ComputeOptions> = Object.fromEntries(Object.keys(COMPUTE_OPTIONS).map((k) => [k, 'any'])) as OptionSchema<ComputeOptions>;

/** Checks a compute()/persist() options object: unknown keys and wrong types fail by name. */
export function checkComputeOptions(opts: ComputeOptions | undefined, fn = 'compute'): ComputeOptions {
  return checkOptions(fn, opts, COMPUTE_OPTIONS);
}

/**
 * Whether a trailing argument of `compute(...)` is its options object: a plain object holding no
 * collection whose keys include an option name, or are all near misses of one (`{ schedular }`),
 * so that a misspelt option fails by name instead of being returned as a value.
 */
export function isComputeOptions(x: unknown): x is ComputeOptions {
  if (typeof x !== 'object' || x === null || Array.isArray(x) || isCollection(x)) return false;
  const p = Object.getPrototypeOf(x);
  if (p !== Object.prototype && p !== null) return false;
  const keys = Object.keys(x);
  if (keys.length === 0 || Object.values(x).some((v) => isCollection(v))) return false;
  return keys.some((k) => OPTION_KEYS.has(k)) || keys.every((k) => nearOption(k));
}

function nearOption(k: string): boolean {
  return nearestName(k, OPTION_KEYS) !== undefined;
}

export function resolveExecutor(opts: ComputeOptions): Executor {
  registerBuiltinExecutors();
  const s = opts.scheduler ?? config.get<string>('scheduler');
  return typeof s === 'string' ? getExecutor(s, { numWorkers: opts.numWorkers }) : s;
}

/** The optimised, culled low-level graph for some collections, and the keys they need. */
export function collectionsToGraph(
  graphs: readonly CollectionGraph<unknown>[],
  opts: { optimizeGraph?: boolean } = {},
): { graph: IndexedGraph; keys: Key[]; largestBlock: number } {
  const keys = [...new Set(graphs.flatMap((g) => g.keys))];
  const full = IndexedGraph.fromLayers(graphs.flatMap((g) => g.roots));
  let graph = cullIndexed(full, full.idsOf(keys));
  if (opts.optimizeGraph ?? config.get<boolean>('optimization.fuse.active')) {
    graph = inlineDataIndexed(graph, graph.idsOf(keys));
    graph = fuseLinearIndexed(graph, graph.idsOf(keys));
  }
  return { graph, keys, largestBlock: full.largestBlock };
}

/**
 * Computes the values of the keys of some collections in one graph (shared work runs once).
 * `keep` (persist): an executor that can keeps the values where they were computed and returns
 * references to them.
 */
export async function computeKeys(graphs: readonly CollectionGraph<unknown>[], opts: ComputeOptions, keep = false): Promise<Map<Key, unknown>> {
  checkComputeOptions(opts, keep ? 'persist' : 'compute');
  const culled = collectionsToGraph(graphs, opts);
  // Persisted results stay where they are made (only the largest block counts); computed ones come here.
  // Still before anything runs; the largest block was found while materialising (one walk of the layers).
  checkMemory(keep ? [] : graphs.map((g) => ({ bytes: g.resultBytes, advice: g.advice })), culled.largestBlock);
  const executor = resolveExecutor(opts);
  if (opts.taskTimeoutMs !== undefined && !executor.taskTimeouts) {
    const fn = keep ? 'persist' : 'compute';
    throw new OptionError(
      `${fn}: option 'taskTimeoutMs' needs a scheduler that can stop a running task ('threads' or a distributed client); the '${executor.name}' scheduler runs tasks where it cannot stop them`,
      fn,
      'taskTimeoutMs',
    );
  }
  const graph = await resolveResidentInputs(culled.graph, executor);
  const keys = culled.keys;
  const priority = orderIndexed(graph);
  const showProgress = opts.progress ?? config.get<boolean>('progress');
  const bar = isProgressReporter(showProgress) ? showProgress.start(graph.size) : showProgress ? progressBar(graph.size) : undefined;
  try {
    const req = { graph, targets: keys, priority, retries: opts.retries, taskTimeoutMs: opts.taskTimeoutMs, onProgress: bar && ((d: number) => bar.update(d)) };
    return await (keep && executor.persist ? executor.persist(req) : executor.execute(req));
  } finally {
    bar?.stop();
  }
}

async function finalize(g: CollectionGraph<unknown>, values: Map<Key, unknown>): Promise<unknown> {
  if (!g.finalize) return values.get(g.keys[0]);
  const fn = await resolveOp(g.finalize.op);
  return fn(g.keys.map((k) => values.get(k)), ...(g.finalize.args ?? []));
}

/** Computes collections and returns their results, in order. */
export async function computeCollections(cs: readonly Collection<unknown>[], opts: ComputeOptions = {}): Promise<unknown[]> {
  const graphs = cs.map((c) => c[collectionSymbol]());
  const values = await computeKeys(graphs, opts);
  return Promise.all(graphs.map((g) => finalize(g, values)));
}

/** Collections found in arrays and plain objects (Dask's `traverse`). */
function findCollections(x: unknown, out: Collection<unknown>[], depth = 0): void {
  if (isCollection(x)) {
    out.push(x);
    return;
  }
  if (depth > 8 || typeof x !== 'object' || x === null) return;
  if (Array.isArray(x)) for (const v of x) findCollections(v, out, depth + 1);
  else if (Object.getPrototypeOf(x) === Object.prototype) for (const v of Object.values(x)) findCollections(v, out, depth + 1);
}

function substitute(x: unknown, results: Map<Collection<unknown>, unknown>, depth = 0): unknown {
  if (isCollection(x)) return results.get(x);
  if (depth > 8 || typeof x !== 'object' || x === null) return x;
  if (Array.isArray(x)) return x.map((v) => substitute(v, results, depth + 1));
  if (Object.getPrototypeOf(x) === Object.prototype) {
    return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, substitute(v, results, depth + 1)]));
  }
  return x;
}

/** Results of `compute(...)`: each collection replaced by its value, in arrays and objects too. */
export type Computed<T> = T extends Collection<unknown>
  ? ResultOf<T>
  : T extends readonly unknown[]
    ? { -readonly [K in keyof T]: Computed<T[K]> }
    : T extends Record<string, unknown>
      ? { [K in keyof T]: Computed<T[K]> }
      : T;

type StripOptions<T extends readonly unknown[]> = T extends readonly [...infer H, infer L]
  ? L extends Collection<unknown>
    ? T
    : L extends ComputeOptions
      ? H
      : T
  : T;

/**
 * Computes several collections at once, sharing their common work (`dask.compute`). Arguments may
 * be collections, arrays/objects holding them, or plain values (returned as they are); a
 * trailing options object chooses the scheduler etc.:
 * `const [a, b] = await compute(x, y, { scheduler: 'sync' })`.
 */
export async function compute<const T extends readonly unknown[]>(...args: T): Promise<Computed<StripOptions<T>>> {
  let items: readonly unknown[] = args;
  let opts: ComputeOptions = {};
  if (items.length && isComputeOptions(items[items.length - 1])) {
    // Checked here too: a call with no collection in it never reaches computeKeys.
    opts = checkComputeOptions(items[items.length - 1] as ComputeOptions);
    items = items.slice(0, -1);
  }
  const found: Collection<unknown>[] = [];
  for (const x of items) findCollections(x, found);
  const unique = [...new Set(found)];
  let run: readonly Collection<unknown>[] = unique;
  for (const p of collectionsPlanners) run = await p(run);
  const values = run.length ? await computeCollections(run, opts) : [];
  const results = new Map(unique.map((c, i) => [c, values[i]] as const));
  return items.map((x) => substitute(x, results)) as Computed<StripOptions<T>>;
}

/**
 * Computes collections and returns them backed by their results (`dask.persist`). On the threads
 * scheduler the results stay in the worker threads that computed them (the returned collections
 * hold references, released when they are garbage-collected); other schedulers return them to
 * the caller.
 */
export async function persist<const T extends readonly Collection<unknown>[]>(...args: T): Promise<T>;
export async function persist<const T extends readonly Collection<unknown>[]>(...args: [...T, ComputeOptions]): Promise<T>;
export async function persist(...args: readonly unknown[]): Promise<readonly Collection<unknown>[]> {
  let items = args as readonly unknown[];
  let opts: ComputeOptions = {};
  // Every argument but a trailing options object is a collection here.
  if (items.length && !isCollection(items[items.length - 1])) {
    opts = items[items.length - 1] as ComputeOptions;
    items = items.slice(0, -1);
  }
  const cs = items as readonly Collection<unknown>[];
  const graphs = cs.map((c) => c[collectionSymbol]());
  const values = await computeKeys(graphs, opts, true);
  return graphs.map((g) => g.rebuild(values));
}

/**
 * Lets the workers drop the persisted results these collections hold, now: otherwise they go when
 * the collections are garbage-collected, which V8 does not hurry (the references are small, the
 * data lives in other threads or processes). Only the collections' own results are released, not
 * persisted inputs they were computed from; computing a released collection again recomputes it.
 */
export function releasePersisted(...cs: readonly Collection<unknown>[]): void {
  for (const c of cs) {
    const g = c[collectionSymbol]();
    const keys = new Set(g.keys);
    for (const root of g.roots) {
      for (const n of root.layer.materialize()) if (n.kind === 'data' && keys.has(n.key) && isRemoteValue(n.value)) n.value.release();
    }
  }
}

/**
 * A package's step that rewrites the collections of one `compute(...)` call together (the
 * dataframe query planner: sources shared by several collections are read once, with the columns
 * all of them use). It returns collections with the same results, in the same order.
 */
export type CollectionsPlanner = (cs: readonly Collection<unknown>[]) => Promise<readonly Collection<unknown>[]>;

const collectionsPlanners: CollectionsPlanner[] = [];

/** @internal Registered once by a package when it loads. */
export function registerCollectionsPlanner(p: CollectionsPlanner): void {
  if (!collectionsPlanners.includes(p)) collectionsPlanners.push(p);
}
