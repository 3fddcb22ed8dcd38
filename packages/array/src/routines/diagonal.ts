/** diag, diagonal, trace, tril and triu: block by block, reading only the blocks on the diagonal. */
import { lit, ref, tokenize } from '@pdask/core';
import { fromBlocks, type ChunkedArray } from '../array';
import { blockContaining, boundaries } from '../chunks';
import type { NDArray } from '../ndarray';
import { arrayOps } from '../ops/index';
import { reduceBuiltin } from '../reductions/reductions';

type A = ChunkedArray<unknown>;

function axisOf(a: number, nd: number, fn: string): number {
  if (!Number.isInteger(a) || a < -nd || a >= nd) throw new RangeError(`${fn}: axis ${a} is out of bounds for array of dimension ${nd}`);
  return a < 0 ? a + nd : a;
}

/** One piece of the diagonal: within row block `i` and column block `j`, from local (r0, c0). */
interface Segment {
  readonly i: number;
  readonly j: number;
  readonly r0: number;
  readonly c0: number;
  readonly len: number;
}

function segments(rows: readonly number[], cols: readonly number[], offset: number): Segment[] {
  const br = boundaries(rows);
  const bc = boundaries(cols);
  const rs = Math.max(0, -offset);
  const cs = Math.max(0, offset);
  const len = Math.max(0, Math.min(br[br.length - 1] - rs, bc[bc.length - 1] - cs));
  if (len === 0) return [];
  const cuts = new Set<number>([0, len]);
  for (const b of br) if (b - rs > 0 && b - rs < len) cuts.add(b - rs);
  for (const b of bc) if (b - cs > 0 && b - cs < len) cuts.add(b - cs);
  const ts = [...cuts].sort((a, b) => a - b);
  const out: Segment[] = [];
  for (let k = 0; k + 1 < ts.length; k++) {
    const r = ts[k] + rs;
    const c = ts[k] + cs;
    const i = blockContaining(br, r);
    const j = blockContaining(bc, c);
    out.push({ i, j, r0: r - br[i], c0: c - bc[j], len: ts[k + 1] - ts[k] });
  }
  return out;
}

/** NumPy's `diagonal(a, offset, axis1, axis2)`: the other axes, then the diagonal. */
export function diagonal(x: A, offset = 0, axis1 = 0, axis2 = 1): ChunkedArray<NDArray> {
  const nd = x.ndim;
  if (nd < 2) throw new RangeError('diag requires an array of at least two dimensions');
  if (!Number.isInteger(offset)) throw new TypeError(`diagonal: offset ${offset} is not an integer`);
  const a1 = axisOf(axis1, nd, 'diagonal');
  const a2 = axisOf(axis2, nd, 'diagonal');
  if (a1 === a2) throw new RangeError('axis1 and axis2 cannot be the same');
  const segs = segments(x.chunks[a1], x.chunks[a2], offset);
  const rest = x.shape.map((_, d) => d).filter((d) => d !== a1 && d !== a2);
  const shape = [...rest.map((d) => x.shape[d]), segs.reduce((n, s) => n + s.len, 0)];
  const chunks = [...rest.map((d) => [...x.chunks[d]]), segs.length ? segs.map((s) => s.len) : [0]];
  const name = `diagonal-${tokenize(x.name, offset, a1, a2)}`;
  return fromBlocks('diagonal', name, shape, chunks, x.dtype, (idx, key) => {
    const seg = segs[idx[idx.length - 1]];
    if (!seg) return arrayOps.zerosBlock.task(key, lit(x.dtype), lit(idx.map((b, d) => chunks[d][b])));
    const src = new Array<number>(nd);
    rest.forEach((d, k) => (src[d] = idx[k]));
    src[a1] = seg.i;
    src[a2] = seg.j;
    return arrayOps.diagonalBlock.task(key, lit(a1), lit(a2), lit(seg.r0), lit(seg.c0), lit(seg.len), ref(x.key(src)));
  }, [x]);
}

/**
 * NumPy's `diag`: the k-th diagonal of a 2-d array, or a 2-d array with a 1-d one on its k-th
 * diagonal. For a vector the result's blocks follow v's, plus one block of |k| rows or columns;
 * off-diagonal blocks are zeros made without reading v.
 */
export function diag(v: A, k = 0): ChunkedArray<NDArray> {
  if (!Number.isInteger(k)) throw new TypeError(`diag: k ${k} is not an integer`);
  if (v.ndim === 2) return diagonal(v, k);
  if (v.ndim !== 1) throw new RangeError('Input must be 1- or 2-d.');
  const c = [...v.chunks[0]];
  const m = Math.abs(k);
  const rows = k < 0 ? [m, ...c] : k > 0 ? [...c, m] : c;
  const cols = k > 0 ? [m, ...c] : k < 0 ? [...c, m] : c;
  const n = v.shape[0] + m;
  const nb = c.length;
  const shift = k > 0 ? [0, 1] : k < 0 ? [1, 0] : [0, 0];
  const name = `diag-${tokenize(v.name, k)}`;
  return fromBlocks('diag', name, [n, n], [rows, cols], v.dtype, (idx, key) => {
    const b = idx[0] - shift[0];
    if (b >= 0 && b < nb && idx[1] - shift[1] === b) return arrayOps.diagMatrixBlock.task(key, ref(v.key([b])));
    return arrayOps.zerosBlock.task(key, lit(v.dtype), lit([rows[idx[0]], cols[idx[1]]]));
  }, [v]);
}

/** NumPy's `trace`: the sum along the diagonal (over the other axes' positions). */
export function trace(x: A, offset = 0, axis1 = 0, axis2 = 1): ChunkedArray<NDArray | number> {
  return reduceBuiltin(diagonal(x, offset, axis1, axis2), 'sum', { axis: -1 }) as ChunkedArray<NDArray | number>;
}

function tri(x: A, k: number, lower: boolean): ChunkedArray<NDArray> {
  const fn = lower ? 'tril' : 'triu';
  if (x.ndim < 2) throw new RangeError(`${fn}: the array must be at least 2-d, got ${x.ndim}-d`);
  if (!Number.isInteger(k)) throw new TypeError(`${fn}: k ${k} is not an integer`);
  const nd = x.ndim;
  const br = boundaries(x.chunks[nd - 2]);
  const bc = boundaries(x.chunks[nd - 1]);
  const name = `${fn}-${tokenize(x.name, k)}`;
  return fromBlocks(fn, name, x.shape, x.chunks, x.dtype, (idx, key) => {
    const i = idx[nd - 2];
    const j = idx[nd - 1];
    const rows = br[i + 1] - br[i];
    const cols = bc[j + 1] - bc[j];
    const local = k - bc[j] + br[i]; // the global diagonal in block coordinates
    const shape = idx.map((b, d) => x.chunks[d][b]);
    // Blocks entirely outside the triangle are zeros and do not read x.
    const none = lower ? -(rows - 1) > local : cols - 1 < local;
    if (none && rows > 0 && cols > 0) return arrayOps.zerosBlock.task(key, lit(x.dtype), lit(shape));
    return arrayOps.triBlock.task(key, lit(lower), lit(local), ref(x.key(idx)));
  }, [x]);
}

/** Lower triangle (of the last two axes): elements with column - row <= k kept, others zero. */
export const tril = (x: A, k = 0): ChunkedArray<NDArray> => tri(x, k, true);
/** Upper triangle: elements with column - row >= k kept. */
export const triu = (x: A, k = 0): ChunkedArray<NDArray> => tri(x, k, false);
