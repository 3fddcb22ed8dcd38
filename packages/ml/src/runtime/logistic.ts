/**
 * What LogisticRegression runs per block: the log-loss, its gradient and its Hessian at the
 * current coefficients, summed over the block's rows (dask-glm's Newton step: one pass over the
 * blocks per iteration, small p x p partials reduced as a tree).
 */
import { dims, forEachTile, type BlockValue } from './tiles';
import { sumPartials } from './sum-partials';

export interface NewtonPartial {
  readonly loss: number;
  /** Length p (features, then the intercept when fitted). */
  readonly grad: Float64Array;
  /** Upper triangle of the p x p Hessian, row-major in a full p * p array. */
  readonly hess: Float64Array;
}

export function newtonPartial(beta: Float64Array, fitIntercept: boolean, xb: BlockValue, yb: BlockValue): NewtonPartial {
  const [, d] = dims(xb);
  const p = d + (fitIntercept ? 1 : 0);
  const grad = new Float64Array(p);
  const hess = new Float64Array(p * p);
  const b0 = fitIntercept ? beta[d] : 0;
  let loss = 0;
  // Per tile: the columns of X laid out contiguously (the intercept's column of ones last), so
  // every Hessian entry is a dot product of two contiguous vectors summed in registers; a
  // row-by-row rank-one update would load and store all p² entries for every row instead.
  let cols = new Float64Array(0);
  let s = new Float64Array(0);
  let ws = new Float64Array(0);
  let w = new Float64Array(0);
  forEachTile(xb, yb, (x, y, m) => {
    if (cols.length < p * m) {
      cols = new Float64Array(p * m);
      s = new Float64Array(m);
      ws = new Float64Array(m);
      w = new Float64Array(2 * m);
    }
    for (let i = 0, off = 0; i < m; i++, off += d) {
      const yi = y![i];
      if (yi !== 0 && yi !== 1) throw new RangeError(`LogisticRegression: y must hold the labels 0 and 1 (or booleans), found ${yi}`);
      let z = b0;
      for (let t = 0; t < d; t++) z += x[off + t] * beta[t];
      const e = Math.exp(-z);
      const pr = 1 / (1 + e);
      // log(1 + e^z) = z + log1p(e^-z), which overflows only where it is ~e^z itself.
      loss += (z > -30 ? z + Math.log1p(e) : Math.exp(z)) - yi * z;
      s[i] = pr * (1 - pr);
      ws[i] = pr - yi;
    }
    // Transposed column by column: contiguous writes, reads within the (cached) tile.
    for (let t = 0; t < d; t++) {
      const ct = t * m;
      for (let i = 0, off = t; i < m; i++, off += d) cols[ct + i] = x[off];
    }
    if (fitIntercept) cols.fill(1, d * m, p * m);
    for (let a = 0; a < p; a++) {
      const ca = a * m;
      let g = 0;
      for (let i = 0; i < m; i++) g += ws[i] * cols[ca + i];
      grad[a] += g;
    }
    hessianUpdate(hess, cols, s, w, p, m);
  });
  return { loss, grad, hess };
}

/**
 * hess[a][c] += Σ_i s_i cols[a][i] cols[c][i] for c >= a (m values per column). Two rows of the
 * Hessian by four columns per sweep: eight sums in registers for six loads per element. Entries
 * just below the diagonal get written too; only the upper triangle is read.
 */
function hessianUpdate(hess: Float64Array, cols: Float64Array, s: Float64Array, w: Float64Array, p: number, m: number): void {
  for (let a = 0; a < p; a += 2) {
    const two = a + 1 < p;
    const ca = a * m;
    for (let i = 0; i < m; i++) {
      w[i] = s[i] * cols[ca + i];
      if (two) w[m + i] = s[i] * cols[ca + m + i];
    }
    const r0 = a * p;
    const r1 = r0 + p;
    let c = a;
    if (two) {
      for (; c + 3 < p; c += 4) {
        const c0 = c * m;
        const c1 = c0 + m;
        const c2 = c1 + m;
        const c3 = c2 + m;
        let h00 = 0, h01 = 0, h02 = 0, h03 = 0, h10 = 0, h11 = 0, h12 = 0, h13 = 0;
        for (let i = 0; i < m; i++) {
          const u = w[i];
          const v = w[m + i];
          const x0 = cols[c0 + i];
          const x1 = cols[c1 + i];
          const x2 = cols[c2 + i];
          const x3 = cols[c3 + i];
          h00 += u * x0;
          h01 += u * x1;
          h02 += u * x2;
          h03 += u * x3;
          h10 += v * x0;
          h11 += v * x1;
          h12 += v * x2;
          h13 += v * x3;
        }
        hess[r0 + c] += h00;
        hess[r0 + c + 1] += h01;
        hess[r0 + c + 2] += h02;
        hess[r0 + c + 3] += h03;
        hess[r1 + c] += h10;
        hess[r1 + c + 1] += h11;
        hess[r1 + c + 2] += h12;
        hess[r1 + c + 3] += h13;
      }
    }
    for (; c < p; c++) {
      const cc = c * m;
      let h0 = 0;
      let h1 = 0;
      for (let i = 0; i < m; i++) {
        const xc = cols[cc + i];
        h0 += w[i] * xc;
        if (two) h1 += w[m + i] * xc;
      }
      hess[r0 + c] += h0;
      if (two) hess[r1 + c] += h1;
    }
  }
}

export function combineNewton(...parts: NewtonPartial[]): NewtonPartial {
  return sumPartials(parts);
}
