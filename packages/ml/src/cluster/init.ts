/**
 * Initial centers for KMeans: k-means|| (below), k-means++ and random rows. k-means++ (Arthur &
 * Vassilvitskii) draws each center with probability proportional to its squared distance to the
 * centers so far; here each draw is one pass over the blocks: every block draws a candidate from
 * its own rows and reports its total weight, and the tree merge keeps one candidate with
 * probability weight / total, which is an exact draw from the whole array. Every row's distance
 * to its nearest chosen center is kept between draws (runtime/kmeans-init.ts), so a draw computes
 * one distance per row, to the newest center. All uniforms come from the caller's seeded stream.
 */
import type { ChunkedArray } from '@pdask/array';
import { config, tokenizeSymbol, type ComputeOptions, type Tokenizable } from '@pdask/core';
import { runBlockReduce } from '../graph/block-reduce';
import { kmeansInitOps, mlOps } from '../ops/index';
import type { ClosestState } from '../runtime/kmeans-init';
import { Stream } from '../random';
import type { LloydPartial, Oversample, SampleDraw } from '../runtime/kmeans';
import { assign, weightedLloyd, weightedPlusPlus } from './local';
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
  const state = sharesMemory(scheduleFor([x], opts)) ? new SharedClosest(x.shape[0], x.numblocks[0]) : null;
  const starts = blockStarts(x.chunks[0]);
  for (let j = 1; j < k; j++) {
    const chosen = centers.slice(0, j * d);
    const blockU = Array.from({ length: x.numblocks[0] }, () => rng.next());
    const combineU = Array.from({ length: x.numblocks[0] }, () => rng.next());
    const draw = await runBlockReduce<SampleDraw>(
      {
        label: 'kmeans-init',
        x,
        partial: kmeansInitOps.drawPlusPlus,
        partialArgs: (i) => [chosen, j, blockU[i], state, i, starts[i]],
        combine: mlOps.combineDraws,
        combineArgs: (c) => [combineU[c]],
      },
      opts,
    );
    if (!draw.row) throw new RangeError('KMeans.fit: X has no rows to draw initial centers from');
    centers.set(draw.row, j * d);
  }
  return centers;
}

/**
 * The k-means++ distances, in memory the worker threads share (where SharedArrayBuffer exists;
 * elsewhere each task gets a copy and refolds every center, which gives the same draws).
 */
class SharedClosest implements ClosestState, Tokenizable {
  readonly closest: Float64Array;
  readonly folded: Int32Array;
  constructor(rows: number, blocks: number) {
    const Buf = typeof SharedArrayBuffer === 'undefined' ? ArrayBuffer : SharedArrayBuffer;
    this.closest = new Float64Array(new Buf(rows * 8));
    this.folded = new Int32Array(new Buf(Math.max(1, blocks) * 4));
  }
  /** A cache, not an input: the draws are the same whatever it holds, so it adds nothing to the task keys. */
  [tokenizeSymbol](): string {
    return 'kmeans-closest';
  }
}

/** Dask's names of the schedulers whose tasks run in this process (its thread or worker threads). */
const IN_PROCESS = new Set(['sync', 'synchronous', 'single-threaded', 'threads', 'threading']);

/**
 * Whether the tasks see the caller's memory: otherwise (another process, e.g. a distributed
 * client) the kept distances would cross the wire with every task and back never, so each draw
 * folds all its centers instead.
 */
function sharesMemory(opts: ComputeOptions): boolean {
  const s = opts.scheduler ?? config.get<string>('scheduler', 'threads');
  return typeof s === 'string' && IN_PROCESS.has(s);
}

function blockStarts(sizes: readonly number[]): number[] {
  const out: number[] = [];
  let at = 0;
  for (const s of sizes) {
    out.push(at);
    at += s;
  }
  return out;
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

export interface ParallelInitOptions {
  /** Expected rows drawn per round (ell = oversamplingFactor, as Dask-ML). */
  readonly oversamplingFactor: number;
  /** Rounds at most (Dask-ML's init_max_iter); without, round(ln ψ) of the first cost ψ. */
  readonly initMaxIter: number | undefined;
}

/**
 * k-means|| (Bahmani et al. 2012), as Dask-ML's default initialisation: one uniform row, then
 * rounds in which every row is kept independently with probability ell · D² / φ (one pass over
 * the blocks for the draw, one for the new cost φ). The candidates are then weighted by the rows
 * nearest to each (that last cost pass gives the counts) and reclustered to k centers on the
 * calling thread by a weighted k-means++ and weighted Lloyd iterations.
 */
export async function kmeansParallel(x: ChunkedArray<unknown>, k: number, seed: number, run: number, init: ParallelInitOptions, opts: ComputeOptions): Promise<Float64Array> {
  const d = x.shape[1];
  const rng = new Stream(seed, 0x6b6d7c7c + run);
  const first = await x.slice([rng.below(x.shape[0])], ':').compute(scheduleFor([x], opts));
  let cand = toFloat64(first);
  const cost = (c: Float64Array): Promise<LloydPartial> => {
    const m = c.length / d;
    return runBlockReduce<LloydPartial>({ label: 'kmeans-parallel-cost', x, partial: mlOps.lloydPartial, partialArgs: () => [c, m], combine: mlOps.combineLloyd }, opts);
  };
  let part = await cost(cand);
  const psi = part.inertia;
  // Dask-ML's round count; at least one round unless every row is the first one.
  let rounds = psi > 0 ? Math.max(1, Math.round(Math.log(psi))) : 0;
  if (init.initMaxIter !== undefined) rounds = Math.min(rounds, init.initMaxIter);
  for (let r = 0; r < rounds && part.inertia > 0; r++) {
    const roundSeed = Math.floor(rng.next() * 2 ** 32);
    const m = cand.length / d;
    const phi = part.inertia;
    const c = cand;
    const drawn = await runBlockReduce<Oversample>(
      { label: 'kmeans-parallel-draw', x, partial: mlOps.oversampleBlock, partialArgs: (i) => [c, m, phi, init.oversamplingFactor, roundSeed, i], combine: mlOps.combineOversample },
      opts,
    );
    if (drawn.count === 0) continue;
    const next = new Float64Array(cand.length + drawn.rows.length);
    next.set(cand, 0);
    next.set(drawn.rows, cand.length);
    cand = next;
    part = await cost(cand);
  }
  const m = cand.length / d;
  if (m === k) return cand;
  if (m < k) {
    // Too few candidates (tiny ψ or few rounds): distinct random rows make up the rest, as Dask-ML.
    const extra = await randomRows(x, k - m, seed, 0x1000 + run, opts);
    const out = new Float64Array(k * d);
    out.set(cand, 0);
    out.set(extra, m * d);
    return out;
  }
  // The candidates are few (about ell per round): recluster them from several starts, as Dask-ML
  // runs scikit-learn's KMeans on them, and keep the least weighted inertia.
  const weights = part.counts;
  const labels = new Int32Array(m);
  let best: Float64Array | null = null;
  let bestInertia = Infinity;
  for (let t = 0; t < LOCAL_STARTS; t++) {
    const centers = weightedLloyd(cand, weights, m, d, weightedPlusPlus(cand, weights, m, d, k, rng), k, 300);
    const inertia = assign(cand, weights, m, d, centers, k, labels);
    if (inertia < bestInertia) [best, bestInertia] = [centers, inertia];
  }
  return best!;
}

/** Starts of the reclustering of the k-means|| candidates (scikit-learn's n_init before 1.4). */
const LOCAL_STARTS = 10;
