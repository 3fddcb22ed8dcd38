/**
 * The one-pass sum of squared deviations, sum((a op s)^2), checked against exact arithmetic done
 * in JS: integer data whose squares and sums stay below 2^53, so every order of summation gives the
 * same, exact, value. Lengths cover the 128-element SIMD blocks, the 8-lane tail and the rest.
 */
import { describe, expect, it } from 'vitest';
import { createSharedMemory, loadKernelsSync } from '../src/index.js';

function exact(x: Float64Array, f: (v: number) => number): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += f(x[i]) * f(x[i]);
  return s;
}

describe('sumSquaresScalar', () => {
  for (const shared of [false, true]) {
    it(`equals the exact sum of squared deviations (${shared ? 'shared' : 'ordinary'} memory)`, () => {
      const k = loadKernelsSync(shared ? { memory: createSharedMemory({ initialBytes: 32 * 2 ** 20 }) } : { initialBytes: 32 * 2 ** 20 });
      for (const n of [0, 1, 7, 8, 127, 128, 129, 1000, 262_144 + 131, 1_000_003]) {
        const a = k.alloc(Float64Array, n);
        for (let i = 0; i < n; i++) a.array[i] = (i * 7919) % 1000;
        expect(k.sumSquaresScalar('sub', a.array, 500)).toBe(exact(a.array, (v) => v - 500));
        expect(k.sumSquaresScalar('add', a.array, -3)).toBe(exact(a.array, (v) => v - 3));
        expect(k.sumSquaresScalar('mul', a.array, 2)).toBe(exact(a.array, (v) => 2 * v));
        expect(k.sumSquaresScalar('div', a.array, 4)).toBe(exact(a.array, (v) => v / 4));
        a.free();
      }
    });
  }

  it('NaN and infinities propagate as in the two-step form', () => {
    const k = loadKernelsSync();
    const a = k.alloc(Float64Array, 300);
    a.array.fill(1);
    a.array[299] = NaN;
    expect(k.sumSquaresScalar('sub', a.array, 0.5)).toBeNaN();
    a.array[299] = Infinity;
    expect(k.sumSquaresScalar('sub', a.array, 0.5)).toBe(Infinity);
  });

  it('answers undefined for an array outside kernel memory, and refuses an unknown op by name', () => {
    const k = loadKernelsSync();
    expect(k.sumSquaresScalar('sub', new Float64Array(10), 1)).toBeUndefined();
    const a = k.alloc(Float64Array, 4);
    expect(() => k.sumSquaresScalar('pow' as 'sub', a.array, 1)).toThrow(/unknown op pow/);
  });
});
