// The two columns of the 1e7 group-by probes (dataframe-groupby-mean-1e7's data): y uniform in
// [0, 1), x its 10 groups.
import { xorshift } from '../src/xorshift.mjs';

export function groupbyColumns(n) {
  const u = xorshift(12345);
  const x = new Int32Array(n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = u();
    x[i] = (y[i] * 4294967296) % 10;
  }
  return { x, y };
}
