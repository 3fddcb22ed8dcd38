/** Every operation family against NumPy reference values, over odd chunkings. */
import { describe, expect, it } from 'vitest';
import * as da from '../src/index';
import type { ChunkedArray } from '../src/array';
import { NDArray } from '../src/ndarray';
import { CHUNKINGS, decode, expectClose, fixtures, input } from './helpers';

type A = ChunkedArray<unknown>;
const sync = { scheduler: 'sync' } as const;

function arrays(chunks: (number | number[])[] | number) {
  const c1 = (n: number) => (typeof chunks === 'number' ? chunks : Array.isArray(chunks[1]) ? -1 : (chunks[1] as number) ?? -1) || n;
  const A = da.fromArray(input('A'), { chunks: chunks as never });
  return {
    A,
    B: da.fromArray(input('B'), { chunks: [c1(5)] as never }),
    C: da.fromArray(input('C'), { chunks: [typeof chunks === 'number' ? chunks : Array.isArray(chunks[0]) ? (chunks[0] as number[]) : (chunks[0] as number), 1] as never }),
    I: da.fromArray(input('I'), { chunks: chunks as never }),
    J: da.fromArray(input('J'), { chunks: [c1(5)] as never }),
    N: da.fromArray(input('N'), { chunks: chunks as never }),
    F32: da.fromArray(input('F32'), { chunks: chunks as never }),
  };
}

const ELEMENTWISE: Record<string, (x: ReturnType<typeof arrays>) => A> = {
  'A+B': ({ A, B }) => A.add(B),
  'A*C': ({ A, C }) => A.mul(C),
  'A-2.5': ({ A }) => A.sub(2.5),
  'A/B': ({ A, B }) => A.div(B),
  '2-A': ({ A }) => da.subtract(2, A),
  'A**2': ({ A }) => A.pow(2),
  'maximum(A,B)': ({ A, B }) => da.maximum(A, B),
  'minimum(A,0)': ({ A }) => A.minimum(0),
  'A>B': ({ A, B }) => A.gt(B),
  'A==A': ({ A }) => A.eq(A),
  'where(A>0,A,C)': ({ A, C }) => da.where(A.gt(0), A, C),
  'clip(A,-1,2)': ({ A }) => A.clip(-1, 2),
  'sqrt(abs(A))': ({ A }) => da.sqrt(da.abs(A)),
  'exp(A/10)': ({ A }) => da.exp(A.div(10)),
  'sin(A)': ({ A }) => da.sin(A),
  'log1p(abs(A))': ({ A }) => da.log1p(A.abs()),
  'floor(A)': ({ A }) => da.floor(A),
  'rint(A)': ({ A }) => da.rint(A),
  'isnan(N)': ({ N }) => da.isnan(N),
  'I//J': ({ I, J }) => I.floorDiv(J),
  'I%J': ({ I, J }) => I.mod(J),
  'I+J': ({ I, J }) => I.add(J),
  'I*3': ({ I }) => I.mul(3),
  'I/J': ({ I, J }) => I.div(J),
  'I+0.5': ({ I }) => I.add(0.5),
  '-I': ({ I }) => I.neg(),
  '(A+B)*2-C': ({ A, B, C }) => A.add(B).mul(2).sub(C),
  'F32*2': ({ F32 }) => F32.mul(2),
  'F32+I': ({ F32, I }) => F32.add(I),
  'astype(A,int32)': ({ A }) => A.astype('int32'),
};

const DTYPE_OF: Record<string, string> = { 'A>B': 'bool', 'I//J': 'int32', 'I%J': 'int32', 'I+J': 'int32', 'I*3': 'int32', 'I/J': 'float64', 'I+0.5': 'float64', 'F32*2': 'float32', 'F32+I': 'float64', 'isnan(N)': 'bool' };

for (const { label, chunks } of CHUNKINGS) {
  describe(`NumPy parity, chunks ${label}`, () => {
    it('elementwise arithmetic, comparisons and math with broadcasting, scalars and dtypes', async () => {
      const xs = arrays(chunks);
      for (const [key, f] of Object.entries(ELEMENTWISE)) {
        const r = f(xs);
        if (DTYPE_OF[key]) expect(r.dtype, key).toBe(DTYPE_OF[key]);
        expectClose(await r.compute(sync), fixtures.elementwise[key], key.startsWith('F32') ? 1e-6 : 1e-12);
      }
    });

    it('reductions over all axes, each axis and both, with keepdims and ddof', async () => {
      const xs = arrays(chunks);
      let n = 0;
      for (const [key, want] of Object.entries(fixtures.reductions)) {
        const m = /^(\w+)\((\w+)(?:,axis=([^,)]*(?:,\s?\d\))?))?(,ddof=1)?(,keepdims)?\)$/.exec(key);
        if (!m) continue;
        const [, fn, name, axisText, ddof, keep] = m;
        if (!(name in xs)) continue;
        const axis = axisText === undefined || axisText === 'None' ? undefined : axisText.startsWith('(') ? [0, 1] : Number(axisText);
        const x = xs[name as keyof typeof xs] as A;
        const reduce = da[fn as da.ReduceFn] as (x: A, opts: da.VarOptions) => da.ChunkedArray<unknown>;
        const r = reduce(x, { axis, ...(ddof ? { ddof: 1 } : {}), keepdims: Boolean(keep), splitEvery: 2 });
        expectClose(await r.compute(sync), want, 1e-9);
        n++;
      }
      expect(n).toBeGreaterThan(150);
    });

    it('cumulative sums and products', async () => {
      const { A, C, N } = arrays(chunks);
      const c = fixtures.cumulative;
      expectClose(await A.cumsum({ axis: 0 }).compute(sync), c['cumsum(A,0)']);
      expectClose(await A.cumsum({ axis: 1 }).compute(sync), c['cumsum(A,1)']);
      expectClose(await A.cumsum().compute(sync), c['cumsum(A)']);
      expectClose(await C.cumprod({ axis: 0 }).compute(sync), c['cumprod(C,0)']);
      expectClose(await A.div(3).cumprod({ axis: 1 }).compute(sync), c['cumprod(A/3,1)']);
      expectClose(await da.nancumsum(N, 0).compute(sync), c['nancumsum(N,0)']);
    });

    it('slicing: integers, negative indices, steps, lists, masks, newaxis, ellipsis', async () => {
      const { A } = arrays(chunks);
      const V = da.fromArray(input('V'), { chunks: typeof chunks === 'number' ? chunks : 4 });
      const rows = fixtures.masks.rows;
      const gt1 = new NDArray(Uint8Array.from(decode(fixtures.masks.gt1)), fixtures.masks.gt1.shape, 'bool');
      const cases: Record<string, A> = {
        'A[2]': A.slice(2),
        'A[-1]': A.slice(-1),
        'A[1:5]': A.slice('1:5'),
        'A[:,1:4]': A.slice(':', '1:4'),
        'A[::2]': A.slice('::2'),
        'A[::-1]': A.slice('::-1'),
        'A[5:0:-2,::-3]': A.slice(da.s(5, 0, -2), '::-3'),
        'A[[0,6,3,3]]': A.slice([0, 6, 3, 3]),
        'A[:,[4,0]]': A.slice(':', [4, 0]),
        'A[mask]': A.slice(rows),
        'A[3,4]': A.slice(3, 4),
        'A[None,2]': A.slice(null, 2),
        'A[...,1]': A.slice('...', 1),
        'A[A>1]': A.slice(gt1),
        'A[-3:,-2]': A.slice('-3:', -2),
        'V[2:9:3]': V.slice('2:9:3'),
        'V[::-4]': V.slice('::-4'),
        'V[[-1,0]]': V.slice([-1, 0]),
      };
      for (const [key, r] of Object.entries(cases)) expectClose(await r.compute(sync), fixtures.slicing[key]);
    });

    it('reshape, transpose, concatenate, stack, squeeze, rechunk', async () => {
      const { A, C } = arrays(chunks);
      const s = fixtures.shape;
      expectClose(await A.T.compute(sync), s['A.T']);
      expectClose(await A.reshape([5, 7]).compute(sync), s['reshape(A,[5,7])']);
      expectClose(await A.reshape([35]).compute(sync), s['reshape(A,[35])']);
      const r24 = da.arange(24, { chunks: typeof chunks === 'number' ? chunks : 5 }).astype('float64');
      expectClose(await r24.reshape([2, 3, -1]).compute(sync), s['reshape(V4,[2,3,-1])']);
      expectClose(await r24.reshape([2, 3, 4]).transpose([1, 2, 0]).compute(sync), s['transpose(reshape(arange24,[2,3,4]),[1,2,0])']);
      expectClose(await da.concatenate([A, A.mul(2)], 0).compute(sync), s['concatenate([A,A*2],0)']);
      expectClose(await da.concatenate([A, C], 1).compute(sync), s['concatenate([A,C],1)']);
      expectClose(await da.stack([A, A.add(1)], 1).compute(sync), s['stack([A,A+1],1)']);
      expectClose(await C.squeeze().compute(sync), s['squeeze(C)']);
      for (const to of [[2, 3], [7, 1], [[1, 6], [4, 1]], -1] as const) {
        const r = A.rechunk(to as never);
        expectClose(await r.compute(sync), fixtures.inputs.A);
      }
    });

    it('matmul, dot and tensordot', async () => {
      const { A, B } = arrays(chunks);
      const l = fixtures.linalg;
      expectClose(await A.matmul(A.T).compute(sync), l['A@A.T'], 1e-12);
      expectClose(await A.matmul(B).compute(sync), l['A@B'], 1e-12);
      expectClose(await B.dot(B).compute(sync), l['B@B'], 1e-12);
      expectClose(await da.tensordot(A, A, [[0], [0]]).compute(sync), l['tensordot(A,A,[[0],[0]])'], 1e-12);
    });
  });
}

describe('linalg against NumPy', () => {
  const l = fixtures.linalg;
  for (const rows of [7, 40, 13]) {
    it(`tsqr qr and svd of a 40x3 array in row blocks of ${rows}`, async () => {
      const T = da.fromArray(input('T'), { chunks: [rows, 3] });
      const [q, r] = da.linalg.qr(T);
      const [R, Q, QR] = [await r.compute(sync), await q.compute(sync), await q.matmul(r).compute(sync)];
      expectClose(new NDArray(Float64Array.from(R.data, Math.abs), R.shape), l['abs(R(T))'], 1e-9);
      expectClose(QR, fixtures.inputs.T, 1e-9);
      // Q has orthonormal columns.
      const qtq = (await q.T.matmul(q).compute(sync)) as NDArray;
      for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) expect(qtq.get(i, j)).toBeCloseTo(i === j ? 1 : 0, 12);
      expect(Q.shape).toEqual([40, 3]);
      const [u, s, vt] = da.linalg.svd(T);
      expectClose(await s.compute(sync), l['svd_s(T)'], 1e-9);
      const us = u.mul(s);
      expectClose(await us.matmul(vt).compute(sync), fixtures.inputs.T, 1e-9);
    });
  }

  it('solve, lstsq and norms', async () => {
    const S = da.fromArray(input('S'), { chunks: 3 });
    const b = da.fromArray(input('bvec'), { chunks: 3 });
    expectClose(await da.linalg.solve(S, b).compute(sync), l['solve(S,bvec)'], 1e-10);
    const T = da.fromArray(input('T'), { chunks: [13, 3] });
    const y = da.fromArray(input('y'), { chunks: 13 });
    const [x, res, rank] = da.linalg.lstsq(T, y);
    expectClose(await x.compute(sync), l['lstsq(T,y)'], 1e-9);
    expectClose(await res.compute(sync), { ...l['lstsq_res(T,y)'], shape: [] }, 1e-9);
    expect(await rank.compute(sync)).toBe(3);
    const V = da.fromArray(input('V'), { chunks: 4 });
    const A = da.fromArray(input('A'), { chunks: [3, 2] });
    const n = da.linalg.norm;
    expectClose(await n(V).compute(sync), l['norm(V)']);
    expectClose(await n(V, { ord: 1 }).compute(sync), l['norm(V,1)']);
    expectClose(await n(V, { ord: Infinity }).compute(sync), l['norm(V,inf)']);
    expectClose(await n(V, { ord: 3 }).compute(sync), l['norm(V,3)']);
    expectClose(await n(A).compute(sync), l['norm(A)']);
    expectClose(await n(A, { ord: 1 }).compute(sync), l['norm(A,1)']);
    expectClose(await n(A, { ord: Infinity }).compute(sync), l['norm(A,inf)']);
    expectClose(await n(T, { ord: 2 }).compute(sync), l['norm(T,2)'], 1e-9);
    expectClose(await n(A, { axis: 1 }).compute(sync), l['norm(A,axis=1)']);
  });
});

describe('creation against NumPy', () => {
  const c = fixtures.creation;
  for (const chunks of [1, 3, -1]) {
    it(`arange, linspace, eye, fromFunction (chunks ${chunks})`, async () => {
      const a = da.arange(3, 20, 4, { chunks });
      // NumPy's arange of integers is int64 (the fixture records the values).
      expect(a.dtype).toBe('int64');
      expectClose(await a.compute(sync), { ...c['arange(3,20,4)'] });
      expectClose(await da.arange(0, 1, 0.1, { chunks }).compute(sync), c['arange(0,1,0.1)'], 1e-15);
      expectClose(await da.linspace(0, 1, 7, { chunks }).compute(sync), c['linspace(0,1,7)'], 1e-15);
      expectClose(await da.eye(4, { m: 6, k: 1, chunks }).compute(sync), c['eye(4,m=6,k=1)']);
      expectClose(await da.fromFunction((i, j) => i * 10 + j, [3, 4], { chunks }).compute(sync), c['fromfunction(i*10+j,[3,4])']);
      const z = (await da.zeros([3, 2], { chunks }).add(da.ones([2], { chunks })).mul(da.full([3, 1], 4, { chunks })).compute(sync)) as NDArray;
      expect(z.toArray()).toEqual([[4, 4], [4, 4], [4, 4]]);
    });
  }
});
