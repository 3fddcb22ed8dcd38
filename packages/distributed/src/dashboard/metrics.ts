/**
 * `/metrics` in Prometheus text format, through prom-client. Every value is read from the model or
 * the scheduler when scraped (collect callbacks), so the numbers are the scheduler's own, not a
 * second count that could drift.
 */
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import type { DashboardSource } from './source';

export const TASK_STATES = ['waiting', 'processing', 'memory', 'released', 'erred'] as const;

export function metricsRegistry(source: DashboardSource): Registry {
  const register = new Registry();
  // Node's process metrics, among them nodejs_eventloop_lag_seconds (event-loop lag).
  collectDefaultMetrics({ register });
  const model = source.model;
  new Gauge({
    name: 'pdask_tasks',
    help: 'Tasks the scheduler knows, by state and task prefix',
    labelNames: ['state', 'prefix'] as const,
    registers: [register],
    collect() {
      this.reset();
      for (const p of model.progress()) for (const s of TASK_STATES) this.set({ state: s, prefix: p.prefix }, p[s]);
    },
  });
  new Counter({
    name: 'pdask_tasks_done_total',
    help: 'Tasks that finished (moved from processing to memory), by task prefix',
    labelNames: ['prefix'] as const,
    registers: [register],
    collect() {
      this.reset();
      for (const p of model.progress()) this.inc({ prefix: p.prefix }, p.done);
    },
  });
  new Gauge({
    name: 'pdask_workers',
    help: 'Workers connected (threads of the pool for a local dashboard)',
    registers: [register],
    collect() {
      this.set(model.workerRows().length);
    },
  });
  new Gauge({
    name: 'pdask_threads',
    help: 'Threads over all workers',
    registers: [register],
    collect() {
      this.set(model.workerRows().reduce((n, w) => n + w.threads, 0));
    },
  });
  new Gauge({
    name: 'pdask_worker_memory_bytes',
    help: "Each worker's memory: managed (results held), unmanaged (the rest of its resident memory), spilled (results on disk)",
    labelNames: ['worker', 'type'] as const,
    registers: [register],
    collect() {
      this.reset();
      for (const w of model.workerRows()) {
        this.set({ worker: w.id, type: 'managed' }, w.memory.managed);
        this.set({ worker: w.id, type: 'unmanaged' }, w.memory.unmanaged);
        this.set({ worker: w.id, type: 'spilled' }, w.memory.spilled);
      }
    },
  });
  new Gauge({
    name: 'pdask_worker_memory_limit_bytes',
    help: "Each worker's memory limit (workers without one are left out)",
    labelNames: ['worker'] as const,
    registers: [register],
    collect() {
      this.reset();
      for (const w of model.workerRows()) if (w.memory.limit !== null) this.set({ worker: w.id }, w.memory.limit);
    },
  });
  const counters = source.counters?.bind(source);
  if (counters) {
    new Gauge({
      name: 'pdask_scheduler_tasks',
      help: "Tasks by state as the scheduler's state machine counts them (Scheduler.info().tasks)",
      labelNames: ['state'] as const,
      registers: [register],
      collect() {
        this.reset();
        for (const [s, n] of Object.entries(counters().tasks)) this.set({ state: s }, n);
      },
    });
    new Counter({
      name: 'pdask_tasks_finished_total',
      help: 'Task completions reported by workers, by task prefix',
      labelNames: ['prefix'] as const,
      registers: [register],
      collect() {
        this.reset();
        for (const [p, n] of counters().finished) this.inc({ prefix: p }, n);
      },
    });
    new Counter({
      name: 'pdask_transfer_bytes_total',
      help: 'Bytes of task inputs workers were told to fetch from other workers',
      registers: [register],
      collect() {
        this.reset();
        this.inc(counters().transferBytes);
      },
    });
    new Gauge({
      name: 'pdask_clients',
      help: 'Clients connected',
      registers: [register],
      collect() {
        this.set(counters().clients);
      },
    });
  }
  return register;
}
