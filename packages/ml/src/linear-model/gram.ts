/**
 * The centred normal equations of (weighted) least squares from one pass over the blocks: with an
 * intercept, G = XcᵀWXc and b = XcᵀWyc for X and y centred on their weighted means (from the
 * raw sums: G = XᵀWX − Σw · x̄x̄ᵀ, which loses digits when the means dwarf the spread; scikit-learn
 * centres the data itself).
 */
import type { ChunkedArray } from '@pdask/array';
import type { ComputeOptions } from '@pdask/core';
import { runBlockReduce } from '../graph/block-reduce';
import { mlOps } from '../ops/index';
import type { GramPartial } from '../runtime/gram';

export interface Normal {
  /** Full symmetric d x d. */
  readonly gram: Float64Array;
  readonly xty: Float64Array;
  readonly xMean: Float64Array;
  readonly yMean: number;
  /** Σ w (y − ȳ)² (or Σ w y² without an intercept). */
  readonly yy: number;
  readonly wsum: number;
  readonly d: number;
}

export async function normalEquations(x: ChunkedArray<unknown>, y: ChunkedArray<unknown>, weighted: boolean, fitIntercept: boolean, opts: ComputeOptions): Promise<Normal> {
  const d = x.shape[1] - (weighted ? 1 : 0);
  const g = await runBlockReduce<GramPartial>({ label: 'gram', x, y, partial: mlOps.gramPartial, partialArgs: () => [weighted], combine: mlOps.combineGram }, opts);
  const gram = new Float64Array(d * d);
  for (let a = 0; a < d; a++) for (let b = a; b < d; b++) gram[a * d + b] = gram[b * d + a] = g.gram[a * d + b];
  const xMean = new Float64Array(d);
  let yMean = 0;
  let yy = g.yy;
  const xty = g.xty.slice();
  if (fitIntercept) {
    for (let a = 0; a < d; a++) xMean[a] = g.xsum[a] / g.wsum;
    yMean = g.ysum / g.wsum;
    for (let a = 0; a < d; a++) {
      xty[a] -= g.wsum * xMean[a] * yMean;
      for (let b = 0; b < d; b++) gram[a * d + b] -= g.wsum * xMean[a] * xMean[b];
    }
    yy -= g.wsum * yMean * yMean;
  }
  return { gram, xty, xMean, yMean, yy, wsum: g.wsum, d };
}
