/**
 * What KMeans runs per block: one Lloyd step's partial sums, and one k-means++ draw. Partials
 * are plain objects of Float64Arrays (structured clone carries them between threads).
 */
import { dims, forEachTile, type BlockValue } from './tiles';
import { sumPartials } from './sum-partials';

/** Per-cluster sums of the rows assigned to it, their counts, and the sum of squared distances. */
export interface LloydPartial {
  readonly sums: Float64Array;
  readonly counts: Float64Array;
  readonly inertia: number;
}

/** Centers prepared for assignment: transposed (d x k) and their squared norms. */
interface Prepared {
  readonly ct: Float64Array;
  readonly cn: Float64Array;
  readonly k: number;
  readonly d: number;
}

function prepare(centers: Float64Array, k: number, d: number): Prepared {
  const ct = new Float64Array(d * k);
  const cn = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    for (let t = 0; t < d; t++) {
      const v = centers[j * d + t];
      ct[t * k + j] = v;
      cn[j] += v * v;
    }
  }
  return { ct, cn, k, d };
}

/**
 * The nearest center of each of the `m` rows of a tile, by argmin over ‖c‖² − 2 x·c (‖x‖² is the
 * same for every center), as scikit-learn's Lloyd does with a GEMM. Two rows by four centers per
 * sweep keep eight dot products in registers for six loads per step (2-3x faster here than
 * summing squared differences row by row). Ties go to the lower index.
 */
function assignTile(x: Float64Array, m: number, pc: Prepared, labels: Int32Array): void {
  const { ct, cn, k, d } = pc;
  let i = 0;
  for (; i + 1 < m; i += 2) {
    const oa = i * d;
    const ob = oa + d;
    let ba = Infinity;
    let bb = Infinity;
    let la = 0;
    let lb = 0;
    let j = 0;
    for (; j + 3 < k; j += 4) {
      let a0 = 0, a1 = 0, a2 = 0, a3 = 0, b0 = 0, b1 = 0, b2 = 0, b3 = 0;
      for (let t = 0, q = j; t < d; t++, q += k) {
        const xa = x[oa + t];
        const xb = x[ob + t];
        const c0 = ct[q];
        const c1 = ct[q + 1];
        const c2 = ct[q + 2];
        const c3 = ct[q + 3];
        a0 += xa * c0;
        a1 += xa * c1;
        a2 += xa * c2;
        a3 += xa * c3;
        b0 += xb * c0;
        b1 += xb * c1;
        b2 += xb * c2;
        b3 += xb * c3;
      }
      let v = cn[j] - 2 * a0;
      if (v < ba) { ba = v; la = j; }
      v = cn[j + 1] - 2 * a1;
      if (v < ba) { ba = v; la = j + 1; }
      v = cn[j + 2] - 2 * a2;
      if (v < ba) { ba = v; la = j + 2; }
      v = cn[j + 3] - 2 * a3;
      if (v < ba) { ba = v; la = j + 3; }
      v = cn[j] - 2 * b0;
      if (v < bb) { bb = v; lb = j; }
      v = cn[j + 1] - 2 * b1;
      if (v < bb) { bb = v; lb = j + 1; }
      v = cn[j + 2] - 2 * b2;
      if (v < bb) { bb = v; lb = j + 2; }
      v = cn[j + 3] - 2 * b3;
      if (v < bb) { bb = v; lb = j + 3; }
    }
    for (; j < k; j++) {
      let a = 0;
      let b = 0;
      for (let t = 0, q = j; t < d; t++, q += k) {
        a += x[oa + t] * ct[q];
        b += x[ob + t] * ct[q];
      }
      const va = cn[j] - 2 * a;
      if (va < ba) { ba = va; la = j; }
      const vb = cn[j] - 2 * b;
      if (vb < bb) { bb = vb; lb = j; }
    }
    labels[i] = la;
    labels[i + 1] = lb;
  }
  for (; i < m; i++) {
    const o = i * d;
    let best = Infinity;
    let l = 0;
    for (let j = 0; j < k; j++) {
      let a = 0;
      for (let t = 0, q = j; t < d; t++, q += k) a += x[o + t] * ct[q];
      const v = cn[j] - 2 * a;
      if (v < best) { best = v; l = j; }
    }
    labels[i] = l;
  }
}

/** Squared distance of row `off` of x to center j, summed exactly (inertia, k-means++ weights). */
function dist2(x: Float64Array, off: number, centers: Float64Array, j: number, d: number): number {
  let s = 0;
  for (let t = 0, c = j * d; t < d; t++) {
    const e = x[off + t] - centers[c + t];
    s += e * e;
  }
  return s;
}

export function lloydPartial(centers: Float64Array, k: number, xb: BlockValue): LloydPartial {
  const [, d] = dims(xb);
  const pc = prepare(centers, k, d);
  const sums = new Float64Array(k * d);
  const counts = new Float64Array(k);
  let inertia = 0;
  let labels = new Int32Array(0);
  forEachTile(xb, null, (x, _y, rows) => {
    if (labels.length < rows) labels = new Int32Array(rows);
    assignTile(x, rows, pc, labels);
    for (let i = 0, off = 0; i < rows; i++, off += d) {
      const j = labels[i];
      counts[j]++;
      inertia += dist2(x, off, centers, j, d);
      const c = j * d;
      for (let t = 0; t < d; t++) sums[c + t] += x[off + t];
    }
  });
  return { sums, counts, inertia };
}

export function combineLloyd(...parts: LloydPartial[]): LloydPartial {
  return sumPartials(parts);
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
  const w = new Float64Array(n);
  const pc = k > 0 ? prepare(centers, k, d) : null;
  let labels = new Int32Array(0);
  let total = 0;
  forEachTile(xb, null, (x, _y, rows, first) => {
    if (pc && labels.length < rows) labels = new Int32Array(rows);
    if (pc) assignTile(x, rows, pc, labels);
    for (let i = 0, off = 0; i < rows; i++, off += d) {
      const wi = pc ? dist2(x, off, centers, labels[i], d) : 1;
      w[first + i] = wi;
      total += wi;
    }
  });
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
