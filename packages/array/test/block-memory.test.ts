/**
 * Random blocks generated into a kernel memory of their own (runtime/block-memory.ts): persisted on
 * worker threads and reduced there in place, gathered to the caller, moved between workers, and
 * let go. References come from the generator's definition (xoshiro128+ transcribed from the
 * reference C code, the per-block seeding hash, 53 bits from two draws), not from the package.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, describe, expect, it } from 'vitest';
import { closeThreadPools } from '@pdask/core';
import * as da from '../src/index';
import type { NDArray } from '../src/ndarray';
import { blockMemoryCounts } from '../src/runtime/block-memory';
import { uniform53, xoshiroNext } from '../../../test/helpers/xoshiro';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

afterAll(() => closeThreadPools());
const sync = { scheduler: 'sync' } as const;
const threads = { scheduler: 'threads', numWorkers: 2 } as const;

const mix32 = (x: number): number => {
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) | 0;
};

/** The n uniform doubles of block `id` of an array seeded with `seed` (seed and id below 2^32). */
function referenceBlock(seed: number, id: number, n: number): Float64Array {
  const base = mix32(0 ^ 0x632be5ab) ^ mix32(0 + 0x165667b1);
  const gens: number[][] = [];
  for (let j = 0; j < 8; j++) {
    const s = [0, 1, 2, 3].map(
      (w) => mix32(mix32(seed + Math.imul(w + 1, 0x9e3779b9)) ^ base ^ mix32(id + Math.imul(0x7f4a7c15, w + 3)) ^ mix32(Math.imul(j + 1, 0x2545f491) + Math.imul(w + 1, 0x3c6ef372))) >>> 0,
    );
    if (!s.some((v) => v !== 0)) s[0] = 1;
    gens.push(s);
  }
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const s = gens[i % 8];
    const a = xoshiroNext(s);
    out[i] = uniform53(a, xoshiroNext(s));
  }
  return out;
}

// 4 blocks of 500 x 300 (1.2 MB each: over the 1 MiB from which blocks get a memory of their own).
const SEED = 20261207;
const blocks = [0, 1, 2, 3].map((id) => referenceBlock(SEED, id, 500 * 300));
/** Element (i, j) of the 1000 x 600 array: block (i / 500, j / 300), C order inside it. */
const at = (i: number, j: number): number => blocks[2 * Math.floor(i / 500) + Math.floor(j / 300)][(i % 500) * 300 + (j % 300)];
const make = () => da.random.random([1000, 600], { chunks: [500, 300], seed: SEED });

describe('random blocks in a kernel memory of their own', () => {
  it('the persisted mean of squares on threads equals the mean over the generator\'s values', async () => {
    const x = await make().persist(threads);
    let s = 0;
    for (const b of blocks) for (let i = 0; i < b.length; i++) s += (b[i] - 0.5) * (b[i] - 0.5);
    const d = x.sub(0.5);
    const got = (await d.mul(d).mean().compute(threads)) as number;
    expect(Math.abs(got - s / 600_000)).toBeLessThan(1e-12);
    expect(Math.abs((got - 1 / 12) / (1 / 12))).toBeLessThan(0.01);
    // Two equal deviation nodes built separately, summed: the same one-pass kernel.
    expect(Math.abs(((await x.sub(0.5).mul(x.sub(0.5)).sum().compute(threads)) as number) - s)).toBeLessThan(1e-8);
    // The plain sum reads the blocks in place too.
    let t = 0;
    for (const b of blocks) for (let i = 0; i < b.length; i++) t += b[i];
    expect(Math.abs(((await x.sum().compute(threads)) as number) - t)).toBeLessThan(1e-8);
  });

  it('persisted blocks gathered to the caller, and moved between workers, hold the generated values', async () => {
    const x = await make().persist(threads);
    const all = (await x.compute(threads)) as NDArray;
    expect(all.shape).toEqual([1000, 600]);
    for (const [i, j] of [[0, 0], [499, 299], [500, 300], [999, 599], [123, 456], [777, 11]]) expect(all.get(i, j)).toBe(at(i, j));
    const v = all.data as Float64Array;
    let bad = 0;
    for (let i = 0; i < 1000; i++) for (let j = 0; j < 600; j++) if (v[i * 600 + j] !== at(i, j)) bad++;
    expect(bad).toBe(0);
    expect(v.buffer instanceof SharedArrayBuffer).toBe(false);
    // One block built from all four (they sit on both workers): some cross between threads.
    const whole = (await x.rechunk([1000, 600]).T.compute(threads)) as NDArray;
    expect(whole.get(599, 999)).toBe(at(999, 599));
    expect(whole.get(300, 500)).toBe(at(500, 300));
    // A computed (not persisted) random array gathered straight from the workers.
    const fresh = (await make().compute(threads)) as NDArray;
    expect(fresh.get(777, 11)).toBe(at(777, 11));
    expect(fresh.get(999, 599)).toBe(at(999, 599));
  });

  it('a persisted array in the caller keeps its blocks there, and its memories go once it is let go', async () => {
    const before = blockMemoryCounts();
    let x: da.ChunkedArray | undefined = await make().persist(sync);
    const after = blockMemoryCounts();
    expect(after.made - before.made).toBe(4);
    expect(after.live - before.live).toBe(4);
    const d = x.sub(0.5);
    let s = 0;
    for (const b of blocks) for (let i = 0; i < b.length; i++) s += (b[i] - 0.5) * (b[i] - 0.5);
    expect(Math.abs(((await d.mul(d).mean().compute(sync)) as number) - s / 600_000)).toBeLessThan(1e-12);
    expect(((await x.compute(sync)) as NDArray).get(500, 300)).toBe(at(500, 300));
    // Reading them made no new memories; dropping the array lets all four go.
    expect(blockMemoryCounts().made).toBe(after.made);
    x = undefined;
    let live = blockMemoryCounts().live;
    for (let i = 0; i < 100 && live > before.live; i++) {
      gc();
      await new Promise((r) => setTimeout(r, 20));
      live = blockMemoryCounts().live;
    }
    expect(live).toBe(before.live);
  });
});
