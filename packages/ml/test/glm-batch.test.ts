/**
 * Concurrent GLM evaluations on the same data share one pass (linear-model/glm-batch.ts): fits
 * run together give exactly what each gives alone (coefficients, intercepts, iterations), for the
 * binomial and multinomial families, on blocks large enough to be copied into kernel memory once
 * per task and on smaller ones; a request that fails inside a shared pass fails alone.
 */
import { describe, expect, it } from 'vitest';
import * as da from '@pdask/array';
import { LogisticRegression } from '../src/index';
import { evaluateGlm } from '../src/linear-model/glm-batch';
import { glmPartial, type GlmSpec } from '../src/runtime/glm';
import { glmPartialMany } from '../src/runtime/glm-batch';
import { SCHEDULERS } from './helpers';

/** n x d in [-1, 1) from a closed formula; labels from the sign pattern of two scores. */
function data(n: number, d: number, rows: number, classes: number) {
  const x = Float64Array.from({ length: n * d }, (_, i) => Math.sin(1.7 * i + 0.3 * (i % 7)) * 0.999);
  const y = Float64Array.from({ length: n }, (_, i) => {
    let s = 0.2;
    for (let j = 0; j < d; j++) s += x[i * d + j] * (j % 2 ? -1 : 1) * (1 + j / 4);
    const t = Math.cos(3.1 * i);
    return classes === 2 ? (s + t > 0 ? 1 : 0) : Math.min(classes - 1, Math.floor(((Math.tanh(s + t) + 1) / 2) * classes));
  });
  return { x: da.fromArray(x, { shape: [n, d], chunks: [rows, d] }), y: da.fromArray(y, { chunks: rows }), xs: x, ys: y };
}

const CS = [0.01, 1, 100];

describe.each(SCHEDULERS)('concurrent fits on one data set ($scheduler)', (opts) => {
  // 1000-row blocks of 6 features (6000 values: copied into kernel memory), and 37-row ones.
  for (const [rows, classes] of [
    [1000, 2],
    [1000, 4],
    [37, 2],
  ] as const) {
    it(`${classes} classes, blocks of ${rows} rows: each fit as alone`, async () => {
      const { x, y } = data(3500, 6, rows, classes);
      const alone: LogisticRegression[] = [];
      for (const C of CS) alone.push(await new LogisticRegression({ C }).fit(x, y, opts));
      const together = await Promise.all(CS.map((C) => new LogisticRegression({ C }).fit(x, y, opts)));
      together.forEach((m, i) => {
        expect(Array.from(m.coef)).toEqual(Array.from(alone[i].coef));
        expect(Array.from(m.intercepts)).toEqual(Array.from(alone[i].intercepts));
        expect(m.nIterPerClass).toEqual(alone[i].nIterPerClass);
      });
    });
  }
});

describe('shared passes: the per-block step and failures', () => {
  const spec = (classes: number[], family: 'binomial' | 'multinomial' = 'binomial'): GlmSpec => ({ family, fitIntercept: true, classes, positive: 1, classWeight: [], sideWeight: [], weighted: false, hess: false });

  it('glmPartialMany gives each evaluation exactly what glmPartial gives it', () => {
    const { xs, ys } = data(2000, 5, 2000, 2);
    const xb = { shape: [2000, 5], data: xs };
    const yb = { shape: [2000], data: ys };
    const betas = [0, 1, 2].map((s) => Float64Array.from({ length: 6 }, (_, j) => Math.sin(s + j)));
    const specs = [spec([0, 1]), spec([0, 1]), { ...spec([0, 1]), hess: true }];
    const many = glmPartialMany(specs, betas, xb, yb);
    many.forEach((p, i) => {
      const one = glmPartial(specs[i], betas[i], xb, yb);
      expect(p.loss).toBe(one.loss);
      expect(Array.from(p.grad)).toEqual(Array.from(one.grad));
      expect(Array.from(p.hess)).toEqual(Array.from(one.hess));
    });
  });

  it.each(SCHEDULERS)('a request that fails in a shared pass fails alone ($scheduler)', async (opts) => {
    const { x, y } = data(3500, 6, 1000, 2);
    const good = spec([0, 1]);
    // Classes that do not hold the labels: the per-block step refuses the block.
    const bad = spec([0, 5]);
    const beta = new Float64Array(7);
    const [a, b, c] = await Promise.allSettled([evaluateGlm({ x, y }, good, beta, opts), evaluateGlm({ x, y }, bad, beta, opts), evaluateGlm({ x, y }, good, beta, opts)]);
    expect(a.status).toBe('fulfilled');
    expect(c.status).toBe('fulfilled');
    expect(b.status).toBe('rejected');
    expect(String((b as PromiseRejectedResult).reason)).toMatch(/label 1, which is not among the classes/);
    const alone = await evaluateGlm({ x, y }, good, beta, opts);
    expect((a as PromiseFulfilledResult<typeof alone>).value.loss).toBe(alone.loss);
    // 3500 rows, each contributing log 2 at beta = 0.
    expect(alone.loss).toBeCloseTo(3500 * Math.LN2, 9);
  });
});
