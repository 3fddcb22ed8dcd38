/**
 * measureInto: the worker's one walk over a result gives exactly what the two walks it replaces
 * (sizeOf, sharedBytesOf) give, for the shapes results take; plain values by first principles.
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
  const deep = { a: { b: { c: { d: { e: shared } } } } };
  const values: [string, unknown][] = [
    ['number', 1.5],
    ['string', 'text'],
    ['null', null],
    ['undefined', undefined],
    ['boolean', true],
    ['bigint', 10n],
    ['function', () => 1],
    ['shared typed array', shared],
    ['plain typed array', plain],
    ['view into shared memory', new Int32Array(sab, 16, 10)],
    ['ArrayBuffer', new ArrayBuffer(24)],
    ['SharedArrayBuffer', sab],
    ['empty array', []],
    ['array of numbers', [1, 2, 3]],
    ['long array of mixed', Array.from({ length: 100 }, (_, i) => (i % 3 === 0 ? shared : i % 3 === 1 ? 'ab' : plain))],
    ['Map', new Map([[1, shared]])],
    ['Set', new Set([1, 2])],
    ['empty object', {}],
    ['partition-like object', { numRows: 1000, names: ['x', 'y'], types: [{ id: 'f64' }, { id: 'f64' }], chunks: [[{ length: 1000 }], [{ length: 1000 }]], bufs: [shared, plain] }],
    ['deeper than the walk goes', deep],
    ['SharedArrayBuffer deep down', [[[[sab]]]]],
    ['SharedArrayBuffer deeper than the walk goes', [[[[[sab]]]]]],
  ];
  for (const [name, v] of values) {
    it(`gives sizeOf and sharedBytesOf of: ${name}`, () => {
      expect(measure(v)).toEqual({ nbytes: sizeOf(v), shared: sharedBytesOf(v) });
    });
  }

  it('gives 8 bytes and nothing shared for a number, the figures of the tiny-task tree', () => {
    expect(measure(123)).toEqual({ nbytes: 8, shared: 0 });
    expect(measure(shared)).toEqual({ nbytes: 8000, shared: 8000 });
    expect(measure(plain)).toEqual({ nbytes: 4000, shared: 0 });
  });
});
