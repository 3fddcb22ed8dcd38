/**
 * Scenarios of Dask's distributed/tests/test_steal.py that apply to pdask (its stealing is simpler:
 * an idle worker gets about half of the unstarted queue of the busiest one, re-placed through the
 * same policy). Each names the Dask test it follows; results are listed in the README.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Worker } from '../src/index';
import { until, useCluster } from './helpers';

const shared = useCluster({ setAsDefault: false });

/** Busy for `ms`, then says where it ran. */
const busyWhere = (i: number, ms: number) => {
  const end = performance.now() + ms;
  while (performance.now() < end);
  return { i, pid: process.pid };
};
/** Waits `ms` without blocking its worker's event loop, then says where it ran. */
const sleepWhere = async (i: number, ms: number) => {
  await new Promise((r) => setTimeout(r, ms));
  return { i, pid: process.pid };
};

describe("Dask's test_steal.py, where it applies", () => {
  it('test_dont_steal_worker_restrictions: tasks restricted to a busy worker are not stolen by an idle one', async () => {
    const [a] = shared.client.workers;
    const fs = Array.from({ length: 30 }, (_, i) => shared.client.submitWith({ workers: [a.address], pure: false }, busyWhere, i, 30));
    const rs = await shared.client.gather(fs);
    expect(rs.map((r) => r.i)).toEqual(Array.from({ length: 30 }, (_, i) => i));
    expect(new Set(rs.map((r) => r.pid))).toEqual(new Set([a.pid]));
    for (const f of fs) f.release();
  });

  it('test_steal_resource_restrictions: tasks needing a resource only one worker has all run there, however idle the others', async () => {
    // In this process, with the resource; the two cluster workers have none and stay idle.
    const res = await Worker.start({ scheduler: shared.cluster.schedulerAddress, token: shared.cluster.token, resources: { A: 1 }, name: 'has-A' });
    try {
      await shared.client.waitForWorkers(3);
      const fs = Array.from({ length: 12 }, (_, i) => shared.client.submitWith({ resources: { A: 1 }, pure: false }, sleepWhere, i, 20));
      const rs = await shared.client.gather(fs);
      expect(rs.map((r) => r.i)).toEqual(Array.from({ length: 12 }, (_, i) => i));
      expect(new Set(rs.map((r) => r.pid))).toEqual(new Set([process.pid]));
      for (const f of fs) f.release();
    } finally {
      await res.close();
    }
    await until(() => shared.client.workers.length === 2, 10_000, 'the resource worker to leave');
  });

  it('test_steal_when_more_tasks / test_new_worker_steals: a worker that joins mid-computation takes part of the work', async () => {
    const [a] = shared.client.workers;
    // All inputs on `a`: locality queues the tasks there; the newcomer only gets what is handed on.
    const data = await shared.client.scatter(new Float64Array(1000).fill(2), { workers: [a.address] });
    const task = async (x: Float64Array, i: number) => {
      await new Promise((r) => setTimeout(r, 50));
      return { i, pid: process.pid, s: x[0] * i };
    };
    const fs = Array.from({ length: 40 }, (_, i) => shared.client.submitWith({ pure: false }, task, data, i));
    await new Promise((r) => setTimeout(r, 100));
    const late = await Worker.start({ scheduler: shared.cluster.schedulerAddress, token: shared.cluster.token, name: 'late' });
    try {
      const rs = await shared.client.gather(fs);
      expect(rs.map((r) => r.s)).toEqual(Array.from({ length: 40 }, (_, i) => 2 * i));
      expect(rs.filter((r) => r.pid === process.pid).length).toBeGreaterThan(0);
      for (const f of [data, ...fs]) f.release();
    } finally {
      await late.close();
    }
    await until(() => shared.client.workers.length === 2, 10_000, 'the late worker to leave');
  });

  it('test_dont_steal_executing_tasks / test_steal_twice: under repeated stealing every task runs exactly once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pdask-steal-'));
    try {
      const log = join(dir, 'ran.txt');
      writeFileSync(log, '');
      const logged = (i: number, ms: number, file: string) => {
        const end = performance.now() + ms;
        while (performance.now() < end);
        (process.getBuiltinModule('node:fs') as typeof import('node:fs')).appendFileSync(file, `${i}\n`);
        return i;
      };
      const fs = Array.from({ length: 60 }, (_, i) => shared.client.submitWith({ pure: false }, logged, i, 15, log));
      expect(await shared.client.gather(fs)).toEqual(Array.from({ length: 60 }, (_, i) => i));
      const ran = readFileSync(log, 'utf8').trim().split('\n').map(Number).sort((x, y) => x - y);
      expect(ran).toEqual(Array.from({ length: 60 }, (_, i) => i));
      for (const f of fs) f.release();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
