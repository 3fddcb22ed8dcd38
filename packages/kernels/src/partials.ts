/**
 * Partial results: what a reduction over one chunk returns so that chunks can be combined in a tree
 * without a second pass over the data. All merges are associative; the `merge*` functions take the
 * earlier chunk first where order matters (argmin ties, first/last).
 */

/** count, sum and M2 = sum of squared deviations from the mean, over the (non-NaN) elements. */
export interface Moments {
  count: number;
  sum: number;
  m2: number;
}

/** The extreme value and the (global) index of its first occurrence; index -1 when there is none. */
export interface ArgExtremum {
  value: number;
  index: number;
}

export const EMPTY_MOMENTS: Readonly<Moments> = Object.freeze({ count: 0, sum: 0, m2: 0 });

/** Chan, Golub and LeVeque's pairwise update. */
export function mergeMoments(a: Moments, b: Moments): Moments {
  if (a.count === 0) return { ...b };
  if (b.count === 0) return { ...a };
  const count = a.count + b.count;
  const delta = b.sum / b.count - a.sum / a.count;
  return { count, sum: a.sum + b.sum, m2: a.m2 + b.m2 + delta * delta * ((a.count * b.count) / count) };
}

export function momentsMean(m: Moments): number {
  return m.count === 0 ? NaN : m.sum / m.count;
}

/** Variance with `ddof` delta degrees of freedom; NaN when count - ddof <= 0 (as NumPy). */
export function momentsVar(m: Moments, ddof = 0): number {
  const d = m.count - ddof;
  return d <= 0 ? NaN : Math.max(m.m2, 0) / d;
}

export function momentsStd(m: Moments, ddof = 0): number {
  return Math.sqrt(momentsVar(m, ddof));
}

function mergeArg(a: ArgExtremum, b: ArgExtremum, better: (x: number, y: number) => boolean): ArgExtremum {
  if (a.index < 0) return { ...b };
  if (b.index < 0) return { ...a };
  // NaN is the answer when present (NumPy's argmin), and the earlier NaN wins.
  const aNaN = Number.isNaN(a.value);
  const bNaN = Number.isNaN(b.value);
  if (aNaN || bNaN) {
    if (aNaN && bNaN) return a.index <= b.index ? { ...a } : { ...b };
    return aNaN ? { ...a } : { ...b };
  }
  if (better(b.value, a.value)) return { ...b };
  if (better(a.value, b.value)) return { ...a };
  return a.index <= b.index ? { ...a } : { ...b };
}

/** Merges argmin partials (indices must already be global). */
export function mergeArgmin(a: ArgExtremum, b: ArgExtremum): ArgExtremum {
  return mergeArg(a, b, (x, y) => x < y);
}

/** Merges argmax partials (indices must already be global). */
export function mergeArgmax(a: ArgExtremum, b: ArgExtremum): ArgExtremum {
  return mergeArg(a, b, (x, y) => x > y);
}

/**
 * IEEE 754-2019 minimum/maximum, the semantics of `min`/`max` (NaN propagates, -0 < +0). Partial
 * minima of chunks merge with these; `Math.min`/`Math.max` are the same operations.
 */
export const mergeMin: (a: number, b: number) => number = Math.min;
export const mergeMax: (a: number, b: number) => number = Math.max;

/** Merges `nanmin` partials: NaN (an empty or all-NaN chunk) is ignored. */
export function mergeNanmin(a: number, b: number): number {
  return Number.isNaN(a) ? b : Number.isNaN(b) ? a : Math.min(a, b);
}

export function mergeNanmax(a: number, b: number): number {
  return Number.isNaN(a) ? b : Number.isNaN(b) ? a : Math.max(a, b);
}
