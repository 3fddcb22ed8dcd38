import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeThreadPools, collectionSymbol, compute, config, delayed, persist, ResidentValue, SingleKeyCollection } from '@pdask/core';
import { afterAll, describe, expect, it } from 'vitest';
import { asCompleted, CancelledError, Client, Future, wait } from '../src/index';
import { distributedOps } from '../src/ops/index';
import { tree, treeSum, useCluster } from './helpers';

const shared = useCluster();
afterAll(() => closeThreadPools());

const inc = (x: number) => x + 1;
const add = (a: number, b: number) => a + b;

describe('the client as default scheduler', () => {
  it('runs compute() of a Delayed on the cluster while open', async () => {
    expect(config.get<string>('scheduler')).toBe(`pdask-client-${shared.client.id}`);
    // The task reports its process: it must be one of the cluster's worker processes.
    const pid = await delayed(() => process.pid)().compute();
    expect(shared.cluster.workerPids).toContain(pid);
    expect(await delayed(add)(5, 6).compute()).toBe(11);
  });

  it('computes a 20,000-leaf tree reduction exactly', async () => {
    expect(await tree(20_000).compute()).toBe(treeSum(20_000));
  });

  it('computes several collections sharing work, with compute(...)', async () => {
    const a = delayed(inc)(1);
    const b = delayed(add)(a, 10);
    const c = delayed(add)(a, 20);
    expect(await compute(b, c, { x: a })).toEqual([12, 22, { x: 2 }]);
  });

  it('restores the previous scheduler when closed', async () => {
    const before = config.get<string>('scheduler');
    const second = await Client.connect(shared.cluster);
    expect(config.get<string>('scheduler')).toBe(`pdask-client-${second.id}`);
    await second.close();
    expect(config.get<string>('scheduler')).toBe(before);
  });
});

describe('futures', () => {
  it('a Future is a single-key collection: compute() runs on its own client, persist() is the future itself', async () => {
    // Even with another scheduler as the default, a future computes where its key lives.
    const scope = config.set({ scheduler: 'sync' });
    try {
      const x = shared.client.submit(add, 20, 22);
      expect(x).toBeInstanceOf(SingleKeyCollection);
      expect(await x.compute()).toBe(42);
      expect(await x.persist()).toBe(x);
      expect(String(x)).toBe(`Future('${x.key}', finished)`);
      // Persisting a graph that reads it gives a Delayed over the value.
      expect(await delayed(inc)(x).compute({ scheduler: shared.client.executor })).toBe(43);
    } finally {
      scope.restore();
    }
  });

  it('submit, map, gather and futures as arguments', async () => {
    const x = shared.client.submit(inc, 1);
    expect(await x.result()).toBe(2);
    const ys = shared.client.map((v: number) => v * v, [1, 2, 3, 4]);
    expect(await shared.client.gather(ys)).toEqual([1, 4, 9, 16]);
    const total = shared.client.submit((...vs: number[]) => vs.reduce((s, v) => s + v, 0), ...ys);
    expect(await total.result()).toBe(30);
    // A Future inside a delayed graph is resolved on the cluster, not shipped back.
    expect(await delayed(add)(x, 100).compute()).toBe(102);
    expect(x.status).toBe('finished');
  });

  it('submit is pure by default: the same call shares one key', () => {
    const a = shared.client.submit(add, 1, 2);
    const b = shared.client.submit(add, 1, 2);
    const c = shared.client.submitWith({ pure: false }, add, 1, 2);
    expect(a.key).toBe(b.key);
    expect(c.key).not.toBe(a.key);
  });

  it('carries typed arrays, Maps, Sets, undefined and bigints both ways', async () => {
    const arr = new Float64Array([1.5, 2.5, -3]);
    const f = shared.client.submit((a: Float64Array) => ({ doubled: a.map((v) => v * 2), m: new Map([['k', 1]]), s: new Set([1, 2]), u: undefined, b: 2n ** 70n }), arr);
    const r = await f.result();
    expect(r.doubled).toBeInstanceOf(Float64Array);
    expect([...r.doubled]).toEqual([3, 5, -6]);
    expect(r.m).toEqual(new Map([['k', 1]]));
    expect(r.s).toEqual(new Set([1, 2]));
    expect('u' in r).toBe(true);
    expect(r.b).toBe(2n ** 70n);
    expect(await shared.client.submit(() => undefined).result()).toBeUndefined();
  });

  it('scatter puts data on workers; tasks read it in place', async () => {
    const data = [new Int32Array([1, 2, 3]), new Int32Array([10, 20])];
    const fs = await shared.client.scatter(data);
    const sums = shared.client.map((a: Int32Array) => a.reduce((s, v) => s + v, 0), fs);
    expect(await shared.client.gather(sums)).toEqual([6, 30]);
    expect([...(await fs[1].result())]).toEqual([10, 20]);
    const holders = await shared.client.whoHas(fs);
    const addresses = shared.client.workers.map((w) => w.address);
    for (const h of holders.values()) expect(addresses).toContain(h[0]);
  });

  it('re-raises a task error with its class, message and key', async () => {
    const f = shared.client.submit(function failing(x: number) {
      throw new RangeError(`bad value ${x}`);
    }, 7);
    await expect(f.result()).rejects.toThrow(RangeError);
    await expect(f.result()).rejects.toThrow('bad value 7');
    const e = await f.exception();
    expect((e as Error & { taskKey?: string }).taskKey).toBe(f.key);
    expect(f.status).toBe('error');
    // A dependent fails with the same error; the cluster stays usable.
    await expect(shared.client.submit(inc, f).result()).rejects.toThrow('bad value 7');
    expect(await shared.client.submit(inc, 41).result()).toBe(42);
  });

  it('asCompleted yields in completion order; wait splits done and pending', async () => {
    const sleepy = distributedOps.sleep;
    const slow = shared.client.submit(sleepy, 400, 'slow');
    const fast = shared.client.submit(sleepy, 10, 'fast');
    const order: string[] = [];
    for await (const f of asCompleted([slow, fast])) order.push((await f.result()) as string);
    expect(order).toEqual(['fast', 'slow']);
    const later = shared.client.submit(sleepy, 3000, 'later');
    const { done, notDone } = await wait([fast, later], { returnWhen: 'FIRST_COMPLETED' });
    expect([...done]).toEqual([fast]);
    expect([...notDone]).toEqual([later]);
    await later.cancel();
    expect(later.status).toBe('cancelled');
    await expect(later.result()).rejects.toThrow(CancelledError);
  });

  it('retries a failing task', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pdask-retry-'));
    // Fails on its first two runs (counted in a file), then succeeds.
    const flaky = (path: string) => {
      const fs = process.getBuiltinModule('node:fs') as typeof import('node:fs');
      const n = fs.existsSync(path) ? Number(fs.readFileSync(path, 'utf8')) : 0;
      fs.writeFileSync(path, String(n + 1));
      if (n < 2) throw new Error(`attempt ${n}`);
      return n;
    };
    expect(await shared.client.submitWith({ retries: 2 }, flaky, join(dir, 'a')).result()).toBe(2);
    await expect(shared.client.submitWith({ retries: 1 }, flaky, join(dir, 'b')).result()).rejects.toThrow('attempt 1');
  });

  it('honours worker restrictions', async () => {
    const where = distributedOps.whereAmI;
    for (const w of shared.client.workers) {
      const f = shared.client.submitWith({ workers: [w.address], pure: false }, where);
      expect((await f.result()).pid).toBe(w.pid);
    }
  });

  it('client.compute returns a future; shared.client.persist keeps results on the cluster', async () => {
    const t = tree(100);
    const f = shared.client.compute(t);
    expect(await f.result()).toBe(treeSum(100));
    const persisted = shared.client.persist(delayed(add)(t, 1));
    // The persisted value is a reference to cluster data: computing it again runs no task.
    expect(await persisted.compute()).toBe(treeSum(100) + 1);
    expect(await delayed(add)(persisted, 1).compute()).toBe(treeSum(100) + 2);
  });

  it('data persisted in local worker threads is copied to the cluster when a graph there reads it', async () => {
    const range = (n: number) => Float64Array.from({ length: n }, (_, i) => i);
    const [local] = await persist(delayed(range)(1000), { scheduler: 'threads' });
    const node = [...local[collectionSymbol]().roots[0].layer.materialize()][0];
    expect(node.kind === 'data' && node.value instanceof ResidentValue).toBe(true);
    const total = delayed((a: Float64Array) => [a.reduce((s, v) => s + v, 0), process.pid])(local);
    const [sum, pid] = (await total.compute()) as [number, number];
    expect(sum).toBe((999 * 1000) / 2);
    expect(shared.cluster.workerPids).toContain(pid);
  });

  it('persist() through core keeps results on the cluster too; other schedulers fetch them', async () => {
    const stamp = delayed((n: number) => [n, process.pid], { pure: false })(7);
    const p = await stamp.persist();
    const node = [...p[collectionSymbol]().roots[0].layer.materialize()][0];
    expect(node.kind === 'data' && node.value instanceof Future).toBe(true);
    const f = (node as { value: Future<[number, number]> }).value;
    // On the cluster: its worker, and perhaps a copy on the other (a small result that stays wanted).
    const holders = (await shared.client.whoHas([f])).get(f.key) ?? [];
    expect(holders.length).toBeGreaterThanOrEqual(1);
    for (const h of holders) expect(shared.client.workers.map((w) => w.address)).toContain(h);
    const [n, pid] = (await p.compute()) as [number, number];
    expect(n).toBe(7);
    expect(shared.cluster.workerPids).toContain(pid);
    // The sync scheduler runs in this process: the value is fetched from the cluster (a
    // recomputation here would report this process's pid).
    expect(await delayed((x: [number, number]) => x[1])(p).compute({ scheduler: 'sync' })).toBe(pid);
  });

  it('releases keys when futures are released', async () => {
    const f = shared.client.submitWith({ pure: false }, (n: number) => new Float64Array(n), 1000);
    await f.result();
    const key = f.key;
    f.release();
    await expect(f.result()).rejects.toThrow(CancelledError);
    // Once released, the scheduler forgets the key: a graph referring to it is refused.
    const info = await shared.client.whoHas([f]);
    expect(info.get(key)).toEqual([]);
  });
});
