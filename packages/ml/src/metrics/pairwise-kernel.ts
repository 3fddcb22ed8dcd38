/** What runs on workers for pairwiseDistances: the distances between one row block of X and one of Y. */

export type PairwiseMetric = 'euclidean' | 'sqeuclidean' | 'manhattan' | 'cosine';

interface Block {
  readonly shape: readonly number[];
  readonly data: ArrayLike<number | bigint>;
}

const num = (b: Block): ArrayLike<number> => (b.data instanceof BigInt64Array ? Float64Array.from(b.data, Number) : (b.data as ArrayLike<number>));

export function pairwiseBlock(metric: PairwiseMetric, xb: Block, yb: Block): Float64Array {
  const [n, d] = [xb.shape[0], xb.shape[1]];
  const m = yb.shape[0];
  const x = num(xb);
  const y = num(yb);
  const out = new Float64Array(n * m);
  if (metric === 'cosine') {
    // scikit-learn: 1 - (x / |x|) · (y / |y|), clipped to [0, 2]; a zero row stays zero.
    const norms = (a: ArrayLike<number>, rows: number) =>
      Float64Array.from({ length: rows }, (_, i) => {
        let s = 0;
        for (let k = 0; k < d; k++) s += a[i * d + k] * a[i * d + k];
        return s === 0 ? 1 : Math.sqrt(s);
      });
    const nx = norms(x, n);
    const ny = norms(y, m);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < m; j++) {
        let s = 0;
        for (let k = 0; k < d; k++) s += (x[i * d + k] / nx[i]) * (y[j * d + k] / ny[j]);
        out[i * m + j] = Math.min(Math.max(1 - s, 0), 2);
      }
    }
    return out;
  }
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      let s = 0;
      if (metric === 'manhattan') for (let k = 0; k < d; k++) s += Math.abs(x[i * d + k] - y[j * d + k]);
      else
        for (let k = 0; k < d; k++) {
          const e = x[i * d + k] - y[j * d + k];
          s += e * e;
        }
      out[i * m + j] = metric === 'euclidean' ? Math.sqrt(s) : s;
    }
  }
  return out;
}
