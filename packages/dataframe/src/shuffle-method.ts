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

// 'tasks' by default: a @pdask/distributed cluster does not run p2p shuffles yet (its workers
// would each keep the pieces they made; the unpack refuses with a clear error rather than
// answer wrongly). Set 'p2p' for the threads and sync schedulers.
config.addDefaults({ 'dataframe.shuffle.method': 'tasks' });

/** The method asked for (or the config default), refused by name when unknown. */
export function shuffleMethodOf(method: string, given?: unknown): ShuffleMethod {
  const m = given ?? config.get<string>('dataframe.shuffle.method');
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
