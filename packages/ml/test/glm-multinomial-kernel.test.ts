/**
 * The multinomial path of @pdask/kernels' glmGradient (kernels/assembly/glm.ts), which
 * LogisticRegression's lbfgs passes run: scores by class pairs from the transposed coefficients,
 * the softmax's exponentials in f64x2 lanes, labels 0..k-1 used as their codes. Checked against
 * the log-loss and gradient computed here from their definitions, for 10 and 11 classes (groups
 * of eight classes, a pair, an odd last class), classes that are not 0..k-1 (the search for the
 * code), more than 256 features (the dot-product path), scores far apart (e^(z - max) below the
 * smallest double), and labels outside the classes or NaN in X (the row is reported).
 */
import { describe, expect, it } from 'vitest';
import { GlmRowError, loadKernelsSync } from '@pdask/kernels';
import { expectClose } from './helpers';

const k = loadKernelsSync();

function reference(x: Float64Array, y: Float64Array, coef: Float64Array, d: number, intercept: boolean, classes: number[]) {
  const K = classes.length;
  const p = d + (intercept ? 1 : 0);
  const grad = new Float64Array(K * p);
  let loss = 0;
  for (let i = 0; i < y.length; i++) {
    const z = classes.map((_, c) => {
      let s = intercept ? coef[c * p + d] : 0;
      for (let j = 0; j < d; j++) s += coef[c * p + j] * x[i * d + j];
      return s;
    });
    const m = Math.max(...z);
    const e = z.map((v) => Math.exp(v - m));
    const sum = e.reduce((a, b) => a + b, 0);
    const code = classes.indexOf(y[i]);
    loss += m + Math.log(sum) - z[code];
    for (let c = 0; c < K; c++) {
      const r = e[c] / sum - (c === code ? 1 : 0);
      for (let j = 0; j < d; j++) grad[c * p + j] += r * x[i * d + j];
      if (intercept) grad[c * p + d] += r;
    }
  }
  return { loss, grad };
}

function problem(n: number, d: number, classes: number[], scale: number, seed: number) {
  let s = seed;
  const u = () => ((s = (s * 1103515245 + 12345) % 2147483648), s / 2147483648);
  const x = Float64Array.from({ length: n * d }, () => 2 * u() - 1);
  const y = Float64Array.from({ length: n }, () => classes[Math.floor(u() * classes.length)]);
  const coef = Float64Array.from({ length: classes.length * (d + 1) }, () => scale * (2 * u() - 1));
  return { x, y, coef };
}

const range = (m: number) => Array.from({ length: m }, (_, i) => i);

describe('glmGradient, multinomial', () => {
  it.each([
    { what: '10 classes 0..9, 20 features', classes: range(10), d: 20, n: 301, scale: 1 },
    { what: '11 classes 0..10, 7 features (odd class count)', classes: range(11), d: 7, n: 130, scale: 1 },
    { what: '3 classes that are not 0..2', classes: [-2, 0.5, 4], d: 5, n: 97, scale: 1 },
    { what: '9 classes, 300 features', classes: range(9), d: 300, n: 40, scale: 0.2 },
    { what: '12 classes with scores 1000s apart', classes: range(12), d: 6, n: 80, scale: 800 },
    { what: '9 classes, 20 features (ten lanes, one of them padding)', classes: range(9), d: 20, n: 131, scale: 1 },
    { what: '23 classes, 3 features (two groups of ten, then a pair)', classes: range(23), d: 3, n: 150, scale: 2 },
    { what: '10 classes, 1 feature, scores 1000s apart (ten lanes)', classes: range(10), d: 1, n: 67, scale: 900 },
  ])('$what: the loss and gradient of their definitions', ({ classes, d, n, scale }) => {
    const { x, y, coef } = problem(n, d, classes, scale, 3 + d);
    for (const intercept of [false, true]) {
      const p = d + (intercept ? 1 : 0);
      const c = coef.subarray(0, classes.length * p);
      const ref = reference(x, y, c, d, intercept, classes);
      const r = k.glmGradient(x, y, c, { features: d, intercept, classes: Float64Array.from(classes), multinomial: true });
      expectClose([r.loss], [ref.loss], 1e-12, 'loss');
      expectClose(r.grad, ref.grad, 1e-10 * Math.max(1, ...Array.from(ref.grad, Math.abs)), 'grad');
    }
  });

  it('a label outside 0..k-1 (a fraction, negative, k, NaN) is reported with its row', () => {
    const { x, y, coef } = problem(20, 4, range(10), 1, 9);
    for (const bad of [2.5, -1, 10, NaN, 1e300]) {
      const yy = y.slice();
      yy[13] = bad;
      let err: unknown;
      try {
        k.glmGradient(x, yy, coef.subarray(0, 40), { features: 4, classes: Float64Array.from(range(10)), multinomial: true });
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(GlmRowError);
      expect((err as GlmRowError).row).toBe(13);
    }
  });

  it('a NaN row before a bad label in the same tile of 64 rows is the one reported', () => {
    for (const K of [10, 7]) {
      const { x, y, coef } = problem(100, 5, range(K), 1, 11);
      x[70 * 5 + 1] = NaN;
      y[90] = K + 0.5;
      expect(() => k.glmGradient(x, y, coef.subarray(0, K * 5), { features: 5, classes: Float64Array.from(range(K)), multinomial: true })).toThrow(
        expect.objectContaining({ name: 'GlmRowError', row: 70 }),
      );
      y[60] = -3;
      expect(() => k.glmGradient(x, y, coef.subarray(0, K * 5), { features: 5, classes: Float64Array.from(range(K)), multinomial: true })).toThrow(
        expect.objectContaining({ name: 'GlmRowError', row: 60 }),
      );
    }
  });

  it('NaN in X is reported with its row (10 classes: the scores by pairs; 300 features: the dot products)', () => {
    for (const d of [4, 300]) {
      const { x, y, coef } = problem(20, d, range(10), 1, 5);
      x[17 * d + 2] = NaN;
      expect(() => k.glmGradient(x, y, coef.subarray(0, 10 * d), { features: d, classes: Float64Array.from(range(10)), multinomial: true })).toThrow(
        expect.objectContaining({ name: 'GlmRowError', row: 17 }),
      );
    }
  });
});
