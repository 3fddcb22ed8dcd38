/**
 * Randomized SVD (Halko, Martinsson & Tropp 2011; Dask's svd_compressed): project a onto a
 * seeded Gaussian test matrix, optionally sharpen the sample by power iterations, take an
 * orthonormal basis Q of it by TSQR, and factor the small Q^T a. Only the sample (m x l, one
 * block of columns) needs TSQR, so a may be chunked along both axes.
 */
import { checkOptions, intAtLeast, type OptionSchema } from '@pdask/core';
import type { ChunkedArray } from '../array';
import { normal } from '../creation/random';
import type { NDArray } from '../ndarray';
import { transpose } from '../shape/shape';
import { getitem } from '../slicing/slicing';
import { tsqr, tsSvd } from './linalg';
import { matmul } from './matmul';
import { svdFlip } from './svd-flip';

type A = ChunkedArray<unknown>;
type Out = ChunkedArray<NDArray>;

export interface SvdCompressedOptions {
  /** Power iterations (each re-orthogonalised by TSQR); sharpen a slowly decaying spectrum. Default 0. */
  nPowerIter?: number;
  /** Columns sampled beyond k (Dask's default 10); the sample has at least 20 when a allows. */
  nOversamples?: number;
  /** Seed of the test matrix; without one, a seed is drawn when the graph is built. */
  seed?: number;
  /** Flip each singular pair so that the row of v sums to >= 0, as Dask does (default true). */
  coerceSigns?: boolean;
}

/** Dask's floor on the sample's width, whatever k: small samples lose accuracy fast. */
const MIN_SUBSPACE = 20;

const count = (name: string, v: number): number => {
  if (!Number.isInteger(v) || v < 0) throw new RangeError(`svdCompressed: ${name} must be a non-negative integer, got ${v}`);
  return v;
};

/** The k leading singular triplets, approximately: [u (m x k), s (k), v (k x n)]. */
const SCHEMA: OptionSchema<SvdCompressedOptions & { compute?: unknown }> = {
  nPowerIter: intAtLeast(0),
  nOversamples: intAtLeast(0),
  seed: 'integer',
  coerceSigns: 'boolean',
  compute: { unsupported: 'not implemented yet (the factors are lazy arrays; compute them)' },
};

export function svdCompressed(a: A, k: number, options?: SvdCompressedOptions): [Out, Out, Out] {
  const opts = checkOptions('da.linalg.svdCompressed', options, SCHEMA);
  if (a.ndim !== 2) throw new RangeError(`svdCompressed needs a 2-d array, got ${a.ndim}-d`);
  if (a.shape.some(Number.isNaN)) throw new RangeError('svdCompressed: unknown chunk sizes; call computeChunkSizes() first');
  const [m, n] = a.shape;
  const kmax = Math.min(m, n);
  if (!Number.isInteger(k) || k < 1 || k > kmax) {
    throw new RangeError(`svdCompressed: k must be an integer from 1 to min(m, n) = ${kmax} for shape [${m}, ${n}], got ${k}`);
  }
  const nPower = count('nPowerIter', opts.nPowerIter ?? 0);
  const l = Math.min(Math.max(MIN_SUBSPACE, k + count('nOversamples', opts.nOversamples ?? 10)), kmax);
  // The test matrix's rows follow a's column chunks, so a @ omega needs no rechunk.
  const omega = normal(0, 1, [n, l], { chunks: [[...a.chunks[1]], [l]], seed: opts.seed });
  let sample: A = matmul(a, omega);
  for (let i = 0; i < nPower; i++) {
    // Orthonormalising between products keeps the small singular directions from drowning in round-off.
    const [q1] = tsqr(sample);
    const [q2] = tsqr(matmul(transpose(a), q1));
    sample = matmul(a, q2);
  }
  const [q] = tsqr(sample);
  // Q^T a is l x n with one block of rows; its transpose is tall and skinny.
  const [ub, s, vtb] = tsSvd(transpose(matmul(transpose(q), a)));
  const u = matmul(q, transpose(vtb));
  const v = transpose(ub);
  const cut = `:${k}`;
  const uk = getitem(u, [':', cut]) as Out;
  const vk = getitem(v, [cut, ':']) as Out;
  const [uf, vf] = (opts.coerceSigns ?? true) ? svdFlip(uk, vk) : [uk, vk];
  return [uf, getitem(s, [cut]) as Out, vf];
}
