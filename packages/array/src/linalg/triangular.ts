/**
 * Dask's blocked factorisations over square blocks: `cholesky`, `lu` (pivoting within the
 * diagonal blocks, as Dask's `lu`: a = p l u with p block-diagonal), `solveTriangular`, and `inv`
 * (through the blocked `solve`). The tasks follow dask/array/linalg.py block by block; kernels
 * are in runtime/blocked-linalg.ts.
 */
import { checkOptions, lit, ref, tokenize, type GraphNode, type OptionSchema } from '@pdask/core';
import { fromBlocks, type ChunkedArray } from '../array';
import { blockKey, commonChunks, sameChunks } from '../chunks';
import { eye } from '../creation/creation';
import type { NDArray } from '../ndarray';
import { arrayOps } from '../ops/index';
import { rechunk } from '../rechunk/rechunk';
import { expandDims, squeeze } from '../shape/shape';
import { blockLayer } from '../layer';
import { solve } from './linalg';

type A = ChunkedArray<unknown>;
type Out = ChunkedArray<NDArray>;

/** a as a square matrix whose diagonal blocks are square (rows and columns on the same cuts). */
function squareBlocks(fn: string, a: A, also: readonly (readonly number[])[] = []): { aa: A; cuts: number[] } {
  if (a.ndim !== 2) throw new RangeError(`${fn}: a must be 2-d, got ${a.ndim}-d`);
  if (a.shape.some(Number.isNaN)) throw new RangeError(`${fn}: unknown chunk sizes; call computeChunkSizes() first`);
  if (a.shape[0] !== a.shape[1]) throw new RangeError(`${fn}: a must be a square matrix, got shape [${a.shape.join(', ')}]`);
  if (a.shape[0] === 0) throw new RangeError(`${fn}: a is empty`);
  let cuts = commonChunks(a.chunks[0] as number[], a.chunks[1] as number[]);
  for (const c of also) cuts = commonChunks(cuts, c as number[]);
  const aa = sameChunks(a.chunks[0], cuts) && sameChunks(a.chunks[1], cuts) ? a : rechunk(a, [cuts, cuts]);
  return { aa, cuts };
}

const range = (from: number, to: number): number[] => Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);

export interface CholeskyOptions {
  /** The lower factor L (a = L L^T) instead of the upper U (a = U^T U, Dask's default). */
  lower?: boolean;
}
const CHOLESKY_SCHEMA: OptionSchema<CholeskyOptions> = { lower: 'boolean' };

/**
 * Cholesky factor of a symmetric positive-definite matrix (Dask's `cholesky(a, lower=False)`):
 * block (i, i) of L is chol(A_ii - Σ L_ip L_ip^T), block (i, j) below it solves against L_jj.
 * As Dask, the diagonal blocks read A's lower triangle and the others A's blocks above the diagonal.
 */
export function cholesky(a: A, options?: CholeskyOptions): Out {
  const opts = checkOptions('da.linalg.cholesky', options, CHOLESKY_SCHEMA);
  const { aa, cuts } = squareBlocks('cholesky', a);
  const chunks = [cuts, cuts];
  const tok = tokenize(aa.name);
  const lname = `cholesky-${tok}`;
  const L = (i: number, j: number) => ref(blockKey(lname, [i, j]));
  const lower = fromBlocks<NDArray>('cholesky', lname, aa.shape, chunks, 'float64', ([i, j], key) => {
    if (i < j) return arrayOps.zeroBlock.task(key, lit([cuts[i], cuts[j]]));
    if (i === j) return arrayOps.choleskyDiag.task(key, ref(aa.key([i, i])), ...range(0, i).flatMap((p) => [L(i, p), L(i, p)]));
    return arrayOps.choleskyOff.task(key, ref(aa.key([j, i])), L(j, j), ...range(0, j).flatMap((p) => [L(j, p), L(i, p)]));
  }, [aa]);
  if (opts.lower) return lower;
  const uname = `cholesky-upper-${tok}`;
  return fromBlocks<NDArray>('cholesky-upper', uname, aa.shape, chunks, 'float64', ([i, j], key) =>
    i > j ? arrayOps.zeroBlock.task(key, lit([cuts[i], cuts[j]])) : arrayOps.transpose2d.task(key, L(j, i)), [lower]);
}

/**
 * LU of a square matrix as Dask's `lu`: `[p, l, u]` with a = p l u, each with a's (square)
 * blocks. Each diagonal block is factored with partial pivoting within the block (scipy's `lu`),
 * so p is block-diagonal: these are Dask's factors, not LAPACK's whole-matrix ones.
 */
export function lu(a: A): [Out, Out, Out] {
  const { aa, cuts } = squareBlocks('lu', a);
  const nb = cuts.length;
  const chunks = [cuts, cuts];
  const tok = tokenize(aa.name);
  const fname = `lu-lu-${tok}`;
  const F = (i: number, j: number) => ref(blockKey(fname, [i, j]));
  const factors = blockLayer(fname, 'lu-lu', [nb, nb], ([i, j]) => {
    const key = blockKey(fname, [i, j]);
    if (i === j) return arrayOps.luDiag.task(key, ref(aa.key([i, i])), ...range(0, i).flatMap((p) => [F(i, p), F(p, i)]));
    if (i < j) return arrayOps.luRight.task(key, F(i, i), ref(aa.key([i, j])), ...range(0, i).flatMap((p) => [F(i, p), F(p, j)]));
    return arrayOps.luBelow.task(key, F(j, j), ref(aa.key([i, j])), ...range(0, j).flatMap((p) => [F(i, p), F(p, j)]));
  }, [aa.layer]);
  const zero = (key: string, i: number, j: number): GraphNode => arrayOps.zeroBlock.task(key, lit([cuts[i], cuts[j]]));
  const part = (label: string, make: (i: number, j: number, key: string) => GraphNode): Out =>
    fromBlocks<NDArray>(label, `${label}-${tok}`, aa.shape, chunks, 'float64', ([i, j], key) => make(i, j, key), [], [factors]);
  const p = part('lu-p', (i, j, key) => (i === j ? arrayOps.pick.task(key, F(i, i), lit('p')) : zero(key, i, j)));
  const l = part('lu-l', (i, j, key) =>
    i === j ? arrayOps.pick.task(key, F(i, i), lit('l')) : i > j ? arrayOps.luLowerBlock.task(key, F(i, i), F(i, j)) : zero(key, i, j));
  const u = part('lu-u', (i, j, key) =>
    i === j ? arrayOps.pick.task(key, F(i, i), lit('u')) : i < j ? arrayOps.sameBlock.task(key, F(i, j)) : zero(key, i, j));
  return [p, l, u];
}

export interface SolveTriangularOptions {
  /** a is lower triangular (only its lower triangle is read); default upper, as Dask. */
  lower?: boolean;
}
const SOLVE_TRI_SCHEMA: OptionSchema<SolveTriangularOptions> = { lower: 'boolean' };

/**
 * Solves a x = b for triangular a (Dask's `solve_triangular`), block row by block row:
 * x_ij = a_ii^-1 (b_ij - Σ_k a_ik x_kj) over the blocks already solved. Where Dask requires
 * `a.chunks[1] == b.chunks[0]`, a and b are rechunked to common square blocks.
 */
export function solveTriangular(a: A, b: A, options?: SolveTriangularOptions): Out {
  const lower = checkOptions('da.linalg.solveTriangular', options, SOLVE_TRI_SCHEMA).lower ?? false;
  if (b.ndim < 1 || b.ndim > 2) throw new RangeError(`solveTriangular: b must be 1-d or 2-d, got ${b.ndim}-d`);
  if (a.ndim === 2 && b.shape[0] !== a.shape[1]) throw new RangeError(`solveTriangular: a.shape[1] (${a.shape[1]}) and b.shape[0] (${b.shape[0]}) must be equal`);
  if (b.shape.some(Number.isNaN)) throw new RangeError('solveTriangular: unknown chunk sizes in b; call computeChunkSizes() first');
  const { aa, cuts } = squareBlocks('solveTriangular', a, [b.chunks[0]]);
  const b2 = b.ndim === 1 ? expandDims(b, 1) : b;
  const bb = sameChunks(b2.chunks[0], cuts) ? b2 : rechunk(b2, [cuts, b2.chunks[1] as number[]]);
  const nb = cuts.length;
  const name = `solve-triangular-${tokenize(aa.name, bb.name, lower)}`;
  const x = fromBlocks<NDArray>('solve-triangular', name, bb.shape, bb.chunks, 'float64', ([i, j], key) => {
    const ks = lower ? range(0, i) : range(i + 1, nb);
    return arrayOps.triSolveBlock.task(key, lit(lower), ref(aa.key([i, i])), ref(bb.key([i, j])), ...ks.flatMap((k) => [ref(aa.key([i, k])), ref(blockKey(name, [k, j]))]));
  }, [aa, bb]);
  return (b.ndim === 1 ? squeeze(x, 1) : x) as Out;
}

/** The inverse of a square matrix: the blocked LU solve of a x = I (Dask's `inv`: `solve(a, eye)`). */
export function inv(a: A): Out {
  if (a.ndim !== 2 || a.shape[0] !== a.shape[1]) throw new RangeError(`inv: a must be a square matrix, got shape [${a.shape.join(', ')}]`);
  const rows = a.chunks[0] as number[];
  return solve(a, eye(a.shape[0], { chunks: [rows, rows] }));
}
