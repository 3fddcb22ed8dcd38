/**
 * The machine-learning partials (lloydPartial, logisticPartial) against plain JS references written
 * here from the definitions: nearest center by Σ (x - c)², per-cluster sums; log-loss, its gradient
 * and Hessian row by row. Sizes are odd on purpose (rows not a multiple of 2 or of the kernels'
 * tiles, d = 1, k = 1, odd k and p), inputs come from every place the kernels read them (JS heap,
 * kernel memory, other dtypes, a scratch area too small for one block, a shared memory).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createSharedMemory,
  LabelError,
  loadKernels,
  loadKernelsSync,
  mergeLloyd,
  mergeNewton,
  type Kernels,
  type LloydPartial,
  type NewtonPartial,
} from '../src/index.js';
import { expectClose, stream } from './helpers.js';

let k: Kernels;
/** Streams through 4 KiB: a few rows per block, so blocks end at odd rows and tiles are cut. */
let small: Kernels;
beforeAll(async () => {
  k = await loadKernels();
  small = await loadKernels({ scratchBytes: 4096 });
});


// ---- k-means ---------------------------------------------------------------------------------------

interface LloydRef extends LloydPartial {
  labels: Int32Array;
  distances: Float64Array;
}

/** The definition: each row to the first center of least Σ_t (x_t - c_t)². */
function lloydRef(x: ArrayLike<number>, centers: Float64Array, d: number): LloydRef {
  const n = x.length / d;
  const kc = centers.length / d;
  const sums = new Float64Array(kc * d);
  const counts = new Float64Array(kc);
  const labels = new Int32Array(n);
  const distances = new Float64Array(n);
  let inertia = 0;
  for (let i = 0; i < n; i++) {
    let best = Infinity;
    let label = 0;
    const dist = (j: number): number => {
      let s = 0;
      for (let t = 0; t < d; t++) s += (x[i * d + t] - centers[j * d + t]) ** 2;
      return s;
    };
    for (let j = 0; j < kc; j++) {
      const v = dist(j);
      if (v < best) {
        best = v;
        label = j;
      }
    }
    if (!(best < Infinity)) best = dist(0);
    labels[i] = label;
    distances[i] = best;
    counts[label]++;
    inertia += best;
    for (let t = 0; t < d; t++) sums[label * d + t] += x[i * d + t];
  }
  return { sums, counts, inertia, labels, distances };
}

function expectLloyd(got: LloydPartial, want: LloydPartial, what: string): void {
  expect(Array.from(got.counts), `${what} counts`).toEqual(Array.from(want.counts));
  got.sums.forEach((v, i) => expectClose(v, want.sums[i], 1e-12, `${what} sums[${i}]`));
  expectClose(got.inertia, want.inertia, 1e-12, `${what} inertia`);
}

function randomCase(n: number, d: number, kc: number, seed: number): { x: Float64Array; centers: Float64Array } {
  const u = stream(seed);
  const centers = Float64Array.from({ length: kc * d }, () => 4 * u() - 2);
  // Rows near the centers, overlapping: many rows are close to two centers.
  const x = Float64Array.from({ length: n * d }, (_, e) => centers[(Math.floor(e / d) % kc) * d + (e % d)] + 3 * u() - 1.5);
  return { x, centers };
}

describe('lloydPartial', () => {
  // (rows, features, clusters): odd rows, d = 1, k = 1, k odd (a padding center), k > 8 and
  // k not a multiple of 8 (every width of the kernel's center blocks), a single row.
  const shapes: [number, number, number][] = [
    [1, 1, 1], [2, 1, 1], [7, 1, 3], [13, 3, 1], [101, 5, 7], [1000, 10, 8], [999, 3, 9],
    [257, 2, 5], [33, 17, 12], [1, 4, 6], [4099, 2, 14],
  ];

  it('matches the definition on the JS heap, with labels and distances, for every shape', () => {
    for (const [n, d, kc] of shapes) {
      const { x, centers } = randomCase(n, d, kc, n * 31 + d * 7 + kc);
      const want = lloydRef(x, centers, d);
      for (const kern of [k, small]) {
        const labels = new Int32Array(n);
        const distances = new Float64Array(n);
        const got = kern.lloydPartial(x, centers, { features: d, labels, distances });
        const what = `n=${n} d=${d} k=${kc}${kern === small ? ' (small scratch)' : ''}`;
        expectLloyd(got, want, what);
        expect(Array.from(labels), `${what} labels`).toEqual(Array.from(want.labels));
        // The same terms in the same order as the definition: the same bits.
        expect(Array.from(distances), `${what} distances`).toEqual(Array.from(want.distances));
      }
    }
  });

  it('breaks ties to the lowest index: within a pair of centers, across pairs and across blocks of 8', () => {
    // Integers: every distance is exact, so the ties are real ties.
    const centers = new Float64Array([5, 0, 2, 2, 7, 9, 4, 2, 11, 0, 2]); // d = 1, k = 11
    const x = new Float64Array([1, 2, 0, 3, 8, 10, 6, -3, 100, 5.5, 9]);
    const labels = new Int32Array(x.length);
    const got = k.lloydPartial(x, centers, { features: 1, labels });
    const want = lloydRef(x, centers, 1);
    // 1 is 1 away from the centers at indices 1, 2, 3, 7, 9, 10 -> 1; 2 is one of indices 2, 3, 7,
    // 10 -> 2; 0 is indices 1 and 9 -> 1; 3 is 1 away from indices 2, 3, 6, 7, 10 -> 2.
    expect(Array.from(labels)).toEqual(Array.from(want.labels));
    expect(Array.from(labels.subarray(0, 4))).toEqual([1, 2, 1, 2]);
    // 8: 7 (index 4) and 9 (index 5) tie; 10: 9 and 11 (indices 5 and 8, across the 8-center block).
    expect(labels[4]).toBe(4);
    expect(labels[5]).toBe(5);
    expectLloyd(got, want, 'ties');

    // 2-d: the origin is equidistant from four centers; the first wins, whatever the lane.
    const c2 = new Float64Array([3, 3, 0, 1, 1, 0, 0, -1, -1, 0]);
    const l2 = new Int32Array(3);
    k.lloydPartial(new Float64Array([0, 0, 0, 0, 0.5, 0.5]), c2, { features: 2, labels: l2 });
    expect(Array.from(l2)).toEqual([1, 1, 1]);
  });

  it('reads float64 in kernel memory in place, converts other dtypes, and writes labels to kernel memory', () => {
    const [n, d, kc] = [1203, 6, 5];
    const { x, centers } = randomCase(n, d, kc, 5);
    const want = lloydRef(x, centers, d);
    const kx = k.copyIn(x);
    const kl = k.alloc(Int32Array, n);
    const kd = k.alloc(Float64Array, n);
    expectLloyd(k.lloydPartial(kx, centers, { features: d, labels: kl, distances: kd }), want, 'in place');
    expect(Array.from(kl.array)).toEqual(Array.from(want.labels));
    expect(Array.from(kd.array)).toEqual(Array.from(want.distances));
    kx.free();
    kl.free();
    kd.free();

    const f32 = Float32Array.from(x);
    const i32 = Int32Array.from(x, (v) => Math.round(v * 10));
    expectLloyd(k.lloydPartial(f32, centers, { features: d }), lloydRef(Float64Array.from(f32), centers, d), 'float32');
    expectLloyd(k.lloydPartial(i32, centers.map((v) => v * 10), { features: d }), lloydRef(i32, centers.map((v) => v * 10), d), 'int32');
    const kf = k.copyIn(f32);
    expectLloyd(k.lloydPartial(kf, centers, { features: d }), lloydRef(Float64Array.from(f32), centers, d), 'float32 in kernel memory');
    kf.free();
    expect(k.allocatedBytes).toBe(0);
  });

  it('reads a shared memory in place, and partials of row ranges merge to the whole', () => {
    const ks = loadKernelsSync({ memory: createSharedMemory() });
    const [n, d, kc] = [2501, 4, 3];
    const { x, centers } = randomCase(n, d, kc, 9);
    const sx = ks.copyIn(x);
    expect(ks.owns(sx.array)).toBe(true);
    const want = lloydRef(x, centers, d);
    expectLloyd(ks.lloydPartial(sx, centers, { features: d }), want, 'shared');
    const cut = 1001 * d;
    const merged = mergeLloyd(ks.lloydPartial(sx.array.subarray(0, cut), centers, { features: d }), k.lloydPartial(x.subarray(cut), centers, { features: d }));
    expectLloyd(merged, want, 'merged');
    sx.free();
  });

  it('without sums: only labels and distances; NaN rows go to cluster 0 with a NaN distance', () => {
    const x = new Float64Array([0, 0, NaN, 1, 5, 5]);
    const centers = new Float64Array([4, 4, 0, 0, 6, 6]);
    const labels = new Int32Array(3);
    const distances = new Float64Array(3);
    const got = k.lloydPartial(x, centers, { features: 2, labels, distances, sums: false });
    expect(Array.from(labels)).toEqual([1, 0, 0]);
    expect(distances[0]).toBe(0);
    expect(distances[1]).toBeNaN();
    expect(distances[2]).toBe(2);
    expect(Array.from(got.sums)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(Array.from(got.counts)).toEqual([0, 0, 0]);
    expect(got.inertia).toBeNaN();
  });

  it('without the inertia: the same sums and counts, inertia NaN; distances still give it', () => {
    for (const [n, d, kc] of [[1000, 10, 8], [257, 2, 5], [33, 17, 12]] as const) {
      const { x, centers } = randomCase(n, d, kc, n + d + kc);
      const want = lloydRef(x, centers, d);
      const labels = new Int32Array(n);
      const got = k.lloydPartial(x, centers, { features: d, labels, inertia: false });
      expect(Array.from(got.counts), `n=${n} counts`).toEqual(Array.from(want.counts));
      got.sums.forEach((v, i) => expectClose(v, want.sums[i], 1e-12, `n=${n} sums[${i}]`));
      expect(Array.from(labels)).toEqual(Array.from(want.labels));
      expect(got.inertia).toBeNaN();
      const distances = new Float64Array(n);
      expectLloyd(k.lloydPartial(x, centers, { features: d, distances, inertia: false }), want, `n=${n} with distances`);
      expect(Array.from(distances)).toEqual(Array.from(want.distances));
    }
  });

  it('finds the nearest center of data far from the origin (clusters 1e-3 apart at 1e6)', () => {
    // Scores of the form ‖c‖² − 2 x·c would lose every digit here (‖x‖² ≈ 1e12, the gaps ≈ 1e-6).
    const { x, centers } = randomCase(2001, 3, 6, 77);
    const far = (a: Float64Array) => a.map((v) => 1e6 + v * 1e-3);
    const fx = far(x);
    const fc = far(centers);
    const want = lloydRef(fx, fc, 3);
    const labels = new Int32Array(2001);
    k.lloydPartial(fx, fc, { features: 3, labels });
    expect(Array.from(labels)).toEqual(Array.from(want.labels));
  });

  it('rejects inconsistent shapes with a message naming them', () => {
    expect(() => k.lloydPartial(new Float64Array(7), new Float64Array(2), { features: 2 })).toThrow(/7 values, not a multiple of 2/);
    expect(() => k.lloydPartial(new Float64Array(4), new Float64Array(3), { features: 2 })).toThrow(/centers have 3 values/);
    expect(() => k.lloydPartial(new Float64Array(4), new Float64Array(2), { features: 2, labels: new Int32Array(3) })).toThrow(/labels has length 3, X has 2 rows/);
    expect(() => k.lloydPartial(new Float64Array(4), new Float64Array(2), { features: 0 })).toThrow(/features must be a positive integer/);
  });
});

describe('closestUpdate', () => {
  /** The definition: min over the centers of Σ_t (x_t - c_t)², summed in t order, from `start`. */
  function closestRef(x: ArrayLike<number>, centers: Float64Array, d: number, start: Float64Array): Float64Array {
    return start.map((s, i) => {
      let best = s;
      for (let j = 0; j < centers.length / d; j++) {
        let v = 0;
        for (let t = 0; t < d; t++) v += (x[i * d + t] - centers[j * d + t]) ** 2;
        best = Math.min(best, v);
      }
      return best;
    });
  }

  it('folds centers one at a time or all at once to the definition, bit for bit, wherever the arrays are', () => {
    for (const [n, d, kc] of [[1, 1, 1], [7, 3, 4], [1001, 10, 8], [4099, 2, 5]] as const) {
      const { x, centers } = randomCase(n, d, kc, n + d + kc);
      const want = closestRef(x, centers, d, new Float64Array(n).fill(Infinity));
      for (const kern of [k, small]) {
        const what = `n=${n} d=${d} k=${kc}${kern === small ? ' (small scratch)' : ''}`;
        const all = new Float64Array(n).fill(Infinity);
        kern.closestUpdate(x, centers, all, { features: d });
        expect(Array.from(all), `${what} all at once`).toEqual(Array.from(want));
        const one = new Float64Array(n).fill(Infinity);
        for (let j = 0; j < kc; j++) kern.closestUpdate(x, centers.subarray(j * d, j * d + d), one, { features: d });
        expect(Array.from(one), `${what} one at a time`).toEqual(Array.from(want));
      }
      // In kernel memory (read and written in place), and X as float32.
      const kx = k.copyIn(x);
      const kc2 = k.copyIn(new Float64Array(n).fill(Infinity));
      k.closestUpdate(kx, centers, kc2, { features: d });
      expect(Array.from(kc2.array), 'in place').toEqual(Array.from(want));
      kx.free();
      kc2.free();
      const f32 = Float32Array.from(x);
      const c32 = new Float64Array(n).fill(Infinity);
      k.closestUpdate(f32, centers, c32, { features: d });
      expect(Array.from(c32), 'float32').toEqual(Array.from(closestRef(Float64Array.from(f32), centers, d, new Float64Array(n).fill(Infinity))));
    }
    expect(k.allocatedBytes).toBe(0);
  });

  it('keeps a smaller distance it was given, and rejects inconsistent shapes by name', () => {
    const closest = Float64Array.of(0.5, 100);
    k.closestUpdate(Float64Array.of(0, 0, 3, 4), Float64Array.of(0, 0), closest, { features: 2 });
    expect(Array.from(closest)).toEqual([0, 25]);
    closest.set([0.5, 1]);
    k.closestUpdate(Float64Array.of(1, 1, 3, 4), Float64Array.of(0, 0), closest, { features: 2 });
    expect(Array.from(closest)).toEqual([0.5, 1]);
    // A NaN row weighs NaN whatever the centers' order; a NaN center makes every row NaN.
    const nan = Float64Array.of(Infinity, Infinity);
    k.closestUpdate(Float64Array.of(0, NaN, 3, 4), Float64Array.of(0, 0, 3, 4), nan, { features: 2 });
    expect(Array.from(nan)).toEqual([NaN, 0]);
    k.closestUpdate(Float64Array.of(0, NaN, 3, 4), Float64Array.of(3, 4), nan, { features: 2 });
    expect(Array.from(nan)).toEqual([NaN, 0]);
    k.closestUpdate(Float64Array.of(0, 1, 3, 4), Float64Array.of(NaN, 0), closest, { features: 2 });
    expect(Array.from(closest)).toEqual([NaN, NaN]);
    expect(() => k.closestUpdate(new Float64Array(4), new Float64Array(2), new Float64Array(3), { features: 2 })).toThrow(/closest has length 3, X has 2 rows/);
    expect(() => k.closestUpdate(new Float64Array(4), new Float64Array(3), new Float64Array(2), { features: 2 })).toThrow(/centers have 3 values/);
    expect(() => k.closestUpdate(new Float64Array(5), new Float64Array(2), new Float64Array(2), { features: 2 })).toThrow(/5 values, not a multiple of 2/);
  });
});

// ---- logistic regression ---------------------------------------------------------------------------

interface NewtonRef extends NewtonPartial {
  /** Σ |terms| of each Hessian entry: the scale of its rounding error. */
  scale: Float64Array;
}

/** log(1 + e^z), computed from the side where e^t cannot overflow. */
function softplus(z: number): number {
  return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
}

/** The definition, row by row (x̃ = x with a 1 appended for the intercept). */
function newtonRef(x: ArrayLike<number>, y: ArrayLike<number>, coef: Float64Array, d: number, intercept: boolean): NewtonRef {
  const n = y.length;
  const p = d + (intercept ? 1 : 0);
  const grad = new Float64Array(p);
  const hess = new Float64Array(p * p);
  const scale = new Float64Array(p * p);
  let loss = 0;
  for (let i = 0; i < n; i++) {
    const row = Array.from({ length: p }, (_, a) => (a < d ? x[i * d + a] : 1));
    let z = 0;
    for (let a = 0; a < p; a++) z += row[a] * coef[a];
    const prob = 1 / (1 + Math.exp(-z));
    loss += softplus(z) - y[i] * z;
    for (let a = 0; a < p; a++) {
      grad[a] += (prob - y[i]) * row[a];
      for (let c = a; c < p; c++) {
        const term = prob * (1 - prob) * row[a] * row[c];
        hess[a * p + c] += term;
        scale[a * p + c] += Math.abs(term);
      }
    }
  }
  return { loss, grad, hess, scale };
}

function expectNewton(got: NewtonPartial, want: NewtonRef, p: number, what: string): void {
  expectClose(got.loss, want.loss, 1e-12, `${what} loss`);
  got.grad.forEach((v, a) => expect(Math.abs(v - want.grad[a]) <= 1e-12 * (Math.abs(want.grad[a]) + want.scale[a * p + a] + 1), `${what} grad[${a}]: ${v} vs ${want.grad[a]}`).toBe(true));
  for (let a = 0; a < p; a++) {
    for (let c = 0; c < p; c++) {
      const v = got.hess[a * p + c];
      if (c < a) expect(v, `${what} hess[${a}][${c}] below the diagonal`).toBe(0);
      else expect(Math.abs(v - want.hess[a * p + c]) <= 1e-12 * want.scale[a * p + c], `${what} hess[${a}][${c}]: ${v} vs ${want.hess[a * p + c]}`).toBe(true);
    }
  }
}

function logisticCase(n: number, d: number, intercept: boolean, seed: number): { x: Float64Array; y: Float64Array; coef: Float64Array } {
  const u = stream(seed);
  const x = Float64Array.from({ length: n * d }, () => 4 * u() - 2);
  const y = Float64Array.from({ length: n }, () => (u() < 0.4 ? 1 : 0));
  const coef = Float64Array.from({ length: d + (intercept ? 1 : 0) }, () => 2 * u() - 1);
  return { x, y, coef };
}

describe('logisticPartial', () => {
  // (rows, features, intercept): p = 1, 2 (d = 1), odd and even p, rows around the kernel's tile
  // of 512 (511, 513, 1025) and odd.
  const shapes: [number, number, boolean][] = [
    [1, 1, false], [1, 1, true], [3, 2, true], [511, 3, false], [513, 4, true], [1025, 7, true],
    [2000, 20, true], [97, 9, false], [1200, 1, true], [64, 6, false],
  ];

  it('matches the definition on the JS heap, for every shape, with a small and a large scratch area', () => {
    for (const [n, d, intercept] of shapes) {
      const { x, y, coef } = logisticCase(n, d, intercept, n + 13 * d + (intercept ? 1 : 0));
      const want = newtonRef(x, y, coef, d, intercept);
      for (const kern of [k, small]) {
        expectNewton(kern.logisticPartial(x, y, coef, { features: d, intercept }), want, coef.length, `n=${n} d=${d} intercept=${intercept}${kern === small ? ' (small scratch)' : ''}`);
      }
    }
  });

  it('is finite and right where e^z overflows or underflows (|z| in the hundreds)', () => {
    const x = new Float64Array([800, -800, 40, -40, 0.5, -700, 700]);
    const y = new Float64Array([0, 1, 1, 0, 1, 0, 1]);
    const coef = new Float64Array([1, 0.25]);
    const got = k.logisticPartial(x, y, coef, { features: 1, intercept: true });
    const want = newtonRef(x, y, coef, 1, true);
    expect(Number.isFinite(got.loss)).toBe(true);
    expectNewton(got, want, 2, 'extreme z');
    // Rows 0 and 1 are wrong by |z| each; rows 5 and 6 are right with loss ~e^-700.
    expect(got.loss).toBeGreaterThan(1600);
  });

  it('reads X and y in kernel memory in place, booleans and float32 converted', () => {
    const [n, d] = [777, 5];
    const { x, y, coef } = logisticCase(n, d, true, 3);
    const want = newtonRef(x, y, coef, d, true);
    const kx = k.copyIn(x);
    const ky = k.copyIn(y);
    expectNewton(k.logisticPartial(kx, ky, coef, { features: d, intercept: true }), want, d + 1, 'in place');
    expectNewton(k.logisticPartial(kx, y, coef, { features: d, intercept: true }), want, d + 1, 'X in place, y on the heap');
    kx.free();
    ky.free();
    const yb = Uint8Array.from(y);
    expectNewton(k.logisticPartial(x, yb, coef, { features: d, intercept: true }), want, d + 1, 'boolean y');
    const f32 = Float32Array.from(x);
    expectNewton(k.logisticPartial(f32, y, coef, { features: d, intercept: true }), newtonRef(Float64Array.from(f32), y, coef, d, true), d + 1, 'float32 X');
    expect(k.allocatedBytes).toBe(0);
  });

  it('reads a shared memory in place, and partials of row ranges merge to the whole', () => {
    const ks = loadKernelsSync({ memory: createSharedMemory() });
    const [n, d] = [1501, 8];
    const { x, y, coef } = logisticCase(n, d, false, 21);
    const want = newtonRef(x, y, coef, d, false);
    const sx = ks.copyIn(x);
    const sy = ks.copyIn(y);
    expectNewton(ks.logisticPartial(sx, sy, coef, { features: d }), want, d, 'shared');
    const cut = 700;
    const merged = mergeNewton(
      ks.logisticPartial(sx.array.subarray(0, cut * d), sy.array.subarray(0, cut), coef, { features: d }),
      k.logisticPartial(x.subarray(cut * d), y.subarray(cut), coef, { features: d }),
    );
    expectNewton(merged, want, d, 'merged');
    sx.free();
    sy.free();
  });

  it('rejects labels other than 0 and 1 with LabelError naming the row and value', () => {
    const x = new Float64Array(2000);
    const y = new Float64Array(1000);
    y[731] = 2;
    for (const kern of [k, small]) {
      try {
        kern.logisticPartial(x, y, new Float64Array(2), { features: 2 });
        expect.unreachable('a label 2 was accepted');
      } catch (e) {
        expect(e).toBeInstanceOf(LabelError);
        expect((e as LabelError).row).toBe(731);
        expect((e as LabelError).value).toBe(2);
      }
    }
    y[731] = NaN;
    expect(() => k.logisticPartial(x, y, new Float64Array(2), { features: 2 })).toThrow(/found NaN at row 731/);
    expect(k.allocatedBytes).toBe(0);
  });

  it('rejects inconsistent shapes with a message naming them', () => {
    expect(() => k.logisticPartial(new Float64Array(7), new Float64Array(2), new Float64Array(3), { features: 3 })).toThrow(/7 values, not a multiple of 3/);
    expect(() => k.logisticPartial(new Float64Array(6), new Float64Array(3), new Float64Array(3), { features: 3 })).toThrow(/X has 2 rows but y has 3 values/);
    expect(() => k.logisticPartial(new Float64Array(6), new Float64Array(2), new Float64Array(3), { features: 3, intercept: true })).toThrow(/coef has 3 values, expected 4/);
  });
});
