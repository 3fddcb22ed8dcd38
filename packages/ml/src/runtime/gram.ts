/**
 * The sufficient statistics of (weighted) least squares for one block: XᵀWX (upper triangle),
 * XᵀWy, ΣwX, Σwy, Σwy², Σw. Ridge, Lasso and ElasticNet are then solved on the calling thread
 * from these small sums, one pass over the data in all.
 */
import { dims, values, type BlockValue } from './block';

export interface GramPartial {
  gram: Float64Array;
  xty: Float64Array;
  xsum: Float64Array;
  ysum: number;
  yy: number;
  wsum: number;
}

/** `weighted`: the last column of X's block is the sample weight (as the GLM blocks). */
export function gramPartial(weighted: boolean, xb: BlockValue, yb: BlockValue): GramPartial {
  const [n, cols] = dims(xb);
  const d = weighted ? cols - 1 : cols;
  if (yb.shape[0] !== n) throw new RangeError(`a block of X has ${n} rows but its block of y has ${yb.shape[0]}`);
  const x = values(xb);
  const y = values(yb);
  const out: GramPartial = { gram: new Float64Array(d * d), xty: new Float64Array(d), xsum: new Float64Array(d), ysum: 0, yy: 0, wsum: 0 };
  for (let i = 0; i < n; i++) {
    const yi = y[i];
    const r = i * cols;
    const w = weighted ? x[r + d] : 1;
    if (Number.isNaN(yi)) throw new RangeError('y holds NaN');
    if (!(w >= 0 && w < Infinity)) throw new RangeError(`sampleWeight must be finite and >= 0, found ${w}`);
    for (let a = 0; a < d; a++) if (!Number.isFinite(x[r + a])) throw new RangeError('X holds NaN or infinite values');
    if (w === 0) continue;
    out.ysum += w * yi;
    out.yy += w * yi * yi;
    out.wsum += w;
    for (let a = 0; a < d; a++) {
      const xa = w * x[r + a];
      if (xa === 0) continue;
      out.xty[a] += xa * yi;
      out.xsum[a] += xa;
      const base = a * d;
      for (let b = a; b < d; b++) out.gram[base + b] += xa * x[r + b];
    }
  }
  return out;
}

export function combineGram(...parts: GramPartial[]): GramPartial {
  const d = parts[0].xty.length;
  const out: GramPartial = { gram: new Float64Array(d * d), xty: new Float64Array(d), xsum: new Float64Array(d), ysum: 0, yy: 0, wsum: 0 };
  for (const p of parts) {
    for (let i = 0; i < d * d; i++) out.gram[i] += p.gram[i];
    for (let i = 0; i < d; i++) {
      out.xty[i] += p.xty[i];
      out.xsum[i] += p.xsum[i];
    }
    out.ysum += p.ysum;
    out.yy += p.yy;
    out.wsum += p.wsum;
  }
  return out;
}
