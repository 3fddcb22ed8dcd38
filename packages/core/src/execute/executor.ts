import * as config from '../config/config';
import { checkOptions, intAtLeast, optional } from '../options/options';
import type { IndexedGraph } from '../graph/indexed';
import type { Key } from '../graph/spec';

/** What a local or remote executor is asked to do by `compute()`. */
export interface ExecuteRequest {
  /** Culled (and optimised) graph: everything in it is needed. */
  readonly graph: IndexedGraph;
  /** Keys whose values are returned. */
  readonly targets: readonly Key[];
  /** Static priorities from `orderIndexed()`, by node id: lower first. */
  readonly priority: Int32Array;
  /** Re-runs of a failing task before its error counts. */
  readonly retries?: number;
  /** A task running longer fails with TaskTimeoutError (only executors with `taskTimeouts` take it). */
  readonly taskTimeoutMs?: number;
  /** Called as tasks finish (for progress bars). */
  readonly onProgress?: (done: number, total: number) => void;
}

export interface Executor {
  readonly name: string;
  /**
   * Whether it can stop a task that runs past `ExecuteRequest.taskTimeoutMs` (a thread or process
   * can be stopped; the calling thread cannot). compute() refuses the option for the others.
   */
  readonly taskTimeouts?: boolean;
  execute(req: ExecuteRequest): Promise<Map<Key, unknown>>;
  /**
   * Persist: like execute, but the values may be references to results the executor keeps
   * where they were computed (remote values, see graph/spec.ts). Without it, persist executes.
   */
  persist?(req: ExecuteRequest): Promise<Map<Key, unknown>>;
  close?(): Promise<void>;
}

export interface ExecutorOptions {
  numWorkers?: number;
}

type Factory = (opts: ExecutorOptions) => Executor;
const factories = new Map<string, Factory>();

/**
 * Makes an executor available by name to `compute({ scheduler })`, `config.set({ scheduler })`
 * and `PDASK_SCHEDULER`. `@pdask/distributed` registers its client this way.
 */
export function registerExecutor(name: string, factory: Factory): void {
  factories.set(name, factory);
}

/** Forgets an executor registered by name (a distributed client does when it closes). */
export function unregisterExecutor(name: string): boolean {
  return factories.delete(name);
}

export function executorNames(): string[] {
  return [...factories.keys()];
}

export function getExecutor(name: string, opts: ExecutorOptions = {}): Executor {
  checkOptions('getExecutor', opts, { numWorkers: optional(intAtLeast(1)) });
  const f = factories.get(name);
  if (!f) {
    throw new Error(`Unknown scheduler '${name}'. Known: ${executorNames().map((n) => `'${n}'`).join(', ')}`);
  }
  return f(opts);
}

/**
 * Whether executors run their state machines in checking mode (`validate()` after every event):
 * config 'validate-state', e.g. PDASK_VALIDATE_STATE=1. Off by default: it walks every task per event.
 */
export function validateStateRequested(): boolean {
  const v = config.get<config.ConfigValue>('validate-state', false);
  return v === true || v === 1 || v === '1' || v === 'true';
}
