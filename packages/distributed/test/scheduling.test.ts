import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, LocalCluster, Worker } from '../src/index';
import { distributedOps } from '../src/ops/index';
import { requireBuild, tree, treeSum, until } from './helpers';

let cluster: LocalCluster;
let client: Client;

beforeAll(async () => {
  requireBuild();
  cluster = await LocalCluster.start({ nWorkers: 2 });
  client = await Client.connect(cluster, { setAsDefault: false });
});

afterAll(async () => {
  await client?.close();
  await cluster?.close();
});

const totalTasks = (t: Record<string, number>): number => Object.values(t).reduce((s, v) => s + v, 0);

describe('work stealing', () => {
  it('an idle worker takes queued work from a busy one; every task runs exactly once', async () => {
    await client.waitForWorkers(2);
    const [a, b] = client.workers;
    const log = join(mkdtempSync(join(tmpdir(), 'pdask-steal-')), 'ran.txt');
    writeFileSync(log, '');
    // Every task reads data held by `a`: locality places all 20 there (it has room for them),
    // so `b` only gets work by stealing it.
    const data = await client.scatter(new Float64Array(100_000).fill(1), { workers: [a.address] });
    const busy = (x: Float64Array, i: number, file: string) => {
      const end = performance.now() + 40;
      while (performance.now() < end);
      (process.getBuiltinModule('node:fs') as typeof import('node:fs')).appendFileSync(file, `${i} ${process.pid}\n`);
      return x.length + i;
    };
    const fs = Array.from({ length: 20 }, (_, i) => client.submitWith({ pure: false }, busy, data, i, log));
    const results = await client.gather(fs);
    expect(results).toEqual(Array.from({ length: 20 }, (_, i) => 100_000 + i));
    const lines = readFileSync(log, 'utf8').trim().split('\n').map((l) => l.split(' ').map(Number));
    // Exactly once each: stolen tasks were handed back before they started, never run twice.
    expect(lines.map(([i]) => i).sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    const onB = lines.filter(([, pid]) => pid === b.pid).length;
    const onA = lines.filter(([, pid]) => pid === a.pid).length;
    expect(onA + onB).toBe(20);
    expect(onB).toBeGreaterThan(0);
    expect(onA).toBeGreaterThan(0);
    for (const f of [data, ...fs]) f.release();
  });
});

describe('placement that declines', () => {
  it('a task needing a resource no worker has waits, then runs on a worker that joins with it', async () => {
    const where = distributedOps.whereAmI;
    const f = client.submitWith({ resources: { GPU: 1 }, pure: false }, where);
    await new Promise((r) => setTimeout(r, 300));
    expect(f.status).toBe('pending');
    // A worker in this very process, with the resource: the task runs there.
    const gpu = await Worker.start({ scheduler: cluster.schedulerAddress, token: cluster.token, resources: { GPU: 1 }, name: 'gpu-worker' });
    try {
      expect((await f.result()).pid).toBe(process.pid);
      f.release();
    } finally {
      await gpu.close();
    }
    await until(() => client.workers.length === 2, 10_000, 'the GPU worker to leave');
  });
});

describe('resources are counted down while tasks hold them', () => {
  it('a worker with GPU=2 runs at most 2 tasks needing GPU: 1 at once', async () => {
    const log = join(mkdtempSync(join(tmpdir(), 'pdask-gpu-')), 'spans.txt');
    writeFileSync(log, '');
    // nthreads 6: only the resource count can keep the tasks from all running at once.
    const gpu = await Worker.start({ scheduler: cluster.schedulerAddress, token: cluster.token, resources: { GPU: 2 }, nthreads: 6, name: 'gpu2-worker' });
    try {
      const sleepy = async (i: number, file: string) => {
        const t0 = Date.now();
        await new Promise((r) => setTimeout(r, 150));
        (process.getBuiltinModule('node:fs') as typeof import('node:fs')).appendFileSync(file, `${i} ${t0} ${Date.now()}\n`);
        return i * 10;
      };
      const fs = Array.from({ length: 6 }, (_, i) => client.submitWith({ resources: { GPU: 1 }, pure: false }, sleepy, i, log));
      expect(await client.gather(fs)).toEqual([0, 10, 20, 30, 40, 50]);
      const spans = readFileSync(log, 'utf8').trim().split('\n').map((l) => l.split(' ').map(Number));
      expect(spans.map(([i]) => i).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5]);
      // Most tasks running at any instant: count starts minus ends, ends first at equal times.
      const events = spans.flatMap(([, s, e]) => [[s, 1], [e, -1]] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
      let running = 0;
      let most = 0;
      for (const [, d] of events) most = Math.max(most, (running += d));
      expect(most).toBe(2);
      for (const f of fs) f.release();
    } finally {
      await gpu.close();
    }
    await until(() => client.workers.length === 2, 10_000, 'the GPU worker to leave');
  });
});

describe('the scheduler forgets finished work', () => {
  it('keeps no task once results are released', async () => {
    const f = client.compute(tree(256));
    expect(await f.result()).toBe(treeSum(256));
    expect(totalTasks((await client.schedulerInfo()).tasks)).toBeGreaterThan(0);
    f.release();
    await until(
      async () => totalTasks((await client.schedulerInfo()).tasks) === 0,
      5_000,
      `the scheduler to forget the graph (it has ${JSON.stringify((await client.schedulerInfo()).tasks)})`,
    );
  });
});
