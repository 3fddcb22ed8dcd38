/**
 * Randomized PCA's Gram route (decomposition/randomized.ts: features <= 2 x sketch x power
 * iterations) against scikit-learn 1.2 (fixtures/make_pca_gram.py): the Gram is computed in
 * column panels (its symmetric half only) and the range step is taken from the Gram with no
 * second pass over X. With 100 and 70 features (three and two panels, the last narrower), on odd
 * row blocks (size 1, empty, uneven), and with X of lower rank than the sketch (directions of zero
 * variance in it), the kept components are scikit-learn's exact ones.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as da from '@pdask/array';
import { PCA } from '../src/index';
import { closePoolsAfterAll, expectClose, flat, SCHEDULERS } from './helpers';

closePoolsAfterAll();

interface Case {
  n: number;
  d: number;
  terms: number;
  noise: number;
  k: number;
  full: { components: number[][]; explainedVariance: number[]; explainedVarianceRatio: number[]; singularValues: number[]; mean: number[]; noiseVariance: number };
  randomized: { explainedVarianceRatio: number[]; singularValues: number[]; noiseVariance: number };
}
const FIX = JSON.parse(readFileSync(new URL('./fixtures/pca_gram.json', import.meta.url), 'utf8')) as { cases: Record<string, Case> };

/** The fixture script's formula. */
function matrix({ n, d, terms, noise }: Case): Float64Array {
  const x = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      let v = 0;
      for (let t = 0; t < terms; t++) v += (1 / (1 + t)) * Math.sin(0.37 * (i + 1) * (t + 1) + 0.11 * j * (t + 1) + 0.5 * t);
      x[i * d + j] = v + noise * Math.cos(0.013 * i * j + 0.7 * j) + 3 + 0.01 * j;
    }
  }
  return x;
}

/** Rows flipped so that each one's largest |value| is positive (pdask's sign rule). */
function aligned(rows: number[][]): number[] {
  return rows.flatMap((r) => {
    let big = 0;
    r.forEach((v, t) => {
      if (Math.abs(v) > Math.abs(r[big])) big = t;
    });
    return r.map((v) => (r[big] < 0 ? -v : v));
  });
}

describe.each(SCHEDULERS)('randomized PCA, Gram route, on $scheduler', (opts) => {
  it.each(Object.keys(FIX.cases))("%s: scikit-learn's components, variances and noise variance", async (name) => {
    const c = FIX.cases[name];
    const rows = [1, 0, 150, 1, c.n - 152];
    const x = da.fromArray(matrix(c), { shape: [c.n, c.d], chunks: [rows, [c.d]] });
    const m = await new PCA({ nComponents: c.k, svdSolver: 'randomized', seed: 4 }).fit(x, opts);
    expectClose(m.mean, c.full.mean, 1e-12, 'mean');
    expectClose(m.singularValues, c.full.singularValues, 1e-10, 'singularValues');
    expectClose(m.explainedVariance, c.full.explainedVariance, 1e-10, 'explainedVariance');
    expectClose(m.explainedVarianceRatio, c.randomized.explainedVarianceRatio, 1e-10, 'explainedVarianceRatio');
    expectClose(flat(m.components), aligned(c.full.components), 1e-8, 'components');
    expect(Math.abs(m.noiseVariance - c.full.noiseVariance)).toBeLessThanOrEqual(1e-9 * c.full.noiseVariance);
  });
});
