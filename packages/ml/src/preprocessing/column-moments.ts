/**
 * StandardScaler's column means and variances in one pass over row-major blocks. @pdask/array's
 * `mean`/`var` along axis 0 transpose every block first (a strided copy of all of it, per
 * reduction), which cost a search's scaler fits more than the arithmetic. Per block: the count,
 * the column means (sum / count) and the sums of squared deviations from them; blocks merge by
 * Chan et al.'s pairwise update, which keeps the variance accurate where E[x²] − E[x]² would not.
 * NaN propagates, as in NumPy's mean and var.
 */
import { dims, values, type BlockValue } from '../runtime/block';

export interface Moments {
  n: number;
  mean: Float64Array;
  /** Σ (x − mean)² per column. */
  m2: Float64Array;
}

export function momentsPartial(b: BlockValue): Moments {
  const [n, d] = dims(b);
  const v = values(b);
  const x = v instanceof Float64Array ? v : Float64Array.from(v as ArrayLike<number>);
  const mean = new Float64Array(d);
  const m2 = new Float64Array(d);
  if (n === 0) return { n, mean, m2 };
  for (let o = 0; o < n * d; o += d) for (let j = 0; j < d; j++) mean[j] += x[o + j];
  for (let j = 0; j < d; j++) mean[j] /= n;
  for (let o = 0; o < n * d; o += d) {
    for (let j = 0; j < d; j++) {
      const e = x[o + j] - mean[j];
      m2[j] += e * e;
    }
  }
  return { n, mean, m2 };
}

export function momentsCombine(...parts: Moments[]): Moments {
  const d = parts[0].mean.length;
  const out: Moments = { n: 0, mean: new Float64Array(d), m2: new Float64Array(d) };
  for (const p of parts) {
    if (p.n === 0) continue;
    if (out.n === 0) {
      out.n = p.n;
      out.mean.set(p.mean);
      out.m2.set(p.m2);
      continue;
    }
    const n = out.n + p.n;
    for (let j = 0; j < d; j++) {
      const delta = p.mean[j] - out.mean[j];
      out.mean[j] += (delta * p.n) / n;
      out.m2[j] += p.m2[j] + ((delta * delta * out.n) / n) * p.n;
    }
    out.n = n;
  }
  return out;
}
