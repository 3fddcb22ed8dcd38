/**
 * The shared-memory build, elementwise kernels, the x8 xoshiro128+ generator and XXH64, each
 * checked against first principles: published test vectors, a transcription of the reference C
 * algorithm, exact IEEE arithmetic done by JS, and a worker thread reading data in place.
 */
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { beforeAll, describe, expect, it } from 'vitest';
import { uniform53, xoshiroNext } from '../../../test/helpers/xoshiro';
import { createSharedMemory, loadKernels, loadKernelsSync, sharedMemoryId, type Kernels } from '../src/index.js';

let k: Kernels;
beforeAll(async () => {
  k = await loadKernels();
});

/** `n` outputs of xoshiro128+ (the reference transcription) from state `s`, stepped in place. */
const xoshiroDraws = (s: number[], n: number): number[] => Array.from({ length: n }, () => xoshiroNext(s));

describe('XXH64', () => {
  it('matches the published test vectors', () => {
    const e = new TextEncoder();
    expect(k.hash64(e.encode(''))).toBe('ef46db3751d8e999');
    expect(k.hash64(e.encode('a'))).toBe('d24ec4f1a98c6e5b');
    expect(k.hash64(e.encode('abc'))).toBe('44bc2cf5ad770999');
    expect(k.hash64(e.encode('Nobody inspects the spammish repetition'))).toBe('fbcea83c8a378bf1');
  });

  it('gives the same hash streamed through scratch as in place, for lengths around the stripe and block sizes', () => {
    for (const n of [31, 32, 33, 1000, 512 * 1024 + 37, 3 * 512 * 1024]) {
      const bytes = new Uint8Array(n).map((_, i) => (i * 131 + 7) & 255);
      const inPlace = k.copyIn(bytes);
      expect(k.hash64(inPlace.array)).toBe(k.hash64(bytes));
      inPlace.free();
    }
    expect(k.hash64(new Float64Array([1, 2]))).not.toBe(k.hash64(new Float64Array([2, 1])));
  });

  it('hashes pieces as their bytes laid end to end, copying each to its target on the way', () => {
    const e = new TextEncoder();
    // The published vectors, cut anywhere (a piece may be empty).
    expect(k.hash64Pieces([{ from: e.encode('a') }, { from: e.encode('') }, { from: e.encode('bc') }])).toBe('44bc2cf5ad770999');
    const text = 'Nobody inspects the spammish repetition';
    expect(k.hash64Pieces([...text].map((c) => ({ from: e.encode(c) })))).toBe('fbcea83c8a378bf1');
    expect(k.hash64Pieces([])).toBe('ef46db3751d8e999');
    // Pieces straddling the 32-byte stripes and the 512 KiB scratch blocks, as one buffer.
    const sizes = [5, 27, 64, 512 * 1024 - 3, 40, 512 * 1024 + 9, 1];
    const whole = new Uint8Array(sizes.reduce((a, b) => a + b, 0)).map((_, i) => (i * 131 + 7) & 255);
    const out = new Uint8Array(new SharedArrayBuffer(whole.length + 16));
    let at = 0;
    const pieces = sizes.map((n, i) => {
      const piece = { from: whole.subarray(at, at + n), to: i % 2 === 0 ? out.subarray(at + 8, at + 8 + n) : undefined };
      at += n;
      return piece;
    });
    expect(k.hash64Pieces(pieces)).toBe(k.hash64(whole));
    at = 0;
    sizes.forEach((n, i) => {
      const got = out.subarray(at + 8, at + 8 + n);
      expect(i % 2 === 0 ? got.every((b, j) => b === whole[at + j]) : got.every((b) => b === 0)).toBe(true);
      at += n;
    });
    expect(out.subarray(0, 8).every((b) => b === 0) && out.subarray(whole.length + 8).every((b) => b === 0)).toBe(true);
    expect(() => k.hash64Pieces([{ from: whole.subarray(0, 4), to: out.subarray(0, 3) }])).toThrow(/piece of 4 bytes cannot be copied to 3 bytes/);
  });
});

describe('elementwise float64', () => {
  const n = 1003;
  const a = Float64Array.from({ length: n }, (_, i) => Math.sin(i) * 1e3);
  const b = Float64Array.from({ length: n }, (_, i) => Math.cos(i) + (i % 7 === 0 ? -0 : 0.5));
  const ops = { add: (x: number, y: number) => x + y, sub: (x: number, y: number) => x - y, mul: (x: number, y: number) => x * y, div: (x: number, y: number) => x / y } as const;

  it('binary: in place in kernel memory and on the heap, equal to IEEE arithmetic', () => {
    const ka = k.copyIn(a);
    const kb = k.copyIn(b);
    const out = k.alloc(Float64Array, n);
    for (const [op, f] of Object.entries(ops) as [keyof typeof ops, (x: number, y: number) => number][]) {
      const want = a.map((v, i) => f(v, b[i]));
      k.binary(op, ka, kb, out);
      expect(Array.from(out.array)).toEqual(Array.from(want));
      const heap = new Float64Array(n);
      k.binary(op, a, b, heap);
      expect(Array.from(heap)).toEqual(Array.from(want));
      k.binary(op, 2.5, ka, out);
      expect(Array.from(out.array)).toEqual(Array.from(b.map((_, i) => f(2.5, a[i]))));
      k.binary(op, ka, -3, out);
      expect(Array.from(out.array)).toEqual(Array.from(a.map((v) => f(v, -3))));
    }
    ka.free();
    kb.free();
    out.free();
  });

  it('sumBinary equals sum of the materialised values, bit for bit, in place and streamed', () => {
    const ka = k.copyIn(a);
    const kb = k.copyIn(b);
    for (const op of ['add', 'sub', 'mul', 'div'] as const) {
      const tmp = a.map((v, i) => ops[op](v, b[i]));
      const want = k.sum(tmp);
      expect(k.sumBinary(op, ka, kb)).toBe(want);
      expect(k.sumBinary(op, a, b)).toBe(want);
    }
    expect(k.sumBinary('add', new Float64Array(0), new Float64Array(0))).toBe(0);
    ka.free();
    kb.free();
  });
});

describe('uniform x8 (eight interleaved xoshiro128+)', () => {
  it('double j of each group of eight comes from generator j: 27 + 26 bits of two draws', () => {
    const words = Array.from({ length: 32 }, (_, i) => (Math.imul(i + 1, 0x9e3779b9) ^ 0x5bd1e995) >>> 0);
    const state = Int32Array.from(words);
    const groups = 40;
    const out = new Float64Array(groups * 8);
    k.fillUniform(state, out);
    const w = (j: number, q: number) => (j < 4 ? 4 * q + j : 16 + 4 * q + (j - 4));
    for (let j = 0; j < 8; j++) {
      const s = [0, 1, 2, 3].map((q) => words[w(j, q)]);
      const d = xoshiroDraws(s, 2 * groups);
      for (let g = 0; g < groups; g++) {
        const want = uniform53(d[2 * g], d[2 * g + 1]);
        expect(out[8 * g + j]).toBe(want);
      }
      // The state advanced by 2 * groups draws.
      expect([0, 1, 2, 3].map((q) => state[w(j, q)] >>> 0)).toEqual(s);
    }
  });

  it('continues the stream across calls, in place or streamed, and scales as lo + u * span', () => {
    const seed = () => Int32Array.from({ length: 32 }, (_, i) => i * 7919 + 1);
    const whole = new Float64Array(800);
    k.fillUniform(seed(), whole);
    const st = seed();
    const t = k.alloc(Float64Array, 400);
    k.fillUniform(st, t);
    const first = Array.from(t.array);
    const rest = new Float64Array(400);
    k.fillUniform(st, rest);
    expect([...first, ...rest]).toEqual(Array.from(whole));
    const scaled = new Float64Array(800);
    k.fillUniform(seed(), scaled, { lo: -2, span: 7 });
    expect(Array.from(scaled)).toEqual(Array.from(whole, (u) => -2 + u * 7));
    expect(() => k.fillUniform(seed(), new Float64Array(7))).toThrow(/multiple of 8/);
    t.free();
  });
});

describe('shared memory', () => {
  it('two instances over one shared memory allocate apart and read each other\'s arrays in place', () => {
    const mem = createSharedMemory({ initialBytes: 1 << 20 });
    const a = loadKernelsSync({ memory: mem });
    const b = loadKernelsSync({ memory: mem });
    expect(a.shared && b.shared).toBe(true);
    expect(sharedMemoryId(mem)).toMatch(/^-?\d+:-?\d+$/);
    const xa = a.alloc(Float64Array, 100_000); // claims and grows the memory
    const xb = b.alloc(Float64Array, 100_000);
    expect(xb.ptr >= xa.ptr + 800_000 || xa.ptr >= xb.ptr + 800_000).toBe(true);
    xa.array.fill(1);
    xb.array.fill(2);
    expect(b.owns(xa.array)).toBe(true);
    expect(b.sum(xa.array)).toBe(100_000);
    expect(a.sumBinary('add', xa.array, xb.array)).toBe(300_000);
    // A view made before growth stays valid in a shared memory.
    const before = xa.array;
    a.alloc(Float64Array, 2_000_000);
    expect(before.length).toBe(100_000);
    expect(a.sum(before)).toBe(100_000);
  });

  it('a worker thread instantiates the kernels over a posted memory and sums the data in place', async () => {
    const mem = createSharedMemory();
    const main = loadKernelsSync({ memory: mem });
    const x = main.alloc(Float64Array, 1_000_000);
    for (let i = 0; i < x.length; i++) x.array[i] = i;
    const dist = fileURLToPath(new URL('../dist/index.js', import.meta.url));
    const w = new Worker(
      `const { parentPort } = require('node:worker_threads');
       parentPort.once('message', async ({ mem, view }) => {
         const K = await import(${JSON.stringify(dist)});
         const k = K.loadKernelsSync({ memory: mem });
         parentPort.postMessage({ owns: k.owns(view), sum: k.sum(view), id: K.sharedMemoryId(mem) });
       });`,
      { eval: true },
    );
    const got = await new Promise<{ owns: boolean; sum: number; id: string }>((res, rej) => {
      w.once('message', res);
      w.once('error', rej);
      w.postMessage({ mem, view: x.array });
    });
    await w.terminate();
    expect(got).toEqual({ owns: true, sum: (999_999 * 1_000_000) / 2, id: sharedMemoryId(mem) });
  });
});
