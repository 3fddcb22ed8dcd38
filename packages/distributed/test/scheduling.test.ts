import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromModule } from '@pdask/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, LocalCluster, Worker } from '../src/index';
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
    const where = fromModule<() => { pid: number }>('@pdask/distributed/ops', 'whereAmI');
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
