/**
 * measureInto, sizeOf and sharedBytesOf: one walk gives both figures; each shape's figures are
 * worked out here from the sizing rules (8 per number, 16 + 2 per char of a string, an array 16 +
 * its sampled items, an object 32 + its values + 8 per key, a Map/Set 64 + 48 per entry, typed
 * arrays their bytes, a SharedArrayBuffer an empty object whose bytes are all shared, anything
 * below depth 3 a flat 64).
 */
import { describe, expect, it } from 'vitest';
import { measureInto, sharedBytesOf, sizeOf } from '../src/execute/sizeof';

const measure = (v: unknown) => {
  const m = measureInto(v, { nbytes: -1, shared: -1 });
  return { nbytes: m.nbytes, shared: m.shared };
};

describe('measureInto', () => {
  const sab = new SharedArrayBuffer(8 * 1000);
  const shared = new Float64Array(sab);
  const plain = new Float64Array(500);
  const mixed = Array.from({ length: 100 }, (_, i) => (i % 3 === 0 ? shared : i % 3 === 1 ? 'ab' : plain));
  // The 16 sampled items of `mixed` are at floor(i * 100 / 16): their kinds by index mod 3.
  const sampled = Array.from({ length: 16 }, (_, i) => Math.floor((i * 100) / 16) % 3);
  const sampledBytes = sampled.reduce((s, k) => s + (k === 0 ? 8000 : k === 1 ? 20 : 4000), 0);
  const sampledShared = sampled.reduce((s, k) => s + (k === 0 ? 8000 : 0), 0);
  const values: [string, unknown, number, number][] = [
    ['number', 1.5, 8, 0],
    ['string', 'text', 24, 0],
    ['null', null, 0, 0],
    ['undefined', undefined, 0, 0],
    ['boolean', true, 4, 0],
    ['bigint', 10n, 8, 0],
    ['function', () => 1, 16, 0],
    ['shared typed array', shared, 8000, 8000],
    ['plain typed array', plain, 4000, 0],
    ['view into shared memory', new Int32Array(sab, 16, 10), 40, 40],
    ['ArrayBuffer', new ArrayBuffer(24), 24, 0],
    ['SharedArrayBuffer', sab, 32, 8000],
    ['empty array', [], 16, 0],
    ['array of numbers', [1, 2, 3], 16 + 24, 0],
    ['long array of mixed', mixed, 16 + Math.round((sampledBytes / 16) * 100), Math.round((sampledShared / 16) * 100)],
    ['Map', new Map([[1, shared]]), 64 + 48, 0],
    ['Set', new Set([1, 2]), 64 + 96, 0],
    ['empty object', {}, 32, 0],
    // numRows 8, names 16 + 2 x 18, types 16 + 2 x (32 + 22 + 8), chunks 16 + 2 x (16 + (32 + 8 + 8)), bufs 16 + 8000 + 4000.
    ['partition-like object', { numRows: 1000, names: ['x', 'y'], types: [{ id: 'f64' }, { id: 'f64' }], chunks: [[{ length: 1000 }], [{ length: 1000 }]], bufs: [shared, plain] }, 32 + (8 + 52 + 140 + 144 + 12016) + 40, 8000],
    // Objects at depths 0-3 (32 + value + 8 each) around one at depth 4 (64): its array is not looked into.
    ['deeper than the walk goes', { a: { b: { c: { d: { e: shared } } } } }, 4 * 40 + 64, 0],
    // Arrays at depths 0-3 (16 + item each); the SharedArrayBuffer at depth 4 counts 64 and is shared.
    ['SharedArrayBuffer deep down', [[[[sab]]]], 4 * 16 + 64, 8000],
    // The array at depth 4 counts 64 and is not looked into.
    ['SharedArrayBuffer deeper than the walk goes', [[[[[sab]]]]], 4 * 16 + 64, 0],
  ];
  for (const [name, v, nbytes, sharedBytes] of values) {
    it(`measures: ${name}`, () => {
      expect(measure(v)).toEqual({ nbytes, shared: sharedBytes });
      expect(sizeOf(v)).toBe(nbytes);
      expect(sharedBytesOf(v)).toBe(sharedBytes);
    });
  }
});
