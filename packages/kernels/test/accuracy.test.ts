import { beforeAll, describe, expect, it } from 'vitest';
import { loadKernels, type Kernels } from '../src/index.js';
import { exactSum, loadFixture, naiveSum } from './helpers.js';

interface Case {
  series: 'tenth' | 'harmonic' | 'ramp';
  n: number;
  numpy_sum: number;
  fsum: number;
  naive: number;
}

/** The series of make_fixtures.py's series(), bit for bit. */
function series(kind: Case['series'], n: number): Float64Array {
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) x[i] = kind === 'tenth' ? 0.1 : kind === 'harmonic' ? 1 / (i + 1) : (i % 1000) * 0.001 + 1e6;
  return x;
}

const fixture = loadFixture<Case>('accuracy.json');
let k: Kernels;

beforeAll(async () => {
  k = await loadKernels();
});

describe('summation is at least as accurate as NumPy pairwise summation', () => {
  for (const c of fixture.cases) {
    it(`${c.series} x ${c.n}`, () => {
      const x = series(c.series, c.n);
      const exact = exactSum(x);
      // The exact reference agrees with Python's math.fsum (correctly rounded).
      expect(exact).toBe(c.fsum);
      expect(naiveSum(x)).toBe(c.naive); // the series is rebuilt bit for bit
      const err = (v: number) => Math.abs(v - exact);
      expect(err(k.sum(x))).toBeLessThanOrEqual(err(c.numpy_sum));
      expect(err(k.mean(x) * c.n)).toBeLessThanOrEqual(err(c.numpy_sum) + Math.abs(exact) * 2 ** -52);
      // In kernel memory too (no streaming copy: same arithmetic).
      const kx = k.copyIn(x);
      expect(k.sum(kx)).toBe(k.sum(x));
      kx.free();
    });
  }

  it('a case where naive summation loses digits and NumPy does not', () => {
    const c = fixture.cases.find((c) => c.series === 'tenth')!;
    const x = series('tenth', c.n);
    const exact = exactSum(x);
    expect(Math.abs(c.naive - exact)).toBeGreaterThan(1e3 * Math.abs(c.numpy_sum - exact));
    expect(Math.abs(k.sum(x) - exact)).toBeLessThanOrEqual(Math.abs(c.numpy_sum - exact));
  });

  it('compensation across leaves: 1 followed by a million 1e-16 sums to 1 + 1e-10', () => {
    const x = new Float64Array(1_000_001).fill(1e-16);
    x[0] = 1;
    const exact = exactSum(x);
    expect(naiveSum(x)).toBe(1); // naive loses every small term
    // Only the 15 small terms sharing a lane with the 1 in the first leaf can be lost (the leaf
    // error NumPy has too); everything beyond the first leaf is compensated.
    expect(Math.abs(k.sum(x) - exact)).toBeLessThanOrEqual(16e-16);
  });

  it('nansum skips NaN with the same accuracy', () => {
    const x = series('harmonic', 100_000);
    const y = new Float64Array(200_000);
    for (let i = 0; i < 100_000; i++) {
      y[2 * i] = x[i];
      y[2 * i + 1] = NaN;
    }
    expect(Math.abs(k.nansum(y) - exactSum(x))).toBeLessThanOrEqual(Math.abs(exactSum(x)) * 2 ** -52);
    expect(k.count(y)).toBe(100_000);
  });
});

describe('JS and WASM paths agree', () => {
  it('a large float64 JS-heap array (summed by the JS loop) gives the bits of the in-place kernel', () => {
    const n = 3_000_017;
    const x = new Float64Array(n);
    for (let i = 0; i < n; i++) x[i] = 1 / (i + 1) + (i % 3 === 0 ? 1e6 : -1e6 + 0.5);
    const kx = k.copyIn(x);
    expect(k.sum(x)).toBe(k.sum(kx));
    expect(Math.abs(k.sum(x) - exactSum(x))).toBeLessThanOrEqual(Math.abs(exactSum(x)) * 2 ** -50);
    kx.free();
  });
});
