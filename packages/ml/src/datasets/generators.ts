/**
 * makeBlobs, makeRegression, makeClassification: lazy chunked data sets, seeded. Row i depends
 * only on (seed, i), so any chunking gives the same values; the small global parameters
 * (centers, coefficients, the classification's cluster transforms) are drawn on the calling
 * thread. The structure is scikit-learn's; the random numbers are not NumPy's.
 */
import { arange, blockwise, type ChunkedArray, type NDArray } from '@pdask/array';
import { checkOptions, type OptionSchema } from '@pdask/core';
import { mlOps } from '../ops/index';
import { Stream } from '../random';
import { rules, seedOf } from '../validate';
import type { BlobsSpec, ClassificationSpec, GenerateSpec, RegressionSpec } from './generate-kernel';
import { normal } from './rows';

type Out = ChunkedArray<NDArray>;
const isPositiveInt = (v: unknown): boolean => Number.isInteger(v) && (v as number) >= 1;
const nonNegative = (v: unknown): string | undefined => (typeof v === 'number' && v >= 0 && Number.isFinite(v) ? undefined : 'a finite number >= 0');

interface Common {
  nSamples?: number;
  /** Rows per block (a number), or the block sizes (default: @pdask/array's automatic chunking). */
  chunks?: number | readonly number[];
  seed?: number;
}

const chunksRule = (v: unknown) => (isPositiveInt(v) || (Array.isArray(v) && v.every((c) => Number.isInteger(c) && c >= 0)) ? undefined : 'a positive integer or a list of block sizes');

function rowsOf(n: number, chunks: number | readonly number[] | undefined, who: string) {
  if (Array.isArray(chunks) && chunks.reduce((a: number, b: number) => a + b, 0) !== n) throw new RangeError(`${who}: chunks [${chunks.join(', ')}] do not add up to nSamples = ${n}`);
  return arange(n, { dtype: 'float64', ...(chunks === undefined ? {} : { chunks: typeof chunks === 'number' ? chunks : [chunks as number[]] }) });
}

function make(spec: GenerateSpec, rows: ChunkedArray<unknown>, d: number | null, label: string): [Out, Out] {
  const x = blockwise(mlOps.generateBlock as never, 'ij', spec, null, 'X', null, rows, 'i', { newAxes: { j: d ?? 0 }, dtype: 'float64', name: `${label}-X` });
  const t = spec.kind === 'regression' ? spec.coef[0].length : 1;
  const y =
    spec.kind === 'regression' && t > 1
      ? blockwise(mlOps.generateBlock as never, 'ij', spec, null, 'y', null, rows, 'i', { newAxes: { j: t }, dtype: 'float64', name: `${label}-y` })
      : blockwise(mlOps.generateBlock as never, 'i', spec, null, 'y', null, rows, 'i', { dtype: spec.kind === 'regression' ? 'float64' : 'int32', name: `${label}-y` });
  return [x, y];
}

export interface MakeBlobsOptions extends Common {
  nFeatures?: number;
  /** Number of centers (default 3), or the centers themselves (centers x features). */
  centers?: number | readonly (readonly number[])[];
  /** Standard deviation of every cluster, or one per cluster (default 1). */
  clusterStd?: number | readonly number[];
  /** Box the random centers are drawn from (default [-10, 10]). */
  centerBox?: readonly [number, number];
  /** Rows in a seeded order rather than cluster by cluster in turn (default true). */
  shuffle?: boolean;
}

const BLOBS: OptionSchema<MakeBlobsOptions> = {
  nSamples: rules.positiveInt,
  nFeatures: rules.positiveInt,
  centers: (v) => (isPositiveInt(v) || (Array.isArray(v) && v.length > 0 && v.every((r) => Array.isArray(r) && r.length === (v[0] as unknown[]).length)) ? undefined : 'a positive integer or a list of equal-length rows'),
  clusterStd: (v) => (typeof v === 'number' ? nonNegative(v) : Array.isArray(v) && v.every((s) => typeof s === 'number' && s >= 0) ? undefined : 'a number >= 0 or a list of them'),
  centerBox: (v) => (Array.isArray(v) && v.length === 2 && v[0] < v[1] ? undefined : 'a pair [low, high] with low < high'),
  shuffle: 'boolean',
  chunks: chunksRule,
  seed: rules.seed,
};

/** Isotropic Gaussian blobs: [X, y (int32 cluster), centers]. Cluster sizes as scikit-learn's (the first nSamples % k one larger). */
export function makeBlobs(opts: MakeBlobsOptions = {}): [Out, Out, number[][]] {
  checkOptions('makeBlobs', opts, BLOBS);
  const n = opts.nSamples ?? 100;
  const seed = seedOf(opts.seed);
  const rng = new Stream(seed, 0x626c6f62);
  const [lo, hi] = opts.centerBox ?? [-10, 10];
  let centers: number[][];
  if (Array.isArray(opts.centers)) {
    centers = (opts.centers as number[][]).map((r) => [...r]);
    if (opts.nFeatures !== undefined && opts.nFeatures !== centers[0].length) throw new RangeError(`makeBlobs: nFeatures = ${opts.nFeatures} but the centers have ${centers[0].length} features`);
  } else {
    const k = (opts.centers as number | undefined) ?? 3;
    const d = opts.nFeatures ?? 2;
    centers = Array.from({ length: k }, () => Array.from({ length: d }, () => lo + (hi - lo) * rng.next()));
  }
  const std = Array.isArray(opts.clusterStd) ? [...(opts.clusterStd as number[])] : centers.map(() => (opts.clusterStd as number | undefined) ?? 1);
  if (std.length !== centers.length) throw new RangeError(`makeBlobs: clusterStd has ${std.length} values for ${centers.length} centers`);
  const spec: BlobsSpec = { kind: 'blobs', seed, n, shuffle: opts.shuffle ?? true, centers, std };
  const [X, y] = make(spec, rowsOf(n, opts.chunks, 'makeBlobs'), centers[0].length, 'make-blobs');
  return [X, y, centers];
}

export interface MakeRegressionOptions extends Common {
  nFeatures?: number;
  /** Features with a non-zero coefficient (default 10). */
  nInformative?: number;
  nTargets?: number;
  bias?: number;
  /** Standard deviation of the Gaussian noise added to y (default 0). */
  noise?: number;
  /** Permute the features (default true), as scikit-learn. */
  shuffle?: boolean;
  /** scikit-learn's low-rank X: not implemented; refused. */
  effectiveRank?: never;
  tailStrength?: never;
}

const REGRESSION: OptionSchema<MakeRegressionOptions> = {
  nSamples: rules.positiveInt,
  nFeatures: rules.positiveInt,
  nInformative: (v) => (Number.isInteger(v) && (v as number) >= 0 ? undefined : 'an integer >= 0'),
  nTargets: rules.positiveInt,
  bias: 'number',
  noise: rules.nonNegative,
  shuffle: 'boolean',
  chunks: chunksRule,
  seed: rules.seed,
  effectiveRank: rules.notYet,
  tailStrength: rules.notYet,
};

/** A linear model's data: [X ~ N(0, 1), y = X · coef + bias + noise, coef (features x targets)]; coef is 100 · U(0, 1) on nInformative features. */
export function makeRegression(opts: MakeRegressionOptions = {}): [Out, Out, number[][]] {
  checkOptions('makeRegression', opts, REGRESSION);
  const n = opts.nSamples ?? 100;
  const d = opts.nFeatures ?? 100;
  const ni = Math.min(opts.nInformative ?? 10, d);
  const t = opts.nTargets ?? 1;
  const seed = seedOf(opts.seed);
  const rng = new Stream(seed, 0x72656772);
  const truth = Array.from({ length: d }, (_, j) => Array.from({ length: t }, () => (j < ni ? 100 * rng.next() : 0)));
  let coef = truth;
  if (opts.shuffle ?? true) {
    const order = Array.from({ length: d }, (_, j) => j);
    for (let j = d - 1; j > 0; j--) {
      const k = rng.below(j + 1);
      [order[j], order[k]] = [order[k], order[j]];
    }
    coef = order.map((j) => truth[j]);
  }
  const spec: RegressionSpec = { kind: 'regression', seed, nFeatures: d, coef, bias: opts.bias ?? 0, noise: opts.noise ?? 0 };
  const [X, y] = make(spec, rowsOf(n, opts.chunks, 'makeRegression'), d, 'make-regression');
  return [X, y, coef];
}

export interface MakeClassificationOptions extends Common {
  nFeatures?: number;
  nInformative?: number;
  nRedundant?: number;
  nRepeated?: number;
  nClasses?: number;
  nClustersPerClass?: number;
  /** Fraction of labels replaced by a random class (default 0.01). */
  flipY?: number;
  /** Half the side of the hypercube whose vertices are the cluster centers (default 1). */
  classSep?: number;
  /** Centers on the hypercube's vertices (default true) or scaled at random. */
  hypercube?: boolean;
  /** Added to every feature (default 0); null: random per feature in [-classSep, classSep]. */
  shift?: number | null;
  /** Multiplies every feature after the shift (default 1); null: random per feature in [1, 101]. */
  scale?: number | null;
  /** Rows in a seeded order and features permuted (default true). */
  shuffle?: boolean;
  /** scikit-learn's class proportions: not implemented (classes are balanced); refused. */
  weights?: never;
}

const CLASSIFICATION: OptionSchema<MakeClassificationOptions> = {
  nSamples: rules.positiveInt,
  nFeatures: rules.positiveInt,
  nInformative: rules.positiveInt,
  nRedundant: (v) => (Number.isInteger(v) && (v as number) >= 0 ? undefined : 'an integer >= 0'),
  nRepeated: (v) => (Number.isInteger(v) && (v as number) >= 0 ? undefined : 'an integer >= 0'),
  nClasses: rules.positiveInt,
  nClustersPerClass: rules.positiveInt,
  flipY: (v) => (typeof v === 'number' && v >= 0 && v <= 1 ? undefined : 'a number in [0, 1]'),
  classSep: rules.nonNegative,
  hypercube: 'boolean',
  shift: (v) => (v === null || (typeof v === 'number' && Number.isFinite(v)) ? undefined : 'a finite number or null'),
  scale: (v) => (v === null || (typeof v === 'number' && Number.isFinite(v)) ? undefined : 'a finite number or null'),
  shuffle: 'boolean',
  chunks: chunksRule,
  seed: rules.seed,
  weights: rules.notYet,
};

/**
 * scikit-learn's make_classification: Gaussian clusters about vertices of a hypercube in the
 * informative features (each cluster through its own random linear map), redundant features as
 * random combinations of them, repeated ones copied, the rest noise; labels flipped at random
 * with probability flipY. Returns [X, y (int32)].
 */
export function makeClassification(opts: MakeClassificationOptions = {}): [Out, Out] {
  checkOptions('makeClassification', opts, CLASSIFICATION);
  const who = 'makeClassification';
  const n = opts.nSamples ?? 100;
  const d = opts.nFeatures ?? 20;
  const ni = opts.nInformative ?? 2;
  const nr = opts.nRedundant ?? 2;
  const np = opts.nRepeated ?? 0;
  const nc = opts.nClasses ?? 2;
  const ncpc = opts.nClustersPerClass ?? 2;
  if (ni + nr + np > d) throw new RangeError(`${who}: nInformative + nRedundant + nRepeated (${ni + nr + np}) must be at most nFeatures (${d})`);
  const k = nc * ncpc;
  if (ni < 31 && k > 2 ** ni) throw new RangeError(`${who}: nClasses * nClustersPerClass (${k}) must be at most 2^nInformative (${2 ** ni})`);
  const seed = seedOf(opts.seed);
  const rng = new Stream(seed, 0x636c6173);
  const sep = opts.classSep ?? 1;
  // Distinct vertices of the hypercube, scaled to ±classSep.
  const seen = new Set<string>();
  const centroids: number[][] = [];
  while (centroids.length < k) {
    const v = Array.from({ length: ni }, () => rng.below(2));
    const key = v.join('');
    if (seen.has(key)) continue;
    seen.add(key);
    centroids.push(v.map((b) => b * 2 * sep - sep));
  }
  if (opts.hypercube === false) {
    const perCluster = centroids.map(() => 2 * rng.next());
    const perFeature = Array.from({ length: ni }, () => 2 * rng.next());
    centroids.forEach((c, i) => c.forEach((_, j) => (c[j] *= perCluster[i] * perFeature[j])));
  }
  const A = centroids.map(() => Array.from({ length: ni }, () => Array.from({ length: ni }, () => 2 * rng.next() - 1)));
  const B = Array.from({ length: ni }, () => Array.from({ length: nr }, () => 2 * rng.next() - 1));
  const repeated = Array.from({ length: np }, () => Math.floor((ni + nr - 1) * rng.next() + 0.5));
  const shift = Array.from({ length: d }, () => (opts.shift === null ? (2 * rng.next() - 1) * sep : (opts.shift ?? 0)));
  const scale = Array.from({ length: d }, () => (opts.scale === null ? 1 + 100 * rng.next() : (opts.scale ?? 1)));
  const shuffle = opts.shuffle ?? true;
  const columns = Array.from({ length: d }, (_, j) => j);
  if (shuffle) {
    for (let j = d - 1; j > 0; j--) {
      const q = rng.below(j + 1);
      [columns[j], columns[q]] = [columns[q], columns[j]];
    }
  }
  const spec: ClassificationSpec = { kind: 'classification', seed, n, shuffle, nClasses: nc, nInformative: ni, nRedundant: nr, nRepeated: np, nFeatures: d, centroids, A, B, repeated, flipY: opts.flipY ?? 0.01, shift, scale, columns };
  return make(spec, rowsOf(n, opts.chunks, who), d, 'make-classification');
}
