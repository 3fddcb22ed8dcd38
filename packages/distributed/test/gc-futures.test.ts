/**
 * A Future stays alive while anything waits on it. `client.gather(client.map(f, xs))` keeps no
 * reference to the futures but the wait itself; a garbage collection during that wait used to
 * release their keys and the gather never settled. The program runs in its own process with
 * `--expose-gc`, collecting garbage every 5 ms while it waits on a 2-worker LocalCluster.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exited, PKG, Procs, requireBuild } from './helpers';

const procs = new Procs();
afterAll(() => procs.killAll());

describe('futures under garbage collection', () => {
  it('gather, result, exception, wait, compute and persist finish with exact values while gc() runs', async () => {
    requireBuild();
    const p = procs.start(process.execPath, ['--expose-gc', join(PKG, 'test', 'fixtures', 'gc-waiting.mjs')], { cwd: PKG });
    // A hang is the failure: the program takes a few seconds.
    const code = await exited(p, 30_000).catch((e: Error) => {
      throw new Error(`${e.message}; output so far:\n${p.output()}`);
    });
    expect(code, p.output()).toBe(0);
    const out = JSON.parse(p.output().trim().split('\n').pop()!) as Record<string, unknown>;
    const squares = Array.from({ length: 60 }, (_, i) => i * i);
    expect(out).toEqual({
      gather: squares,
      result: 144,
      compute: 169,
      exception: 'RangeError: bad 5',
      wait: 2,
      inputs: 15 * 15 + 16 * 16,
      persist: 'finished',
      releasedThenCollected: 21 * 21,
    });
  }, 60_000);
});
