/**
 * Clustering of a few points held on the calling thread: the k-means|| candidates (weighted by
 * the rows they stand for) and MiniBatchKMeans' initialisation sample. Small enough that plain
 * loops do; the per-row passes over the data stay in the kernels.
 */
import type { Stream } from '../random';

/** Squared Euclidean distance between row i of a and row j of b (both row-major, d columns). */
function dist2(a: Float64Array, i: number, b: Float64Array, j: number, d: number): number {
  let s = 0;
  for (let t = 0; t < d; t++) {
    const v = a[i * d + t] - b[j * d + t];
    s += v * v;
  }
  return s;
}

/** Index of the first cumulative weight above `target` (the weights' inverse distribution). */
function pick(cum: Float64Array, target: number): number {
  let lo = 0;
  let hi = cum.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cum[mid] > target) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * Greedy k-means++ on n weighted points (scikit-learn's variant): the first center is drawn with
 * probability ∝ weight, each next one by trying 2 + ⌊ln k⌋ candidates drawn ∝ weight · D² and
 * keeping the one that lowers the weighted potential most.
 */
export function weightedPlusPlus(points: Float64Array, weights: Float64Array, n: number, d: number, k: number, rng: Stream): Float64Array {
  const centers = new Float64Array(k * d);
  const cumW = new Float64Array(n);
  let acc = 0;
  for (let i = 0; i < n; i++) cumW[i] = acc += weights[i];
  const first = acc > 0 ? pick(cumW, rng.next() * acc) : rng.below(n);
  centers.set(points.subarray(first * d, first * d + d), 0);
  const closest = new Float64Array(n);
  for (let i = 0; i < n; i++) closest[i] = dist2(points, i, centers, 0, d);
  const trials = 2 + Math.floor(Math.log(k));
  const cum = new Float64Array(n);
  const cand = new Float64Array(n);
  const best = new Float64Array(n);
  for (let c = 1; c < k; c++) {
    acc = 0;
    for (let i = 0; i < n; i++) cum[i] = acc += weights[i] * closest[i];
    let bestPot = Infinity;
    let bestId = -1;
    for (let t = 0; t < trials; t++) {
      // Every point already a center (potential 0): any point will do.
      const id = acc > 0 ? pick(cum, rng.next() * acc) : rng.below(n);
      let p = 0;
      for (let i = 0; i < n; i++) p += weights[i] * (cand[i] = Math.min(closest[i], dist2(points, i, points, id, d)));
      if (p < bestPot) {
        bestPot = p;
        bestId = id;
        best.set(cand);
      }
    }
    centers.set(points.subarray(bestId * d, bestId * d + d), c * d);
    closest.set(best);
  }
  return centers;
}

/** Nearest center of every point and the weighted sum of squared distances. */
export function assign(points: Float64Array, weights: Float64Array | null, n: number, d: number, centers: Float64Array, k: number, labels: Int32Array): number {
  let inertia = 0;
  for (let i = 0; i < n; i++) {
    let bj = 0;
    let bd = Infinity;
    for (let j = 0; j < k; j++) {
      const v = dist2(points, i, centers, j, d);
      if (v < bd) [bd, bj] = [v, j];
    }
    labels[i] = bj;
    inertia += (weights ? weights[i] : 1) * bd;
  }
  return inertia;
}

/** Weighted Lloyd iterations on the points until the labels stop changing (or maxIter). */
export function weightedLloyd(points: Float64Array, weights: Float64Array, n: number, d: number, init: Float64Array, k: number, maxIter: number): Float64Array {
  const centers = init.slice();
  const labels = new Int32Array(n).fill(-1);
  const next = new Int32Array(n);
  for (let it = 0; it < maxIter; it++) {
    assign(points, weights, n, d, centers, k, next);
    if (next.every((l, i) => l === labels[i])) break;
    labels.set(next);
    const sums = new Float64Array(k * d);
    const w = new Float64Array(k);
    for (let i = 0; i < n; i++) {
      const j = labels[i];
      w[j] += weights[i];
      for (let t = 0; t < d; t++) sums[j * d + t] += weights[i] * points[i * d + t];
    }
    // A center that lost all its weight stays where it is.
    for (let j = 0; j < k; j++) if (w[j] > 0) for (let t = 0; t < d; t++) centers[j * d + t] = sums[j * d + t] / w[j];
  }
  return centers;
}
