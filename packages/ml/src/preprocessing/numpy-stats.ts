/**
 * NumPy 1.24's order statistics and interpolation, step for step, so fitted values agree with
 * scikit-learn's to the last bit where the arithmetic allows: `nanpercentile` (method 'linear'),
 * `nanmedian`, `interp`, and SciPy's normal `ppf`/`cdf`.
 */
import erfc from '@stdlib/math-base-special-erfc';
import erfcinv from '@stdlib/math-base-special-erfcinv';

/** The non-NaN values of a column, sorted ascending. */
export function sortedFinite(values: ArrayLike<number>): Float64Array {
  const out = new Float64Array(values.length);
  let k = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === v) out[k++] = v;
  }
  return out.subarray(0, k).sort();
}

/** NumPy's `_lerp`: a + (b - a) t, computed from b when t >= 0.5 (NumPy's choice, for exactness at t = 1). */
function lerp(a: number, b: number, t: number): number {
  const d = b - a;
  return t >= 0.5 ? b - d * (1 - t) : a + d * t;
}

/** `np.nanpercentile(values, q)` over sorted non-NaN values (NaN when there are none); q in percent. */
export function percentileSorted(sorted: Float64Array, q: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const vi = (n - 1) * (q / 100);
  if (vi >= n - 1) return sorted[n - 1];
  if (vi < 0) return sorted[0];
  const lo = Math.floor(vi);
  return lerp(sorted[lo], sorted[lo + 1], vi - lo);
}

/** `np.nanmedian` over sorted non-NaN values: the middle value, or the mean of the two middle ones. */
export function medianSorted(sorted: Float64Array): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const h = n >> 1;
  return n % 2 ? sorted[h] : (sorted[h - 1] + sorted[h]) / 2;
}

/** The largest i with xp[i] <= x (NumPy's binary_search_with_guess), -1 below xp[0], n above xp[n-1]. */
function searchRight(x: number, xp: ArrayLike<number>): number {
  const n = xp.length;
  if (x > xp[n - 1]) return n;
  if (x < xp[0]) return -1;
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = lo + ((hi - lo) >> 1);
    if (x >= xp[mid]) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/** `np.interp(x, xp, fp)` for one x (xp ascending, repeats allowed; fp[0] / fp[-1] outside). */
export function interp(x: number, xp: ArrayLike<number>, fp: ArrayLike<number>): number {
  const n = xp.length;
  const j = searchRight(x, xp);
  if (j === -1) return fp[0];
  if (j === n) return fp[n - 1];
  if (j === n - 1 || xp[j] === x) return fp[j];
  const slope = (fp[j + 1] - fp[j]) / (xp[j + 1] - xp[j]);
  let r = slope * (x - xp[j]) + fp[j];
  if (Number.isNaN(r)) {
    r = slope * (x - xp[j + 1]) + fp[j + 1];
    if (Number.isNaN(r) && fp[j] === fp[j + 1]) r = fp[j];
  }
  return r;
}

/** SciPy's `norm.ppf`: the standard normal quantile (−inf at 0, inf at 1, NaN outside [0, 1]). */
export function normPpf(p: number): number {
  if (Number.isNaN(p) || p < 0 || p > 1) return Number.NaN;
  return -Math.SQRT2 * erfcinv(2 * p);
}

/** SciPy's `norm.cdf` (ndtr): 0.5 erfc(−x / √2). */
export function normCdf(x: number): number {
  return 0.5 * erfc(-x / Math.SQRT2);
}

/** NumPy's `linspace(0, 1, n)`: i · (1 / (n − 1)), the last exactly 1. */
export function linspace01(n: number): Float64Array {
  if (n === 1) return Float64Array.of(0);
  const step = 1 / (n - 1);
  const out = Float64Array.from({ length: n }, (_, i) => i * step);
  out[n - 1] = 1;
  return out;
}
