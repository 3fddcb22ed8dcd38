/**
 * Initial centers for KMeans. k-means++ (Arthur & Vassilvitskii) draws each center with
 * probability proportional to its squared distance to the centers so far; here each draw is one
 * pass over the blocks: every block draws a candidate from its own rows and reports its total
 * weight, and the tree merge keeps one candidate with probability weight / total, which is an
 * exact draw from the whole array. All uniforms come from the caller's seeded stream.
 */
import type { ChunkedArray } from '@pdask/array';
import type { ComputeOptions } from '@pdask/core';
import { runBlockReduce } from '../graph/block-reduce';
import { mlOps } from '../ops/index';
import { Stream } from '../random';
import type { SampleDraw } from '../runtime/kmeans';
import { toFloat64 } from '../eager';
import { scheduleFor } from '../graph/schedule';

/** `run` numbers the initialisations of one fit (nInit): each has its own stream. */
export async function kmeansPlusPlus(x: ChunkedArray<unknown>, k: number, seed: number, run: number, opts: ComputeOptions): Promise<Float64Array> {
  const d = x.shape[1];
  const centers = new Float64Array(k * d);
  const rng = new Stream(seed, 0x6b6d2b2b + run);
  // The first center is a uniform row: no weights needed, so it reads one block, not all.
  const first = await x.slice([rng.below(x.shape[0])], ':').compute(scheduleFor([x], opts));
  centers.set(toFloat64(first), 0);
  for (let j = 1; j < k; j++) {
    const chosen = centers.slice(0, j * d);
    const blockU = Array.from({ length: x.numblocks[0] }, () => rng.next());
    const combineU = Array.from({ length: x.numblocks[0] }, () => rng.next());
    const draw = await runBlockReduce<SampleDraw>(
      { label: 'kmeans-init', x, partial: mlOps.sampleBlock, partialArgs: (i) => [chosen, j, blockU[i]], combine: mlOps.combineDraws, combineArgs: (c) => [combineU[c]] },
      opts,
    );
    if (!draw.row) throw new RangeError('KMeans.fit: X has no rows to draw initial centers from');
    centers.set(draw.row, j * d);
  }
  return centers;
}

/** k distinct rows chosen uniformly (scikit-learn's init='random'). */
export async function randomRows(x: ChunkedArray<unknown>, k: number, seed: number, run: number, opts: ComputeOptions): Promise<Float64Array> {
  const n = x.shape[0];
  const rng = new Stream(seed, 0x72616e64 + run);
  const picked = new Set<number>();
  while (picked.size < k) picked.add(rng.below(n));
  const rows = [...picked];
  const r = await x.slice(rows, ':').compute(scheduleFor([x], opts));
  return toFloat64(r);
}
