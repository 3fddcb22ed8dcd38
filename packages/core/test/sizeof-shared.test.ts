/**
 * The bytes of a result that another thread would copy: sizeOf less what sits in
 * SharedArrayBuffers (read in place by every thread), for the shapes results take.
 */
import { describe, expect, it } from 'vitest';
import { sharedBytesOf, sizeOf } from '../src/execute/sizeof';

describe('sharedBytesOf', () => {
  const shared = new Float64Array(new SharedArrayBuffer(8 * 1000));
  const plain = new Float64Array(500);

  it('counts typed arrays on a SharedArrayBuffer, not ordinary ones', () => {
    expect(sharedBytesOf(shared)).toBe(8000);
    expect(sharedBytesOf(plain)).toBe(0);
    expect(sharedBytesOf(new SharedArrayBuffer(24))).toBe(24);
    expect(sharedBytesOf(new ArrayBuffer(24))).toBe(0);
    expect(sharedBytesOf(new Int32Array(shared.buffer, 16, 10))).toBe(40);
  });

  it('finds them inside a partition-like object (buffers in a flat list beside metadata)', () => {
    const part = { numRows: 1000, names: ['x', 'y'], types: [{ id: 'f64' }, { id: 'f64' }], chunks: [[{ length: 1000 }], [{ length: 1000 }]], bufs: [shared, plain] };
    expect(sharedBytesOf(part)).toBe(8000);
    // What a copy moves: everything else.
    expect(sizeOf(part) - sharedBytesOf(part)).toBeGreaterThanOrEqual(plain.byteLength);
    expect(sizeOf(part) - sharedBytesOf(part)).toBeLessThan(plain.byteLength + 1000);
  });

  it('is 0 for plain values', () => {
    for (const v of [1, 'text', null, undefined, true, 10n, [1, 2, 3], { a: 1 }, new Map([[1, shared]])]) expect(sharedBytesOf(v)).toBe(0);
  });
});
