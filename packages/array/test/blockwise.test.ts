/**
 * blockwise (Dask's index notation) and mapBlocks' dropAxis/newAxis: references computed here, and
 * NumPy fixtures (section "gaps") for broadcasting and diagonals.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { closeThreadPools } from '@pdask/core';
import * as da from '../src/index';
import { NDArray } from '../src/ndarray';
import { CHUNKINGS, decode, expectClose, fixtures, input, type Enc } from './helpers';

afterAll(() => closeThreadPools());
const sync = { scheduler: 'sync' } as const;
const threads = { scheduler: 'threads', numWorkers: 2 } as const;

/** A C-ordered matrix with distinct small values (exact in float64). */
function mat(r: number, c: number, seed: number): NDArray {
  return new NDArray(Float64Array.from({ length: r * c }, (_, p) => ((p * 7 + seed * 13) % 23) - 11), [r, c], 'float64');
}
function matmulRef(a: NDArray, b: NDArray): number[] {
  const [n, m] = a.shape;
  const k = b.shape[1];
  const out: number[] = [];
  for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) {
    let s = 0;
    for (let t = 0; t < m; t++) s += a.data[i * m + t] * b.data[t * k + j];
    out.push(s);
  }
  return out;
}

// Self-contained block functions (they run on worker threads).
function addBlocks(x: NDArray, y: NDArray): NDArray {
  const [r, c] = x.shape;
  const out = new Float64Array(r * c);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) out[i * c + j] = x.data[i * c + j] + y.data[j * r + i];
  return new (x.constructor as new (d: Float64Array, s: readonly number[], t: string) => NDArray)(out, [r, c], 'float64');
}
function mm(a: NDArray, b: NDArray): NDArray {
  const [n, m] = a.shape;
  const k = b.shape[1];
  const out = new Float64Array(n * k);
  for (let i = 0; i < n; i++) for (let t = 0; t < m; t++) for (let j = 0; j < k; j++) out[i * k + j] += a.data[i * m + t] * b.data[t * k + j];
  return new (a.constructor as new (d: Float64Array, s: readonly number[], t: string) => NDArray)(out, [n, k], 'float64');
}
function mmList(as: NDArray[], bs: NDArray[]): NDArray {
  const n = as[0].shape[0];
  const k = bs[0].shape[1];
  const out = new Float64Array(n * k);
  for (let q = 0; q < as.length; q++) {
    const a = as[q];
    const b = bs[q];
    const m = a.shape[1];
    for (let i = 0; i < n; i++) for (let t = 0; t < m; t++) for (let j = 0; j < k; j++) out[i * k + j] += a.data[i * m + t] * b.data[t * k + j];
  }
  return new (as[0].constructor as new (d: Float64Array, s: readonly number[], t: string) => NDArray)(out, [n, k], 'float64');
}

describe('blockwise', () => {
  it("adds x and y.T through indices: blockwise(fn, 'ij', x, 'ij', y, 'ji')", async () => {
    const x = mat(7, 5, 1);
    const y = mat(5, 7, 2);
    const want: number[] = [];
    for (let i = 0; i < 7; i++) for (let j = 0; j < 5; j++) want.push(x.data[i * 5 + j] + y.data[j * 7 + i]);
    // y's chunks are the transpose of x's, and then a different chunking that must be aligned.
    for (const [cx, cy] of [[[3, 2], [2, 3]], [[[2, 4, 1], [5]], [2, [3, 3, 1]]]] as const) {
      const dx = da.fromArray(x, { chunks: cx as never });
      const dy = da.fromArray(y, { chunks: cy as never });
      const r = da.blockwise(addBlocks, 'ij', dx, 'ij', dy, 'ji', { dtype: 'float64' });
      expect(r.shape).toEqual([7, 5]);
      for (const o of [sync, threads]) expect(Array.from((await r.compute(o)).data)).toEqual(want);
    }
  });

  it('contracts a repeated index: matmul with concatenate: true, and with block lists (concatenate false)', async () => {
    const a = mat(6, 7, 3);
    const b = mat(7, 4, 4);
    const want = matmulRef(a, b);
    const dA = da.fromArray(a, { chunks: [[2, 4], [3, 3, 1]] });
    const dB = da.fromArray(b, { chunks: [[3, 3, 1], 2] });
    const r = da.blockwise(mm, 'ik', dA, 'ij', dB, 'jk', { concatenate: true });
    expect(r.chunks).toEqual([[2, 4], [2, 2]]);
    expect(r.npartitions).toBe(4);
    expect(Array.from((await r.compute(threads)).data)).toEqual(want);
    const l = da.blockwise(mmList, 'ik', dA, 'ij', dB, 'jk');
    expect(Array.from((await l.compute(sync)).data)).toEqual(want);
    // Same as the built-in matmul.
    expect(Array.from((await dA.matmul(dB).compute(sync)).data)).toEqual(want);
  });

  it('adjustChunks, newAxes and literal arguments', async () => {
    const x = da.arange(10, { chunks: 4 });
    // Each block summed to one value: chunks of 'i' become 1.
    const sums = da.blockwise((b: NDArray) => new Float64Array([Array.from(b.data).reduce((s, v) => s + v, 0)]), 'i', x, 'i', { adjustChunks: { i: 1 }, dtype: 'float64' });
    expect(sums.chunks).toEqual([[1, 1, 1]]);
    expect(Array.from((await sums.compute(sync)).data)).toEqual([6, 22, 17]);
    const half = da.blockwise((b: NDArray) => b.data.length / 2, 'i', x, 'i', { adjustChunks: { i: (n: number) => n * 2 }, dtype: 'float64' });
    expect(half.chunks).toEqual([[8, 8, 4]]);
    // A new axis of length 3 and a literal scale factor.
    const rep = da.blockwise(
      (b: NDArray, k: number) => {
        const n = b.data.length;
        const out = new Float64Array(n * 3);
        for (let i = 0; i < n; i++) for (let j = 0; j < 3; j++) out[i * 3 + j] = b.data[i] * k * (j + 1);
        return out;
      },
      'ij', x, 'i', 2, null, { newAxes: { j: 3 }, dtype: 'float64' },
    );
    expect(rep.shape).toEqual([10, 3]);
    const got = await rep.compute(threads);
    expect(got.get(7, 2)).toBe(7 * 2 * 3);
    expect(got.get(9, 0)).toBe(18);
  });

  it('names chunk-shape and index errors', async () => {
    const x = da.fromArray(mat(6, 4, 1), { chunks: [3, 2] });
    const y = da.fromArray(mat(5, 4, 1), { chunks: [3, 2] });
    const z = da.fromArray(mat(6, 4, 1), { chunks: [2, 2] });
    expect(() => da.blockwise(mm, 'ij', x, 'ij', y, 'ij')).toThrow(/index 'i' has length 6 in argument 0 and 5 in argument 1/);
    expect(() => da.blockwise(mm, 'ij', x, 'ij', z, 'ij', { alignArrays: false })).toThrow(/chunks of index 'i' differ between arguments \(\[3, 3\] and \[2, 2, 2\]\)/);
    expect(() => da.blockwise(mm, 'ij', x, 'i')).toThrow(/argument 0 has 2 dimensions but index 'i' has 1 letters/);
    expect(() => da.blockwise(mm, 'ik', x, 'ij')).toThrow(/output index 'k' is in no input; give its size in newAxes/);
    expect(() => da.blockwise(mm, 'ij', x, 'ij', { adjustChunks: { i: [1] } })).toThrow(/adjustChunks 'i' gives 1 block sizes for 2 blocks/);
    expect(() => da.blockwise(mm, 'ij', x)).toThrow(/pairs/);
    // A function that returns a block of the wrong shape fails at compute with the block named.
    const bad = da.blockwise((b: NDArray) => new Float64Array(b.data.length + 1), 'ij', x, 'ij');
    await expect(bad.compute(sync)).rejects.toThrow(/blockwise: .*the function returned 7 values for a block of shape \[3, 2\]/);
  });
});

describe('mapBlocks dropAxis / newAxis', () => {
  const x = mat(6, 5, 5);
  function rowSums(b: NDArray): Float64Array {
    const [r, c] = b.shape;
    const out = new Float64Array(r);
    for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) out[i] += b.data[i * c + j];
    return out;
  }
  const want = Array.from({ length: 6 }, (_, i) => Array.from({ length: 5 }, (_, j) => x.data[i * 5 + j]).reduce((s, v) => s + v, 0));

  it('dropAxis: blocks along the dropped axis are concatenated (Dask drop_axis)', async () => {
    const dx = da.fromArray(x, { chunks: [[4, 2], [2, 2, 1]] });
    const r = dx.mapBlocks(rowSums, { dropAxis: 1 });
    expect(r.shape).toEqual([6]);
    expect(r.chunks).toEqual([[4, 2]]);
    expect(Array.from((await r.compute(threads)).data)).toEqual(want);
    expect(Array.from((await dx.mapBlocks(rowSums, { dropAxis: -1 }).compute(sync)).data)).toEqual(want);
  });

  it('newAxis: a new dimension of length 1, or of the size in chunks (Dask new_axis)', async () => {
    const v = da.arange(6, { chunks: 4 });
    const col = v.mapBlocks((b) => b, { newAxis: 1 });
    expect(col.shape).toEqual([6, 1]);
    expect(col.chunks).toEqual([[4, 2], [1]]);
    expect((await col.compute(sync)).toArray()).toEqual([[0], [1], [2], [3], [4], [5]]);
    const front = v.mapBlocks((b) => b, { newAxis: 0 });
    expect(front.shape).toEqual([1, 6]);
    const tiled = v.mapBlocks(
      (b) => {
        const out = new Int32Array(b.data.length * 2);
        for (let i = 0; i < b.data.length; i++) out[2 * i] = out[2 * i + 1] = b.data[i];
        return out;
      },
      { newAxis: 1, chunks: [[4, 2], 2] },
    );
    expect(tiled.shape).toEqual([6, 2]);
    expect((await tiled.compute(threads)).toArray()).toEqual([[0, 0], [1, 1], [2, 2], [3, 3], [4, 4], [5, 5]]);
  });

  it('dropAxis and newAxis together, and errors', async () => {
    const dx = da.fromArray(x, { chunks: [3, 2] });
    // Drop the columns, add a trailing axis: (6, 5) -> (6, 1).
    const r = dx.mapBlocks(rowSums, { dropAxis: 1, newAxis: 1 });
    expect(r.shape).toEqual([6, 1]);
    expect(Array.from((await r.compute(sync)).data)).toEqual(want);
    expect(() => dx.mapBlocks(rowSums, { dropAxis: 2 })).toThrow(/dropAxis 2 is out of bounds/);
    expect(() => dx.mapBlocks(rowSums, { newAxis: 3 })).toThrow(/newAxis 3 is out of bounds/);
    expect(() => dx.mapBlocks(rowSums, { dropAxis: 1, chunks: [3, 3] as never })).toThrow(/one entry per output dimension/);
  });
});

// Fixture section "gaps" (make_fixtures.py): broadcasting, diagonals, per-array halos, dot.
const G4 = (fixtures as unknown as { gaps: Record<string, Enc> }).gaps;
const gap = (name: string) => new NDArray(Float64Array.from(decode(G4[name])), G4[name].shape, 'float64');

// Self-contained block functions for broadcasting (NumPy's rules written out for 2-d blocks).
function fma(a: NDArray, b: NDArray, c: NDArray): NDArray {
  const r = Math.max(a.shape[0], b.shape[0], c.shape[0]);
  const w = Math.max(a.shape[1], b.shape[1], c.shape[1]);
  const out = new Float64Array(r * w);
  const at = (x: NDArray, i: number, j: number) => x.data[(x.shape[0] === 1 ? 0 : i) * x.shape[1] + (x.shape[1] === 1 ? 0 : j)];
  for (let i = 0; i < r; i++) for (let j = 0; j < w; j++) out[i * w + j] = at(a, i, j) * at(b, i, j) + at(c, i, j);
  return new (a.constructor as new (d: Float64Array, s: readonly number[], t: string) => NDArray)(out, [r, w], 'float64');
}
/** Row sums of a * b over lists of blocks along the contracted letter (b broadcasts: 1 row or 1 column). */
function rowDot(as: NDArray[], bs: NDArray[]): Float64Array {
  if (as.length !== bs.length) throw new Error(`got ${as.length} blocks of a and ${bs.length} of b`);
  const r = as[0].shape[0];
  const out = new Float64Array(r);
  for (let q = 0; q < as.length; q++) {
    const [a, b] = [as[q], bs[q]];
    const w = a.shape[1];
    for (let i = 0; i < r; i++) {
      for (let j = 0; j < w; j++) out[i] += a.data[i * w + j] * b.data[(b.shape[0] === 1 ? 0 : i) * b.shape[1] + (b.shape[1] === 1 ? 0 : j)];
    }
  }
  return out;
}
function rowDotJoined(a: NDArray, b: NDArray): Float64Array {
  const [r, w] = a.shape;
  const out = new Float64Array(r);
  for (let i = 0; i < r; i++) for (let j = 0; j < w; j++) out[i] += a.data[i * w + j] * b.data[(b.shape[0] === 1 ? 0 : i) * b.shape[1] + (b.shape[1] === 1 ? 0 : j)];
  return out;
}
function diagonal(b: NDArray): Float64Array {
  const n = b.shape[0];
  if (b.shape[1] !== n) throw new Error(`a diagonal block must be square, got [${b.shape.join(', ')}]`);
  return Float64Array.from({ length: n }, (_, i) => b.data[i * n + i]);
}
function traceOfBlocks(bs: NDArray[]): number {
  let s = 0;
  for (const b of bs) for (let i = 0; i < b.shape[0]; i++) s += b.data[i * b.shape[1] + i];
  return s;
}
function diag3(b: NDArray): Float64Array {
  const [n, , m] = b.shape;
  const out = new Float64Array(n * m);
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) out[i * m + j] = b.data[(i * n + i) * m + j];
  return out;
}
/** sum_j a[i, j] * s[j, j], over lists of a's blocks and of s's diagonal blocks along j. */
function rowDotDiag(as: NDArray[], ss: NDArray[]): Float64Array {
  const r = as[0].shape[0];
  const out = new Float64Array(r);
  for (let q = 0; q < as.length; q++) {
    const w = as[q].shape[1];
    for (let i = 0; i < r; i++) for (let j = 0; j < w; j++) out[i] += as[q].data[i * w + j] * ss[q].data[j * w + j];
  }
  return out;
}

describe('blockwise: length-1 dimensions broadcast (Dask align_arrays)', () => {
  const A = input('A');
  const Brow = new NDArray(input('B').data, [1, 5], 'float64');
  const C = input('C');
  for (const { label, chunks } of CHUNKINGS) {
    it(`a * b + c with b of shape (1, 5) and c of shape (7, 1), ${label}`, async () => {
      const dA = da.fromArray(A, { chunks: chunks as never });
      // b and c chunked differently from a along their long dimension: unified; never along the 1.
      const dB = da.fromArray(Brow, { chunks: [1, [3, 2]] });
      const dC = da.fromArray(C, { chunks: [[1, 6], 1] });
      const r = da.blockwise(fma, 'ij', dA, 'ij', dB, 'ij', dC, 'ij', { dtype: 'float64' });
      expect(r.shape).toEqual([7, 5]);
      expectClose(await r.compute(threads), G4['A*Brow+C'], 1e-12);
      // The broadcast argument may come first: its length-1 dimension still follows the others.
      const swapped = da.blockwise(fma, 'ij', dB, 'ij', dA, 'ij', dC, 'ij');
      expect(swapped.shape).toEqual([7, 5]);
      expect(swapped.chunks).toEqual(r.chunks);
      expectClose(await swapped.compute(sync), G4['A*Brow+C'], 1e-12);
    });
  }

  it('unifies the long dimensions only: chunks of j are the common refinement, i keeps a\'s', () => {
    const dA = da.fromArray(A, { chunks: [3, 2] });
    const dB = da.fromArray(Brow, { chunks: [1, [3, 2]] });
    const r = da.blockwise(fma, 'ij', dA, 'ij', dB, 'ij', da.fromArray(C, { chunks: [7, 1] }), 'ij');
    expect(r.chunks).toEqual([[3, 3, 1], [2, 1, 1, 1]]);
  });

  for (const { label, chunks } of CHUNKINGS) {
    it(`a contracted letter along which an argument broadcasts, ${label}`, async () => {
      const dA = da.fromArray(A, { chunks: chunks as never });
      const dB = da.fromArray(Brow, { chunks: [1, 2] });
      const dC = da.fromArray(C, { chunks: [3, 1] });
      // b broadcasts along the output letter i; c along the contracted j. In lists, c's one block
      // is repeated once per block of j (as Dask); with concatenate it is passed once.
      expectClose(await da.blockwise(rowDot, 'i', dA, 'ij', dB, 'ij', { dtype: 'float64' }).compute(threads), G4['sum(A*Brow,1)'], 1e-12);
      expectClose(await da.blockwise(rowDot, 'i', dA, 'ij', dC, 'ij', { dtype: 'float64' }).compute(sync), G4['sum(A*C,1)'], 1e-12);
      expectClose(await da.blockwise(rowDotJoined, 'i', dA, 'ij', dC, 'ij', { dtype: 'float64', concatenate: true }).compute(threads), G4['sum(A*C,1)'], 1e-12);
    });
  }

  it('names lengths that do not broadcast', () => {
    const x = da.ones([6, 4], { chunks: 2 });
    expect(() => da.blockwise(fma, 'ij', x, 'ij', da.ones([3, 4]), 'ij', da.ones([1, 1]), 'ij')).toThrow(/index 'i' has length 6 in argument 0 and 3 in argument 1 .*only length 1 broadcasts/);
  });
});

describe("blockwise: a letter repeated in one argument (diagonals, 'ii->i')", () => {
  const SQ = gap('SQ');
  for (const [label, chunks, want] of [
    ['uneven [4, 2]', 4, [[4, 2]]],
    ['one-element blocks', 1, [[1, 1, 1, 1, 1, 1]]],
    ['single block', -1, [[6]]],
    ['rows and columns chunked differently', [[2, 4], [3, 3]], [[2, 1, 3]]],
  ] as const) {
    it(`diagonal, trace and 'ij,jj->i', ${label}`, async () => {
      const x = da.fromArray(SQ, { chunks: chunks as never });
      // Both dimensions of the argument follow one chunking (their common refinement), so each
      // output block reads one square diagonal block.
      const d = da.blockwise(diagonal, 'i', x, 'ii', { dtype: 'float64' });
      expect(d.chunks).toEqual(want);
      expectClose(await d.compute(threads), G4['diag(SQ)'], 0);
      expectClose(await da.blockwise(traceOfBlocks, '', x, 'ii', { dtype: 'float64' }).compute(sync), G4['trace(SQ)'], 1e-12);
      const A = da.fromArray(input('A'), { chunks: [3, 2] });
      const s5 = x.slice(':5', ':5');
      expectClose(await da.blockwise(rowDotDiag, 'i', A, 'ij', s5, 'jj', { dtype: 'float64' }).compute(threads), G4['einsum(ij,jj->i,A,SQ5)'], 1e-12);
    });
  }

  for (const chunks of [[3, 3, 2], 1, -1, [[1, 3], [4], [2, 1]]] as const) {
    it(`'iij->ij' on a 3-d array, chunks ${JSON.stringify(chunks)}`, async () => {
      const r = da.blockwise(diag3, 'ij', da.fromArray(gap('R3'), { chunks: chunks as never }), 'iij', { dtype: 'float64' });
      expectClose(await r.compute(threads), G4['einsum(iij->ij,R3)'], 0);
    });
  }

  it('names a diagonal of unequal lengths, and concatenate over a repeated contracted letter', () => {
    expect(() => da.blockwise(diagonal, 'i', da.ones([6, 4]), 'ii')).toThrow(/index 'ii' of argument 0 repeats 'i' over dimensions of lengths 6 and 4/);
    expect(() => da.blockwise(traceOfBlocks, '', da.ones([6, 6], { chunks: 2 }), 'ii', { concatenate: true })).toThrow(/concatenate: true cannot join the blocks of letter 'i', which argument 0 repeats/);
  });
});
