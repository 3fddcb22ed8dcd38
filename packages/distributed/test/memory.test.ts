import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, LocalCluster } from '../src/index';
import { requireBuild, until } from './helpers';

let cluster: LocalCluster;
let client: Client;
const MB = 2 ** 20;

beforeAll(async () => {
  requireBuild();
  // One worker, 1 GiB: results past 614 MiB (the 0.6 target) are spilled to disk.
  cluster = await LocalCluster.start({ nWorkers: 1, memoryLimit: 1024 * MB, env: { PDASK_DISTRIBUTED__WORKER__HEARTBEAT_MS: '100' } });
  client = await Client.connect(cluster, { setAsDefault: false });
});

afterAll(async () => {
  await client?.close();
  await cluster?.close();
});

describe('memory pressure', () => {
  it('spills results past the target fraction and reads them back exactly', async () => {
    // 40 blocks of 20 MiB = 800 MiB held as futures: more than the 614 MiB target.
    const blocks = client.map((i: number) => new Float64Array((20 * 2 ** 20) / 8).fill(i + 0.5), Array.from({ length: 40 }, (_, i) => i));
    const lengths = client.map((b: Float64Array) => b.length, blocks);
    expect(await client.gather(lengths)).toEqual(Array(40).fill((20 * MB) / 8));
    for (const f of lengths) f.release();
    await until(
      async () => {
        const w = (await client.schedulerInfo()).workers[0];
        // Spilled some, and (once the released lengths are gone) holds exactly the 40 blocks.
        return w.metrics.spilledKeys > 0 && w.metrics.managedBytes + w.metrics.spilledBytes === 800 * MB;
      },
      20_000,
      'spilled results',
    );
    const w = (await client.schedulerInfo()).workers[0];
    expect(w.metrics.managedBytes).toBeLessThanOrEqual(0.6 * 1024 * MB);
    expect(w.metrics.managedBytes + w.metrics.spilledBytes).toBe(800 * MB);
    // Every block, spilled or not, still has its exact contents: sum = n * (i + 0.5).
    const sums = await client.gather(client.map((b: Float64Array) => b.reduce((s, v) => s + v, 0), blocks));
    expect(sums).toEqual(Array.from({ length: 40 }, (_, i) => ((20 * MB) / 8) * (i + 0.5)));
    const first = await blocks[0].result();
    expect(first.length).toBe((20 * MB) / 8);
    expect(first[12345]).toBe(0.5);
  });
});
