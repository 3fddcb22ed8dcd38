/**
 * The peer-to-peer shuffle's faults and limits on a 2-process LocalCluster: a worker process
 * SIGKILLed mid-shuffle (the shuffle restarts in a new run, the result is exact), and a memory
 * budget small enough to spill pieces to the workers' local directories (files written, read back
 * exactly, removed). Input and references: packages/dataframe/test/shuffle-fixtures.ts.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectionSymbol, config, materialize } from '@pdask/core';
import { describe, expect, it } from 'vitest';
import * as dd from '../../dataframe/src/index';
import { NPARTS, base, reference } from '../../dataframe/test/shuffle-fixtures';
import { Client, LocalCluster } from '../src/index';
import { requireBuild, until } from './helpers';

/** Busies its worker `ms` per partition, so that the shuffle is surely under way when a test interferes. */
function slowly(part: dd.LocalFrame, ms: number): dd.LocalFrame {
  const end = performance.now() + ms;
  while (performance.now() < end);
  return part;
}

/** Directories of shuffle spills under `dir`, at any depth. */
function shuffleDirs(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (!e.isDirectory()) continue;
    if (e.name.startsWith('pdask-shuffle-')) out.push(e.name);
    else out.push(...shuffleDirs(join(dir, e.name)));
  }
  return out;
}

async function withCluster<T>(opts: Parameters<typeof LocalCluster.start>[0], fn: (cluster: LocalCluster, client: Client) => Promise<T>): Promise<T> {
  requireBuild();
  const cluster = await LocalCluster.start({ nWorkers: 2, ...opts });
  const client = await Client.connect(cluster, { setAsDefault: false });
  try {
    await client.waitForWorkers(2);
    return await fn(cluster, client);
  } finally {
    await client.close();
    await cluster.close();
  }
}

describe('a worker process killed mid-shuffle', () => {
  it('restarts the shuffle in a new run; groupby(splitOut) sums are exact', async () => {
    await withCluster({}, async (cluster, client) => {
      const df = base();
      const slow = df.mapPartitions(slowly, 150, { meta: df.dtypes });
      // The method is chosen when the graph is built.
      const scope = config.set({ 'dataframe.shuffle.method': 'p2p' });
      let total: dd.Series;
      try {
        total = slow.groupby('k', { splitOut: 5 }).col('v').sum();
      } finally {
        scope.restore();
      }
      const keys = [...materialize(total[collectionSymbol]().roots).keys()];
      const transfers = keys.filter((key) => /-transfer-\d+$/.test(key));
      const barrier = keys.find((key) => /-barrier$/.test(key))!;
      expect(transfers.length).toBe(NPARTS);
      const inMemory = (key: string): boolean => cluster.scheduler.story(key).at(-1)?.to === 'memory';
      const running = total.compute({ scheduler: client.executor });
      // Some pieces have moved, not all: kill a worker process.
      await until(() => transfers.filter(inMemory).length >= 3, 30_000, 'three transfers done');
      expect(inMemory(barrier)).toBe(false);
      const victim = cluster.workerPids[0];
      process.kill(victim, 'SIGKILL');
      const sums = await running;
      expect(sums.length).toBe(reference.size);
      for (const [key, [, t]] of reference) expect(sums.get(key)).toBe(t);
      // The restart happened: transfers done before the kill were invalidated and ran again.
      const invalidated = transfers.filter((key) => cluster.scheduler.story(key).some((e) => e.cause === 'invalidate'));
      expect(invalidated.length).toBeGreaterThanOrEqual(3);
    });
  }, 60_000);
});

describe('a memory budget that forces spilling', () => {
  it("pieces beyond 'shuffle.memory-budget' go to the worker's local directory, are read back exactly and removed", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pdask-shuffle-p2p-test-'));
    try {
      // Each worker process reads the budget from its own config (PDASK_* environment).
      await withCluster({ localDirectory: dir, env: { PDASK_SHUFFLE__MEMORY_BUDGET: '64KiB' } }, async (cluster, client) => {
        const s = base().shuffle('k', { method: 'p2p', npartitions: 6 });
        const sums = await s.groupby('k').col('v').sum().compute({ scheduler: client.executor });
        expect(sums.length).toBe(reference.size);
        for (const [key, [, total]] of reference) expect(sums.get(key)).toBe(total);
        const spilled = (): number => [...cluster.scheduler.workers.values()].reduce((a, w) => a + (w.metrics.shuffleSpilledFiles ?? 0), 0);
        // Reported with the workers' heartbeats.
        await until(() => spilled() > 0, 10_000, 'spill files reported');
        // The run ends once its barrier is released: its directories go.
        await until(() => shuffleDirs(dir).length === 0, 10_000, 'spill directories removed');
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
