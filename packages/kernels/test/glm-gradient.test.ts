/**
 * glmGradient (binomial and multinomial log-loss and gradient) against a plain JS reference written
 * here from the definitions: loss_i = log(1 + e^{z_i}) - y_i z_i (binomial) or log Σ_c e^{z_ic} - z_{i,y_i}
 * (multinomial), gradient Σ_i (p_i - onehot(y_i)) x̃_i. Odd sizes (d = 1, 3, 20; rows not a
 * multiple of the kernel's f64x2 lanes), labels that are not 0..K-1, inputs from the JS heap, kernel
 * memory, other dtypes, and a scratch area too small for one block.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { GlmRowError, loadKernels, type Kernels } from '../src/index.js';
import { expectClose, stream } from './helpers.js';

let k: Kernels;
let small: Kernels;
beforeAll(async () => {
  k = await loadKernels();
  small = await loadKernels({ scratchBytes: 4096 });
});

function reference(x: ArrayLike<number>, y: ArrayLike<number>, coef: Float64Array, d: number, intercept: boolean, classes: number[], multinomial: boolean, positive: number) {
  const n = y.length;
  const p = d + (intercept ? 1 : 0);
  const K = multinomial ? classes.length : 1;
  const grad = new Float64Array(K * p);
  let loss = 0;
  for (let i = 0; i < n; i++) {
    const code = classes.indexOf(y[i]);
    const z = Array.from({ length: K }, (_, c) => {
      let s = intercept ? coef[c * p + d] : 0;
      for (let j = 0; j < d; j++) s += coef[c * p + j] * x[i * d + j];
      return s;
    });
    let r: number[];
    if (!multinomial) {
      const t = code === positive ? 1 : 0;
      loss += Math.log(1 + Math.exp(z[0])) - t * z[0];
      r = [1 / (1 + Math.exp(-z[0])) - t];
    } else {
      const m = Math.max(...z);
      const e = z.map((v) => Math.exp(v - m));
      const s = e.reduce((a, b) => a + b, 0);
      loss += m + Math.log(s) - z[code];
      r = e.map((v, c) => v / s - (c === code ? 1 : 0));
    }
    for (let c = 0; c < K; c++) {
      for (let j = 0; j < d; j++) grad[c * p + j] += r[c] * x[i * d + j];
      if (intercept) grad[c * p + d] += r[c];
    }
  }
  return { loss, grad };
}

function problem(n: number, d: number, K: number, classes: number[], seed: number) {
  const u = stream(seed);
  // float32-exact values, so a float32 copy of X holds the same numbers.
  const x = Float64Array.from({ length: n * d }, () => Math.fround(4 * u() - 2));
  const y = Float64Array.from({ length: n }, () => classes[Math.floor(u() * classes.length)]);
  const coef = Float64Array.from({ length: K * (d + 1) }, () => 2 * u() - 1);
  return { x, y, coef };
}

describe('glmGradient', () => {
  for (const d of [1, 3, 20]) {
    for (const intercept of [false, true]) {
      it(`binomial, d = ${d}, intercept ${intercept}: heap, kernel memory, small scratch`, () => {
        const n = 1001;
        const classes = [-1, 2.5];
        const { x, y, coef } = problem(n, d, 1, classes, 7 + d);
        const c = coef.subarray(0, d + (intercept ? 1 : 0));
        const ref = reference(x, y, c, d, intercept, classes, false, 1);
        const opts = { features: d, intercept, classes: Float64Array.from(classes), positive: 1 };
        const kx = k.alloc(Float64Array, x.length);
        kx.array.set(x);
        for (const [what, r] of [
          ['heap', k.glmGradient(x, y, c, opts)],
          ['kernel memory', k.glmGradient(kx, y, c, opts)],
          ['small scratch', small.glmGradient(x, y, c, opts)],
          ['float32 X', k.glmGradient(Float32Array.from(x), y, c, opts)],
        ] as const) {
          expectClose(r.loss, ref.loss, 1e-12, `${what} loss`);
          r.grad.forEach((g, i) => expectClose(g, ref.grad[i], 1e-10, `${what} grad[${i}]`));
        }
        kx.free();
        // positive = 0 flips which class counts as 1.
        const flipped = k.glmGradient(x, y, c, { ...opts, positive: 0 });
        const ref0 = reference(x, y, c, d, intercept, classes, false, 0);
        expectClose(flipped.loss, ref0.loss, 1e-12, 'positive 0 loss');
      });
    }
  }

  for (const d of [1, 3, 20]) {
    it(`multinomial, 5 classes, d = ${d}, with and without intercept`, () => {
      const classes = [0, 1, 3, 7, 9];
      const n = 777;
      const { x, y, coef } = problem(n, d, 5, classes, 3 + d);
      for (const intercept of [false, true]) {
        const p = d + (intercept ? 1 : 0);
        const c = coef.subarray(0, 5 * p);
        const ref = reference(x, y, c, d, intercept, classes, true, 0);
        for (const kk of [k, small]) {
          const r = kk.glmGradient(x, Int32Array.from(y), c, { features: d, intercept, classes: Float64Array.from(classes), multinomial: true });
          expectClose(r.loss, ref.loss, 1e-12, 'loss');
          expect(r.grad.length).toBe(5 * p);
          r.grad.forEach((g, i) => expectClose(g, ref.grad[i], 1e-10, `grad[${i}]`));
        }
      }
    });
  }

  it('partials of disjoint rows add up; no rows give zeros', () => {
    const { x, y, coef } = problem(301, 4, 3, [0, 1, 2], 11);
    const o = { features: 4, intercept: true, classes: new Float64Array([0, 1, 2]), multinomial: true };
    const all = k.glmGradient(x, y, coef.subarray(0, 15), o);
    const a = k.glmGradient(x.subarray(0, 4 * 100), y.subarray(0, 100), coef.subarray(0, 15), o);
    const b = k.glmGradient(x.subarray(4 * 100), y.subarray(100), coef.subarray(0, 15), o);
    expectClose(a.loss + b.loss, all.loss, 1e-12, 'loss');
    all.grad.forEach((g, i) => expectClose(a.grad[i] + b.grad[i], g, 1e-10, `grad[${i}]`));
    const none = k.glmGradient(new Float64Array(0), new Float64Array(0), coef.subarray(0, 15), o);
    expect(none.loss).toBe(0);
    expect(Array.from(none.grad)).toEqual(new Array(15).fill(0));
  });

  it('a label outside the classes or NaN in X throws GlmRowError with the row; bad options are refused', () => {
    const x = new Float64Array([1, 2, 3, 4, 5, 6]);
    const o = { features: 2, intercept: false, classes: new Float64Array([0, 1]) };
    expect(() => k.glmGradient(x, new Float64Array([0, 1, 2]), new Float64Array(2), o)).toThrow(GlmRowError);
    try {
      k.glmGradient(x, new Float64Array([0, NaN, 1]), new Float64Array(2), o);
      expect.unreachable();
    } catch (e) {
      expect((e as GlmRowError).row).toBe(1);
    }
    x[5] = NaN;
    try {
      k.glmGradient(x, new Float64Array([0, 1, 1]), new Float64Array([1, 1]), o);
      expect.unreachable();
    } catch (e) {
      expect((e as GlmRowError).row).toBe(2);
    }
    expect(() => k.glmGradient(x, new Float64Array(3), new Float64Array(3), o)).toThrow('glmGradient: coef has 3 values, expected 2');
    expect(() => k.glmGradient(x, new Float64Array(3), new Float64Array(2), { ...o, positive: 2 })).toThrow('glmGradient: positive must be a class code in [0, 2), got 2');
    expect(() => k.glmGradient(x, new Float64Array(3), new Float64Array(2), { ...o, positiv: 1 } as never)).toThrow(/positiv/);
  });
});
