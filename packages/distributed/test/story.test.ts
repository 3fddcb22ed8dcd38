import { config, delayed, SchedulerState, story, type StoryEntry } from '@pdask/core';
import { describe, expect, it, vi } from 'vitest';
import { Client, LocalCluster } from '../src/index';
import { requireBuild, tree, treeSum, until, useCluster } from './helpers';

const shared = useCluster();
const inc = (x: number) => x + 1;
const add = (a: number, b: number) => a + b;

describe('story(key) on a cluster', () => {
  it("the scheduler tells each status change of a future's key, with the worker that ran it", async () => {
    const x = shared.client.submit(inc, 41);
    expect(await x.result()).toBe(42);
    const workers = shared.client.workers.map((w) => w.id);
    const entries = shared.cluster.scheduler.story(x.key);
    expect(entries.map((e) => [e.from, e.to, e.cause])).toEqual([
      ['released', 'waiting', 'update-graph'],
      ['waiting', 'ready', 'update-graph'],
      ['ready', 'processing', 'update-graph'],
      ['processing', 'memory', 'task-finished'],
    ]);
    expect(workers).toContain(entries[2].worker);
    expect(entries[3].worker).toBe(entries[2].worker);
    // The client asks over the protocol and gets the same entries.
    expect(await shared.client.story(x)).toEqual(entries);
    expect(await shared.client.story(x.key)).toEqual(entries);
    // Released by the client: the scheduler lets it go, then forgets it.
    x.release();
    await until(async () => (await shared.client.story(x.key)).some((e) => e.to === 'forgotten'), 5000, 'the key to be forgotten');
    const after = await shared.client.story(x.key);
    expect(after.slice(4).map((e) => `${e.from}->${e.to} ${e.cause}`)).toEqual(['memory->released release', 'released->forgotten forget']);
  });

  it("core's story(key) asks the scheduler when the client is the default scheduler", async () => {
    const z = delayed(add)(delayed(inc)(1), delayed(inc)(2));
    expect(await z.compute()).toBe(5);
    const entries: StoryEntry[] = await story(z.key);
    expect(entries.map((e) => e.to).slice(0, 4)).toEqual(['waiting', 'ready', 'processing', 'memory']);
    expect(entries).toEqual(shared.cluster.scheduler.story(z.key).slice(0, entries.length));
  });

  it('an unknown key has an empty story; a malformed request gets an error answer', async () => {
    expect(await shared.client.story('never-submitted')).toEqual([]);
    const rpc = (shared.client as unknown as { rpc: { request(m: Record<string, unknown>): Promise<unknown> } }).rpc;
    await expect(rpc.request({ op: 'story', key: 42 })).rejects.toThrow(/'key' must be a string/);
  });
});

describe('checking mode on the scheduler', () => {
  it('validates the state after every event under validate-state, and computes the same', async () => {
    requireBuild();
    const scope = config.set({ 'validate-state': true });
    const spy = vi.spyOn(SchedulerState.prototype, 'validate');
    const cluster = await LocalCluster.start({ nWorkers: 2 });
    try {
      const client = await Client.connect(cluster);
      try {
        expect(await client.compute(tree(500)).result()).toBe(treeSum(500));
        expect(spy.mock.calls.length).toBeGreaterThan(10);
      } finally {
        await client.close();
      }
    } finally {
      await cluster.close();
      spy.mockRestore();
      scope.restore();
    }
  });
});
