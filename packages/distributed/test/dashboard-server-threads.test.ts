/**
 * startDashboard(): the dashboard of core's threads executor (no cluster), fed by the thread pool's
 * observer hook. Counts per prefix equal the tasks of the graph that ran; errors arrive with their
 * stacks; each thread is a worker row; closing stops observing.
 */
import { closeThreadPools, delayed, sharedThreadsExecutor } from '@pdask/core';
import { afterAll, describe, expect, it } from 'vitest';
import { startDashboard } from '../src/index';
import type { ExceptionEntry, Snapshot, StoryResponse } from '../src/dashboard/protocol';
import { checkSnapshot, EventStream, httpGet } from './dashboard-server-helpers';
import { tree, treeSum, until } from './helpers';

afterAll(() => closeThreadPools());

describe('startDashboard on the threads executor', () => {
  it('shows what the thread pool ran', async () => {
    const executor = sharedThreadsExecutor(2);
    const dash = await startDashboard({ address: '127.0.0.1:0', pool: executor.pool });
    const stream = await EventStream.open(dash.link.replace(/status$/, 'api/events'));
    try {
      expect(dash.link).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/status$/);
      const n = 2000;
      expect(await tree(n).compute({ scheduler: 'threads', numWorkers: 2 })).toBe(treeSum(n));
      await until(() => stream.prefix('add')?.done === n - 1 && stream.prefix('inc')?.done === n, 10_000, 'the progress frames');
      // The computation ended: its tasks left the counts, what ran stays counted as done.
      await until(() => stream.prefix('inc')?.total === 0 && stream.prefix('add')?.total === 0, 10_000, 'the ended computation');
      expect(stream.prefix('inc')).toMatchObject({ done: n, total: 0, released: 0, memory: 0 });
      expect(stream.prefix('add')).toMatchObject({ done: n - 1, total: 0 });
      expect(new Set(stream.tasks.map((t) => t.key)).size).toBe(2 * n - 1);
      await until(() => stream.workers.length === 2, 10_000, 'the thread rows');
      expect(stream.workers.map((w) => w.id).sort()).toEqual([...executor.pool.slots.keys()].map((i) => `thread-${i}`).sort());
      for (const t of stream.tasks) expect(stream.workers.map((w) => w.id)).toContain(t.worker);

      const boom = (x: number): number => {
        if (x > 0) throw new TypeError(`boom ${x}`);
        return x;
      };
      await expect(delayed(boom)(3).compute({ scheduler: 'threads', numWorkers: 2 })).rejects.toThrow('boom 3');
      let errors: ExceptionEntry[] = [];
      await until(async () => {
        errors = (JSON.parse((await httpGet(dash.link.replace(/status$/, 'api/snapshot'))).body) as Snapshot).exceptions;
        return errors.length > 0;
      }, 10_000, 'the exception');
      expect(errors[0]).toMatchObject({ prefix: 'boom', errorType: 'TypeError', message: 'boom 3' });
      expect(errors[0].stack).toContain('boom 3');
      const story = JSON.parse((await httpGet(dash.link.replace(/status$/, `api/story?key=${encodeURIComponent(errors[0].key)}`))).body) as StoryResponse;
      expect(story[story.length - 1]).toMatchObject({ key: errors[0].key, to: 'erred' });
      const snap = JSON.parse((await httpGet(dash.link.replace(/status$/, 'api/snapshot'))).body) as Snapshot;
      checkSnapshot(snap);
      expect(snap.cluster).toMatchObject({ kind: 'threads', scheduler: 'threads', dashboard: dash.link });
      expect(stream.error).toBeUndefined();
    } finally {
      stream.close();
      await dash.close();
    }
    // Closed: the pool is not observed any more, and another dashboard may watch it.
    expect(executor.pool.observer).toBeUndefined();
    const again = await startDashboard({ address: ':0', pool: executor.pool });
    await again.close();
  }, 30_000);

  it('refuses a second dashboard on the same pool, and a non-loopback address without a token', async () => {
    const pool = sharedThreadsExecutor(2).pool;
    const dash = await startDashboard({ address: ':0', pool });
    try {
      await expect(startDashboard({ address: ':0', pool })).rejects.toThrow('already observed');
    } finally {
      await dash.close();
    }
    await expect(startDashboard({ address: '0.0.0.0:0', pool })).rejects.toThrow('startDashboard: 0.0.0.0 is reachable from other machines: give a { token }');
    expect(pool.observer).toBeUndefined();
  });
});
