/**
 * What runs on workers for the data-set generators: the rows of one block, from the row indices
 * of the block (a block of `arange`) and the small global parameters drawn on the calling thread.
 */
import { normal, permute, rowStream } from './rows';

interface Block {
  readonly shape: readonly number[];
  readonly data: ArrayLike<number | bigint>;
}

const FEATURES = 0x66656174;
const LABELS = 0x6c61626c;

export interface BlobsSpec {
  kind: 'blobs';
  seed: number;
  n: number;
  shuffle: boolean;
  centers: number[][];
  std: number[];
}

export interface RegressionSpec {
  kind: 'regression';
  seed: number;
  nFeatures: number;
  coef: number[][]; // nFeatures x nTargets
  bias: number;
  noise: number;
}

export interface ClassificationSpec {
  kind: 'classification';
  seed: number;
  n: number;
  shuffle: boolean;
  nClasses: number;
  nInformative: number;
  nRedundant: number;
  nRepeated: number;
  nFeatures: number;
  centroids: number[][]; // nClusters x nInformative
  A: number[][][]; // per cluster, nInformative x nInformative
  B: number[][]; // nInformative x nRedundant
  repeated: number[];
  flipY: number;
  shift: number[];
  scale: number[];
  /** Output column j is generated column columns[j]. */
  columns: number[];
}

export type GenerateSpec = BlobsSpec | RegressionSpec | ClassificationSpec;

/** The cluster (blobs, classification) of row i: round-robin over a seeded permutation, so counts are scikit-learn's. */
function clusterOf(i: number, n: number, k: number, seed: number, shuffle: boolean): number {
  return (shuffle ? permute(i, n, seed) : i) % k;
}

function classificationRow(s: ClassificationSpec, i: number, out: Float64Array, at: number): void {
  const r = rowStream(s.seed, i, FEATURES);
  const c = clusterOf(i, s.n, s.centroids.length, s.seed, s.shuffle);
  const ni = s.nInformative;
  const z = Float64Array.from({ length: ni }, () => normal(r));
  const g = new Float64Array(s.nFeatures);
  const A = s.A[c];
  for (let j = 0; j < ni; j++) {
    let v = s.centroids[c][j];
    for (let k = 0; k < ni; k++) v += z[k] * A[k][j];
    g[j] = v;
  }
  for (let j = 0; j < s.nRedundant; j++) {
    let v = 0;
    for (let k = 0; k < ni; k++) v += g[k] * s.B[k][j];
    g[ni + j] = v;
  }
  const base = ni + s.nRedundant;
  for (let j = 0; j < s.nRepeated; j++) g[base + j] = g[s.repeated[j]];
  for (let j = base + s.nRepeated; j < s.nFeatures; j++) g[j] = normal(r);
  for (let j = 0; j < s.nFeatures; j++) out[at + j] = (g[s.columns[j]] + s.shift[s.columns[j]]) * s.scale[s.columns[j]];
}

export function generateBlock(spec: GenerateSpec, part: 'X' | 'y', rows: Block): Float64Array | Int32Array {
  const idx = rows.data;
  const m = rows.shape[0];
  if (spec.kind === 'blobs') {
    const d = spec.centers[0].length;
    const k = spec.centers.length;
    if (part === 'y') return Int32Array.from({ length: m }, (_, q) => clusterOf(Number(idx[q]), spec.n, k, spec.seed, spec.shuffle));
    const out = new Float64Array(m * d);
    for (let q = 0; q < m; q++) {
      const i = Number(idx[q]);
      const c = clusterOf(i, spec.n, k, spec.seed, spec.shuffle);
      const r = rowStream(spec.seed, i, FEATURES);
      for (let j = 0; j < d; j++) out[q * d + j] = spec.centers[c][j] + spec.std[c] * normal(r);
    }
    return out;
  }
  if (spec.kind === 'regression') {
    const d = spec.nFeatures;
    const t = spec.coef[0]?.length ?? 1;
    const out = new Float64Array(m * (part === 'X' ? d : t));
    const x = new Float64Array(d);
    for (let q = 0; q < m; q++) {
      const i = Number(idx[q]);
      const r = rowStream(spec.seed, i, FEATURES);
      for (let j = 0; j < d; j++) x[j] = normal(r);
      if (part === 'X') {
        out.set(x, q * d);
        continue;
      }
      const noise = rowStream(spec.seed, i, LABELS);
      for (let o = 0; o < t; o++) {
        let v = spec.bias;
        for (let j = 0; j < d; j++) v += x[j] * spec.coef[j][o];
        out[q * t + o] = v + (spec.noise > 0 ? spec.noise * normal(noise) : 0);
      }
    }
    return out;
  }
  if (part === 'y') {
    return Int32Array.from({ length: m }, (_, q) => {
      const i = Number(idx[q]);
      const label = clusterOf(i, spec.n, spec.centroids.length, spec.seed, spec.shuffle) % spec.nClasses;
      const r = rowStream(spec.seed, i, LABELS);
      return r.next() < spec.flipY ? r.below(spec.nClasses) : label;
    });
  }
  const out = new Float64Array(m * spec.nFeatures);
  for (let q = 0; q < m; q++) classificationRow(spec, Number(idx[q]), out, q * spec.nFeatures);
  return out;
}
