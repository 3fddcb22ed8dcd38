/**
 * Hung peers (issue 19, item 4): a worker that stops answering (here: SIGSTOP, connection still
 * open) must not stall the workers reading from it for their whole fetch timeout once the
 * scheduler has dropped it. And fetch timeouts grow with the bytes fetched.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { config } from '@pdask/core';
import { Client, Scheduler, Worker } from '../src/index';
import { fetchTimeoutMs } from '../src/comm/peers';
import { ChildLiveness, livenessPeriodMs } from '../src/nanny/liveness';
import { Procs, requireBuild, until, WORKER_CLI } from './helpers';

const procs = new Procs();
afterAll(() => procs.killAll());

describe('a reader of a hung worker', () => {
  it('gives up on it as soon as the scheduler drops it, and gets the value recomputed', async () => {
    requireBuild();
    // The default fetch timeout (30 s) stays: the reader must not need it.
    expect(config.get<number>('distributed.comm.timeouts.request-ms')).toBe(30_000);
    const scheduler = await Scheduler.start({ workerTtlMs: 1500 });
    let reader: Worker | undefined;
    let client: Client | undefined;
    try {
      // The holder has no nanny: nothing kills it, only the scheduler's TTL notices it is hung.
      const holder = procs.start(process.execPath, [WORKER_CLI, scheduler.address, '--token', scheduler.token, '--no-nanny', '--nthreads', '1'], {
        env: { ...process.env, PDASK_DISTRIBUTED__WORKER__HEARTBEAT_MS: '200' },
      });
      await until(() => scheduler.workers.size === 1, 20_000, 'the holder');
      client = await Client.connect(scheduler.address, { token: scheduler.token, setAsDefault: false });
      const ones = client.submitWith({ pure: false }, (n: number) => new Float64Array(n).fill(1), 10_000);
      await ones.exception();
      reader = await Worker.start({ scheduler: scheduler.address, token: scheduler.token, heartbeatMs: 200 });
      await until(() => scheduler.workers.size === 2, 20_000, 'the reader');
      // A first read opens the reader's connection to the holder (so the next fetch does not wait
      // for a connection, which has a short timeout of its own, but for a reply). Of another key:
      // the reader keeps what it fetched, so `ones` must still be on the holder alone.
      const warm = client.submitWith({ workers: [scheduler.workers.keys().next().value!], pure: false }, (n: number) => new Float64Array(n).fill(2), 10);
      expect(await client.submitWith({ workers: [reader.address] }, (xs: Float64Array) => xs.length, warm).result()).toBe(10);
      expect((await client.whoHas([ones])).get(ones.key)).toEqual([scheduler.workers.keys().next().value]);
      process.kill(holder.pid!, 'SIGSTOP');
      const t0 = Date.now();
      const sum = client.submitWith({ workers: [reader.address] }, (xs: Float64Array) => xs.reduce((a, b) => a + b, 0), ones);
      // The holder is dropped ~1.5 s after it stopped; the reader's fetch from it is abandoned then.
      const result = await Promise.race([sum.result(), new Promise<never>((_, rej) => setTimeout(() => rej(new Error('still waiting for the hung holder after 12 s')), 12_000))]);
      expect(result).toBe(10_000);
      expect(Date.now() - t0).toBeLessThan(12_000);
      expect(scheduler.workers.has(reader.address)).toBe(true);
      expect(scheduler.workers.size).toBe(1);
    } finally {
      procs.killAll();
      await client?.close();
      await reader?.close();
      await scheduler.close();
    }
  }, 40_000);
});

describe('fetch timeouts', () => {
  it('are the base request timeout plus the bytes at the minimum bandwidth', () => {
    const scope = config.set({ 'distributed.comm.timeouts.request-ms': 2000, 'distributed.comm.timeouts.min-bandwidth': 1e6 });
    try {
      expect(fetchTimeoutMs(0)).toBe(2000);
      // 5 MB at 1 MB/s: 5 s more.
      expect(fetchTimeoutMs(5e6)).toBe(7000);
      // 1 GiB: 1073.741824 s more, rounded up to the millisecond.
      expect(fetchTimeoutMs(2 ** 30)).toBe(2000 + 1_073_742);
    } finally {
      scope.restore();
    }
  });
});

describe("the nanny's liveness judgement", () => {
  it('kills a worker whose event loop stopped ticking, naming the task it is in', () => {
    const l = new ChildLiveness(1000);
    expect(l.onLine('rss', ['123'])).toBeUndefined();
    expect(l.onLine('live', ['40', 'inc-1'], 0)).toEqual({ kill: false });
    const v = l.onLine('live', ['1500', 'spin-9'], 100);
    expect(v).toMatchObject({ kill: true, running: 'spin-9' });
    expect(v?.kill && v.cause).toMatch(/blocked its event loop for 1\.5 s in task 'spin-9' \(liveness timeout 1 s\)/);
  });

  it('kills a worker whose reports stopped (frozen), only after its first report and the timeout', () => {
    const l = new ChildLiveness(1000);
    expect(l.check(10_000)).toEqual({ kill: false });
    l.onLine('live', ['0', 'k'], 10_000);
    expect(l.check(11_000)).toEqual({ kill: false });
    expect(l.check(11_001)).toMatchObject({ kill: true, running: 'k' });
    // 0: never for a stalled loop or silence (reports still name the running task).
    const off = new ChildLiveness(0);
    expect(off.onLine('live', ['1e9', 'k2'], 0)).toEqual({ kill: false });
    expect(off.running).toBe('k2');
    expect(off.check(1e12)).toEqual({ kill: false });
  });

  it('passes on a timeout report as a kill with the task and its timeout', () => {
    const l = new ChildLiveness(0);
    expect(l.onLine('timeout', ['slow-1', '250'])).toEqual({
      kill: true,
      cause: "ran task 'slow-1' past its timeout of 250 ms",
      running: 'slow-1',
      timedOut: { key: 'slow-1', timeoutMs: 250 },
    });
  });

  it('asks for reports often enough to act within about a quarter of the timeout', () => {
    expect(livenessPeriodMs(1000)).toBe(250);
    expect(livenessPeriodMs(300_000)).toBe(1000);
    expect(livenessPeriodMs(40)).toBe(25);
  });
});
