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
  /**
   * Whether to compute the inertia (default true): each row's exact distance to its center, about
   * a third of the kernel's work. Without (and without `distances`), `inertia` comes back NaN: for
   * Lloyd iterations and mini-batch steps, which move centers by sums and counts only.
   */
  inertia?: boolean;
}

export const LLOYD_KEYS = optionKeys<LloydOptions>({ features: true, labels: true, distances: true, sums: true, inertia: true });

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
  const withInertia = (options.inertia ?? true) || distances !== undefined;
  // Scores relative to the first center m (see kernels/assembly/lloyd.ts): ct (d x kp) holds
  // −2(c_j − m) transposed, kp = k rounded up to even; kn the offsets ‖c_j − m‖² + 2 m·(c_j − m),
  // NaN for the padding center so that it never wins; cr the centers as given.
  const kp = k + (k & 1);
  const ctLen = d * kp;
  const work = rt.mem.alloc((ctLen + kp + k * d + k * d + k) * 8);
  try {
    const mem = rt.mem;
    const ct = mem.f64(work, ctLen);
    const kn = mem.f64(work + ctLen * 8, kp);
    ct.fill(0);
    kn.fill(NaN);
    for (let j = 0; j < k; j++) {
      let norm = 0;
      let cross = 0;
      for (let t = 0; t < d; t++) {
        const m = centers[t];
        const e = centers[j * d + t] - m;
        ct[t * kp + j] = -2 * e;
        norm += e * e;
        cross += m * e;
      }
      kn[j] = norm + 2 * cross;
    }
    const pCr = work + (ctLen + kp) * 8;
    mem.f64(pCr, k * d).set(centers.subarray(0, k * d));
    const pSums = pCr + k * d * 8;
    const pCounts = pSums + k * d * 8;
    mem.f64(pSums, k * d + k).fill(0);
    const st = mem.state;
    mem.f64(st, 1)[0] = 0;
    const iLabels = labels ? 1 : -1;
    const iDist = distances ? (labels ? 2 : 1) : -1;
    forRowBlocks(rt, placed, n, rowsPerBlock(rt, placed), (ptrs, rows) => {
      rt.x.lloyd_f64(ptrs[0], rows, d, work, work + ctLen * 8, pCr, kp, withSums ? pSums : 0, pCounts,
        iLabels > 0 ? ptrs[iLabels] : 0, iDist > 0 ? ptrs[iDist] : 0, withInertia ? 1 : 0, st);
    });
    return { sums: mem.f64(pSums, k * d).slice(), counts: mem.f64(pCounts, k).slice(), inertia: withInertia ? mem.f64(st, 1)[0] : NaN };
  } finally {
    rt.mem.release(work);
  }
}

/** Adds two partials (of disjoint rows, the same centers). */
export function mergeLloyd(a: LloydPartial, b: LloydPartial): LloydPartial {
  return { sums: a.sums.map((v, i) => v + b.sums[i]), counts: a.counts.map((v, i) => v + b.counts[i]), inertia: a.inertia + b.inertia };
}
