/**
 * How a dataframe shuffle moves rows (Dask's `shuffle_method` and config `dataframe.shuffle.method`):
 * - 'tasks': a split task per input, a task per piece and a task per output reading one piece of
 *   every input: inputs x outputs tasks, every piece passing through the scheduler's bookkeeping;
 * - 'p2p': core's peer-to-peer shuffle (core/src/shuffle): a transfer task per input sends its
 *   pieces straight to the worker owning each output, an unpack task per output runs there:
 *   inputs + outputs tasks.
 * Both give the output partitions the same rows in the same order (pieces in input order).
 */
import { arr, config, lit, p2pShuffleTasks, ref, type ArgSpec, type TaskNode } from '@pdask/core';
import { dataframeOps } from './ops/index';

export type ShuffleMethod = 'p2p' | 'tasks';

export const SHUFFLE_METHODS: readonly ShuffleMethod[] = ['tasks', 'p2p'];

// Unset by default, as in Dask: the method then follows the scheduler the graph is built for.
config.addDefaults({ 'dataframe.shuffle.method': null });

/** Schedulers whose runtime moves p2p pieces between workers: the threads pool and a distributed client. */
const P2P_SCHEDULERS = /^(threads|threading|distributed|pdask-client-.+)$/;

/**
 * Dask's default (`get_default_shuffle_method`): 'p2p' where the runtime moves pieces between
 * workers (the threads scheduler, a @pdask/distributed client set as the default scheduler), else
 * 'tasks' (the sync scheduler, executors registered by other packages). A graph is built before
 * it is computed, so this reads config `scheduler`, not the one a later `compute()` names; a p2p
 * graph also runs on the sync scheduler (every piece stays in its thread).
 */
export function defaultShuffleMethod(): ShuffleMethod {
  const s = config.get('scheduler');
  return typeof s === 'string' && P2P_SCHEDULERS.test(s) ? 'p2p' : 'tasks';
}

/** The method asked for (or the config default), refused by name when unknown. */
export function shuffleMethodOf(method: string, given?: unknown): ShuffleMethod {
  const m = given ?? config.get<string | null>('dataframe.shuffle.method') ?? defaultShuffleMethod();
  if (m === 'p2p' || m === 'tasks') return m;
  const from = given === undefined ? "config 'dataframe.shuffle.method'" : 'shuffleMethod';
  if (m === 'disk') throw new TypeError(`${method}: ${from} 'disk' (Dask's partd shuffle) is not implemented; use 'p2p' or 'tasks'`);
  throw new TypeError(`${method}: ${from} must be one of 'p2p', 'tasks', got ${JSON.stringify(m)}`);
}

/** An option rule for `shuffleMethod` (checkOptions). */
export const shuffleMethodRule = (v: unknown): string | undefined => (v === 'p2p' || v === 'tasks' ? undefined : "'p2p' or 'tasks'");

export interface ShuffleStage {
  readonly tasks: TaskNode[];
  /** The pieces of output b (one per input, in input order): an argument of the task assembling it. */
  readonly pieces: (b: number) => ArgSpec;
}

/**
 * The tasks moving `ninputs` partitions into `nout` outputs. `split(key, i)` is the task cutting
 * input i into `nout` pieces (an operation returning an array of them, e.g. hashSplit); the
 * caller adds the tasks assembling each output from `pieces(b)`. `name` must identify the shuffle
 * (its inputs, parameters and method).
 */
export function shuffleStage(name: string, ninputs: number, nout: number, split: (key: string, i: number) => TaskNode, method: ShuffleMethod): ShuffleStage {
  if (method === 'p2p') {
    const s = p2pShuffleTasks({ id: name, ninputs, nout, split: (i) => split(`${name}-split-${i}`, i) });
    return { tasks: s.tasks, pieces: (b) => ref(s.output(b)) };
  }
  const tasks: TaskNode[] = [];
  for (let i = 0; i < ninputs; i++) {
    const key = `${name}-split-${i}`;
    tasks.push(split(key, i));
    for (let b = 0; b < nout; b++) tasks.push(dataframeOps.pickPiece.task(`${name}-piece-${i}-${b}`, ref(key), lit(b)));
  }
  return { tasks, pieces: (b) => arr(Array.from({ length: ninputs }, (_, i) => ref(`${name}-piece-${i}-${b}`))) };
}
