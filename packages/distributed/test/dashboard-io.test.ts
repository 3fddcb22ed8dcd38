/**
 * Transfers, spills and errors in the dashboard's task stream. The source and model against
 * hand-computed times and rows; then a 2-worker LocalCluster whose tasks read inputs held by the
 * other worker (transfer entries on the reader), a worker with a small memory limit made to spill
 * and read back (spill entries), and a failing task (an error entry on its worker).
 */
import { ObservedStoryLog } from '@pdask/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SchedulerDashboardSource } from '../src/dashboard/scheduler-source';
import type { TaskStreamEntry } from '../src/dashboard/protocol';
import { useDashboardCluster } from './dashboard-server-helpers';
import { until } from './helpers';

const NOW = 1_800_000_000_000;

function source(): SchedulerDashboardSource {
  const view = { story: () => [], info: () => ({ tasks: {}, clients: 0 }), transferBytes: 0 };
  const s = new SchedulerDashboardSource(view, new ObservedStoryLog(), { scheduler: 'ws://127.0.0.1:1', startedAt: NOW - 10_000 });
  s.workerAdded({ id: 'w1', address: 'ws://127.0.0.1:2', name: 'w1', nthreads: 2, memoryLimit: 0 });
  return s;
}

const stream = (s: SchedulerDashboardSource): TaskStreamEntry[] => s.model.snapshot(NOW).taskStream;

describe('transfer, spill and error entries (source and model)', () => {
  afterEach(() => vi.useRealTimers());

  it("lays out a worker's I/O back from the report's arrival, on a thread row it does not take", () => {
    vi.useFakeTimers({ now: NOW, toFake: ['Date'] });
    const s = source();
    // A compute on thread 0 from NOW-50 to NOW-10 (reported as 40 ms ending at arrival, then moved by hand below).
    s.model.taskStopped({ key: 'inc-1', worker: 'w1', start: NOW - 50, stop: NOW - 10 });
    // A fetch started 30 ms before the report and took 12 ms; a spill write 8 ms ago of 5 ms; junk ignored.
    s.ioBatch('w1', ['x-1', 'transfer', 30, 12, 'y-2', 'spill', 8, 5, 'z', 'compute', 1, 1, 7, 'transfer', 1, 1]);
    // The next compute from NOW-20 still finds thread 1 free: the transfer did not take it.
    s.model.taskStopped({ key: 'inc-2', worker: 'w1', start: NOW - 20, stop: NOW });
    expect(stream(s)).toEqual([
      { key: 'inc-1', prefix: 'inc', worker: 'w1', thread: 0, start: NOW - 50, stop: NOW - 10, kind: 'compute' },
      // Thread 0 is busy until NOW-10 at NOW-30: drawn over the row free soonest... thread 1 is free.
      { key: 'x-1', prefix: 'x', worker: 'w1', thread: 1, start: NOW - 30, stop: NOW - 18, kind: 'transfer' },
      { key: 'y-2', prefix: 'y', worker: 'w1', thread: 0, start: NOW - 8, stop: NOW - 3, kind: 'spill' },
      { key: 'inc-2', prefix: 'inc', worker: 'w1', thread: 1, start: NOW - 20, stop: NOW, kind: 'compute' },
    ]);
    // Transfers and spills are not compute time: the prefix's mean duration (occupancy) ignores them.
    expect(s.model.progress().map((p) => p.prefix)).toEqual([]);
  });

  it('gives a failed task an error entry as long as it ran, and its exception', () => {
    vi.useFakeTimers({ now: NOW, toFake: ['Date'] });
    const s = source();
    s.erred('w1', 'bad-7', { className: 'TypeError', name: 'TypeError', message: 'nope', stack: 'TypeError: nope\n  at f' }, 25);
    s.erred(null, 'lost-1', { className: 'KilledWorkerError', name: 'KilledWorkerError', message: 'killed' });
    expect(stream(s)).toEqual([{ key: 'bad-7', prefix: 'bad', worker: 'w1', thread: 0, start: NOW - 25, stop: NOW, kind: 'error' }]);
    expect(s.model.snapshot(NOW).exceptions.map((e) => [e.key, e.errorType, e.worker])).toEqual([
      ['bad-7', 'TypeError', 'w1'],
      ['lost-1', 'KilledWorkerError', null],
    ]);
  });
});

describe('transfers and errors on a 2-worker LocalCluster', () => {
  const fx = useDashboardCluster({ nWorkers: 2 }, { events: true });

  it('shows a transfer on the worker that read an input held by the other one', async () => {
    const [a, b] = [...fx.cluster.scheduler.workers.keys()];
    const make = (i: number): number[] => Array.from({ length: 1000 }, (_, j) => i + j);
    const total = (xs: number[]): number => xs.reduce((s, x) => s + x, 0);
    const src = fx.client.submitWith({ workers: [a] }, make, 5);
    const [xs] = await fx.client.gather([src]);
    expect(xs.length).toBe(1000);
    const sum = fx.client.submitWith({ workers: [b] }, total, src);
    // sum(5..1004) = 1000 * 5 + 999 * 1000 / 2
    expect(await sum.result()).toBe(5000 + 499_500);
    await until(() => fx.events.tasks.some((t) => t.kind === 'transfer' && t.worker === b && t.key === src.key), 10_000, 'the transfer entry');
    const t = fx.events.tasks.find((e) => e.kind === 'transfer' && e.key === src.key)!;
    expect(t.prefix).toBe('make');
    expect(t.stop).toBeGreaterThanOrEqual(t.start);
    // The reading task's compute entry on b starts after its input arrived (one clock: the scheduler's).
    const c = fx.events.tasks.find((e) => e.kind === 'compute' && e.key === sum.key)!;
    expect(c.worker).toBe(b);
    expect(c.start).toBeGreaterThanOrEqual(t.start);
    expect(fx.events.error).toBeUndefined();
  }, 20_000);

  it('shows an error entry for a task that threw, on its worker', async () => {
    const boom = (x: number): number => {
      if (x === 3) throw new RangeError('three is not allowed');
      return x;
    };
    const f = fx.client.submit(boom, 3);
    await expect(f.result()).rejects.toThrow(/three is not allowed/);
    await until(() => fx.events.tasks.some((t) => t.kind === 'error' && t.key === f.key), 10_000, 'the error entry');
    const e = fx.events.tasks.find((t) => t.kind === 'error' && t.key === f.key)!;
    expect(e.prefix).toBe('boom');
    expect(fx.cluster.scheduler.workers.has(e.worker)).toBe(true);
  }, 20_000);
});

describe('spills on a worker with a small memory limit', () => {
  const MB = 2 ** 20;
  const fx = useDashboardCluster({ nWorkers: 1, memoryLimit: 200 * MB }, { events: true });

  it('shows spill entries for results written to disk and read back', async () => {
    // 12 blocks of 8 MiB held by the client: more than the store keeps in memory under a 200 MiB limit.
    const block = (i: number): Float64Array => new Float64Array(1_048_576).fill(i);
    const blocks = fx.client.map(block, Array.from({ length: 12 }, (_, i) => i));
    await fx.client.gather(blocks.slice(0, 1));
    const first = (b: Float64Array): number => b[0] + b[b.length - 1];
    // Reading every block back (the oldest were spilled) gives 2i for block i.
    const reads = blocks.map((b) => fx.client.submit(first, b));
    expect(await fx.client.gather(reads)).toEqual(Array.from({ length: 12 }, (_, i) => 2 * i));
    await until(() => fx.events.tasks.some((t) => t.kind === 'spill'), 10_000, 'a spill entry');
    const spills = fx.events.tasks.filter((t) => t.kind === 'spill');
    // The blocks, and (least recently used first) small results made while memory was over its target.
    expect(spills.some((t) => t.prefix === 'block')).toBe(true);
    for (const t of spills) expect(['block', 'first']).toContain(t.prefix);
    // On the worker's own row. Under a 200 MiB limit the nanny may restart the worker (its process
    // memory passes the terminate line) and the reads land on the new one: entries of either count.
    for (const t of spills) expect(t.worker).toMatch(/^tcp:\/\/127\.0\.0\.1:\d+$/);
    expect(spills.some((t) => fx.cluster.scheduler.workers.has(t.worker) || fx.events.tasks.some((c) => c.kind === 'compute' && c.worker === t.worker))).toBe(true);
    expect(fx.events.error).toBeUndefined();
  }, 30_000);
});
