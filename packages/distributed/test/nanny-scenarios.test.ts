/**
 * Dask's nanny scenarios (distributed/tests/test_nanny.py) that apply to pdask, ported; the
 * README lists which were ported and which do not apply. Plus one of pdask's own: a worker stuck
 * in a task whose nanny dies still ends (its event loop cannot run its own orphan check).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Client, Nanny, Scheduler } from '../src/index';
import { exited, Procs, requireBuild, SCHEDULER_CLI, until, WORKER_CLI } from './helpers';
import { alive } from '../../../test/helpers/processes';

const procs = new Procs();
afterAll(() => procs.killAll());

async function withScheduler<T>(fn: (s: Scheduler, c: Client) => Promise<T>, opts: Parameters<typeof Scheduler.start>[0] = {}): Promise<T> {
  requireBuild();
  const s = await Scheduler.start(opts);
  const c = await Client.connect(s.address, { token: s.token, setAsDefault: false });
  try {
    return await fn(s, c);
  } finally {
    await c.close();
    await s.close();
  }
}

const nannyOf = (s: Scheduler, more: Partial<Parameters<typeof Nanny.start>[0]> = {}) =>
  Nanny.start({ scheduler: s.address, token: s.token, nworkers: 1, ...more, env: { PDASK_WORKER_QUIET: '1', ...more.env } });

describe("Dask's test_nanny scenarios", () => {
  it('test_nanny_process_failure: a worker process that exits (status 0) is replaced by a new one', async () => {
    await withScheduler(async (s, c) => {
      const n = await nannyOf(s);
      try {
        await until(() => s.workers.size === 1, 20_000, 'the worker');
        const [pid] = n.pids;
        const exit = c.submitWith({ pure: false }, () => process.exit(0));
        await until(() => n.pids.length === 1 && n.pids[0] !== pid && s.workers.size === 1, 20_000, 'a new worker');
        expect(alive(pid)).toBe(false);
        exit.release();
        expect(await c.submit((x: number) => x + 1, 1).result()).toBe(2);
      } finally {
        await n.close();
      }
    });
  }, 30_000);

  it('test_nanny_death_timeout: a nanny with no scheduler to reach gives up after its death timeout', async () => {
    const s = await Scheduler.start();
    const { address, token } = { address: s.address, token: s.token };
    await s.close();
    await expect(Nanny.start({ scheduler: address, token, nworkers: 1, deathTimeoutMs: 1000 })).rejects.toThrow(/within|unreach|refused|death/i);
  }, 30_000);

  it('test_environment_variable: each nanny gives its workers its own environment', async () => {
    await withScheduler(async (s, c) => {
      const a = await nannyOf(s, { env: { FOO: '123' } });
      const b = await nannyOf(s, { env: { FOO: '456' } });
      try {
        await until(() => a.workers.length === 1 && b.workers.length === 1 && s.workers.size === 2, 20_000, 'both workers');
        const foo = () => process.env.FOO;
        expect(await c.submitWith({ workers: a.workers, pure: false }, foo).result()).toBe('123');
        expect(await c.submitWith({ workers: b.workers, pure: false }, foo).result()).toBe('456');
      } finally {
        await Promise.all([a.close(), b.close()]);
      }
    });
  }, 30_000);

  it('test_nanny_closes_cleanly: closing a nanny ends its worker processes', async () => {
    await withScheduler(async (s) => {
      const n = await nannyOf(s, { nworkers: 2 });
      await until(() => s.workers.size === 2, 20_000, 'the workers');
      const pids = n.pids;
      await n.close();
      await until(() => pids.every((p) => !alive(p)), 10_000, 'the workers to exit');
      await until(() => s.workers.size === 0, 10_000, 'the scheduler to drop them');
    });
  }, 30_000);

  it('test_nanny_closes_cleanly_if_worker_is_terminated: a nanny whose last worker closed for good ends', async () => {
    await withScheduler(async (s) => {
      const n = await nannyOf(s, { lifetimeMs: 300 });
      await n.finished;
      expect(n.pids.every((p) => !alive(p))).toBe(true);
    });
  }, 30_000);

  it('test_lifetime: with lifetime restart, each worker that reaches its lifetime is replaced', async () => {
    await withScheduler(async (s) => {
      const n = await nannyOf(s, { lifetimeMs: 400, lifetimeRestart: true });
      try {
        const seen = new Set<number>();
        await until(
          () => {
            n.pids.forEach((p) => seen.add(p));
            return seen.size >= 3;
          },
          20_000,
          'two replacements',
        );
        await until(() => s.workers.size === 1, 10_000, 'one worker registered');
      } finally {
        await n.close();
      }
    });
  }, 30_000);

  it('test_repeated_restarts: client.restart() three times gives back both workers each time', async () => {
    await withScheduler(async (s, c) => {
      const a = await nannyOf(s);
      const b = await nannyOf(s);
      try {
        await until(() => s.workers.size === 2, 20_000, 'both workers');
        for (let i = 0; i < 3; i++) {
          await c.restart();
          expect(s.workers.size).toBe(2);
        }
        expect(await c.submit((x: number) => x * 2, 21).result()).toBe(42);
      } finally {
        await Promise.all([a.close(), b.close()]);
      }
    });
  }, 60_000);

  it('test_num_fds: restarting workers leaves no file descriptors behind in the nanny', async () => {
    await withScheduler(async (s, c) => {
      const n = await nannyOf(s);
      try {
        await until(() => s.workers.size === 1, 20_000, 'the worker');
        await c.restart();
        const fds = () => readdirSync('/proc/self/fd').length;
        const before = fds();
        for (let i = 0; i < 3; i++) await c.restart();
        await until(() => fds() <= before, 10_000, `file descriptors back to ${before} (now ${fds()})`);
      } finally {
        await n.close();
      }
    });
  }, 60_000);

  it('test_scheduler_crash_doesnt_restart: when the scheduler dies, the nanny stops its workers and ends', async () => {
    requireBuild();
    const sched = procs.start(process.execPath, [SCHEDULER_CLI, '--port', '0', '--token', 'crash-test-token']);
    await until(() => /Scheduler at (tcp:\/\/\S+)/.test(sched.output()), 20_000, 'the scheduler');
    const address = /Scheduler at (tcp:\/\/\S+)/.exec(sched.output())![1];
    const worker = procs.start(process.execPath, [WORKER_CLI, address, '--token', 'crash-test-token', '--nworkers', '1', '--death-timeout', '1s'], {
      env: { ...process.env, PDASK_WORKER_QUIET: '1' },
    });
    const c = await Client.connect(address, { token: 'crash-test-token', setAsDefault: false });
    await c.waitForWorkers(1, 20_000);
    const [info] = c.workers;
    process.kill(sched.pid!, 'SIGKILL');
    // The nanny tries to reconnect for its death timeout (1 s), then ends with its worker.
    expect(await exited(worker, 20_000)).not.toBeNull();
    await until(() => !alive(info.pid), 10_000, 'the worker process to end');
    await c.close().catch(() => undefined);
  }, 40_000);
});

describe('a worker whose nanny is killed', () => {
  it("is cleaned up after by a nanny that closes later, once the dead nanny's workers are gone too", async () => {
    const local = mkdtempSync(join(tmpdir(), 'pdask-stale-'));
    try {
      await withScheduler(async (s) => {
        const n = await Nanny.start({ scheduler: s.address, token: s.token, nworkers: 1, localDirectory: local, env: { PDASK_WORKER_QUIET: '1' } });
        await until(() => s.workers.size === 1, 20_000, 'the worker');
        // Left after this nanny started by a nanny and a worker both killed (pids that have ended).
        const dead = spawnSync(process.execPath, ['-e', '']).pid!;
        mkdirSync(join(local, `pdask-nanny-${dead}-gone01`, 'worker-0-abc', `pdask-worker-${dead}-x1`), { recursive: true });
        await n.close('test over');
        expect(readdirSync(local)).toEqual([]);
      });
    } finally {
      rmSync(local, { recursive: true, force: true });
    }
  }, 40_000);

  it('ends and removes its directory and, as the last one out, its nanny\'s', async () => {
    const local = mkdtempSync(join(tmpdir(), 'pdask-orphan-'));
    try {
      await withScheduler(async (s) => {
        const nanny = procs.start(process.execPath, [WORKER_CLI, s.address, '--token', s.token, '--nworkers', '2', '--local-directory', local], {
          env: { ...process.env, PDASK_WORKER_QUIET: '1' },
        });
        await until(() => s.workers.size === 2, 20_000, 'the workers');
        const pids = [...s.workers.values()].map((w) => w.info.pid);
        expect(readdirSync(local)).toHaveLength(1);
        process.kill(nanny.pid!, 'SIGKILL');
        await until(() => pids.every((p) => !alive(p)), 10_000, 'the orphaned workers to end');
        await until(() => readdirSync(local).length === 0, 5_000, `the nanny's directory to go (left: ${readdirSync(local).join(', ')})`);
      });
    } finally {
      rmSync(local, { recursive: true, force: true });
    }
  }, 40_000);
});

describe('a hung worker whose nanny dies', () => {
  it('ends too (its reporting thread sees it is orphaned)', async () => {
    await withScheduler(async (s, c) => {
      const nanny = procs.start(process.execPath, [WORKER_CLI, s.address, '--token', s.token, '--nworkers', '1'], { env: { ...process.env, PDASK_WORKER_QUIET: '1' } });
      await until(() => s.workers.size === 1, 20_000, 'the worker');
      const [info] = (await c.schedulerInfo()).workers;
      const spin = c.submitWith({ pure: false }, function spin(): number {
        for (;;);
      });
      // Give it time to start spinning (it never reports back).
      await new Promise((r) => setTimeout(r, 700));
      process.kill(nanny.pid!, 'SIGKILL');
      try {
        await until(() => !alive(info.pid), 10_000, `the orphaned hung worker ${info.pid} to end`);
      } finally {
        if (alive(info.pid)) process.kill(info.pid, 'SIGKILL');
      }
      spin.release();
    });
  }, 40_000);
});
