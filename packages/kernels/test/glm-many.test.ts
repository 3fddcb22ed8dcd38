/**
 * glmBinomialMany (the binomial log-loss and gradient at several coefficient vectors in one pass)
 * against a plain JS reference written here from the definitions, loss_i = log(1 + e^{z_i}) - y_i z_i
 * and gradient Σ_i (σ(z_i) - y_i) x̃_i with Math.exp and Math.log1p; each vector's result among
 * others is bit for bit its result alone, whatever the block size; scores far out in both tails
 * (where the vector exp and log1p meet their range limits); labels outside the classes and NaN in X.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { glmBinomialMany, GlmRowError, loadKernels, type Kernels } from '../src/index.js';
import { expectClose, stream } from './helpers.js';

let k: Kernels;
let small: Kernels;
beforeAll(async () => {
  k = await loadKernels();
  small = await loadKernels({ scratchBytes: 4096 });
});

function reference(x: ArrayLike<number>, y: ArrayLike<number>, coef: Float64Array, d: number, intercept: boolean, classes: number[], positive: number) {
  const p = d + (intercept ? 1 : 0);
  const grad = new Float64Array(p);
  let loss = 0;
  for (let i = 0; i < y.length; i++) {
    const t = classes.indexOf(y[i]) === positive ? 1 : 0;
    let z = intercept ? coef[d] : 0;
    for (let j = 0; j < d; j++) z += coef[j] * x[i * d + j];
    // softplus(z) = max(z, 0) + log1p(e^-|z|), exact in both tails.
    loss += Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z))) - t * z;
    const r = 1 / (1 + Math.exp(-z)) - t;
    for (let j = 0; j < d; j++) grad[j] += r * x[i * d + j];
    if (intercept) grad[d] += r;
  }
  return { loss, grad };
}

function problem(n: number, d: number, k: number, classes: number[], seed: number, scale = 1) {
  const u = stream(seed);
  const x = Float64Array.from({ length: n * d }, () => 4 * u() - 2);
  const y = Float64Array.from({ length: n }, () => classes[Math.floor(u() * classes.length)]);
  const coefs = Array.from({ length: k }, () => Float64Array.from({ length: d + 1 }, () => scale * (2 * u() - 1)));
  return { x, y, coefs };
}

describe('glmBinomialMany', () => {
  for (const d of [1, 3, 20]) {
    for (const intercept of [false, true]) {
      it(`d = ${d}, intercept ${intercept}: 1 to 11 vectors against the reference, each as alone`, () => {
        const n = 1001;
        const classes = [-1, 2.5];
        const p = d + (intercept ? 1 : 0);
        const { x, y, coefs } = problem(n, d, 11, classes, 3 + d);
        const cs = coefs.map((c) => c.slice(0, p));
        const opts = { features: d, intercept, classes: Float64Array.from(classes), positive: 1 };
        const alone = cs.map((c) => glmBinomialMany(k, x, y, [c], opts)[0]);
        cs.forEach((c, i) => {
          const ref = reference(x, y, c, d, intercept, classes, 1);
          expectClose(alone[i].loss, ref.loss, 1e-13, `loss ${i}`);
          alone[i].grad.forEach((g, j) => expectClose(g, ref.grad[j], 1e-11, `grad ${i}[${j}]`));
        });
        const kx = k.alloc(Float64Array, x.length);
        kx.array.set(x);
        for (const m of [2, 3, 4, 5, 8, 11]) {
          for (const [what, r] of [
            ['heap', glmBinomialMany(k, x, y, cs.slice(0, m), opts)],
            ['kernel memory', glmBinomialMany(k, kx, y, cs.slice(0, m), opts)],
            ['small scratch', glmBinomialMany(small, x, y, cs.slice(0, m), opts)],
          ] as const) {
            r.forEach((v, i) => {
              expect(v.loss, `${what} ${m} vectors: loss ${i}`).toBe(alone[i].loss);
              expect(Array.from(v.grad), `${what} ${m} vectors: grad ${i}`).toEqual(Array.from(alone[i].grad));
            });
          }
        }
        kx.free();
      });
    }
  }

  it('scores far out in both tails: the loss of each side and residuals 0 or ±1', () => {
    const n = 300;
    const d = 2;
    const u = stream(5);
    const x = Float64Array.from({ length: n * d }, () => 2 * u() - 1);
    const y = Float64Array.from({ length: n }, () => (u() < 0.5 ? 0 : 1));
    // |z| up to ~1,500: e^-|z| underflows past 708; small scales keep e^-|z| near 1 (log1p near ln 2).
    const coefs = [Float64Array.of(800, -700, 3), Float64Array.of(40, 35, -2), Float64Array.of(1e-9, -2e-9, 0), Float64Array.of(0.3, 0.1, -0.2)];
    const r = glmBinomialMany(k, x, y, coefs, { features: d, intercept: true, classes: Float64Array.of(0, 1) });
    coefs.forEach((c, i) => {
      const ref = reference(x, y, c, d, true, [0, 1], 1);
      expectClose(r[i].loss, ref.loss, 1e-13, `loss ${i}`);
      r[i].grad.forEach((g, j) => expectClose(g, ref.grad[j], 1e-12, `grad ${i}[${j}]`));
    });
  });

  it('log1p and exp over a sweep of scores: each row alone within 1e-15 (a few ulp) of the reference', () => {
    // One feature x = 1 and coefficient 1: the score of row i is x_i itself.
    const zs = Float64Array.from({ length: 4001 }, (_, i) => -40 + i * 0.02);
    for (const z of zs) {
      const [r] = glmBinomialMany(k, Float64Array.of(z), Float64Array.of(0), [Float64Array.of(1)], { features: 1, classes: Float64Array.of(0, 1) });
      const want = Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)));
      expect(Math.abs(r.loss - want) / want, `loss at z = ${z}`).toBeLessThan(1e-15);
      const pr = 1 / (1 + Math.exp(-z));
      expect(Math.abs(r.grad[0] - pr * z) / Math.abs(pr * z || 1), `gradient at z = ${z}`).toBeLessThan(1e-15);
    }
  });

  it('a label outside the classes and NaN in X name their row', () => {
    const { x, y, coefs } = problem(200, 3, 3, [0, 1], 9);
    const opts = { features: 3, intercept: true, classes: Float64Array.of(0, 1) };
    const badY = y.slice();
    badY[130] = 7;
    expect(() => glmBinomialMany(k, x, badY, coefs, opts)).toThrow(GlmRowError);
    expect(() => glmBinomialMany(k, x, badY, coefs, opts)).toThrow('row 130 has a label outside the classes');
    const nanX = x.slice();
    nanX[3 * 77 + 1] = NaN;
    expect(() => glmBinomialMany(k, nanX, y, coefs, opts)).toThrow('row 77 has a label outside the classes or a NaN score');
    expect(() => glmBinomialMany(k, x, y, [Float64Array.of(1, 2)], opts)).toThrow('coefficient vector 0 has 2 values, expected 4');
    expect(() => glmBinomialMany(k, x, y, [], opts)).toThrow('no coefficient vectors');
  });
});
