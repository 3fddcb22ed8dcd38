/**
 * Issue 19, item 10: a worker SIGKILLed every 2 s while a graph of thousands of 2 ms tasks runs on
 * 2 nannies x 2 workers. The exact result must arrive while the kills go on.
 *
 * Before workers kept the inputs they fetched (replicas) and long-lived results got a second copy
 * on the oldest other worker, no run finished: each kill lost results only the dead worker held,
 * and recomputing them recomputed their released inputs too (progress never got past layer 1).
 */
import { config, delayed, type Delayed } from '@pdask/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, Nanny, Scheduler } from '../src/index';
import { requireBuild, until } from './helpers';

const WIDTH = 500;
const LAYERS = 10;
/** How long the result may take while a worker dies every 2 s (the work itself is ~10 s of CPU). */
const BOUND_MS = Number(process.env.PDASK_CHURN_BOUND_MS ?? 45_000);

let scheduler: Scheduler;
const nannies: Nanny[] = [];
let client: Client;
let scope: { restore(): void } | undefined;

beforeAll(async () => {
  requireBuild();
  // Blame is not what this test is about: a task that happened to run on several killed workers
  // must not end the computation with KilledWorkerError.
  scope = config.set({ 'scheduler.allowed-failures': 1000 });
  scheduler = await Scheduler.start({ port: 0 });
  for (let i = 0; i < 2; i++) {
    nannies.push(await Nanny.start({ scheduler: scheduler.address, token: scheduler.token, nworkers: 2, env: { PDASK_WORKER_QUIET: '1' }, deathTimeoutMs: 5000 }));
  }
  client = await Client.connect(scheduler.address, { token: scheduler.token, setAsDefault: false });
  await client.waitForWorkers(4);
}, 30_000);

afterAll(async () => {
  await client?.close();
  for (const n of nannies) await n.close();
  await scheduler?.close();
  scope?.restore();
});

/**
 * LAYERS layers of WIDTH tasks, each busy 2 ms: layer 0 is i, a task of layer k adds its two
 * neighbours of layer k-1 (i and i+1, wrapping); the output is the sum of the last layer.
 */
function graph(): Delayed<number> {
  const leaf = (i: number) => {
    const end = performance.now() + 2;
    while (performance.now() < end);
    return i;
  };
  const add = (a: number, b: number) => {
    const end = performance.now() + 2;
    while (performance.now() < end);
    return a + b;
  };
  const total = (...xs: number[]) => xs.reduce((s, x) => s + x, 0);
  let layer: Delayed<number>[] = Array.from({ length: WIDTH }, (_, i) => delayed(leaf, { pure: false })(i));
  for (let k = 1; k < LAYERS; k++) {
    const prev = layer;
    layer = prev.map((_, i) => delayed(add, { pure: false })(prev[i], prev[(i + 1) % WIDTH]));
  }
  return delayed(total)(...layer);
}

/** The same arithmetic in this process. */
function expected(): number {
  let layer = Array.from({ length: WIDTH }, (_, i) => i);
  for (let k = 1; k < LAYERS; k++) layer = layer.map((_, i) => layer[i] + layer[(i + 1) % WIDTH]);
  return layer.reduce((s, x) => s + x, 0);
}

describe('a worker killed every 2 s', () => {
  it(`a ${WIDTH * LAYERS + 1}-task graph of 2 ms tasks still completes, exactly`, async () => {
    const f = client.compute(graph());
    let kills = 0;
    let stop = false;
    const killer = (async () => {
      while (!stop) {
        await new Promise((r) => setTimeout(r, 2000));
        if (stop) break;
        const ws = client.workers;
        if (ws.length === 0) continue;
        const victim = ws[Math.floor(Math.random() * ws.length)];
        try {
          process.kill(victim.pid, 'SIGKILL');
          kills++;
        } catch {
          // already gone
        }
      }
    })();
    const t0 = Date.now();
    // PDASK_CHURN_TRACE=1: the scheduler's task counts and the live workers, every second.
    const mon = setInterval(() => {
      if (process.env.PDASK_CHURN_TRACE) console.log(Date.now() - t0, JSON.stringify(scheduler.info().tasks), client.workers.length);
    }, 1000);
    try {
      const r = await Promise.race([
        f.result(),
        new Promise<never>((_, rej) => setTimeout(() => rej(new Error(`no result within ${BOUND_MS} ms (${kills} kills)`)), BOUND_MS)),
      ]);
      expect(r).toBe(expected());
    } finally {
      stop = true;
      clearInterval(mon);
      await killer;
      console.log(`kill-churn: result after ${Date.now() - t0} ms, ${kills} workers killed`);
      f.release();
    }
    // The nannies bring the cluster back to 4 workers.
    await until(() => client.workers.length === 4, 20_000, 'four workers again');
  }, 90_000);
});
