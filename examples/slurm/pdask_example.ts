/**
 * The seed tutorial's client program, for pdask:
 *
 *   client = Client(scheduler_file='scheduler.json')
 *   x = da.random.random((10000, 10000), chunks=(1000, 1000))
 *   result = x.mean().compute()
 *   print("Mean of the array:", result)
 *
 * It runs exactly that with @pdask/array, then a reproducible twin written with delayed: 100
 * blocks of 1000 x 1000 numbers from seeded generators (so the answer can be checked exactly), a
 * sum per block where the block lives, and a tree of additions that also reports which SLURM
 * nodes computed the blocks.
 *
 * Usage: npx tsx pdask_example.ts [scheduler.json] [expected workers] [--shutdown]
 */
import * as da from '@pdask/array';
import { delayed, type Delayed } from '@pdask/core';
import { Client } from '@pdask/distributed';
import { pathToFileURL } from 'node:url';

/** A 1000 x 1000 block of uniform [0, 1) numbers from a seeded generator (mulberry32). */
export function randomBlock(seed: number, size: number): Float64Array {
  const out = new Float64Array(size);
  let a = seed >>> 0;
  for (let i = 0; i < size; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  return out;
}

export function blockSum(block: Float64Array): { sum: number; node: string } {
  let s = 0;
  for (let i = 0; i < block.length; i++) s += block[i];
  return { sum: s, node: process.env.SLURMD_NODENAME ?? 'local' };
}

export function combine(a: { sum: number; nodes: string[] } | { sum: number; node: string }, b: { sum: number; nodes: string[] } | { sum: number; node: string }): { sum: number; nodes: string[] } {
  const nodes = new Set<string>();
  for (const x of [a, b]) {
    if ('node' in x) nodes.add(x.node);
    else for (const n of x.nodes) nodes.add(n);
  }
  return { sum: a.sum + b.sum, nodes: [...nodes].sort() };
}

export const SHAPE = [10000, 10000] as const;
export const CHUNK = 1000;

/** x.mean() over the blocks, with the nodes that computed the blocks. */
export function randomMean(seed0 = 42): Delayed<{ sum: number; nodes: string[] }> {
  const blocks = (SHAPE[0] / CHUNK) * (SHAPE[1] / CHUNK);
  let level: Delayed<{ sum: number; node: string } | { sum: number; nodes: string[] }>[] = [];
  for (let b = 0; b < blocks; b++) level.push(delayed(blockSum)(delayed(randomBlock)(seed0 + b, CHUNK * CHUNK)));
  while (level.length > 1) {
    const next: typeof level = [];
    for (let i = 0; i < level.length; i += 2) next.push(i + 1 < level.length ? delayed(combine)(level[i], level[i + 1]) : level[i]);
    level = next;
  }
  return level[0] as Delayed<{ sum: number; nodes: string[] }>;
}

export async function main(schedulerFile = 'scheduler.json', workers = 4, shutdown = false): Promise<{ mean: number; nodes: string[] }> {
  // Connect to the pdask scheduler (waits for the file while the job starts up)
  const client = await Client.connect({ schedulerFile, timeoutMs: 60_000 });
  try {
    await client.waitForWorkers(workers);
    // Example: Creating a random pdask array and performing a computation
    const x = da.random.random([SHAPE[0], SHAPE[1]], { chunks: [CHUNK, CHUNK] });
    const result = await x.mean().compute();
    console.log('Mean of the array:', result);

    const r = await randomMean().compute();
    const mean = r.sum / (SHAPE[0] * SHAPE[1]);
    console.log('Seeded mean:', mean);
    console.log('Blocks computed on nodes:', r.nodes.join(', '));
    return { mean, nodes: r.nodes };
  } finally {
    if (shutdown) await client.shutdown();
    else await client.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  await main(args[0] ?? 'scheduler.json', Number(args[1] ?? 4), process.argv.includes('--shutdown'));
}
