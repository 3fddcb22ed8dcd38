/**
 * Issue 19, item 6: a task restricted to one worker (`workers=`) whose input of 1 MiB or more is
 * held on another worker must be placed on its worker, which fetches the input (restrictions win
 * over locality). Before the fix, placement waited for the holder, which may never run the task.
 */
import { describe, expect, it } from 'vitest';
import { until, useNamedNannies } from './helpers';

const c = useNamedNannies(['holder', 'reader']);

/** Bytes i % 251 (a prime, so the pattern does not line up with any power-of-two size). */
const make = (n: number) => {
  const a = new Uint8Array(n);
  for (let i = 0; i < n; i++) a[i] = i % 251;
  return a;
};
/** Sum of the bytes and the process that computed it. */
const readSum = (a: Uint8Array) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return { sum: s, pid: process.pid, n: a.length };
};
/** The same sum from first principles: full runs of 0..250, then a partial one. */
const expectedSum = (n: number): number => {
  const full = Math.floor(n / 251);
  const rest = n % 251;
  return full * ((250 * 251) / 2) + ((rest - 1) * rest) / 2;
};

const pidOf = (name: string): number => {
  const w = c.client.workers.find((x) => x.name === name);
  if (!w) throw new Error(`no worker named ${name}`);
  return w.pid;
};

describe('a restricted task whose large input is on another worker', () => {
  it('2 MiB input on `holder`, reader restricted to `reader`: placed there, the input is fetched', async () => {
    const n = 2 * 2 ** 20;
    const x = c.client.submitWith({ workers: ['holder'], pure: false }, make, n);
    await x.result().then(() => undefined);
    expect((await c.client.whoHas([x])).get(x.key)?.length).toBe(1);
    const y = c.client.submitWith({ workers: ['reader'], pure: false }, readSum, x);
    const r = await Promise.race([y.result(), new Promise<never>((_, rej) => setTimeout(() => rej(new Error('the restricted reader was never placed within 20 s')), 20_000))]);
    expect(r).toEqual({ sum: expectedSum(n), pid: pidOf('reader'), n });
    x.release();
    y.release();
  }, 30_000);

  it('the holder is killed: the input is recomputed on `holder` and still fetched by `reader`', async () => {
    const n = 2 * 2 ** 20 + 17;
    const x = c.client.submitWith({ workers: ['holder'], pure: false }, make, n);
    await x.result().then(() => undefined);
    const old = pidOf('holder');
    process.kill(old, 'SIGKILL');
    await until(() => c.client.workers.some((w) => w.name === 'holder' && w.pid !== old), 20_000, 'the nanny to restart `holder`');
    const y = c.client.submitWith({ workers: ['reader'], pure: false }, readSum, x);
    const r = await Promise.race([y.result(), new Promise<never>((_, rej) => setTimeout(() => rej(new Error('the restricted reader was never placed within 20 s')), 20_000))]);
    expect(r).toEqual({ sum: expectedSum(n), pid: pidOf('reader'), n });
    x.release();
    y.release();
  }, 45_000);
});
