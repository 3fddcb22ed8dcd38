import { resolveExecutor } from '../collection/compute';
import type { Key } from '../graph/spec';
import type { StoryEntry } from '../schedule/story';
import type { Executor } from './executor';

/** An executor that can tell what happened to a key (sync, threads, the distributed client's executor). */
export interface StoryTeller {
  story(key: Key): StoryEntry[] | Promise<StoryEntry[]>;
}

export interface StoryOptions {
  /** The executor asked, as for compute(): a name, an executor, or the configured default. */
  scheduler?: string | Executor;
  numWorkers?: number;
}

function tellsStories(ex: Executor): ex is Executor & StoryTeller {
  return typeof (ex as Partial<StoryTeller>).story === 'function';
}

/**
 * What happened to `key` in the computations of a scheduler (Dask's `story`): each status change,
 * oldest first, with the worker concerned and the event that caused it. Executors keep the last
 * 10,000 changes, so ask soon after the compute of interest.
 *
 *     await compute(x, { scheduler: 'sync' });
 *     for (const e of await story(x.key, { scheduler: 'sync' })) console.log(e.from, '->', e.to, e.cause);
 */
export async function story(key: Key, opts: StoryOptions = {}): Promise<StoryEntry[]> {
  const ex = resolveExecutor(opts);
  if (tellsStories(ex)) return ex.story(key);
  throw new Error(`The '${ex.name}' scheduler keeps no story of its keys`);
}
