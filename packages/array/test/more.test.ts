/**
 * Blocked solve, stacked matmul, lazy boolean masks, mapOverlap of several arrays (against NumPy
 * fixtures, section "more" of numpy.json), and the seeded normal/integers transforms.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { closeThreadPools, type GraphNode } from '@pdask/core';
import * as da from '../src/index';
import type { ChunkedArray } from '../src/array';
import { NDArray } from '../src/ndarray';
import { decode, expectClose, fixtures, input, type Enc } from './helpers';

afterAll(() => closeThreadPools());
const sync = { scheduler: 'sync' } as const;
const threads = { scheduler: 'threads', numWorkers: 2 } as const;
const M = (fixtures as unknown as { more: Record<string, Enc> }).more;
const arr = (name: string) => new NDArray(Float64Array.from(decode(M[name])), M[name].shape, 'float64');

describe('linalg.solve (blocked LU with partial pivoting)', () => {
  const chunkings: [string, unknown, unknown][] = [
    ['uneven 4', 4, [4, 1]],
    ['one-element blocks', 1, 1],
    ['single block', -1, -1],
    ['explicit [2,4,3]', [[2, 4, 3], [9]], [[2, 4, 3], [2]]],
    ['rows and columns chunked differently', [3, 4], [5, 2]],
  ];
  for (const [label, ca, cb] of chunkings) {
    it(`matches np.linalg.solve, ${label}`, async () => {
      const a = da.fromArray(arr('S9'), { chunks: ca as never });
      const B = da.fromArray(arr('B9'), { chunks: cb as never });
      const b = da.fromArray(arr('b9'), { chunks: [Array.isArray(cb) ? (cb as number[][])[0] ?? 4 : (cb as number)] as never });
      expectClose(await da.linalg.solve(a, B).compute(threads), M['solve(S9,B9)'], 1e-9);
      expectClose(await da.linalg.solve(a, b).compute(sync), M['solve(S9,b9)'], 1e-9);
    });
  }

  it('never gathers the matrix into one task: every task reads at most one block column of a', () => {
    const a = da.fromArray(arr('S9'), { chunks: 3 });
    const x = da.linalg.solve(a, da.fromArray(arr('b9'), { chunks: 3 }));
    const aKeys = new Set(a.keys());
    const seen = new Set<unknown>();
    const stack = [x.layer];
    let tasks = 0;
    while (stack.length) {
      const n = stack.pop()!;
      if (seen.has(n)) continue;
      seen.add(n);
      stack.push(...n.parents);
      for (const t of n.layer.materialize() as Iterable<GraphNode>) {
        if (!('args' in t)) continue;
        tasks++;
        const refs = JSON.stringify(t.args).match(/"key":"([^"]+)"/g) ?? [];
        const cols = new Set(refs.map((r) => r.slice(7, -1)).filter((k) => aKeys.has(k)).map((k) => k.split(',')[1]));
        expect(cols.size, `task ${t.key}`).toBeLessThanOrEqual(1);
      }
    }
    expect(tasks).toBeGreaterThan(9);
  });

  it('reports a singular matrix', async () => {
    const s = da.fromArray([[1, 2, 3], [2, 4, 6], [0, 1, 1]], { chunks: 2 });
    await expect(da.linalg.solve(s, da.ones([3], { chunks: 2 })).compute(sync)).rejects.toThrow(/Singular matrix/);
  });
});

describe('matmul of stacks of matrices', () => {
  for (const [label, cp, cq] of [
    ['uneven', [2, 1, 3, 2], [1, 2, 2]],
    ['one-element blocks', 1, 1],
    ['single block', -1, -1],
  ] as const) {
    it(`broadcasts batch dimensions as NumPy, ${label}`, async () => {
      const P = da.fromArray(arr('P'), { chunks: cp as never });
      const Q = da.fromArray(arr('Q'), { chunks: cq as never });
      const P2 = da.fromArray(arr('P2'), { chunks: (typeof cp === 'number' ? cp : [1, 3, 2]) as never });
      const v = da.fromArray(arr('v5'), { chunks: (typeof cq === 'number' ? cq : 2) as never });
      const pq = P.matmul(Q);
      expect(pq.shape).toEqual([3, 2, 4, 3]);
      expectClose(await pq.compute(threads), M['P@Q'], 1e-12);
      expectClose(await P2.matmul(Q).compute(sync), M['P2@Q'], 1e-12);
      expectClose(await P2.matmul(v).compute(sync), M['P2@v5'], 1e-12);
      expectClose(await da.matmul(v, Q).compute(sync), M['v5@Q'], 1e-12);
    });
  }

  it('rejects mismatched inner and batch dimensions with NumPy-like messages', () => {
    const P = da.fromArray(arr('P'), { chunks: 2 });
    expect(() => P.matmul(da.ones([2, 4, 3]))).toThrow(/core dimension 0/);
    expect(() => da.ones([3, 4, 5]).matmul(da.ones([2, 5, 3]))).toThrow(/could not be broadcast/);
  });
});

describe('lazy boolean masks (unknown chunk sizes)', () => {
  for (const chunks of [[3, 2], 1, -1, [[2, 4, 1], [5]]] as const) {
    it(`x.slice(mask) with mask a chunked array, chunks ${JSON.stringify(chunks)}`, async () => {
      const A = da.fromArray(input('A'), { chunks: chunks as never });
      const m = A.gt(0);
      const r = A.slice(m);
      expect(r.ndim).toBe(1);
      expect(Number.isNaN(r.shape[0])).toBe(true);
      expect(r.chunks[0].every((c) => Number.isNaN(c))).toBe(true);
      expectClose(await r.compute(threads), M['A[A>0]'], 0);
      expectClose(await r.sum().compute(sync), M['sum(A[A>0])'], 1e-12);
      expectClose(await A.slice(A.lt(1)).max().compute(sync), M['max(A[A<1])'], 0);
      expectClose(await r.mul(2).add(1).compute(sync), M['A[A>0]*2+1'], 1e-12);
      // A mask along one dimension, given as a chunked array with its own chunks.
      const rows = da.fromArray(input('A'), { chunks: 3 }).slice(':', 0).gt(0);
      const byRows = A.slice(rows);
      expect(Number.isNaN(byRows.shape[0])).toBe(true);
      expect(byRows.shape[1]).toBe(5);
      expectClose(await byRows.compute(sync), M['A[A[:,0]>0]'], 0);
      const cols = da.fromArray(input('B'), { chunks: 2 }).gt(0);
      expectClose(await A.slice(':', cols).compute(threads), M['A[:,B>0]'], 0);
      expectClose(await A.slice('...', cols).compute(sync), M['A[:,B>0]'], 0);
      // Known again after computeChunkSizes: indexing and rechunking work.
      const k = await r.computeChunkSizes();
      const n = M['A[A>0]'].shape[0];
      expect(k.shape).toEqual([n]);
      expect(k.chunks[0].reduce((a, b) => a + b, 0)).toBe(n);
      expectClose(await k.slice('::-1').rechunk(3).compute(sync), { ...M['A[A>0]'], data: [...M['A[A>0]'].data].reverse() }, 0);
    });
  }

  it('refuses what needs the unknown sizes, naming computeChunkSizes', () => {
    const A = da.fromArray(input('A'), { chunks: [3, 2] });
    const r = A.slice(A.gt(0));
    expect(() => r.slice('1:3')).toThrow(/computeChunkSizes/);
    expect(() => r.rechunk(2)).toThrow(/computeChunkSizes/);
    expect(() => r.argmax()).toThrow(/computeChunkSizes/);
    expect(() => A.slice(A.slice(':', 0).gt(0)).sum({ axis: 1 })).toThrow(/computeChunkSizes/);
    expect(() => A.slice(A.add(1))).toThrow(/boolean mask/);
    expect(() => A.slice(da.ones([4], { dtype: 'bool' }))).toThrow(/did not match/);
    expect(() => A.slice(1, A.slice(0).gt(0))).toThrow(/in two steps/);
  });
});

describe('mapOverlap of several arrays', () => {
  function lapTimes(a: NDArray, h: NDArray): NDArray {
    const [r, c] = a.shape;
    const out = new Float64Array(a.size);
    for (let i = 0; i < r; i++) {
      for (let j = 0; j < c; j++) {
        const p = i * c + j;
        const lap = i > 0 && j > 0 && i < r - 1 && j < c - 1 ? a.data[p - c] + a.data[p + c] + a.data[p - 1] + a.data[p + 1] - 4 * a.data[p] : a.data[p];
        out[p] = lap * h.data[p];
      }
    }
    return new (a.constructor as new (d: Float64Array, s: readonly number[], t: string) => NDArray)(out, a.shape, 'float64');
  }
  const G = () => new NDArray(Float64Array.from(decode(fixtures.overlap.G)), fixtures.overlap.G.shape, 'float64');
  for (const [cg, ch] of [[[4, 3], [4, 3]], [[4, 3], [2, 5]], [1, 1], [-1, [[2, 7], [3, 4]]]] as const) {
    it(`fn(a, h) sees both halos, chunks ${JSON.stringify(cg)} and ${JSON.stringify(ch)}`, async () => {
      const g = da.fromArray(G(), { chunks: cg as never });
      const h = da.fromArray(arr('H'), { chunks: ch as never });
      const r = da.mapOverlap(lapTimes, [g, h], { depth: 1, boundary: 'reflect' });
      expectClose(await r.compute(threads), M['laplace(G)*H_reflect'], 1e-12);
    });
  }
  it('rejects arrays of different shapes', () => {
    expect(() => da.mapOverlap((a: NDArray) => a, [da.ones([3, 3]), da.ones([3, 4])], { depth: 1 })).toThrow(/same shape/);
  });
});

describe('random normal and integers', () => {
  const cases: [string, () => ChunkedArray<NDArray>][] = [
    ['normal, uneven blocks', () => da.random.normal(3, 2, [301, 7], { chunks: [64, 5], seed: 9 }) as ChunkedArray<NDArray>],
    ['normal, one-element blocks', () => da.random.normal(0, 1, [9], { chunks: 1, seed: 9 }) as ChunkedArray<NDArray>],
    ['integers, uneven blocks', () => da.random.integers(-5, 17, [301, 7], { chunks: [64, 5], seed: 4 }) as ChunkedArray<NDArray>],
    ['integers, single block', () => da.random.integers(0, 3, [1000], { chunks: -1, seed: 4 }) as ChunkedArray<NDArray>],
  ];
  for (const [label, make] of cases) {
    it(`${label}: the same bits on sync and threads, and fused into a reduction`, async () => {
      const s = (await make().compute(sync)) as NDArray;
      const t = (await make().compute(threads)) as NDArray;
      expect(Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength).equals(Buffer.from(s.data.buffer, s.data.byteOffset, s.data.byteLength))).toBe(true);
      // The fused reduction generates tile by tile: it must see the same numbers.
      const want = Array.from(s.data).reduce((a, b) => a + b, 0);
      expect(await make().sum().compute(threads)).toBeCloseTo(want, 6);
    });
  }

  it('integers cover [low, high) uniformly; normal has its mean and scale (first principles)', async () => {
    const i = (await da.random.integers(-5, 17, [220_000], { chunks: 30_001, seed: 1 }).compute(threads)) as NDArray;
    const counts = new Map<number, number>();
    for (const v of i.data) counts.set(v, (counts.get(v) ?? 0) + 1);
    expect([...counts.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: 22 }, (_, k) => k - 5));
    // 10,000 expected per value; 5 standard deviations (~99.5) of a binomial count.
    for (const c of counts.values()) expect(Math.abs(c - 10_000)).toBeLessThan(500);
    const n = da.random.normal(3, 2, [400_000], { chunks: 70_000, seed: 2 });
    expect(Math.abs((await n.mean().compute(threads)) - 3)).toBeLessThan(5 * 2 / Math.sqrt(400_000));
    expect(Math.abs((await n.std().compute(threads)) - 2)).toBeLessThan(0.02);
  });
});

describe("dot with NumPy's semantics beyond 2 dimensions, and tensordot (section gaps)", () => {
  const Gp = (fixtures as unknown as { gaps: Record<string, Enc> }).gaps;
  const g = (name: string) => new NDArray(Float64Array.from(decode(Gp[name])), Gp[name].shape, 'float64');
  for (const [label, c] of [
    ['uneven blocks', 'uneven'],
    ['one-element blocks', 1],
    ['single block', -1],
  ] as const) {
    it(`dot sums over a's last axis and b's second-to-last, ${label}`, async () => {
      const ch = (uneven: readonly unknown[]) => (c === 'uneven' ? uneven : c) as never;
      const P = da.fromArray(arr('P'), { chunks: ch([2, 1, 3, 2]) });
      const Q = da.fromArray(arr('Q'), { chunks: ch([1, 2, 2]) });
      const P2 = da.fromArray(arr('P2'), { chunks: ch([1, 3, [1, 4]]) });
      const v = da.fromArray(arr('v5'), { chunks: ch([3]) });
      const A = da.fromArray(input('A'), { chunks: ch([3, 2]) });
      const K = da.fromArray(g('K'), { chunks: ch([3, [2, 3], 1]) });
      const K2 = da.fromArray(g('K2'), { chunks: ch([2, 1, 3]) });
      const m = da.fromArray(g('M53'), { chunks: ch([[4, 1], 2]) });
      const pq = da.dot(P, Q);
      expect(pq.shape).toEqual([3, 1, 4, 2, 3]);
      expectClose(await pq.compute(threads), Gp['dot(P,Q)'], 1e-12);
      expectClose(await P2.dot(v).compute(sync), Gp['dot(P2,v5)'], 1e-12);
      expectClose(await v.dot(Q).compute(sync), Gp['dot(v5,Q)'], 1e-12);
      expectClose(await A.dot(Q).compute(threads), Gp['dot(A,Q)'], 1e-12);
      expectClose(await P2.dot(m).compute(sync), Gp['dot(P2,M53)'], 1e-12);
      expectClose(await K.dot(K2).compute(threads), Gp['dot(K,K2)'], 1e-12);
      // Not matmul: the leading dimensions do not pair up.
      expect(da.dot(P2, Q).shape).toEqual([2, 4, 2, 3]);
      expect(da.matmul(P2, Q).shape).toEqual([2, 4, 3]);
      expectClose(await da.tensordot(P2, K, [[1, 2], [0, 1]]).compute(threads), Gp['tensordot(P2,K,[[1,2],[0,1]])'], 1e-12);
      expectClose(await da.tensordot(K, P2, [[0, 1], [1, 2]]).compute(sync), Gp['tensordot(K,P2,[[0,1],[1,2]])'], 1e-12);
      expectClose(await da.tensordot(da.fromArray(input('B'), { chunks: ch([2]) }), v, 0).compute(sync), Gp['tensordot(B,v5,0)'], 1e-12);
      expectClose(await da.tensordot(P2, P2, 3).compute(threads), Gp['tensordot(P2,P2,3)'], 1e-12);
    });
  }

  it('keeps the chunks of the free axes (no reshape), and unifies the contracted ones', () => {
    const A = da.fromArray(input('A'), { chunks: [3, 2] });
    const Q = da.fromArray(arr('Q'), { chunks: [1, 3, 2] });
    const r = da.dot(A, Q);
    expect(r.chunks).toEqual([[3, 3, 1], [1, 1], [2, 1]]);
    // One task per output block, each reading the blocks of the common refinement of the
    // contracted axis ([2, 2, 1] and [3, 2] -> [2, 1, 1, 1]).
    const task = [...r.layer.layer.materialize()][0] as unknown as { args: unknown[] };
    expect((JSON.stringify(task.args).match(/"t":"ref"/g) ?? []).length).toBe(2 * 4);
  });

  it('names misaligned shapes and bad axes', () => {
    expect(() => da.dot(da.ones([2, 3, 4]), da.ones([5, 6]))).toThrow(/dot: shapes \(2,3,4\) and \(5,6\) not aligned: 4 \(dim 2\) != 5 \(dim 0\)/);
    expect(() => da.dot(da.ones([2, 3, 4]), da.ones([2, 5, 6]))).toThrow(/not aligned: 4 \(dim 2\) != 5 \(dim 1\)/);
    expect(() => da.tensordot(da.ones([2, 3]), da.ones([3, 2]), [[3], [0]])).toThrow(/axis 3 of a is out of bounds for an array of 2 dimensions/);
    expect(() => da.tensordot(da.ones([3, 3]), da.ones([3, 3]), [[0, 0], [0, 1]])).toThrow(/axes of a repeat an axis/);
    expect(() => da.tensordot(da.ones([3]), da.ones([3]), 2)).toThrow(/axes 2 must be an integer from 0/);
  });
});
