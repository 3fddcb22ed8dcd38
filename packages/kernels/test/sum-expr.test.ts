/**
 * sumExpr: sum(f(inputs)) of a float64 add/sub/mul/div chain in one kernel pass. Each chain is
 * checked against its values formed element by element in JS (exact IEEE arithmetic): summed by
 * the sum kernel they give the same bits (the pass forms the same values and sums the same leaves),
 * and a compensated JS sum of them agrees to rounding. Lengths cross the kernel's 128-element
 * leaves, 512-element groups and 16,384-element copy tiles; inputs live in kernel memory, on the
 * JS heap, or one of each.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadKernels, type Kernels, type SumExpr } from '../src/index.js';

let k: Kernels;
beforeAll(async () => {
  k = await loadKernels();
});

const ops = { add: (a: number, b: number) => a + b, sub: (a: number, b: number) => a - b, mul: (a: number, b: number) => a * b, div: (a: number, b: number) => a / b };

/** The chain's values, element by element in JS (each node once, as the kernel does). */
function valuesOf(e: SumExpr, inputs: readonly Float64Array[], n: number, seen = new Map<SumExpr, Float64Array>()): Float64Array {
  const known = seen.get(e);
  if (known) return known;
  let out: Float64Array;
  if (e.t === 'in') out = inputs[e.i];
  else if (e.t === 'const') out = new Float64Array(n).fill(e.v);
  else {
    const a = valuesOf(e.a, inputs, n, seen);
    const b = valuesOf(e.b, inputs, n, seen);
    const f = ops[e.op];
    out = Float64Array.from({ length: n }, (_, i) => f(a[i], b[i]));
  }
  seen.set(e, out);
  return out;
}

/** Neumaier-compensated sum (first principles, independent of the kernels). */
function compensated(v: Float64Array): number {
  let s = 0;
  let c = 0;
  for (const x of v) {
    const t = s + x;
    c += Math.abs(s) >= Math.abs(x) ? s - t + x : x - t + s;
    s = t;
  }
  return s + c;
}

const X: SumExpr = { t: 'in', i: 0 };
const Y: SumExpr = { t: 'in', i: 1 };
const c = (v: number): SumExpr => ({ t: 'const', v });
const bin = (op: keyof typeof ops, a: SumExpr, b: SumExpr): SumExpr => ({ t: 'bin', op, a, b });
const D = bin('sub', X, c(0.5));

const CHAINS: [string, SumExpr][] = [
  ['(x - 0.5) * (x - 0.5), one node used twice', bin('mul', D, D)],
  ['(x + y) / (y - 2) * 3', bin('mul', bin('div', bin('add', X, Y), bin('sub', Y, c(2))), c(3))],
  ['2 - x * y (constant on the left)', bin('sub', c(2), bin('mul', X, Y))],
  ['10 / (x + 1) (constant dividend, summed as formed)', bin('div', c(10), bin('add', X, c(1)))],
  ['x * 2 + y * 3 + 1', bin('add', bin('add', bin('mul', X, c(2)), bin('mul', Y, c(3))), c(1))],
  ['x * (2 + 3) (constants folded)', bin('mul', X, bin('add', c(2), c(3)))],
  ['x alone', X],
  ['x * y - y / x', bin('sub', bin('mul', X, Y), bin('div', Y, X))],
];

// A twelve-deep chain, each level reading the one below twice: registers must be reused.
let deep: SumExpr = X;
for (let d = 0; d < 12; d++) deep = bin(d % 2 ? 'add' : 'mul', bin('sub', deep, c(d / 7)), bin('mul', deep, c(0.5)));
CHAINS.push(['a twelve-deep chain', deep]);

const LENGTHS = [0, 1, 127, 128, 129, 511, 512, 513, 16_384 + 77, 50_003];

function inputsOf(n: number): Float64Array[] {
  const x = Float64Array.from({ length: n }, (_, i) => Math.sin(i * 0.37) * 3 + 0.25);
  const y = Float64Array.from({ length: n }, (_, i) => ((i * 7919) % 101) / 9 - 4.5);
  return [x, y];
}

describe('sumExpr', () => {
  for (const [name, chain] of CHAINS) {
    it(`${name}: the bits of its values summed by the sum kernel, wherever the inputs live`, () => {
      for (const n of LENGTHS) {
        const heap = inputsOf(n);
        const values = valuesOf(chain, heap, n);
        const want = k.sum(values);
        const ref = compensated(values);
        expect(Math.abs(want - ref)).toBeLessThanOrEqual(1e-12 * (Math.abs(ref) + n));
        const inKernel = heap.map((a) => k.copyIn(a));
        const mixed = [inKernel[0].array, heap[1]];
        expect(k.sumExpr(chain, heap)).toBe(want);
        expect(k.sumExpr(chain, inKernel)).toBe(want);
        expect(k.sumExpr(chain, mixed)).toBe(want);
        inKernel.forEach((a) => a.free());
      }
    });
  }

  it('NaN and infinities propagate as in IEEE arithmetic', () => {
    const x = Float64Array.from({ length: 1000 }, (_, i) => i);
    x[700] = NaN;
    expect(k.sumExpr(bin('mul', X, c(2)), [x])).toBeNaN();
    const z = Float64Array.from({ length: 1000 }, (_, i) => i);
    // 1 / 0 at element 0: +Infinity.
    expect(k.sumExpr(bin('div', c(1), X), [z])).toBe(Infinity);
  });

  it('refuses bad programs by name', () => {
    const x = new Float64Array(10);
    expect(() => k.sumExpr(X, [x, new Float64Array(9)])).toThrow(/length mismatch 9 vs 10/);
    expect(() => k.sumExpr(bin('add', c(1), c(2)), [x])).toThrow(/constant/);
    expect(() => k.sumExpr({ t: 'in', i: 3 }, [x])).toThrow(/input 3 of 1/);
    expect(() => k.sumExpr(bin('pow' as 'add', X, X), [x])).toThrow(/unknown op pow/);
    expect(() => k.sumExpr(X, [])).toThrow(/no inputs/);
    // A balanced tree of depth 10 over inputs needs nine registers at once.
    const tree = (d: number): SumExpr => (d === 0 ? X : bin('add', tree(d - 1), tree(d - 1)));
    expect(() => k.sumExpr(tree(10), [x])).toThrow(/more than 8 registers/);
  });
});
