/**
 * The pages' store (dashboard-ui/src/store.ts) and the report's reading of recorded frames, in Node:
 * every expected value is worked out here from the frames given.
 */
import { describe, expect, it } from 'vitest';
import type { Frame, Snapshot, TaskStreamEntry, WorkerRow } from '../src/dashboard/protocol';
import { applyFrame, eachTask, initialState, prefixTimeSummary, type DashboardState } from '../dashboard-ui/src/store';
import { toFrame } from '../dashboard-ui/src/live';
import { doneDuring, reportState } from '../dashboard-ui/src/report-data';

function worker(id: string, threads = 2): WorkerRow {
  return {
    id,
    address: id,
    name: null,
    threads,
    memory: { managed: 0, unmanaged: 0, spilled: 0, limit: null, target: null, spill: null, pause: null },
    cpu: null,
    executing: 0,
    queued: 0,
    inMemory: 0,
    occupancy: 0,
    status: 'running',
    lastSeen: 0,
  };
}

function snapshot(over: Partial<Snapshot> = {}, limit = 5): Snapshot {
  return {
    version: 1,
    cluster: { kind: 'threads', scheduler: 'threads', dashboard: '', startedAt: 0, now: 1000, taskStreamLimit: limit, graphNodeLimit: 100 },
    workers: [worker('a'), worker('b', 1)],
    prefixes: [],
    taskStream: [],
    exceptions: [],
    memory: [],
    graph: { mode: 'tasks', nodes: [], edges: [] },
    ...over,
  };
}

function task(i: number, over: Partial<TaskStreamEntry> = {}): TaskStreamEntry {
  return { key: `inc-${i}`, prefix: 'inc', worker: 'a', thread: 0, start: 1000 + 10 * i, stop: 1005 + 10 * i, kind: 'compute', ...over };
}

function apply(frames: Frame[], state: DashboardState = initialState()): DashboardState {
  return frames.reduce((s, f) => applyFrame(s, f), state);
}

describe('applyFrame', () => {
  it('starts from the snapshot: rows for every worker thread, its tasks and span', () => {
    const s = apply([{ type: 'snapshot', data: snapshot({ taskStream: [task(0), task(1, { worker: 'b' })] }) }]);
    expect(s.connected).toBe(true);
    expect(s.rows).toEqual([
      { worker: 'a', thread: 0 },
      { worker: 'a', thread: 1 },
      { worker: 'b', thread: 0 },
    ]);
    expect(s.tasks.length).toBe(2);
    expect(s.span).toEqual({ start: 1000, stop: 1015 });
  });

  it('appends task entries and keeps only the newest up to the limit, leaving the previous state as it was', () => {
    const s0 = apply([{ type: 'snapshot', data: snapshot() }]);
    const s1 = applyFrame(s0, { type: 'tasks', now: 1100, append: [0, 1, 2].map((i) => task(i)) });
    const s2 = applyFrame(s1, { type: 'tasks', now: 1200, append: [3, 4, 5].map((i) => task(i)) });
    const s3 = applyFrame(s2, { type: 'tasks', now: 1300, append: [6, 7, 8, 9, 10, 11].map((i) => task(i)) });
    expect([...eachTask(s1.tasks)].map((t) => t.key)).toEqual(['inc-0', 'inc-1', 'inc-2']);
    // Limit 5: the oldest of the six is dropped.
    expect([...eachTask(s2.tasks)].map((t) => t.key)).toEqual(['inc-1', 'inc-2', 'inc-3', 'inc-4', 'inc-5']);
    expect(s2.tasks.length).toBe(5);
    expect(s2.span).toEqual({ start: 1010, stop: 1055 });
    // A frame larger than the limit keeps its own last five.
    expect([...eachTask(s3.tasks)].map((t) => t.key)).toEqual(['inc-7', 'inc-8', 'inc-9', 'inc-10', 'inc-11']);
    expect(s1.tasks.length).toBe(3);
    expect(s3.taskVersion).toBe(s0.taskVersion + 3);
    expect(s3.now).toBe(1300);
  });

  it('sums the time per prefix over every entry, also those dropped from the stream', () => {
    const s = apply([
      { type: 'snapshot', data: snapshot() },
      { type: 'tasks', now: 1, append: [0, 1, 2, 3, 4, 5].map((i) => task(i)) },
      {
        type: 'tasks',
        now: 2,
        append: [
          task(6, { prefix: 'sum', key: 'sum-0', start: 0, stop: 7 }),
          task(7, { kind: 'transfer', start: 0, stop: 2 }),
          task(8, { kind: 'spill', start: 0, stop: 1.5 }),
          task(9, { prefix: 'sum', kind: 'error', start: 10, stop: 11 }),
        ],
      },
    ]);
    const byPrefix = Object.fromEntries(prefixTimeSummary(s).map((r) => [r.prefix, r]));
    // inc: six computed tasks of 5 ms each, a 2 ms transfer and a 1.5 ms spill.
    expect(byPrefix.inc).toMatchObject({ tasks: 6, compute: 30, transfer: 2, spill: 1.5, errors: 0 });
    expect(byPrefix.sum).toMatchObject({ tasks: 1, compute: 8, transfer: 0, spill: 0, errors: 1 });
    expect(byPrefix.inc.share).toBeCloseTo(33.5 / 41.5, 12);
    expect(prefixTimeSummary(s)[0].prefix).toBe('inc');
  });

  it('adds a row for a thread seen only in the task stream and keeps the rows of a worker that left', () => {
    const s = apply([
      { type: 'snapshot', data: snapshot() },
      { type: 'tasks', now: 1, append: [task(0, { worker: 'c', thread: 3 })] },
      { type: 'workers', now: 2, workers: [worker('a')] },
      { type: 'workers', now: 3, workers: [worker('a'), worker('d', 1)] },
    ]);
    expect(s.workers.map((w) => w.id)).toEqual(['a', 'd']);
    expect(s.rows.map((r) => `${r.worker}#${r.thread}`)).toEqual(['a#0', 'a#1', 'b#0', 'c#3', 'd#0']);
  });

  it('replaces progress, graph and workers; appends memory and exceptions within their limits', () => {
    const prefixes = [{ prefix: 'inc', waiting: 1, processing: 2, memory: 3, released: 4, erred: 0, total: 10, done: 7, color: '#123456' }];
    const s = [
      { type: 'snapshot', data: snapshot({ memory: [{ time: 1, managed: 1, unmanaged: 0, spilled: 0 }] }) },
      { type: 'progress', now: 5, prefixes },
      { type: 'memory', now: 6, append: [2, 3, 4].map((t) => ({ time: t, managed: t, unmanaged: 0, spilled: 0 })) },
      { type: 'exceptions', now: 7, append: [{ key: 'k', prefix: 'k', worker: null, errorType: 'Error', message: 'm', stack: 's', time: 7 }] },
      { type: 'graph', now: 8, graph: { mode: 'tasks', nodes: [{ id: 0, key: 'k', prefix: 'k', state: 'erred' }], edges: [] } },
    ].reduce((st, f) => applyFrame(st, f as Frame, { memoryLimit: 3 }), initialState());
    expect(s.prefixes).toBe(prefixes);
    expect(s.memory.map((m) => m.time)).toEqual([2, 3, 4]);
    expect(s.exceptions.map((e) => e.key)).toEqual(['k']);
    expect(s.graph?.nodes).toHaveLength(1);
    // The server clock never goes back: the snapshot said 1000.
    expect(s.now).toBe(1000);
  });

  it('ignores a frame type it does not know', () => {
    const s0 = apply([{ type: 'snapshot', data: snapshot() }]);
    const s1 = applyFrame(s0, { type: 'future-thing', now: 1 } as unknown as Frame);
    expect(s1.workers).toBe(s0.workers);
    expect(s1.frames).toBe(s0.frames + 1);
  });
});

describe('reading events', () => {
  it('takes the whole frame or only its payload as event data', () => {
    const snap = snapshot();
    expect(toFrame('snapshot', { type: 'snapshot', data: snap })).toEqual({ type: 'snapshot', data: snap });
    expect(toFrame('snapshot', snap)).toEqual({ type: 'snapshot', data: snap });
    expect(toFrame('tasks', { now: 3, append: [] })).toEqual({ type: 'tasks', now: 3, append: [] });
    expect(toFrame('tasks', null)).toBeNull();
  });
});

describe('the report state', () => {
  it('leaves out what happened before the recording began and counts what finished during it', () => {
    const before = { prefix: 'inc', waiting: 0, processing: 0, memory: 0, released: 4, erred: 0, total: 4, done: 4, color: '#000' };
    const after = { ...before, released: 10, total: 10, done: 10 };
    const data = {
      version: 1 as const,
      title: 't',
      start: 2000,
      stop: 3000,
      frames: [
        // History from an earlier computation (stopped before 2000) and one task still running across the start.
        { type: 'snapshot', data: snapshot({ taskStream: [task(0), task(1, { start: 1990, stop: 2010 })], prefixes: [before] }) },
        { type: 'tasks', now: 2500, append: [task(2, { start: 2100, stop: 2200 }), task(3, { start: 1000, stop: 1500 })] },
        { type: 'progress', now: 2500, prefixes: [after] },
      ] as Frame[],
    };
    const s = reportState(data);
    expect([...eachTask(s.tasks)].map((t) => t.key)).toEqual(['inc-1', 'inc-2']);
    expect(doneDuring(data).get('inc')).toBe(6);
  });
});
