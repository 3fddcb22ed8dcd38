/**
 * Issue 19, item 10: results survive the death of the worker that made them when another worker
 * has a copy — one it fetched to read (kept and recorded, Dask's add-keys), or one the scheduler
 * asked the oldest other worker to make of a result that will be held a while (wanted here, and made
 * from inputs that are released once it is made).
 */
import { config } from '@pdask/core';
import { describe, expect, it } from 'vitest';
import type { Future } from '../src/index';
import { until, useNamedNannies } from './helpers';

const c = useNamedNannies(['holder', 'reader']);

const worker = (name: string) => {
  const w = c.client.workers.find((x) => x.name === name);
  if (!w) throw new Error(`no worker named ${name}`);
  return w;
};
const holders = async (f: Future<unknown>): Promise<string[]> => [...((await c.client.whoHas([f])).get(f.key) ?? [])].sort();
/** 0 + 1 + ... + 999, and the process that made it. */
const make = () => {
  let s = 0;
  for (let i = 0; i < 1000; i++) s += i;
  return { s, pid: process.pid };
};
const plusOne = (v: { s: number }) => v.s + 1;

async function killAndWait(name: string): Promise<void> {
  const old = worker(name);
  process.kill(old.pid, 'SIGKILL');
  // Removed from the scheduler (its nanny then starts a new one under the same name).
  await until(() => !c.scheduler.workers.has(old.address), 20_000, `the scheduler to drop ${name}`);
}

describe('copies of results', () => {
  it('a worker that fetched an input keeps it: the input survives its maker', async () => {
    // Only the fetched copy here: no copies made on the scheduler's request.
    const scope = config.set({ 'distributed.scheduler.replicate-bytes': 0 });
    try {
      const x = c.client.submitWith({ workers: ['holder'], pure: false }, make);
      const made = await x.result();
      expect(made.s).toBe(499_500);
      expect(made.pid).toBe(worker('holder').pid);
      const y = c.client.submitWith({ workers: ['reader'], pure: false }, plusOne, x);
      expect(await y.result()).toBe(499_501);
      const reader = worker('reader').address;
      await until(async () => (await holders(x)).length === 2, 10_000, 'the reader to be recorded as a holder of x');
      expect(await holders(x)).toEqual([worker('holder').address, reader].sort());
      await killAndWait('holder');
      // Still in memory, on the reader only: not recomputed (it would be on `holder` again).
      expect(await holders(x)).toEqual([reader]);
      expect(await x.result()).toEqual(made);
      x.release();
      y.release();
      // Released: the reader's copy goes too (the scheduler forgets the key once no worker holds it).
      await until(async () => (await holders(x)).length === 0, 10_000, 'x to be released everywhere');
    } finally {
      scope.restore();
    }
  }, 60_000);

  it('a wanted result made from inputs gets a copy on another worker by itself; one made from nothing does not', async () => {
    await c.client.waitForWorkers(2);
    const made = c.client.submitWith({ workers: ['holder'], pure: false }, make);
    const x = c.client.submitWith({ workers: ['holder'], pure: false }, plusOne, made);
    expect(await x.result()).toBe(499_501);
    const first = await made.result();
    made.release();
    const reader = worker('reader').address;
    await until(async () => (await holders(x)).length === 2, 10_000, 'a copy of x on the other worker');
    // A result with no inputs is one task to redo if lost: it stays on its maker only.
    const lone = c.client.submitWith({ workers: ['holder'], pure: false }, make);
    expect((await lone.result()).s).toBe(499_500);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(await holders(lone)).toEqual([worker('holder').address]);
    lone.release();
    await killAndWait('holder');
    // x was not recomputed: that would have run `make` again on the new `holder`.
    expect(await holders(x)).toEqual([reader]);
    expect(await x.result()).toBe(first.s + 1);
    x.release();
  }, 60_000);
});
