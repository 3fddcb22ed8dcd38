/**
 * Large inputs in the arena (a shared WebAssembly memory reduced in place on every thread), the
 * WebAssembly fused reductions over them, the x8 random generator's two implementations, and the
 * small-graph inline rule. References are computed in the tests from first principles.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { closeThreadPools, config } from '@pdask/core';
import { loadKernels } from '@pdask/kernels';
import * as da from '../src/index';
import type { NDArray } from '../src/ndarray';
import { runsInline } from '../src/inline';
import { fillUniform, fillUniformJs, streamFor } from '../src/runtime/random';

afterAll(() => closeThreadPools());
const sync = { scheduler: 'sync' } as const;
const threads = { scheduler: 'threads', numWorkers: 2 } as const;

// 2^20 + 5 float64 (8 MiB, in the arena), integers so that sums are exact in float64.
const N = (1 << 20) + 5;
const x = Float64Array.from({ length: N }, (_, i) => i % 1000);
const y = Float64Array.from({ length: N }, (_, i) => (i * 7) % 13);
const chunks = [[300_001, 300_000, 300_000, N - 900_001]];

function plain(f: (a: number, b: number) => number): number {
  let s = 0;
  for (let i = 0; i < N; i++) s += f(x[i], y[i]);
  return s;
}

describe('arena inputs', () => {
  it('sum, fused (x + y).sum() and (x * 2 - y).sum() are exact on sync and threads', async () => {
    const dx = da.fromArray(x, { chunks });
    const dy = da.fromArray(y, { chunks });
    for (const opts of [sync, threads]) {
      expect(await dx.sum().compute(opts)).toBe(plain((a) => a));
      expect(await dx.add(dy).sum().compute(opts)).toBe(plain((a, b) => a + b));
      expect(await dx.mul(2).sub(dy).sum().compute(opts)).toBe(plain((a, b) => a * 2 - b));
      expect(await dx.sub(dy).div(4).sum().compute(opts)).toBe(plain((a, b) => (a - b) / 4));
    }
  });

  it('other reductions of arena inputs and of fused chains over them', async () => {
    const dx = da.fromArray(x, { chunks });
    const dy = da.fromArray(y, { chunks });
    const mean = plain((a, b) => a + b) / N;
    let m2 = 0;
    for (let i = 0; i < N; i++) m2 += (x[i] + y[i] - mean) ** 2;
    expect(await dx.add(dy).mean().compute(threads)).toBeCloseTo(mean, 10);
    expect(await dx.add(dy).var().compute(threads)).toBeCloseTo(m2 / N, 8);
    expect(await dx.sub(dy).min().compute(threads)).toBe(-12);
    expect(await dx.argmax().compute(threads)).toBe(999);
    expect(await dx.add(dy).max().compute(sync)).toBe(999 + 12);
  });

  it('results and persisted blocks are copies, not views of the arena', async () => {
    const dx = da.fromArray(x, { chunks: [[N]] });
    const r = (await dx.compute(sync)) as NDArray;
    expect(r.data === x).toBe(false);
    expect(r.data.buffer instanceof SharedArrayBuffer).toBe(false);
    expect(r.get(1234)).toBe(234);
    const p = await dx.persist(sync);
    expect(await p.sum().compute(sync)).toBe(plain((a) => a));
  });

  it('blocks persisted on threads (views of the arena, kept by the workers) stay readable', async () => {
    const dy = da.fromArray(y, { chunks });
    const p = await da.fromArray(x, { chunks }).add(dy).persist(threads);
    const q = await dy.persist(threads);
    for (let round = 0; round < 2; round++) {
      expect(await p.sum().compute(threads)).toBe(plain((a, b) => a + b));
      expect(await p.sub(q).sum().compute(threads)).toBe(plain((a) => a));
      expect(await q.sum().compute(sync)).toBe(plain((_a, b) => b));
    }
  });
});

describe('random x8 generator', () => {
  it('the JS loop and the WebAssembly kernel produce the same bits', async () => {
    const k = await loadKernels();
    const a = streamFor(12345, 67);
    const b = streamFor(12345, 67);
    const js = new Float64Array(8 * 100);
    const wasm = new Float64Array(8 * 100);
    fillUniformJs(a, js, 100);
    k.fillUniform(b.s, wasm);
    expect(Array.from(wasm)).toEqual(Array.from(js));
    expect(Array.from(b.s)).toEqual(Array.from(a.s));
  });

  it('a stream read in pieces of any length equals the stream read at once', () => {
    const whole = new Float64Array(1000);
    fillUniform(streamFor(9, 3), whole, 0, 1000);
    const st = streamFor(9, 3);
    const parts = new Float64Array(1000);
    let at = 0;
    for (const len of [3, 8, 13, 1, 100, 875]) {
      fillUniform(st, parts, at, len);
      at += len;
    }
    expect(Array.from(parts)).toEqual(Array.from(whole));
    for (const u of whole) expect(u >= 0 && u < 1).toBe(true);
  });

  it('uneven blocks (not multiples of 8) give the same values on sync and threads; moments are right', async () => {
    const r = da.random.random([10_001], { chunks: 333, seed: 11 });
    const a = (await r.compute(sync)) as NDArray;
    const b = (await r.compute(threads)) as NDArray;
    expect(Array.from(b.data)).toEqual(Array.from(a.data));
    const m = Array.from(a.data).reduce((s, v) => s + v, 0) / a.size;
    expect(Math.abs(m - 0.5)).toBeLessThan(0.02);
    expect(await r.mean().compute(threads)).toBeCloseTo(m, 12);
  });
});

describe('small graphs run inline', () => {
  it('only without user code, persisted blocks or large arrays, and only when enabled', () => {
    const small = da.fromArray(x.subarray(0, 1000), { chunks: 250 });
    expect(runsInline([small.add(1).sum().layer])).toBe(true);
    expect(runsInline([da.fromArray(x, { chunks }).sum().layer])).toBe(false);
    expect(runsInline([small.mapBlocks((b) => b).sum().layer])).toBe(false);
    const s = config.set({ 'array.inline-threshold': 0 });
    try {
      expect(runsInline([small.sum().layer])).toBe(false);
    } finally {
      s.restore();
    }
  });

  it('compute() without options gives the same result as threads', async () => {
    const small = da.fromArray(x.subarray(0, 1000), { chunks: 250 });
    expect(await small.sum().compute()).toBe(await small.sum().compute(threads));
  });
});

describe('fromArray again on the same large array (the snapshot memory)', () => {
  const firstBlock = (d: da.ChunkedArray) => ([...d.layer.layer.materialize()][0] as { value: { data: Float64Array } }).value.data;

  it('unchanged data: the same name and the same arena copy; changed data: a new name and its values', async () => {
    const z = x.slice();
    const a = da.fromArray(z, { chunks });
    const b = da.fromArray(z, { chunks });
    expect(b.name).toBe(a.name);
    // One arena memory holds every copy: the same copy is the same place in it.
    expect(firstBlock(b).byteOffset).toBe(firstBlock(a).byteOffset);
    z[N - 1] = 5000;
    const c = da.fromArray(z, { chunks });
    expect(c.name).not.toBe(a.name);
    expect(firstBlock(c).byteOffset).not.toBe(firstBlock(a).byteOffset);
    const base = plain((v) => v);
    expect(await c.sum().compute(threads)).toBe(base - ((N - 1) % 1000) + 5000);
    expect(await a.sum().compute(sync)).toBe(base);
  });
});
