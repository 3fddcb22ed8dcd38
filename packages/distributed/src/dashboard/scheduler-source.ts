/**
 * Feeds the dashboard's model from a network scheduler: the scheduler calls these methods where
 * the events happen (its story log's transitions, workers' reports, graphs, errors).
 */
import { config, type ObservedStoryLog, type SerializedError, type StoryEntry as CoreStoryEntry } from '@pdask/core';
import { DashboardModel, type ModelOptions } from './model';
import { keySplit } from './key-split';
import type { StoryEntry } from './protocol';
import { LogLines, type DashboardSource, type SchedulerCounters } from './source';

export interface SchedulerView {
  story(key: string): CoreStoryEntry[];
  info(): { tasks: Record<string, number>; clients: number };
  readonly transferBytes: number;
}

export interface WorkerJoin {
  id: string;
  address: string;
  name: string;
  nthreads: number;
  memoryLimit: number;
}

export interface HeartbeatMetrics {
  managedBytes: number;
  spilledBytes: number;
  rss: number;
  queued: number;
  executing: number;
  paused: boolean;
}

export class SchedulerDashboardSource implements DashboardSource {
  readonly model: DashboardModel;
  private readonly logs = new LogLines();
  private readonly finished = new Map<string, number>();

  constructor(
    private readonly scheduler: SchedulerView,
    stories: ObservedStoryLog,
    opts: Omit<ModelOptions, 'kind'>,
  ) {
    this.model = new DashboardModel({ ...opts, kind: 'distributed' });
    const model = this.model;
    stories.observe((key, from, to, worker) => model.transition(key, from, to, worker));
  }

  story(key: string): StoryEntry[] {
    return this.scheduler.story(key).map((e) => ({ key: e.key, from: e.from, to: e.to, worker: e.worker ?? null, cause: e.cause, time: e.time }));
  }

  workerLog(id: string): string[] | undefined {
    return this.logs.get(id) ?? (this.model.workerRows().some((w) => w.id === id) ? [] : undefined);
  }

  counters(): SchedulerCounters {
    const info = this.scheduler.info();
    return { tasks: info.tasks, finished: this.finished, transferBytes: this.scheduler.transferBytes, clients: info.clients };
  }

  workerAdded(w: WorkerJoin): void {
    this.model.workerAdded(
      {
        id: w.id,
        address: w.address,
        name: w.name,
        threads: w.nthreads,
        memoryLimit: w.memoryLimit,
        target: w.memoryLimit ? config.get<number>('distributed.worker.memory.target') : null,
        spill: w.memoryLimit ? config.get<number>('distributed.worker.memory.spill') : null,
        pause: w.memoryLimit ? config.get<number>('distributed.worker.memory.pause') : null,
        reportsMetrics: true,
      },
      Date.now(),
    );
  }

  workerRemoved(id: string): void {
    this.model.workerRemoved(id);
    this.logs.forget(id);
  }

  heartbeat(id: string, m: HeartbeatMetrics, cpu: number | undefined, log: readonly string[] | undefined): void {
    this.model.workerReport(
      id,
      { managed: m.managedBytes, rss: m.rss, spilled: m.spilledBytes, executing: m.executing, queued: m.queued, paused: m.paused, cpu: cpu ?? null },
      Date.now(),
    );
    if (log?.length) this.logs.add(id, log);
  }

  /**
   * A worker's batch of finished tasks, (key, nbytes, ms) triples. The report leaves the worker on
   * the next turn of its event loop after its last task ended, so the batch is laid out backwards
   * from its arrival: each task ends where the next one (in the worker's order) started.
   */
  finishedBatch(worker: string, ok: readonly unknown[]): void {
    const n = Math.floor(ok.length / 3);
    const stops = new Float64Array(n);
    let end = Date.now();
    for (let j = n - 1; j >= 0; j--) {
      stops[j] = end;
      const ms = ok[3 * j + 2];
      end -= typeof ms === 'number' ? Math.max(0, ms) : 0;
    }
    for (let j = 0; j < n; j++) {
      const key = ok[3 * j];
      if (typeof key !== 'string') continue;
      const nbytes = typeof ok[3 * j + 1] === 'number' ? (ok[3 * j + 1] as number) : 0;
      const ms = typeof ok[3 * j + 2] === 'number' ? Math.max(0, ok[3 * j + 2] as number) : 0;
      const prefix = keySplit(key);
      this.finished.set(prefix, (this.finished.get(prefix) ?? 0) + 1);
      this.model.taskStopped({ key, worker, start: stops[j] - ms, stop: stops[j], nbytes });
    }
  }

  /**
   * A worker's peer fetches and spill-file writes and reads: (key, kind, ms ago started, ms) quads,
   * the age counted from the report's arrival (the worker's clock need not match this one).
   */
  ioBatch(worker: string, io: readonly unknown[]): void {
    const now = Date.now();
    for (let i = 0; i + 3 < io.length; i += 4) {
      const key = io[i];
      const kind = io[i + 1];
      const ago = io[i + 2];
      const ms = io[i + 3];
      if (typeof key !== 'string' || (kind !== 'transfer' && kind !== 'spill') || typeof ago !== 'number' || typeof ms !== 'number') continue;
      const start = now - Math.max(0, ago);
      this.model.taskStopped({ key, worker, start, stop: start + Math.max(0, ms), kind });
    }
  }

  /** A task failed on a worker (`ms`: how long it ran) or was failed by the scheduler (no worker). */
  erred(worker: string | null, key: string, e: SerializedError, ms = 0): void {
    const now = Date.now();
    this.model.taskErred({ key, worker, errorType: e.className || e.name || 'Error', message: e.message, stack: e.stack ?? '', time: now });
    if (worker !== null) this.model.taskStopped({ key, worker, start: now - Math.max(0, ms), stop: now, kind: 'error' });
  }

  graph(nodes: readonly { key: string; deps: readonly string[] }[]): void {
    this.model.graphSubmitted(nodes);
  }

  /** A restart dropped every task without transitions. */
  restarted(): void {
    this.model.clearTasks();
  }
}
