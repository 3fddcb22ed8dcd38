/**
 * pairwiseDistances / euclideanDistances: a lazy (rows of X) x (rows of Y) array, one task per
 * pair of row blocks, each computing its distances directly (Σ (x - y)² rather than scikit-learn's
 * |x|² - 2 x·y + |y|², which loses digits for near points).
 */
import { blockwise, type ChunkedArray, type NDArray } from '@pdask/array';
import { checkOptions } from '@pdask/core';
import { mlOps } from '../ops/index';
import { asMatrix, type Data } from '../validate';
import type { PairwiseMetric as KernelMetric } from './pairwise-kernel';

// An alias declared here, not a re-export (see preprocessing/index.ts: tsup's declaration bundle).
export type PairwiseMetric = KernelMetric;

export interface PairwiseDistancesOptions {
  /** 'euclidean' (default), 'sqeuclidean', 'manhattan' (also 'cityblock', 'l1') or 'cosine'. */
  metric?: PairwiseMetric | 'cityblock' | 'l1' | 'l2';
  nJobs?: never;
  forceAllFinite?: never;
}

const METRICS = ['euclidean', 'sqeuclidean', 'manhattan', 'cosine', 'cityblock', 'l1', 'l2'];

function distances(X: Data, Y: Data | undefined, metric: PairwiseMetric, who: string): ChunkedArray<NDArray> {
  const x = asMatrix(X, who, 'X');
  const y = Y === undefined ? x : asMatrix(Y, who, 'Y');
  if (y.shape[1] !== x.shape[1]) throw new RangeError(`${who}: X has ${x.shape[1]} features but Y has ${y.shape[1]}`);
  return blockwise(mlOps.pairwiseBlock as never, 'ij', metric, null, x, 'ik', y, 'jk', { concatenate: true, dtype: 'float64', name: `pairwise-${metric}` });
}

/** Distances between the rows of X and those of Y (of X itself without Y), lazily: shape (X rows, Y rows), X's row blocks by Y's. */
export function pairwiseDistances(X: Data, Y?: Data, opts: PairwiseDistancesOptions = {}): ChunkedArray<NDArray> {
  checkOptions('pairwiseDistances', opts, {
    metric: (v) => (METRICS.includes(v as string) ? undefined : METRICS.map((m) => `'${m}'`).join(', ')),
    nJobs: { unsupported: 'the scheduler decides the parallelism' },
    forceAllFinite: { unsupported: 'NaN and infinities propagate' },
  });
  const m = opts.metric ?? 'euclidean';
  const metric: PairwiseMetric = m === 'cityblock' || m === 'l1' ? 'manhattan' : m === 'l2' ? 'euclidean' : m;
  return distances(X, Y, metric, 'pairwiseDistances');
}

export interface EuclideanDistancesOptions {
  /** Squared distances (default false). */
  squared?: boolean;
  XNormSquared?: never;
  YNormSquared?: never;
}

/** Euclidean distances between rows (scikit-learn's euclidean_distances), lazily. */
export function euclideanDistances(X: Data, Y?: Data, opts: EuclideanDistancesOptions = {}): ChunkedArray<NDArray> {
  checkOptions('euclideanDistances', opts, { squared: 'boolean', XNormSquared: { unsupported: 'norms are computed in the tasks' }, YNormSquared: { unsupported: 'norms are computed in the tasks' } });
  return distances(X, Y, opts.squared ? 'sqeuclidean' : 'euclidean', 'euclideanDistances');
}
