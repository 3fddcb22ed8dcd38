/**
 * Feeds the dashboard's model from core's thread pool, through the pool's observer hook (core
 * calls it; it has no HTTP of its own). Threads are workers `thread-<slot>` of one thread each.
 */
import type { PoolObserver, ThreadPool } from '@pdask/core';
import { DashboardModel, type ModelOptions } from './model';
import type { StoryEntry } from './protocol';
import type { DashboardSource } from './source';

const threadId = (slot: number | string): string => `thread-${slot}`;

export class ThreadPoolDashboardSource implements DashboardSource {
  readonly model: DashboardModel;
  private readonly unobserve: () => void;

  constructor(
    private readonly pool: ThreadPool,
    opts: Omit<ModelOptions, 'kind' | 'scheduler'>,
  ) {
    const model = (this.model = new DashboardModel({ ...opts, kind: 'threads', scheduler: 'threads' }));
    const observer: PoolObserver = {
      transition: (key, from, to, worker) => model.transition(key, from, to, worker === undefined ? undefined : threadId(worker)),
      graph: (nodes) => model.graphSubmitted(nodes),
      // A computation's state machine is dropped when it ends: its keys leave the counts (done stays).
      graphDone: (nodes) => model.forget(nodes.map((n) => n.key)),
      taskDone: (slot, key, nbytes, ms, stop) => model.taskStopped({ key, worker: threadId(slot), thread: 0, start: stop - ms, stop, nbytes }),
      taskErred: (slot, key, error, time) => {
        const e = error instanceof Error ? error : new Error(String(error));
        model.taskErred({ key, worker: slot === undefined ? null : threadId(slot), errorType: e.name, message: e.message, stack: e.stack ?? '', time });
      },
      workerAdded: (slot) =>
        model.workerAdded({ id: threadId(slot), address: `thread ${slot} of process ${process.pid}`, name: null, threads: 1, reportsMetrics: false }, Date.now()),
      workerLost: (slot) => model.workerRemoved(threadId(slot)),
    };
    this.unobserve = pool.observe(observer);
  }

  story(key: string): StoryEntry[] {
    return this.pool.stories.story(key).map((e) => ({ key: e.key, from: e.from, to: e.to, worker: e.worker === undefined ? null : threadId(e.worker), cause: e.cause, time: e.time }));
  }

  workerLog(id: string): string[] | undefined {
    // Threads have no log of their own (they share the process's console).
    return this.model.workerRows().some((w) => w.id === id) ? [] : undefined;
  }

  close(): void {
    this.unobserve();
  }
}
