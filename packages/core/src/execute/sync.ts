import type { Key } from '../graph/spec';
import { OneAtATimePolicy } from '../schedule/placement';
import { SchedulerState } from '../schedule/state';
import { StoryLog, type StoryEntry } from '../schedule/story';
import type { Instruction } from '../schedule/instructions';
import { withTaskKey } from './errors';
import { validateStateRequested, type ExecuteRequest, type Executor } from './executor';
import { isPromiseLike, prepareOps, runNode, TaskFailure } from './run-node';

const WORKER = 'sync';

/**
 * Runs every task in the calling thread, one at a time, in priority order: for debugging (the
 * original error object and stack come back untouched) and for graphs of tiny tasks.
 */
export class SyncExecutor implements Executor {
  readonly name = 'sync';
  /** The status changes of every computation this executor ran (the last 10,000). */
  readonly stories = new StoryLog();

  /** What happened to `key` in this executor's computations, oldest first. */
  story(key: Key): StoryEntry[] {
    return this.stories.story(key);
  }

  async execute(req: ExecuteRequest): Promise<Map<Key, unknown>> {
    const state = new SchedulerState({ policy: new OneAtATimePolicy(), story: this.stories, validate: validateStateRequested() });
    const store = new Map<Key, unknown>();
    const results = new Map<Key, unknown>();
    const total = req.graph.size;
    let done = 0;
    const get = (k: Key): unknown => store.get(k);

    const pending: Instruction[] = [];
    pending.push(...state.addWorker(WORKER, 1));
    pending.push(
      ...state.updateGraph({
        nodes: req.graph.nodes,
        adjacency: req.graph,
        positionOf: (k) => req.graph.index.get(k),
        wanted: req.targets,
        priority: (_k, i) => req.priority[i],
        retries: req.retries,
      }),
    );
    const wanted = new Set(req.targets);
    for (let i = 0; i < pending.length; i++) {
      const ins = pending[i];
      if (i > 65536) {
        pending.splice(0, i + 1);
        i = -1;
      }
      switch (ins.type) {
        case 'run': {
          const node = ins.task.node;
          let value: unknown;
          try {
            const loading = prepareOps(node);
            if (loading) await loading;
            value = runNode(node, get);
            if (isPromiseLike(value)) value = await value;
          } catch (e) {
            const f = e instanceof TaskFailure ? e : new TaskFailure(node.key, e);
            pushAll(pending, state.taskErred(ins.task, WORKER, withTaskKey(f.error, f.key)));
            break;
          }
          store.set(node.key, value);
          done++;
          req.onProgress?.(done, total);
          pushAll(pending, state.taskFinished(ins.task, WORKER));
          break;
        }
        case 'release':
          store.delete(ins.key);
          break;
        case 'memory':
          if (wanted.has(ins.key)) results.set(ins.key, store.get(ins.key));
          break;
        case 'erred':
          throw ins.error;
      }
    }
    if (results.size !== wanted.size) {
      const c = state.counts();
      throw new Error(`pdask internal error: the sync executor stalled (${JSON.stringify(c)})`);
    }
    return results;
  }
}


function pushAll<T>(into: T[], items: readonly T[]): void {
  for (const x of items) into.push(x);
}
