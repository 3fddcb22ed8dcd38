/**
 * Which task a worker's death is blamed on (issue 19, item 8): only a task whose code was running
 * when the process died — including a timer or promise callback a task left behind, which is
 * blamed on the task that started it, never on whichever task happens to run next or ran last.
 * One worker process, allowed-failures 0: the blamed task fails with KilledWorkerError at once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, Nanny, Scheduler } from '../src/index';
import { requireBuild, until } from './helpers';

let scheduler: Scheduler;
let nanny: Nanny;
let client: Client;

beforeAll(async () => {
  requireBuild();
  scheduler = await Scheduler.start({ allowedFailures: 0 });
  nanny = await Nanny.start({ scheduler: scheduler.address, token: scheduler.token, nworkers: 1, env: { PDASK_WORKER_QUIET: '1' } });
  await until(() => scheduler.workers.size === 1, 20_000, 'the worker');
  client = await Client.connect(scheduler.address, { token: scheduler.token, setAsDefault: false });
});

afterAll(async () => {
  await client?.close();
  await nanny?.close('test over');
  await scheduler?.close();
});

async function replaced(pid: number): Promise<void> {
  await until(() => nanny.pids.length === 1 && nanny.pids[0] !== pid && scheduler.workers.size === 1, 20_000, 'a replacement worker');
}

describe('blame for a worker death', () => {
  it('a process.exit() from a timer left by a task that returned blames that task, not the one that ran after it', async () => {
    const pid = nanny.pids[0];
    const leavesExit = (ms: number): number => {
      setTimeout(() => process.exit(5), ms);
      return 1;
    };
    const a = client.submitWith({ pure: false }, leavesExit, 600);
    expect(await a.result()).toBe(1);
    // Runs (and returns) on the same worker before the timer fires: the last task run.
    const c = client.submitWith({ pure: false }, (x: number) => x + 1, 1);
    expect(await c.result()).toBe(2);
    await replaced(pid);
    // The culprit failed: readers of it get its KilledWorkerError; the innocent one was recomputed.
    const readA = await client.submit((x: number) => x, a).exception();
    expect(readA?.name).toBe('KilledWorkerError');
    expect(readA?.message).toContain(`'${a.key}'`);
    expect(await client.submit((x: number) => x * 10, c).result()).toBe(20);
  }, 40_000);

  it('an error thrown by a timer left by a task blames that task, not the task running when it fires', async () => {
    const pid = nanny.pids[0];
    const leavesThrow = (ms: number): number => {
      setTimeout(() => {
        throw new Error('thrown late, from a timer');
      }, ms);
      return 3;
    };
    const a = client.submitWith({ pure: false }, leavesThrow, 300);
    expect(await a.result()).toBe(3);
    // Asynchronous and long: running (awaiting) on the worker when the timer throws.
    const b = client.submitWith({ pure: false }, (v: number) => new Promise<number>((r) => setTimeout(() => r(v), 1500)), 7);
    // b is run again on the replacement worker and gives its value.
    expect(await b.result()).toBe(7);
    await replaced(pid);
    const readA = await client.submit((x: number) => x, a).exception();
    expect(readA?.name).toBe('KilledWorkerError');
    expect(readA?.message).toContain(`'${a.key}'`);
  }, 40_000);
});
