/** Behaviour beyond NumPy parity: fusion, threads, seeded random, errors, results and persistence. */
import { afterAll, describe, expect, it } from 'vitest';
import { closeThreadPools, collectionSymbol, collectionsToGraph, delayed, ResidentValue } from '@pdask/core';
import * as da from '../src/index';
import { NDArray } from '../src/ndarray';

afterAll(() => closeThreadPools());
const sync = { scheduler: 'sync' } as const;
const threads = { scheduler: 'threads', numWorkers: 2 } as const;

/** Deterministic test data (no Math.random): a smooth function of the index. */
const data = (n: number, phase: number) => Float64Array.from({ length: n }, (_, i) => (Math.sin(i * 0.37 + phase) + 1) / 2);

describe('the seed examples', () => {
  it('(dx + dy).sum() on 10,000 elements in 4 chunks, on sync and threads, equals the plain sum', async () => {
    const x = data(10_000, 0);
    const y = data(10_000, 1);
    const dx = da.fromArray(x, { chunks: x.length / 4 });
    const dy = da.fromArray(y, { chunks: y.length / 4 });
    let want = 0;
    for (let i = 0; i < x.length; i++) want += x[i] + y[i];
    const s1 = await dx.add(dy).sum().compute(sync);
    const s2 = await dx.add(dy).sum().compute(threads);
    expect(s1).toBeCloseTo(want, 9);
    expect(s2).toBe(s1);
  });

  it('gives what dask.array gives for the same inputs (value from the fixture script)', async () => {
    const { fixtures } = await import('./helpers');
    const x = da.linspace(0, 1, 10000, { chunks: 2500 });
    const y = da.cos(da.arange(10000, { chunks: 2500 }));
    expect(await x.add(y).sum().compute(sync)).toBeCloseTo(fixtures.dask!.seed_sum, 9);
  });

  it('random 10000x10000 in 1000x1000 chunks: mean close to 0.5 (one-pass fused generation)', async () => {
    const m = await da.random.random([10000, 10000], { chunks: [1000, 1000], seed: 42 }).mean().compute(threads);
    // 1e8 uniforms: the standard error of the mean is 0.29 / 1e4.
    expect(Math.abs(m - 0.5)).toBeLessThan(2e-4);
  });
});

describe('fusion', () => {
  it('(x + y).sum() reads x and y in the reduction tasks: no task materialises x + y', () => {
    const x = da.fromArray(data(100, 0), { chunks: 25 });
    const y = da.fromArray(data(100, 1), { chunks: 25 });
    const r = x.add(y).mul(2).sub(1).sum({ splitEvery: 16 });
    const { graph } = collectionsToGraph([r[collectionSymbol]()], { optimizeGraph: false });
    const keys = [...graph.toGraph().keys()];
    expect(keys.filter((k) => k.startsWith('add') || k.startsWith('mul') || k.startsWith('sub'))).toEqual([]);
    // core's treeReduce keys: `<name>-partial-<i>`, one per block.
    expect(keys.filter((k) => k.startsWith('sum-') && k.includes('-partial-'))).toHaveLength(4);
    expect(keys.filter((k) => k.startsWith('array-'))).toHaveLength(8);
  });

  it('an elementwise chain computed on its own is one task per block', () => {
    const x = da.fromArray(data(100, 0), { chunks: 25 });
    const r = da.sqrt(x.add(1).mul(x).abs());
    const { graph } = collectionsToGraph([r[collectionSymbol]()], { optimizeGraph: false });
    expect(graph.size).toBe(8); // 4 data blocks + 4 fused blocks
  });

  it('fused tiles give the same result as materialised blocks (blocks larger than a tile)', async () => {
    const n = 100_003;
    const x = da.fromArray(data(n, 0), { chunks: 70_001 });
    const fused = await x.mul(3).add(1).sum().compute(sync);
    const viaBlocks = await (await x.mul(3).add(1).persist(sync)).sum().compute(sync);
    expect(fused).toBeCloseTo(viaBlocks, 8);
    const arg = await x.mul(-1).argmin().compute(sync);
    const xs = data(n, 0);
    let best = 0;
    for (let i = 1; i < n; i++) if (xs[i] > xs[best]) best = i;
    expect(arg).toBe(best);
  });
});

describe('random', () => {
  it('is seeded per block: sync and threads give identical arrays; another seed differs', async () => {
    const a = da.random.random([300, 200], { chunks: [70, 90], seed: 7 });
    const s = (await a.compute(sync)) as NDArray;
    const t = (await da.random.random([300, 200], { chunks: [70, 90], seed: 7 }).compute(threads)) as NDArray;
    expect(Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength).equals(Buffer.from(s.data.buffer, s.data.byteOffset, s.data.byteLength))).toBe(true);
    const other = (await da.random.random([300, 200], { chunks: [70, 90], seed: 8 }).compute(sync)) as NDArray;
    expect(other.data[0]).not.toBe(s.data[0]);
    // Blocks are independent streams: block (0,0) and (0,1) start differently.
    expect(s.get(0, 0)).not.toBe(s.get(0, 90));
    for (const v of s.data) expect(v >= 0 && v < 1).toBe(true);
  });

  it('normal, uniform and integers have the requested moments and ranges', async () => {
    const n = da.random.normal(3, 2, [200_000], { chunks: 30_000, seed: 1 });
    expect(await n.mean().compute(sync)).toBeCloseTo(3, 1);
    expect(await n.std().compute(sync)).toBeCloseTo(2, 1);
    const u = (await da.random.uniform(-2, 5, [10_000], { chunks: 999, seed: 2 }).compute(sync)) as NDArray;
    expect(Math.min(...u.data)).toBeGreaterThanOrEqual(-2);
    expect(Math.max(...u.data)).toBeLessThan(5);
    const i = (await da.random.integers(0, 6, [10_000], { chunks: 999, seed: 3 }).compute(sync)) as NDArray;
    expect(i.dtype).toBe('int64'); // NumPy's default integer
    expect(new Set(i.data)).toEqual(new Set([0, 1, 2, 3, 4, 5]));
  });
});

describe('results', () => {
  it('NDArray prints like NumPy and converts to nested arrays', () => {
    // Nested JS integers are int64, as np.array([[1, 2], [3, 4]]); NumPy does not name int64.
    expect(NDArray.from([[1, 2], [3, 4]]).toString()).toBe('array([[1, 2],\n       [3, 4]])');
    expect(NDArray.from([[1.5, 2], [3, 4]]).toString()).toBe('array([[1.5, 2. ],\n       [3. , 4. ]])');
    expect(NDArray.from([0.5, 0.25]).toString()).toBe('array([0.5 , 0.25])');
    expect(NDArray.from([1, 2, 30], 'int32').toString()).toBe('array([ 1,  2, 30], dtype=int32)');
    expect(NDArray.from([true, false]).toString()).toBe('array([ True, False])');
    const a = NDArray.from([[1, 2, 3], [4, 5, 6]], 'int32');
    expect(a.get(1, -1)).toBe(6);
    expect(a.toArray()).toEqual([[1, 2, 3], [4, 5, 6]]);
    expect(() => a.get(2, 0)).toThrow(/index 2 is out of bounds for axis 0 with size 2/);
  });

  it('a chunked array prints its metadata; visualize draws its graph', async () => {
    const x = da.ones([10, 6], { chunks: [5, 3] });
    expect(String(x)).toBe('pdask.array<ones, shape=(10, 6), dtype=float64, chunksize=(5, 3), chunktype=NDArray>');
    const svg = await x.sum({ axis: 0 }).visualize();
    expect(svg).toContain('<svg');
  });

  it('persist keeps the blocks (same name) and later work starts from them', async () => {
    const x = da.random.random([50, 4], { chunks: [10, 4], seed: 5 });
    const p = await x.mul(2).persist(sync);
    const g = collectionsToGraph([p.sum()[collectionSymbol]()], { optimizeGraph: false }).graph.toGraph();
    expect([...g.values()].filter((n) => n.kind === 'data')).toHaveLength(5);
    expect(await p.sum().compute(sync)).toBeCloseTo(await x.sum().mul(2).compute(sync), 10);
  });

  it('an array used twice in one expression is one array (random values are not drawn twice)', async () => {
    const x = da.random.random([30_000], { chunks: 7_000, seed: 11 });
    const xs = ((await x.compute(sync)) as NDArray).data as Float64Array;
    const d = x.sub(0.5);
    let sq = 0;
    for (const u of xs) sq += (u - 0.5) ** 2;
    for (const o of [sync, threads]) {
      expect(await d.mul(d).sum().compute(o)).toBeCloseTo(sq, 8);
      const twice = (await x.add(x).compute(o)) as NDArray;
      expect(twice.get(12_345)).toBe(2 * xs[12_345]);
      expect(((await d.mul(d).compute(o)) as NDArray).get(29_999)).toBe((xs[29_999] - 0.5) ** 2);
    }
  });

  it('persist on threads keeps the blocks in the worker threads; later work reads them there', async () => {
    const x = da.random.random([50, 4], { chunks: [10, 4], seed: 5 });
    const p = await x.mul(2).persist(threads);
    const nodes = [...collectionsToGraph([p[collectionSymbol]()], { optimizeGraph: false }).graph.toGraph().values()];
    expect(nodes).toHaveLength(5);
    expect(nodes.every((n) => n.kind === 'data' && n.value instanceof ResidentValue)).toBe(true);
    const xs = (await x.compute(sync)) as NDArray;
    let want = 0;
    for (let i = 0; i < xs.data.length; i++) want += 2 * (xs.data[i] as number);
    // Twice: reading a persisted block must not take its buffer away.
    for (let round = 0; round < 2; round++) {
      expect(await p.sum().compute(threads)).toBeCloseTo(want, 10);
      const back = (await p.compute(threads)) as NDArray;
      expect(back.shape).toEqual([50, 4]);
      expect(back.get(49, 3)).toBe(2 * (xs.get(49, 3) as number));
    }
    expect(await p.add(x).sum().compute(sync)).toBeCloseTo(1.5 * want, 10);
  });

  it('a long contraction (matmul, dot, tensordot) is summed in a tree: no task reads more than 8 pairs of blocks', async () => {
    const m = 3;
    const k = 70;
    const n = 2;
    const av = Float64Array.from({ length: m * k }, (_, i) => ((i * 7) % 11) - 5);
    const bv = Float64Array.from({ length: k * n }, (_, i) => ((i * 5) % 13) - 6);
    const want: number[] = [];
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
      let s = 0;
      for (let l = 0; l < k; l++) s += av[i * k + l] * bv[l * n + j];
      want.push(s);
    }
    for (const chunk of [1, 9, 70]) {
      const a = da.fromArray(av, { shape: [m, k], chunks: [m, chunk] });
      const b = da.fromArray(bv, { shape: [k, n], chunks: [chunk, n] });
      for (const p of [a.matmul(b), a.dot(b), da.tensordot(a, b, 1), a.astype('float32').matmul(b.astype('float32'))]) {
        const g = collectionsToGraph([p[collectionSymbol]()], { optimizeGraph: false }).graph;
        expect(Math.max(...g.nodes.map((x) => x.deps.length))).toBeLessThanOrEqual(16);
        for (const o of [sync, threads]) expect(Array.from(((await p.compute(o)) as NDArray).data)).toEqual(want);
      }
    }
  });

  it('arrays can be passed to delayed functions (finalised to an NDArray-like value)', async () => {
    const x = da.arange(10, { chunks: 3 });
    const total = delayed((a: { data: ArrayLike<number> }) => Array.from(a.data).reduce((s, v) => s + v, 0))(x as never);
    expect(await total.compute(sync)).toBe(45);
  });

  it('mapBlocks passes blocks and their location', async () => {
    const x = da.arange(10, { chunks: 4 }).astype('float64');
    const y = x.mapBlocks((b, info) => {
      const out = new Float64Array(b.size);
      for (let i = 0; i < b.size; i++) out[i] = b.data[i] * 100 + info.arrayLocation[0][0];
      return out;
    });
    const r = (await y.compute(threads)) as NDArray;
    expect(Array.from(r.data)).toEqual([0, 100, 200, 300, 404, 504, 604, 704, 808, 908]);
  });
});

describe('errors', () => {
  it('names mismatched shapes, bad chunks, bad indices, unknown dtypes and axes', () => {
    const x = da.ones([4, 3], { chunks: 2 });
    expect(() => x.add(da.ones([4], { chunks: 2 }))).toThrow(/could not be broadcast together with shapes \(4,3\) \(4,\)/);
    expect(() => da.ones([4, 3], { chunks: [2] })).toThrow(/do not match the 2 dimensions/);
    expect(() => da.ones([4], { chunks: [[1, 2]] })).toThrow(/add up to 3, not its length 4/);
    expect(() => da.ones([4], { chunks: 0 })).toThrow(/Bad chunk size 0/);
    expect(() => x.slice(4)).toThrow(/index 4 is out of bounds for axis 0 with size 4/);
    expect(() => x.slice(0, 0, 0)).toThrow(/too many indices/);
    expect(() => x.slice([0, 9])).toThrow(/index 9 is out of bounds/);
    expect(() => x.slice('1:2:0')).toThrow(/step cannot be zero/);
    expect(() => x.astype('complex128')).toThrow(/Unknown dtype 'complex128'/);
    expect(() => x.sum({ axis: 2 })).toThrow(/axis 2 is out of bounds for array of dimension 2/);
    expect(() => x.reshape([5, 3])).toThrow(/cannot reshape array of size 12 into shape \[5, 3\]/);
    expect(() => x.matmul(da.ones([4, 2]))).toThrow(/mismatch in its core dimension/);
    expect(() => da.concatenate([x, da.ones([4, 2])], 0)).toThrow(/must match exactly/);
  });

  it('a failing block function fails the computation with its error; the pool stays usable', async () => {
    const x = da.arange(8, { chunks: 2 });
    const bad = x.mapBlocks((b, info) => {
      if (info.blockId[0] === 2) throw new RangeError('block 2 is bad');
      return b;
    });
    await expect(bad.sum().compute(threads)).rejects.toThrow('block 2 is bad');
    expect(await x.sum().compute(threads)).toBe(28);
  });
});
