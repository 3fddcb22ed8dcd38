/**
 * Dask's worker-failure scenarios (distributed/tests/test_failed_workers.py) ported to pdask: a
 * 2-worker LocalCluster under in-process nannies, workers killed with SIGKILL (Dask terminates or
 * closes them), every result checked against a value computed here from first principles.
 * packages/distributed/README.md lists which Dask test each one ports.
 */
import { describe, expect, it } from 'vitest';
import type { Client, Future } from '../src/index';
import { until, useCluster } from './helpers';

const shared = useCluster();

const inc = (x: number) => x + 1;
const total = (...xs: number[]) => xs.reduce((s, x) => s + x, 0);
/** Sum of inc(i) for i < n: 1 + 2 + ... + n. */
const sumInc = (n: number) => (n * (n + 1)) / 2;

/** Waits until the cluster is back to 2 workers, none of them with a pid in `gone`. */
async function replaced(client: Client, gone: number[]): Promise<void> {
  await until(() => client.workers.length === 2 && client.workers.every((w) => !gone.includes(w.pid)), 20_000, 'replacement workers');
}

async function holderPid(client: Client, f: Future<unknown>): Promise<number> {
  const [holder] = (await client.whoHas([f])).get(f.key)!;
  const w = client.workers.find((x) => x.address === holder);
  if (!w) throw new Error(`no worker at ${holder}`);
  return w.pid;
}

describe('work lost with a killed worker is recomputed', () => {
  it('test_submit_after_failed_worker: a sum of results some of which died with their worker', async () => {
    const { client } = shared;
    await client.waitForWorkers(2);
    const L = client.map(inc, Array.from({ length: 10 }, (_, i) => i), { pure: false });
    await client.gather(L);
    const victim = client.workers[0].pid;
    process.kill(victim, 'SIGKILL');
    const t = client.submit(total, ...L);
    expect(await t.result()).toBe(sumInc(10));
    await replaced(client, [victim]);
  });

  it('test_gather_after_failed_worker: gathering results whose holder was killed', async () => {
    const { client } = shared;
    const L = client.map(inc, Array.from({ length: 10 }, (_, i) => i), { pure: false });
    await client.gather(L);
    const victim = client.workers[1].pid;
    process.kill(victim, 'SIGKILL');
    expect(await client.gather(L)).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
    await replaced(client, [victim]);
  });

  // Dask closes the worker gracefully ('closed': the scheduler has removed it; 'closing': it is
  // still leaving) and places x on the failed worker or the survivor. Here SIGTERM is the graceful
  // close of a worker process (its nanny starts a new one).
  describe.each([
    { when: 'closed', xOnFailed: true },
    { when: 'closed', xOnFailed: false },
    { when: 'closing', xOnFailed: true },
    { when: 'closing', xOnFailed: false },
  ])('test_submit_after_failed_worker_async (when=$when, x on the failed worker: $xOnFailed)', ({ when, xOnFailed }) => {
    it('computes y = inc(x) = 3', async () => {
      const { client } = shared;
      await client.waitForWorkers(2);
      const x = client.submitWith({ pure: false }, inc, 1);
      await x.result();
      const xPid = await holderPid(client, x);
      const victim = xOnFailed ? xPid : client.workers.find((w) => w.pid !== xPid)!.pid;
      const victimAddress = client.workers.find((w) => w.pid === victim)!.address;
      process.kill(victim, 'SIGTERM');
      if (when === 'closed') await until(() => !client.workers.some((w) => w.address === victimAddress), 20_000, 'the closed worker to leave');
      const y = client.submitWith({ pure: false }, inc, x);
      expect(await y.result()).toBe(3);
      expect(await x.result()).toBe(2);
      await replaced(client, [victim]);
    });
  });

  it('test_gather_then_submit_after_failed_workers: the holder of the total killed three times', async () => {
    const { client } = shared;
    const L = client.map(inc, Array.from({ length: 20 }, (_, i) => i), { pure: false });
    await client.gather(L);
    const first = client.workers[0].pid;
    process.kill(first, 'SIGKILL');
    const t = client.submit(total, ...L);
    for (let round = 0; round < 3; round++) {
      await t.exception();
      const pid = await holderPid(client, t);
      process.kill(pid, 'SIGKILL');
      expect(await client.gather([t])).toEqual([sumInc(20)]);
      await replaced(client, [pid]);
    }
  });

  it('test_broken_worker_during_computation: a 256-leaf tree of futures, a worker killed twice mid-way', async () => {
    const { client } = shared;
    await client.waitForWorkers(2);
    const N = 256;
    const slowAdd = (a: number, b: number) => new Promise<number>((r) => setTimeout(() => r(a + b), 5));
    let level: Future<number>[] = client.map(inc, Array.from({ length: N }, (_, i) => i), { pure: false });
    while (level.length > 1) {
      const next: Future<number>[] = [];
      for (let i = 0; i < level.length; i += 2) next.push(client.submitWith({ pure: false }, slowAdd, level[i], level[i + 1]));
      level = next;
    }
    const killed: number[] = [];
    for (let k = 0; k < 2; k++) {
      await new Promise((r) => setTimeout(r, 50 + Math.random() * 100));
      await client.waitForWorkers(2);
      const pid = client.workers[Math.floor(Math.random() * client.workers.length)].pid;
      killed.push(pid);
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already replaced
      }
    }
    expect(await client.gather(level)).toEqual([sumInc(N)]);
    await replaced(client, killed);
  });

  it('test_worker_who_has_clears_after_failed_connection: a reader on the survivor of inputs whose holder died', async () => {
    const { client } = shared;
    await client.waitForWorkers(2);
    const futures = client.map(inc, Array.from({ length: 20 }, (_, i) => i), { pure: false });
    await client.gather(futures);
    const holders = await client.whoHas(futures);
    // The worker holding most of them dies; the reader must run on the other one.
    const counts = new Map<string, number>();
    for (const [h] of holders.values()) counts.set(h, (counts.get(h) ?? 0) + 1);
    const victimAddress = [...counts].sort((a, b) => b[1] - a[1])[0][0];
    const victim = client.workers.find((w) => w.address === victimAddress)!;
    const survivor = client.workers.find((w) => w.address !== victimAddress)!;
    process.kill(victim.pid, 'SIGKILL');
    const sink = client.submitWith({ workers: [survivor.address], pure: false }, total, ...futures);
    expect(await sink.result()).toBe(sumInc(20));
    await replaced(client, [victim.pid]);
  });
});

describe('scenarios beyond test_failed_workers', () => {
  it('scattered data lost with its worker: the survivor’s values still gather, the lost ones fail clearly', async () => {
    const { client } = shared;
    await client.waitForWorkers(2);
    const [a, b] = client.workers;
    const data = [0, 1, 2, 3].map((i) => new Float64Array([i, i * 10, i * 100]));
    const onA = await client.scatter(data.slice(0, 2), { workers: [a.address], hash: false });
    const onB = await client.scatter(data.slice(2), { workers: [b.address], hash: false });
    process.kill(a.pid, 'SIGKILL');
    for (const f of onA) await expect(f.result()).rejects.toThrow(/was lost with worker .*cannot be recomputed/);
    const back = await client.gather(onB);
    expect(back.map((x) => [...x])).toEqual([
      [2, 20, 200],
      [3, 30, 300],
    ]);
    // A reader of the survivors computes; the cluster takes new data.
    expect(await client.submitWith({ pure: false }, (x: Float64Array, y: Float64Array) => x[2] + y[2], ...onB).result()).toBe(500);
    await replaced(client, [a.pid]);
    const again = await client.scatter(new Int32Array([7, 8]), { hash: false });
    expect([...(await again.result())]).toEqual([7, 8]);
  });

  it('every worker killed at once mid-computation: the cluster recovers and the result is exact', async () => {
    const { client, cluster } = shared;
    await client.waitForWorkers(2);
    const busyInc = (i: number) => {
      const end = performance.now() + 3;
      while (performance.now() < end);
      return i + 1;
    };
    const leaves = client.map(busyInc, Array.from({ length: 200 }, (_, i) => i), { pure: false });
    const sum = client.submit(total, ...leaves);
    await new Promise((r) => setTimeout(r, 150));
    const pids = cluster.workerPids;
    for (const pid of pids) process.kill(pid, 'SIGKILL');
    expect(await sum.result()).toBe(sumInc(200));
    await replaced(client, pids);
  });

  it('futures released after a death are forgotten: no task left on the scheduler, no data on the workers', async () => {
    const { client } = shared;
    await client.waitForWorkers(2);
    const L = client.map(inc, Array.from({ length: 30 }, (_, i) => 1000 + i), { pure: false });
    const s = client.submit(total, ...L);
    await new Promise((r) => setTimeout(r, 20));
    const victim = client.workers[0].pid;
    process.kill(victim, 'SIGKILL');
    // sum of (1000 + i + 1) for i < 30
    expect(await s.result()).toBe(30 * 1000 + sumInc(30));
    const keys = [...L, s].map((f) => f.key);
    for (const f of [...L, s]) f.release();
    const forgotten = async (k: string) => (await client.story(k)).at(-1)?.to === 'forgotten';
    await until(async () => (await Promise.all(keys.map(forgotten))).every(Boolean), 10_000, 'the released keys to be forgotten');
    // Nobody holds them (the scheduler no longer knows them: no holder recorded).
    const holders = await client.whoHas([...L, s]);
    expect([...holders.values()].every((h) => h.length === 0)).toBe(true);
    await replaced(client, [victim]);
  });
});
