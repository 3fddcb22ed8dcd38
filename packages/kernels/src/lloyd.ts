/**
 * One Lloyd step of k-means over a block of rows (kernels/assembly/lloyd.ts): each row's nearest
 * center and the per-cluster sums, counts and inertia that tree reductions add up.
 */
import { placeRows, forRowBlocks, rowsPerBlock, type RowArray } from './rows.js';
import { optionKeys } from './options.js';
import { resolve, type Input, type Runtime } from './runtime.js';
import type { RealArray } from './types.js';

/** Sums of the rows assigned to each cluster (k x d, row-major), their counts, and the inertia. */
export interface LloydPartial {
  readonly sums: Float64Array;
  readonly counts: Float64Array;
  /** Σ over rows of the squared distance to the assigned center. */
  readonly inertia: number;
}

export interface LloydOptions {
  /** Columns of X (X is rows x features, row-major). */
  features: number;
  /** Receives each row's cluster (one per row), on the JS heap or in kernel memory. */
  labels?: Input<Int32Array>;
  /** Receives each row's squared distance to its center (one per row). */
  distances?: Input<Float64Array>;
  /**
   * Whether to sum the rows per cluster (default true). Without, `sums` and `counts` come back
   * zero: for callers that need only labels or distances (k-means++ weights).
   */
  sums?: boolean;
}

export const LLOYD_KEYS = optionKeys<LloydOptions>({ features: true, labels: true, distances: true, sums: true });

export function lloydPartial(rt: Runtime, x: RealArray, centers: Float64Array, options: LloydOptions): LloydPartial {
  const d = options.features;
  if (!Number.isInteger(d) || d < 1) throw new RangeError(`lloydPartial: features must be a positive integer, got ${d}`);
  if (x.length % d !== 0) throw new RangeError(`lloydPartial: X has ${x.length} values, not a multiple of ${d} features`);
  if (centers.length === 0 || centers.length % d !== 0) {
    throw new RangeError(`lloydPartial: centers have ${centers.length} values, expected a positive multiple of ${d} features`);
  }
  const n = x.length / d;
  const k = centers.length / d;
  const arrays: RowArray[] = [{ data: x, width: d }];
  const labels = options.labels && resolve(options.labels);
  const distances = options.distances && resolve(options.distances);
  for (const [name, out] of [['labels', labels], ['distances', distances]] as const) {
    if (out === undefined) continue;
    if (out.length !== n) throw new RangeError(`lloydPartial: ${name} has length ${out.length}, X has ${n} rows`);
    arrays.push({ data: out, width: 1, output: true });
  }
  const placed = placeRows(rt, arrays);
  const withSums = options.sums ?? true;
  // Centers transposed to d x kp (kp = k rounded up to even; the padding center is NaN, so its
  // distance never wins): one f64x2 load gives a coordinate of two centers.
  const kp = k + (k & 1);
  const ctLen = d * kp;
  const work = rt.mem.alloc((ctLen + k * d + k) * 8);
  try {
    const mem = rt.mem;
    const ct = mem.f64(work, ctLen);
    ct.fill(NaN);
    for (let j = 0; j < k; j++) for (let t = 0; t < d; t++) ct[t * kp + j] = centers[j * d + t];
    const pSums = work + ctLen * 8;
    const pCounts = pSums + k * d * 8;
    mem.f64(pSums, k * d + k).fill(0);
    const st = mem.state;
    mem.f64(st, 1)[0] = 0;
    const iLabels = labels ? 1 : -1;
    const iDist = distances ? (labels ? 2 : 1) : -1;
    forRowBlocks(rt, placed, n, rowsPerBlock(rt, placed), (ptrs, rows) => {
      rt.x.lloyd_f64(ptrs[0], rows, d, work, kp, withSums ? pSums : 0, pCounts,
        iLabels > 0 ? ptrs[iLabels] : 0, iDist > 0 ? ptrs[iDist] : 0, st);
    });
    return { sums: mem.f64(pSums, k * d).slice(), counts: mem.f64(pCounts, k).slice(), inertia: mem.f64(st, 1)[0] };
  } finally {
    rt.mem.release(work);
  }
}

/** Adds two partials (of disjoint rows, the same centers). */
export function mergeLloyd(a: LloydPartial, b: LloydPartial): LloydPartial {
  return { sums: a.sums.map((v, i) => v + b.sums[i]), counts: a.counts.map((v, i) => v + b.counts[i]), inertia: a.inertia + b.inertia };
}
