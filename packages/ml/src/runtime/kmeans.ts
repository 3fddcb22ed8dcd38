/**
 * What KMeans and MiniBatchKMeans run per block: one Lloyd step's partial sums, one k-means++
 * draw and one k-means|| oversampling round. Partials are plain objects of Float64Arrays
 * (structured clone carries them between threads).
 */
import { mergeLloyd, type LloydPartial } from '@pdask/kernels';
import { dims, values, type BlockValue } from './block';
import { kernelsFor } from './kernels';
import { Stream } from '../random';

/** Per-cluster sums of the rows assigned to it, their counts, and the sum of squared distances. */
export type { LloydPartial };

/**
 * A Lloyd step over one block: @pdask/kernels' SIMD kernel (nearest center by squared Euclidean
 * distance, ties to the lowest index; sums, counts, inertia), in place when the block lives in the
 * array's arena.
 */
export function lloydPartial(centers: Float64Array, k: number, xb: BlockValue): LloydPartial {
  const [, d] = dims(xb);
  return kernelsFor(xb.mem).lloydPartial(values(xb), centers.subarray(0, k * d), { features: d });
}

/**
 * lloydPartial without the inertia (it comes back NaN): the per-row exact distances are about a
 * third of the kernel's work, and Lloyd iterations and mini-batch steps move centers by the sums
 * and counts alone.
 */
export function lloydStep(centers: Float64Array, k: number, xb: BlockValue): LloydPartial {
  const [, d] = dims(xb);
  return kernelsFor(xb.mem).lloydPartial(values(xb), centers.subarray(0, k * d), { features: d, inertia: false });
}

export function combineLloyd(...parts: LloydPartial[]): LloydPartial {
  return parts.reduce(mergeLloyd);
}

/**
 * One row drawn with probability proportional to its weight (squared distance to the nearest
 * chosen center, or 1 when none is chosen yet), with the total weight and row count it was
 * drawn from. Draws merge exactly: pick one part with probability weight / total.
 */
export interface SampleDraw {
  readonly weight: number;
  readonly count: number;
  readonly row: Float64Array | null;
}

/** `u` is this block's uniform number in [0, 1), from the caller's seeded stream. */
export function sampleBlock(centers: Float64Array, k: number, u: number, xb: BlockValue): SampleDraw {
  const [n, d] = dims(xb);
  if (n === 0) return { weight: 0, count: 0, row: null };
  let w: Float64Array;
  let total: number;
  if (k > 0) {
    // The weights are the kernel's per-row distances to the nearest center; their sum is its inertia.
    w = new Float64Array(n);
    total = kernelsFor(xb.mem).lloydPartial(values(xb), centers.subarray(0, k * d), { features: d, distances: w, sums: false }).inertia;
  } else {
    w = new Float64Array(n).fill(1);
    total = n;
  }
  // All rows already chosen (weight 0): any row will do, uniformly.
  let pick = Math.min(n - 1, Math.floor(u * n));
  if (total > 0) {
    const target = u * total;
    let acc = 0;
    pick = n - 1;
    for (let i = 0; i < n; i++) {
      acc += w[i];
      if (acc > target && w[i] > 0) {
        pick = i;
        break;
      }
    }
    while (w[pick] === 0 && pick > 0) pick--;
  }
  const row = new Float64Array(d);
  for (let t = 0; t < d; t++) row[t] = Number(xb.data[pick * d + t]);
  return { weight: total, count: n, row };
}

export function combineDraws(u: number, ...parts: SampleDraw[]): SampleDraw {
  let weight = 0;
  let count = 0;
  for (const p of parts) {
    weight += p.weight;
    count += p.count;
  }
  const useCount = !(weight > 0);
  const total = useCount ? count : weight;
  const target = u * total;
  let acc = 0;
  let row: Float64Array | null = null;
  for (const p of parts) {
    const w = useCount ? p.count : p.weight;
    if (p.row === null || w === 0) continue;
    row = p.row;
    acc += w;
    if (acc > target) break;
  }
  return { weight, count, row };
}

/** Rows a block drew in one k-means|| round (row-major, `count` rows of `d`). */
export interface Oversample {
  readonly count: number;
  readonly rows: Float64Array;
}

/**
 * One k-means|| round over a block: each row is kept independently with probability
 * min(1, ell · D²(x) / phi), D² its squared distance to the nearest of the m candidates so far,
 * phi their total over the whole array. The uniforms come from a stream seeded by (seed, block),
 * so the draw does not depend on the scheduler.
 */
export function oversampleBlock(candidates: Float64Array, m: number, phi: number, ell: number, seed: number, block: number, xb: BlockValue): Oversample {
  const [n, d] = dims(xb);
  if (n === 0 || !(phi > 0)) return { count: 0, rows: new Float64Array(0) };
  const w = new Float64Array(n);
  kernelsFor(xb.mem).lloydPartial(values(xb), candidates.subarray(0, m * d), { features: d, distances: w, sums: false });
  const rng = new Stream(seed, block);
  const picked: number[] = [];
  for (let i = 0; i < n; i++) if (rng.next() < (ell * w[i]) / phi) picked.push(i);
  const rows = new Float64Array(picked.length * d);
  picked.forEach((r, j) => {
    for (let t = 0; t < d; t++) rows[j * d + t] = Number(xb.data[r * d + t]);
  });
  return { count: picked.length, rows };
}

/** Concatenates the rounds' draws in block order. */
export function combineOversample(...parts: Oversample[]): Oversample {
  const count = parts.reduce((s, p) => s + p.count, 0);
  const rows = new Float64Array(parts.reduce((s, p) => s + p.rows.length, 0));
  let at = 0;
  for (const p of parts) {
    rows.set(p.rows, at);
    at += p.rows.length;
  }
  return { count, rows };
}
