/**
 * `linalg`: qr and svd of tall-and-skinny arrays by TSQR and of short-and-fat arrays by sfqr /
 * the transpose, solve, lstsq and norm. TSQR (Demmel et al.; Dask's `tsqr`): QR of every row
 * block, QR of the stacked R factors, then each block's Q times its rows of the second Q.
 */
import { checkOptions, lit, ref, tokenize, type GraphNode, type OptionSchema } from '@pdask/core';
import { ChunkedArray, fromBlocks } from '../array';
import type { NDArray } from '../ndarray';
import { blockKey, commonChunks, sameChunks } from '../chunks';
import { binary, unary } from '../elementwise/build';
import { blockLayer } from '../layer';
import { arrayOps } from '../ops/index';
import { rechunk } from '../rechunk/rechunk';
import { reduceBuiltin } from '../reductions/reductions';
import { matmul } from './matmul';
import { expandDims, reshape, squeeze, transpose } from '../shape/shape';
import { sfqr } from './sfqr';
import { svdFlip } from './svd-flip';

type A = ChunkedArray<unknown>;
type Out = ChunkedArray<NDArray>;

interface Tsqr {
  readonly localName: string;
  readonly topKey: string;
  readonly top: ReturnType<typeof blockLayer>;
  readonly local: ReturnType<typeof blockLayer>;
  readonly a: A;
  readonly k: number;
}

function tsqrGraph(a0: A): Tsqr {
  if (a0.ndim !== 2) throw new RangeError(`tsqr needs a 2-d array, got ${a0.ndim}-d`);
  const a = a0.numblocks[1] === 1 ? a0 : rechunk(a0, [a0.chunks[0] as number[], [a0.shape[1]]]);
  const n = a.shape[1];
  if (a.chunks[0].some((r) => r < 1)) throw new RangeError('tsqr: empty row blocks are not supported');
  const tok = tokenize(a.name);
  const localName = `qr-local-${tok}`;
  const local = blockLayer(localName, 'qr-local', [a.numblocks[0]], ([i]) => arrayOps.qrBlock.task(blockKey(localName, [i]), ref(a.key([i, 0]))), [a.layer]);
  const topKey = `qr-top-${tok}`;
  const nb = a.numblocks[0];
  const top = blockLayer(topKey, 'qr-top', [], () => arrayOps.qrOfStackedR.task(topKey, ...Array.from({ length: nb }, (_, i) => ref(blockKey(localName, [i])))), [local]);
  const rows = a.chunks[0].reduce((s, r) => s + Math.min(r, n), 0);
  return { localName, topKey, top, local, a, k: Math.min(rows, n) };
}

function single(name: string, label: string, shape: number[], node: (key: string) => GraphNode, parents: ReturnType<typeof blockLayer>[]): A {
  return fromBlocks(label, name, shape, shape.map((s) => [s]), 'float64', (_, key) => node(key), [], parents);
}

function qFromTsqr(t: Tsqr, label: string, postKey: string | null, cols: number, extra: ReturnType<typeof blockLayer>[]): A {
  const name = `${label}-${tokenize(t.topKey, postKey)}`;
  const chunks = [[...t.a.chunks[0]], [cols]];
  return fromBlocks(label, name, [t.a.shape[0], cols], chunks, 'float64', ([i], key) =>
    arrayOps.qFactor.task(key, lit(i), ref(blockKey(t.localName, [i])), ref(t.topKey), postKey ? ref(postKey) : lit(null)), [], [t.top, t.local, ...extra]);
}

/**
 * TSQR of a tall-and-skinny array (reduced: Q is m x k, R is k x n, k = min(m, n)). Several
 * column blocks are rechunked to one (Dask's tsqr raises instead).
 */
export function tsqr(a: A): [Out, Out] {
  const t = tsqrGraph(a);
  const n = t.a.shape[1];
  const q = qFromTsqr(t, 'qr-q', null, t.k, []);
  const r = single(`qr-r-${tokenize(t.topKey)}`, 'qr-r', [t.k, n], (key) => arrayOps.pick.task(key, ref(t.topKey), lit('r')), [t.top]);
  return [q as Out, r as Out];
}

/** SVD through TSQR (one column block, rechunked if need be): u (m x k), s (k), vt (k x n). */
export function tsSvd(a: A): [Out, Out, Out] {
  const t = tsqrGraph(a);
  const n = t.a.shape[1];
  const svdKey = `svd-small-${tokenize(t.topKey)}`;
  const small = blockLayer(svdKey, 'svd-small', [], () => arrayOps.svdSmall.task(svdKey, ref(t.topKey)), [t.top]);
  const uKey = `svd-ur-${tokenize(svdKey)}`;
  const ur = blockLayer(uKey, 'svd-u', [], () => arrayOps.pick.task(uKey, ref(svdKey), lit('u')), [small]);
  const k = Math.min(t.k, n);
  const u = qFromTsqr(t, 'svd-u', uKey, k, [ur]);
  const s = single(`svd-s-${tokenize(svdKey)}`, 'svd-s', [k], (key) => arrayOps.pick.task(key, ref(svdKey), lit('s')), [small]);
  const vt = single(`svd-vt-${tokenize(svdKey)}`, 'svd-vt', [k, n], (key) => arrayOps.pick.task(key, ref(svdKey), lit('vt')), [small]);
  return [u as Out, s as Out, vt as Out];
}

const fmtChunks = (a: A): string => `[${a.chunks.map((c) => `[${c.join(', ')}]`).join(', ')}]`;

/** Which factorisation a 2-d chunking allows, as Dask's qr and svd decide it. */
function shapeKind(fn: string, a: A): 'tall' | 'fat' {
  if (a.ndim !== 2) throw new RangeError(`${fn} needs a 2-d array, got ${a.ndim}-d`);
  if (a.shape.some(Number.isNaN)) throw new RangeError(`${fn}: unknown chunk sizes; call computeChunkSizes() first`);
  const [nr, nc] = a.numblocks;
  if (nr > 1 && nc > 1) {
    const [cr, cc] = a.chunksize;
    throw new RangeError(
      `${fn}: a has chunks ${fmtChunks(a)} (${nr} x ${nc} blocks), but ${fn} needs one block of columns (tall and skinny, by TSQR) ` +
        `or one block of rows (short and fat). Rechunk one axis to a single block, e.g. a.rechunk([${cr}, -1]) or a.rechunk([-1, ${cc}]), ` +
        (fn === 'svd' ? 'or use linalg.svdCompressed for an approximate SVD of any chunking' : 'or call linalg.tsqr, which rechunks the columns itself'),
    );
  }
  return nc === 1 && nr > 1 ? 'tall' : 'fat';
}

/**
 * QR (reduced) as Dask dispatches it: TSQR when a has one block of columns and several of rows,
 * sfqr when it has one block of rows; any other chunking is an error naming the chunks.
 */
export function qr(a: A): [Out, Out] {
  return shapeKind('qr', a) === 'tall' ? tsqr(a) : sfqr(a);
}

export interface SvdOptions {
  /** Flip each singular pair so that the row of vt sums to >= 0, as Dask does (default true). */
  coerceSigns?: boolean;
}

/**
 * SVD: u (m x k), s (k, descending), vt (k x n), k = min(m, n), dispatched as qr. One block of
 * rows (a single block too, where Dask calls NumPy on it) is the TSQR SVD of the transpose with
 * the factors swapped, so one code path serves both shapes.
 */
const SVD_SCHEMA: OptionSchema<SvdOptions> = { coerceSigns: 'boolean' };

export function svd(a: A, options?: SvdOptions): [Out, Out, Out] {
  const opts = checkOptions('da.linalg.svd', options, SVD_SCHEMA);
  let u: Out;
  let s: Out;
  let vt: Out;
  if (shapeKind('svd', a) === 'tall') [u, s, vt] = tsSvd(a);
  else {
    const [ut, st, v] = tsSvd(transpose(a));
    [u, s, vt] = [transpose(v) as Out, st, transpose(ut) as Out];
  }
  if (opts.coerceSigns ?? true) [u, vt] = svdFlip(u, vt);
  return [u, s, vt];
}

function whole(x: A): A {
  return rechunk(x, x.shape.map(() => -1));
}

/**
 * Solves a x = b for square a by a blocked LU with partial pivoting (runtime/lu.ts): one task
 * per block column per step, so no task holds more than one block column of a. The diagonal
 * blocks are made square first (rows and columns get the same chunks), b's rows follow.
 */
export function solve(a: A, b: A): Out {
  if (a.ndim !== 2 || a.shape[0] !== a.shape[1]) throw new RangeError(`solve: a must be a square matrix, got shape [${a.shape.join(', ')}]`);
  if (b.ndim < 1 || b.ndim > 2) throw new RangeError(`solve: b must be 1-d or 2-d, got ${b.ndim}-d`);
  if (b.shape[0] !== a.shape[0]) throw new RangeError(`solve: b has ${b.shape[0]} rows, a has ${a.shape[0]}`);
  if (a.shape.some(Number.isNaN) || b.shape.some(Number.isNaN)) throw new RangeError('solve: unknown chunk sizes; call computeChunkSizes() first');
  const n = a.shape[0];
  if (n === 0) throw new RangeError('solve: a is empty');
  const cuts = commonChunks(commonChunks(a.chunks[0] as number[], a.chunks[1] as number[]), b.chunks[0] as number[]);
  const aa = sameChunks(a.chunks[0], cuts) && sameChunks(a.chunks[1], cuts) ? a : rechunk(a, [cuts, cuts]);
  const b2 = b.ndim === 1 ? expandDims(b, 1) : b;
  const bb = sameChunks(b2.chunks[0], cuts) ? b2 : rechunk(b2, [cuts, b2.chunks[1] as number[]]);
  const nb = cuts.length;
  const nc = bb.numblocks[1];
  const tok = tokenize(aa.name, bb.name);
  const luName = `lu-${tok}`;
  const fKey = (k: number) => `${luName}-f-${k}`;
  const uKey = (k: number, j: number) => `${luName}-u-${k},${j}`;
  // Block column j's panel at step k: the blocks themselves at step 0, the last update after.
  const panel = (k: number, j: number) =>
    k === 0 ? Array.from({ length: nb }, (_, i) => ref(j < nb ? aa.key([i, j]) : bb.key([i, j - nb]))) : [ref(uKey(k - 1, j))];
  const lu = blockLayer(luName, 'lu', [nb], ([k]) => {
    const nodes: GraphNode[] = [arrayOps.luFactor.task(fKey(k), ...panel(k, k))];
    for (let j = k + 1; j < nb + nc; j++) nodes.push(arrayOps.luUpdate.task(uKey(k, j), ref(fKey(k)), ...panel(k, j)));
    return nodes;
  }, [aa.layer, bb.layer]);
  const name = `solve-${tok}`;
  const x = fromBlocks<NDArray>('solve', name, [n, bb.shape[1]], [[...cuts], [...bb.chunks[1]]], 'float64', ([k, c], key) => {
    const pairs = [];
    for (let j = k + 1; j < nb; j++) pairs.push(ref(uKey(k, j)), ref(blockKey(name, [j, c])));
    return arrayOps.luBack.task(key, ref(fKey(k)), ref(uKey(k, nb + c)), ...pairs);
  }, [], [lu]);
  return (b.ndim === 1 ? squeeze(x, 1) : x) as Out;
}

/**
 * Least squares by TSQR: x = R^-1 (Q^T b). Returns [x, residuals (sum of squares per column of
 * b), rank, s (singular values of a)], as Dask does.
 */
export function lstsq(a: A, b: A): [Out, Out, ChunkedArray<number>, Out] {
  const [q, r] = tsqr(a);
  const qtb = whole(matmul(transpose(q), b));
  const rr = whole(r);
  const name = `lstsq-${tokenize(rr.name, qtb.name)}`;
  const x = fromBlocks('lstsq', name, [...qtb.shape], qtb.shape.map((s) => [s]), 'float64', (_idx, key) =>
    arrayOps.solveUpper.task(key, ref(rr.key([0, 0])), ref(qtb.key(qtb.shape.map(() => 0)))), [rr, qtb]);
  const res = binary('sub', matmul(a, x), b);
  // NumPy returns residuals of shape (1,) for a 1-d b, (K,) for K columns: the axis-0 sum of a
  // 1-d b is 0-d, so it gets its one axis back.
  const summed = reduceBuiltin(binary('mul', res, res), 'sum', { axis: 0 });
  const residuals = b.ndim === 1 ? expandDims(summed, 0) : summed;
  const [, s] = tsSvd(a);
  const tol = binary('mul', reduceBuiltin(s, 'max'), Math.max(...a.shape) * Number.EPSILON);
  const rank = reduceBuiltin<number>(binary('gt', s, tol), 'sum');
  return [x as Out, residuals as Out, rank, s as Out];
}

export interface NormOptions {
  /** Vector: 2 (default), 1, Infinity, -Infinity, 0 or any p. Matrix: 'fro' (default), 'nuc', 1, -1, Infinity, -Infinity, 2, -2. */
  ord?: number | 'fro' | 'nuc';
  axis?: number | readonly [number, number];
  keepdims?: boolean;
}

/** Vector and matrix norms (NumPy's linalg.norm). */
const NORM_SCHEMA: OptionSchema<NormOptions> = {
  ord: { anyOf: ['number', { oneOf: ['fro', 'nuc'] }] },
  axis: { anyOf: ['integer', 'array', { oneOf: [null] }] },
  keepdims: 'boolean',
};

export function norm(x: A, opts?: NormOptions): ChunkedArray<NDArray | number> {
  return normOf(x, checkOptions('da.linalg.norm', opts, NORM_SCHEMA)) as ChunkedArray<NDArray | number>;
}

function normOf(x: A, opts: NormOptions): A {
  const { ord, keepdims } = opts;
  const axis = opts.axis ?? (x.ndim <= 2 ? undefined : null);
  if (axis === null) throw new RangeError('norm: give an axis for arrays of more than 2 dimensions');
  const matrix = (axis === undefined && x.ndim === 2) || Array.isArray(axis);
  const abs = unary('abs', x);
  if (!matrix) {
    const r = { axis: axis as number | undefined, keepdims };
    if (ord === undefined || ord === 2) return unary('sqrt', reduceBuiltin(binary('mul', abs, abs), 'sum', r));
    if (ord === Infinity) return reduceBuiltin(abs, 'max', r);
    if (ord === -Infinity) return reduceBuiltin(abs, 'min', r);
    if (ord === 0) return reduceBuiltin(binary('ne', x, 0), 'sum', r);
    if (ord === 1) return reduceBuiltin(abs, 'sum', r);
    if (typeof ord !== 'number') throw new RangeError(`norm: invalid norm order '${ord}' for vectors`);
    return binary('pow', reduceBuiltin(binary('pow', abs, ord), 'sum', r), 1 / ord);
  }
  const [r0, c0] = (axis as readonly [number, number] | undefined) ?? [0, 1];
  const ax = [r0 < 0 ? r0 + x.ndim : r0, c0 < 0 ? c0 + x.ndim : c0] as const;
  if (ord === undefined || ord === 'fro') return unary('sqrt', reduceBuiltin(binary('mul', abs, abs), 'sum', { axis: ax, keepdims }));
  if (ord === 1 || ord === -1) return reduceBuiltin(reduceBuiltin(abs, 'sum', { axis: ax[0], keepdims: true }), ord === 1 ? 'max' : 'min', { axis: ax, keepdims });
  if (ord === Infinity || ord === -Infinity) return reduceBuiltin(reduceBuiltin(abs, 'sum', { axis: ax[1], keepdims: true }), ord === Infinity ? 'max' : 'min', { axis: ax, keepdims });
  if (ord === 2 || ord === -2 || ord === 'nuc') {
    if (x.ndim !== 2) throw new RangeError(`norm: ord ${ord} needs a 2-d array`);
    const [, s] = tsSvd(x.shape[0] >= x.shape[1] ? x : transpose(x));
    const v = reduceBuiltin(s, ord === 2 ? 'max' : ord === -2 ? 'min' : 'sum');
    // The singular values have no axes of x left to keep: keepdims puts back both as length 1.
    return keepdims ? reshape(v, [1, 1]) : v;
  }
  throw new RangeError(`norm: invalid norm order '${ord}' for matrices`);
}
