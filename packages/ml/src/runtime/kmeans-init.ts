/**
 * k-means++ draws that keep each row's squared distance to its nearest chosen center from one
 * draw to the next (scikit-learn's way), so draw j costs one distance per row instead of j.
 *
 * The distances live in memory shared by the caller and the worker threads (a SharedArrayBuffer),
 * with a count per block of the centers already folded into them; without (`state` null: a
 * scheduler whose workers do not share the caller's memory), every draw folds all its centers. They are a cache, never an
 * input to the result: a task that finds its block one center behind folds in the newest center;
 * any other count (a copy of the state in another process, a rerun) refolds all centers from
 * +Infinity, and the kernel gives the same bits either way (exact distances, exact min). So the
 * draws do not depend on the scheduler or on where a block ran before.
 */
import { dims, values, type BlockValue } from './block';
import { kernelsFor } from './kernels';
import type { SampleDraw } from './kmeans';

/** Each row's squared distance to the nearest chosen center (the whole array's rows) and, per row block, the centers folded into it. */
export interface ClosestState {
  readonly closest: Float64Array;
  readonly folded: Int32Array;
}

/**
 * One k-means++ draw over a block (rows start..start+n of the array): the first k rows of
 * `centers` are chosen; the block's distances are brought up to date with them, then one row is
 * drawn with probability ∝ its distance, `u` being this block's uniform number in [0, 1). Merges
 * with combineDraws (runtime/kmeans.ts).
 */
export function drawPlusPlus(centers: Float64Array, k: number, u: number, state: ClosestState | null, block: number, start: number, xb: BlockValue): SampleDraw {
  const [n, d] = dims(xb);
  if (n === 0) return { weight: 0, count: 0, row: null };
  const w = state ? state.closest.subarray(start, start + n) : new Float64Array(n);
  const have = state ? state.folded[block] : -1;
  if (have !== k) {
    const from = have === k - 1 ? have : 0;
    if (from === 0) w.fill(Infinity);
    kernelsFor(xb.mem).closestUpdate(values(xb), centers.subarray(from * d, k * d), w, { features: d });
    if (state) state.folded[block] = k;
  }
  // Summed in row order here (not in the kernel), so the total does not depend on how it streamed.
  let total = 0;
  for (let i = 0; i < n; i++) total += w[i];
  const pick = total > 0 ? weightedPick(w, total, u) : Math.min(n - 1, Math.floor(u * n));
  const row = new Float64Array(d);
  for (let t = 0; t < d; t++) row[t] = Number(xb.data[pick * d + t]);
  return { weight: total, count: n, row };
}

/** The first row whose cumulative weight exceeds u · total, never one of weight 0 (rounding at the end). */
function weightedPick(w: Float64Array, total: number, u: number): number {
  const target = u * total;
  let acc = 0;
  let pick = w.length - 1;
  for (let i = 0; i < w.length; i++) {
    acc += w[i];
    if (acc > target && w[i] > 0) {
      pick = i;
      break;
    }
  }
  while (w[pick] === 0 && pick > 0) pick--;
  return pick;
}
