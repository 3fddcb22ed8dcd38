import type { Key } from '../graph/spec';
import { OneAtATimePolicy } from '../schedule/placement';
import { SchedulerState } from '../schedule/state';
import { StoryLog, type StoryEntry } from '../schedule/story';
import type { Instruction } from '../schedule/instructions';
import type { TaskState } from '../schedule/task-state';
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
    // Results by graph position (TaskState.index): array stores instead of a Map keyed by strings.
    const values: unknown[] = new Array(req.graph.size).fill(undefined);
    const results = new Map<Key, unknown>();
    const total = req.graph.size;
    let done = 0;
    // The task running now: its inputs are its TaskState's deps, aligned with its node's deps,
    // so a reference is found by comparing keys (the same string objects) with no hashing.
    let running: TaskState | undefined;
    const get = (k: Key): unknown => {
      if (running !== undefined) {
        const keys = running.node.deps;
        for (let j = 0; j < keys.length; j++) if (keys[j] === k) return values[running.deps[j].index];
      }
      const at = req.graph.index.get(k);
      return at === undefined ? undefined : values[at];
    };

    // Instructions are handled in the order they were issued, one event's list after another;
    // each list is dropped once handled, so they die young instead of piling up.
    const queue: (readonly Instruction[])[] = [state.addWorker(WORKER, 1)];
    queue.push(
      state.updateGraph({
        nodes: req.graph.nodes,
        adjacency: req.graph,
        positionOf: (k) => req.graph.index.get(k),
        wanted: req.targets,
        priority: (_k, i) => req.priority[i],
        retries: req.retries,
      }),
    );
    const wanted = new Set(req.targets);
    for (let q = 0; q < queue.length; q++) {
      const batch = queue[q];
      queue[q] = NO_INSTRUCTIONS;
      if (q >= 1024) {
        queue.splice(0, q + 1);
        q = -1;
      }
      for (let b = 0; b < batch.length; b++) {
        const ins = batch[b];
        switch (ins.type) {
          case 'run': {
            const node = ins.task.node;
            let value: unknown;
            try {
              const loading = prepareOps(node);
              if (loading) await loading;
              running = ins.task;
              value = runNode(node, get);
              running = undefined;
              if (isPromiseLike(value)) value = await value;
            } catch (e) {
              running = undefined;
              const f = e instanceof TaskFailure ? e : new TaskFailure(node.key, e);
              enqueue(queue, state.taskErred(ins.task, WORKER, withTaskKey(f.error, f.key)));
              break;
            }
            values[ins.task.index] = value;
            done++;
            req.onProgress?.(done, total);
            enqueue(queue, state.taskFinished(ins.task, WORKER));
            break;
          }
          case 'release':
            values[ins.task.index] = undefined;
            break;
          case 'memory':
            if (wanted.has(ins.key)) results.set(ins.key, values[ins.task.index]);
            break;
          case 'erred':
            throw ins.error;
        }
      }
    }
    if (results.size !== wanted.size) {
      const c = state.counts();
      throw new Error(`pdask internal error: the sync executor stalled (${JSON.stringify(c)})`);
    }
    return results;
  }
}

const NO_INSTRUCTIONS: readonly Instruction[] = [];

function enqueue(queue: (readonly Instruction[])[], items: readonly Instruction[]): void {
  if (items.length) queue.push(items);
}
