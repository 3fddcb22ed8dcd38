/**
 * Runaway tasks (issue 19, item 3): a task that never returns blocks its worker's event loop. The
 * nanny kills such a worker (its liveness reports say the loop stopped ticking), or the scheduler
 * has its nanny kill it when its heartbeats stop, and the task it was stuck in is blamed:
 * KilledWorkerError after `allowed-failures` deaths, the cluster stays usable. And the per-task
 * `timeoutMs` option: past it the worker process is killed and the task fails with
 * TaskTimeoutError at once.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { delayed } from '@pdask/core';
import { afterAll, describe, expect, it } from 'vitest';
import { Client, LocalCluster, Nanny, Scheduler, type NannyOptions, type SchedulerOptions } from '../src/index';
import { requireBuild, until } from './helpers';
import { alive } from '../../../test/helpers/processes';

interface Cluster {
  scheduler: Scheduler;
  nannies: Nanny[];
  client: Client;
  /** Every worker process id seen while the test ran. */
  seen: Set<number>;
  close(): Promise<void>;
}

async function cluster(sopts: SchedulerOptions, nopts: Partial<NannyOptions>, n = 2): Promise<Cluster> {
  requireBuild();
  const scheduler = await Scheduler.start(sopts);
  const nannies: Nanny[] = [];
  for (let i = 0; i < n; i++) {
    nannies.push(await Nanny.start({ scheduler: scheduler.address, token: scheduler.token, nworkers: 1, ...nopts, env: { PDASK_WORKER_QUIET: '1', ...nopts.env } }));
  }
  await until(() => scheduler.workers.size === n, 20_000, `${n} workers`);
  const client = await Client.connect(scheduler.address, { token: scheduler.token, setAsDefault: false });
  const seen = new Set<number>();
  const sample = setInterval(() => nannies.forEach((x) => x.pids.forEach((p) => seen.add(p))), 20);
  sample.unref();
  return {
    scheduler,
    nannies,
    client,
    seen,
    async close() {
      clearInterval(sample);
      await client.close();
      await Promise.all(nannies.map((x) => x.close('test over')));
      await scheduler.close();
    },
  };
}

/** Every worker process seen is either one of the nannies' current workers or gone: none left hung. */
async function noHungWorkers(c: Cluster): Promise<void> {
  c.nannies.forEach((x) => x.pids.forEach((p) => c.seen.add(p)));
  const current = new Set(c.nannies.flatMap((x) => x.pids));
  await until(() => [...c.seen].every((p) => current.has(p) || !alive(p)), 10_000, 'the killed workers to be gone');
}

const spin = function spin(): number {
  for (;;);
};

describe('a task that never returns', () => {
  it('is blamed through the nanny liveness check: KilledWorkerError naming it; the cluster stays usable', async () => {
    const c = await cluster({ workerTtlMs: 60_000, allowedFailures: 2 }, { livenessTimeoutMs: 1000 });
    try {
      const f = c.client.submitWith({ pure: false }, spin);
      const err = await f.exception();
      expect(err?.name).toBe('KilledWorkerError');
      expect(err?.message).toContain(`'${f.key}'`);
      expect(err?.message).toContain('3 times');
      expect(err?.message).toMatch(/blocked its event loop .* in task/);
      await until(() => c.scheduler.workers.size === 2, 20_000, 'replacement workers');
      // Exact: sum of i*i for i < 1000 = (n-1)n(2n-1)/6.
      const squares = c.client.map((i: number) => i * i, Array.from({ length: 1000 }, (_, i) => i));
      const total = await c.client.submit((...xs: number[]) => xs.reduce((a, b) => a + b, 0), ...squares).result();
      expect(total).toBe((999 * 1000 * 1999) / 6);
      await noHungWorkers(c);
      expect(c.seen.size).toBeGreaterThanOrEqual(2 + 3);
    } finally {
      await c.close();
    }
  }, 60_000);

  it('is blamed when the scheduler drops its worker for missed heartbeats (the nanny kills it)', async () => {
    // No nanny liveness timeout here: only the scheduler's TTL notices the hung worker.
    const c = await cluster({ workerTtlMs: 1200, allowedFailures: 1 }, { livenessTimeoutMs: 0, env: { PDASK_DISTRIBUTED__WORKER__HEARTBEAT_MS: '200' } });
    try {
      const f = c.client.submitWith({ pure: false }, spin);
      const err = await f.exception();
      expect(err?.name).toBe('KilledWorkerError');
      expect(err?.message).toContain(`'${f.key}'`);
      expect(err?.message).toContain('2 times');
      expect(err?.message).toMatch(/dropped by the scheduler: no heartbeat/);
      await until(() => c.scheduler.workers.size === 2, 20_000, 'replacement workers');
      expect(await c.client.submit((a: number, b: number) => a * b, 6, 7).result()).toBe(42);
      await noHungWorkers(c);
    } finally {
      await c.close();
    }
  }, 60_000);
});

describe('per-task timeoutMs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pdask-timeout-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('kills the worker running a task past its timeout and fails it at once with TaskTimeoutError', async () => {
    const c = await cluster({ workerTtlMs: 60_000 }, { livenessTimeoutMs: 0 });
    try {
      const before = new Set(c.nannies.flatMap((x) => x.pids));
      const f = c.client.submitWith({ pure: false, timeoutMs: 400 }, spin);
      const err = await f.exception();
      expect(err?.name).toBe('TaskTimeoutError');
      expect(err?.message).toContain(`'${f.key}'`);
      expect(err?.message).toContain('timeout of 400 ms');
      // One worker process was killed for it (not retried on the other one).
      await until(() => c.scheduler.workers.size === 2, 20_000, 'a replacement worker');
      const after = new Set(c.nannies.flatMap((x) => x.pids));
      expect([...before].filter((p) => !after.has(p))).toHaveLength(1);
      // An asynchronous task that never settles times out the same way.
      const g = c.client.submitWith({ pure: false, timeoutMs: 300 }, () => new Promise<number>(() => undefined));
      expect((await g.exception())?.name).toBe('TaskTimeoutError');
      // compute()'s taskTimeoutMs and client.compute's timeoutMs reach the cluster the same way.
      const looping = delayed(spin, { pure: false })();
      const viaCompute = await looping.compute({ scheduler: c.client.executor, taskTimeoutMs: 300 }).catch((e: Error) => e);
      expect(viaCompute).toMatchObject({ name: 'TaskTimeoutError' });
      expect((viaCompute as Error).message).toContain('timeout of 300 ms: its worker process was killed');
      expect((await c.client.compute(delayed(spin, { pure: false })(), { timeoutMs: 300 }).exception())?.name).toBe('TaskTimeoutError');
      // A task that ends in time is not affected; the cluster is usable.
      expect(await c.client.submitWith({ timeoutMs: 10_000 }, (x: number) => x + 1, 41).result()).toBe(42);
      await noHungWorkers(c);
    } finally {
      await c.close();
    }
  }, 60_000);

  it('re-runs a timed-out task only as its retries allow', async () => {
    const c = await cluster({ workerTtlMs: 60_000 }, { livenessTimeoutMs: 0 });
    try {
      const marker = join(dir, 'first-run');
      // Hangs on its first run only: with one retry, the second run gives the answer.
      const once = (path: string): number => {
        const fs = process.getBuiltinModule('node:fs') as typeof import('node:fs');
        if (!fs.existsSync(path)) {
          fs.writeFileSync(path, 'x');
          for (;;);
        }
        return 42;
      };
      expect(await c.client.submitWith({ pure: false, timeoutMs: 500, retries: 1 }, once, marker).result()).toBe(42);
      expect(existsSync(marker)).toBe(true);
      // Without retries it fails at once, even though another worker would have finished it.
      rmSync(marker);
      const err = await c.client.submitWith({ pure: false, timeoutMs: 500 }, once, marker).exception();
      expect(err?.name).toBe('TaskTimeoutError');
    } finally {
      await c.close();
    }
  }, 60_000);

  it('is enforced by a worker without a nanny, which fails the task on time (nothing can kill it)', async () => {
    const lc = await LocalCluster.start({ nWorkers: 1, processes: false });
    const client = await Client.connect(lc, { setAsDefault: false });
    try {
      const err = await client.submitWith({ pure: false, timeoutMs: 200 }, () => new Promise<number>(() => undefined)).exception();
      expect(err?.name).toBe('TaskTimeoutError');
      expect(err?.message).toContain('timeout of 200 ms');
      expect(await client.submit((x: number) => x * 2, 21).result()).toBe(42);
    } finally {
      await client.close();
      await lc.close();
    }
  }, 30_000);

  it('is refused when malformed, and Dask-style `timeout` is refused by name', async () => {
    const lc = await LocalCluster.start({ nWorkers: 0, processes: false });
    const client = await Client.connect(lc, { setAsDefault: false });
    try {
      const f = (x: number) => x;
      expect(() => client.submitWith({ timeoutMs: -5 }, f, 1)).toThrow(/timeoutMs.*milliseconds > 0/);
      expect(() => client.submitWith({ timeoutMs: '5s' as unknown as number }, f, 1)).toThrow(/timeoutMs/);
      expect(() => client.map(f, [1], { timeoutMs: 0 })).toThrow(/timeoutMs/);
      expect(() => client.submitWith({ timeout: 5 } as never, f, 1)).toThrow(/timeout.*timeoutMs/);
    } finally {
      await client.close();
      await lc.close();
    }
  });
});
