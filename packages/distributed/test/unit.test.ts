import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataStore, decodeValue, encodeValue, parseMemoryLimit, parseResources } from '../src/index';
import { decodeNode, WireError } from '../src/protocol/nodes';

describe('the wire codec', () => {
  it('round-trips typed arrays as binary, and Maps, Sets, undefined, bigints, dates', () => {
    const v = {
      f64: new Float64Array([1.5, -2, Number.NaN]),
      i32: new Int32Array([1, -2, 3]),
      u8: new Uint8Array([255, 0]),
      big: new BigInt64Array([-(2n ** 63n)]),
      m: new Map<unknown, unknown>([[1, 'a'], ['b', new Set([2])]]),
      u: undefined,
      n: 2n ** 100n,
      d: new Date(86_400_000),
    };
    const back = decodeValue(encodeValue(v)) as typeof v;
    expect(back.f64).toBeInstanceOf(Float64Array);
    expect([...back.f64]).toEqual([1.5, -2, Number.NaN]);
    expect(back.i32).toEqual(new Int32Array([1, -2, 3]));
    expect(back.u8).toEqual(new Uint8Array([255, 0]));
    expect(back.big[0]).toBe(-(2n ** 63n));
    expect(back.m).toEqual(new Map<unknown, unknown>([[1, 'a'], ['b', new Set([2])]]));
    expect(back.n).toBe(2n ** 100n);
    expect(back.d.getTime()).toBe(86_400_000);
    // 1,000 doubles take 8,000 bytes plus a small header: no text encoding.
    expect(encodeValue(new Float64Array(1000)).length).toBeLessThan(8_020);
    expect(decodeValue(encodeValue(undefined))).toBeUndefined();
  });

  it('decodes views at any alignment (frames arrive at arbitrary offsets)', () => {
    const bytes = encodeValue(new Float64Array([1, 2, 3]));
    const shifted = new Uint8Array(bytes.length + 3);
    shifted.set(bytes, 3);
    expect(decodeValue(shifted.subarray(3))).toEqual(new Float64Array([1, 2, 3]));
  });

  it('refuses malformed graph nodes with WireError', () => {
    for (const bad of [42, [], [0, 7], [9, 'k'], [0, 'k', 99], [0, 'k', 0, 7, 1], [2, 'k', 'x', []], [3, 'k', 5]]) {
      expect(() => decodeNode(bad, [{ k: 'src', src: '(x) => x', name: 'f' }])).toThrow(WireError);
    }
    const ok = decodeNode([0, 'k', 0, 0, 5, 1, 'other'], [{ k: 'src', src: '(x, y) => x', name: 'f' }]);
    expect(ok.deps).toEqual(['other']);
  });
});

describe('CLI values', () => {
  it('parses memory limits and resources like Dask', () => {
    expect(parseMemoryLimit('0')).toBe(0);
    expect(parseMemoryLimit('4GB')).toBe(4e9);
    expect(parseMemoryLimit('512MiB')).toBe(512 * 2 ** 20);
    expect(parseMemoryLimit('1e6')).toBe(1e6);
    expect(() => parseMemoryLimit('lots')).toThrow(/Invalid memory limit 'lots'/);
    expect(parseResources('GPU=2 MEM=10e9')).toEqual({ GPU: 2, MEM: 1e10 });
    expect(parseResources('GPU=2,FPGA=1')).toEqual({ GPU: 2, FPGA: 1 });
    expect(() => parseResources('GPU')).toThrow(/expected NAME=AMOUNT/);
  });
});

describe('spilling', () => {
  it('spills least recently used results past the target and reads them back intact', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'pdask-spill-')), 'w');
    const MB = 2 ** 20;
    const store = new DataStore({ limit: 10 * MB, target: 0.6, directory: dir });
    for (let i = 0; i < 10; i++) store.set(`k${i}`, new Float64Array(MB / 8).fill(i), MB);
    // 10 MiB held against a 6 MiB target: the 4 oldest went to disk.
    expect(store.managedBytes).toBe(6 * MB);
    expect(store.spilledBytes).toBe(4 * MB);
    expect(store.spilledKeys).toBe(4);
    expect(readdirSync(dir).length).toBe(4);
    const back = store.get('k0') as Float64Array;
    expect(back.length).toBe(MB / 8);
    expect(back.every((v) => v === 0)).toBe(true);
    // Reading k0 back made it recent; the next oldest (k4) was spilled in its place.
    expect(store.spilledKeys).toBe(4);
    expect(store.has('k4')).toBe(true);
    for (let i = 0; i < 10; i++) expect((store.get(`k${i}`) as Float64Array)[7]).toBe(i);
    store.delete('k1');
    expect(store.has('k1')).toBe(false);
    store.dispose();
  });
});
