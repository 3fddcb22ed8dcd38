/**
 * Dask's restart and KilledWorker scenarios (distributed/tests/test_failed_workers.py) ported to
 * pdask: `client.restart()` forgets every task and replaces every worker process (through the
 * nannies), whatever those processes are doing; a task that kills its workers fails after the
 * allowed number of deaths. Results are checked against values computed here.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { delayed } from '@pdask/core';
import { describe, expect, it } from 'vitest';
import { CancelledError, Client, Nanny, Scheduler, type Future } from '../src/index';
import { requireBuild, until, useCluster } from './helpers';

const shared = useCluster();

const inc = (x: number) => x + 1;
const div = (a: number, b: number) => {
  if (b === 0) throw new RangeError('division by zero');
  return a / b;
};
const liveTasks = (t: Record<string, number>) => Object.values(t).reduce((s, n) => s + n, 0);

/** Restarts the cluster and checks that it came back with 2 fresh worker processes and no task. */
async function restartChecked(client: Client): Promise<void> {
  const before = client.workers.map((w) => w.pid);
  await client.restart();
  const info = await client.schedulerInfo();
  expect(info.workers.length).toBe(2);
  expect(info.workers.some((w) => before.includes(w.pid))).toBe(false);
  expect(liveTasks(info.tasks)).toBe(0);
}

describe('client.restart', () => {
  it('test_restart + test_restart_scheduler: finished, erred and chained futures are cancelled; new worker processes', async () => {
    const { client } = shared;
    await client.waitForWorkers(2);
    const x = client.submit(inc, 1);
    const y = client.submit(inc, x);
    const z = client.submit(div, 1, 0);
    expect(await y.result()).toBe(3);
    expect((await z.exception())?.message).toBe('division by zero');
    expect(x.status).toBe('finished');
    await restartChecked(client);
    for (const f of [x, y, z]) expect(f.status).toBe('cancelled');
  });

  it('test_restart_cleared: a computed delayed expression leaves nothing behind', async () => {
    const { client } = shared;
    // Dask's 2 * delayed(1) + 1
    const f = client.compute(delayed(inc)(delayed((a: number) => 2 * a)(1)));
    expect(await f.result()).toBe(3);
    await restartChecked(client);
  });

  it('test_restart_sync: who_has empties, old futures raise CancelledError, new ones compute', async () => {
    const { client } = shared;
    const x = client.submit(div, 1, 2);
    expect(await x.result()).toBe(0.5);
    // Held by its worker, and perhaps copied to the other (small results that stay wanted are).
    expect((await client.whoHas([x])).get(x.key)!.length).toBeGreaterThanOrEqual(1);
    await restartChecked(client);
    expect((await client.whoHas([x])).get(x.key)).toEqual([]);
    expect(x.status).toBe('cancelled');
    await expect(x.result()).rejects.toThrow(CancelledError);
    expect(await client.submit(div, 1, 3).result()).toBe(1 / 3);
  });

  it('test_multiple_clients_restart: one client’s restart cancels the other’s futures; the same keys compute again', async () => {
    const { cluster } = shared;
    const c1 = await Client.connect(cluster, { setAsDefault: false });
    const c2 = await Client.connect(cluster, { setAsDefault: false });
    try {
      const x = c1.submit(inc, 1);
      const y = c2.submit(inc, 2);
      expect(await x.result()).toBe(2);
      expect(await y.result()).toBe(3);
      await c1.restart();
      expect(x.status).toBe('cancelled');
      await until(() => y.status === 'cancelled', 5000, "the other client's future to be cancelled");
      const x2 = c1.submitWith({ key: x.key }, inc, 1);
      const y2 = c2.submitWith({ key: y.key }, inc, 2);
      expect(await x2.result()).toBe(2);
      expect(await y2.result()).toBe(3);
      x2.release();
      y2.release();
      await until(async () => liveTasks((await c1.schedulerInfo()).tasks) === 0, 5000, 'no task left');
    } finally {
      await c1.close();
      await c2.close();
    }
  });

  it('test_forgotten_futures_dont_clean_up_new_futures: dropping a pre-restart future keeps the new one of the same key', async () => {
    const { client } = shared;
    const x = client.submit(inc, 1);
    await x.result();
    await client.restart();
    const y = client.submit(inc, 1);
    expect(y.key).toBe(x.key);
    x.release();
    await new Promise((r) => setTimeout(r, 100));
    expect(await y.result()).toBe(2);
    y.release();
  });

  it('test_restart_during_computation: nothing is left processing and the computation is cancelled', async () => {
    const { client } = shared;
    const slowInc = (i: number) => new Promise<number>((r) => setTimeout(() => r(i + 1), 10));
    const slowAdd = (a: number, b: number) => new Promise<number>((r) => setTimeout(() => r(a + b), 10));
    const xs = Array.from({ length: 50 }, (_, i) => delayed(slowInc, { pure: false })(i));
    const ys = xs.map((x) => delayed(slowInc, { pure: false })(x));
    const zs = xs.map((x, i) => delayed(slowAdd, { pure: false })(x, ys[i]));
    const result = client.compute(delayed((...v: number[]) => v.reduce((s, a) => s + a, 0))(...zs));
    await new Promise((r) => setTimeout(r, 300));
    const mid = await client.schedulerInfo();
    expect(mid.tasks.processing).toBeGreaterThan(0);
    await restartChecked(client);
    expect(result.status).toBe('cancelled');
    await expect(result.result()).rejects.toThrow(CancelledError);
  });

  it('test_restart_timeout_on_long_running_task + test_worker_doesnt_await_task_completion: a task of an hour does not hold a restart', async () => {
    const { client } = shared;
    const hour = client.submitWith({ pure: false }, (ms: number) => new Promise((r) => setTimeout(r, ms)), 3_600_000);
    await until(async () => (await client.schedulerInfo()).tasks.processing === 1, 5000, 'the long task to start');
    await restartChecked(client);
    expect(hour.status).toBe('cancelled');
    expect(await client.submit(inc, 41).result()).toBe(42);
  });

  it('test_restart_hung_worker: a worker whose event loop never returns is replaced by restart', async () => {
    const { client } = shared;
    const hung = client.submitWith({ pure: false }, () => {
      for (;;);
    });
    await until(async () => (await client.schedulerInfo()).tasks.processing === 1, 5000, 'the endless task to start');
    await restartChecked(client);
    expect(hung.status).toBe('cancelled');
    const fs = client.map(inc, [1, 2, 3, 4], { pure: false });
    expect(await client.gather(fs)).toEqual([2, 3, 4, 5]);
  });
});

describe('allowed failures (Dask: distributed.scheduler.allowed-failures)', () => {
  /** A scheduler with `allowedFailures` and one nanny of 2 workers; `body` runs with a client. */
  async function withCluster(allowedFailures: number, body: (c: Client) => Promise<void>): Promise<void> {
    requireBuild();
    const s = await Scheduler.start({ allowedFailures });
    const n = await Nanny.start({ scheduler: s.address, token: s.token, nworkers: 2, env: { PDASK_WORKER_QUIET: '1' } });
    const c = await Client.connect(s.address, { token: s.token, setAsDefault: false });
    try {
      await c.waitForWorkers(2);
      await body(c);
    } finally {
      await c.close();
      await n.close();
      await s.close();
    }
  }

  /** A task that logs each run to `file` and then kills its worker process. */
  const crash = (file: string) => {
    (process.getBuiltinModule('node:fs') as typeof import('node:fs')).appendFileSync(file, 'run\n');
    process.kill(process.pid, 'SIGKILL');
  };

  it.each([0, 2])('allowedFailures %i: the task kills exactly n + 1 workers, then fails with KilledWorkerError (as Dask)', async (allowed) => {
    const dir = mkdtempSync(join(tmpdir(), 'pdask-allowed-'));
    const log = join(dir, 'runs.txt');
    writeFileSync(log, '');
    try {
      await withCluster(allowed, async (c) => {
        const f: Future<void> = c.submitWith({ pure: false }, crash, log);
        const err = await f.exception();
        expect(err?.name).toBe('KilledWorkerError');
        expect(err?.message).toContain(f.key);
        const runs = readFileSync(log, 'utf8').split('\n').filter(Boolean).length;
        expect(runs).toBe(allowed + 1);
        // The cluster is whole again and computes.
        await c.waitForWorkers(2);
        expect(await c.submit((a: number, b: number) => a * b, 6, 7).result()).toBe(42);
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
