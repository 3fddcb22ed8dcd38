/**
 * Tree reductions (Dask's `Bag.reduction`): a per-partition step, then aggregation of groups of
 * partial results until one is left. Empty partitions yield NO_RESULT and are skipped, so that
 * `max` or `fold` without an initial value work on bags with empty partitions.
 */
import { KeyTable } from './keys';
import { getKey, isNoResult, NO_RESULT, userError, type KeyGetter } from './spec';

type Fn = (...args: unknown[]) => unknown;

/** The per-partition step: `fn(partition, ...extra)`, or NO_RESULT for an empty partition. */
export const reducePart = (method: string, p: number, fn: Fn, part: readonly unknown[], isLast: boolean, extra: readonly unknown[]): unknown => {
  if (part.length === 0 && !isLast) return NO_RESULT;
  try {
    return fn(part, ...extra);
  } catch (e) {
    throw userError(e, method, p);
  }
};

/** An aggregation step: `fn(results, ...extra)` over the results that are not NO_RESULT. */
export const reduceAggregate = (method: string, fn: Fn, parts: readonly unknown[], isLast: boolean, extra: readonly unknown[]): unknown => {
  const xs = parts.filter((x) => !isNoResult(x));
  if (xs.length === 0 && !isLast) return NO_RESULT;
  try {
    return fn(xs, ...extra);
  } catch (e) {
    throw userError(e, method, -1);
  }
};

/** A user's reduction step, `fn(values)` (`Bag.reduction`'s perPartition and aggregate functions). */
export const callUser = (xs: readonly unknown[], fn: Fn): unknown => fn(xs);

// ---- sum, count, min, max, any, all ---------------------------------------------------------

/** Left-to-right `+`, 0 for nothing (Python's `sum`); works for bigints too. */
export const sumOf = (xs: readonly unknown[]): unknown => {
  if (xs.length === 0) return 0;
  let acc = xs[0] as number;
  for (let i = 1; i < xs.length; i++) acc += xs[i] as number;
  return acc;
};

export const countOf = (xs: readonly unknown[]): number => xs.length;

export const anyOf = (xs: readonly unknown[]): boolean => xs.some(Boolean);

export const allOf = (xs: readonly unknown[]): boolean => xs.every(Boolean);

export const maxOf = (xs: readonly unknown[]): unknown => {
  if (xs.length === 0) throw new RangeError('max() of an empty bag');
  let m = xs[0] as number;
  for (let i = 1; i < xs.length; i++) if ((xs[i] as number) > m) m = xs[i] as number;
  return m;
};

export const minOf = (xs: readonly unknown[]): unknown => {
  if (xs.length === 0) throw new RangeError('min() of an empty bag');
  let m = xs[0] as number;
  for (let i = 1; i < xs.length; i++) if ((xs[i] as number) < m) m = xs[i] as number;
  return m;
};

// ---- mean, var, std ---------------------------------------------------------------------------

/**
 * [count, sum, sum of squared deviations from the mean] of a partition. The sum keeps the mean
 * exact where it can be (integers), as Dask's sum/count; two passes over the partition array keep
 * the deviations accurate for data with a large mean.
 */
export const momentsOf = (xs: readonly number[]): [number, number, number] => {
  const n = xs.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += xs[i];
  const mean = n ? sum / n : 0;
  let m2 = 0;
  for (let i = 0; i < n; i++) {
    const d = xs[i] - mean;
    m2 += d * d;
  }
  return [n, sum, m2];
};

/** Merges moments (Chan et al.'s pairwise update of the squared deviations). */
export const combineMoments = (parts: readonly (readonly [number, number, number])[]): [number, number, number] => {
  let [n, sum, m2] = [0, 0, 0];
  for (const [nb, sumb, m2b] of parts) {
    if (nb === 0) continue;
    if (n > 0) {
      const d = sumb / nb - sum / n;
      m2 += (d * d * n * nb) / (n + nb);
    }
    m2 += m2b;
    sum += sumb;
    n += nb;
  }
  return [n, sum, m2];
};

/** The mean of merged moments: NaN for an empty bag, as NumPy gives. */
export const meanOfMoments = (parts: readonly (readonly [number, number, number])[]): number => {
  const [n, sum] = combineMoments(parts);
  return n === 0 ? Number.NaN : sum / n;
};

export const varOfMoments = (parts: readonly (readonly [number, number, number])[], ddof: number): number => {
  const [n, , m2] = combineMoments(parts);
  return n - ddof > 0 ? m2 / (n - ddof) : Number.NaN;
};

export const stdOfMoments = (parts: readonly (readonly [number, number, number])[], ddof: number): number =>
  Math.sqrt(varOfMoments(parts, ddof));

// ---- keyed reductions: frequencies, foldby ----------------------------------------------------

/** Partial results keyed by value: parallel arrays, cheap to clone between threads. */
type Keyed = readonly [keys: unknown[], values: unknown[]];

export const countValues = (xs: readonly unknown[]): Keyed => {
  const t = new KeyTable();
  const counts: number[] = [];
  for (let i = 0; i < xs.length; i++) {
    const s = t.slot(xs[i]);
    if (s < 0) counts.push(1);
    else counts[s]++;
  }
  return [t.keys, counts];
};

function mergeKeyed(parts: readonly Keyed[], merge: (a: unknown, b: unknown) => unknown, start?: { value: unknown }): Keyed {
  const t = new KeyTable();
  const acc: unknown[] = [];
  for (const [keys, values] of parts) {
    for (let i = 0; i < keys.length; i++) {
      const s = t.slot(keys[i]);
      if (s < 0) acc.push(start ? merge(start.value, values[i]) : values[i]);
      else acc[s] = merge(acc[s], values[i]);
    }
  }
  return [t.keys, acc];
}

const add = (a: unknown, b: unknown): unknown => (a as number) + (b as number);

export const mergeCounts = (parts: readonly Keyed[]): Keyed => mergeKeyed(parts, add);

/** `[value, count]` pairs; most frequent first when `sort` (ties keep first-seen order). */
export const frequencyPairs = (parts: readonly Keyed[], sort: boolean): [unknown, number][] => {
  const [keys, counts] = mergeKeyed(parts, add);
  const pairs = keys.map((k, i) => [k, counts[i] as number] as [unknown, number]);
  return sort ? pairs.sort((a, b) => b[1] - a[1]) : pairs;
};

function initialValue(hasInitial: boolean, initial: unknown): { value: unknown } | undefined {
  if (!hasInitial) return undefined;
  // A function is a factory of initial values (toolz's reduceby, which Dask's foldby uses).
  return { value: typeof initial === 'function' ? (initial as () => unknown)() : initial };
}

/** Per-partition `foldby`: for each key, `binop` folded over its elements. */
export const foldbyPart = (xs: readonly unknown[], key: KeyGetter, binop: Fn, hasInitial: boolean, initial: unknown): Keyed => {
  const t = new KeyTable();
  const acc: unknown[] = [];
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i];
    const s = t.slot(getKey(key, x));
    if (s >= 0) acc[s] = binop(acc[s], x);
    else {
      const start = initialValue(hasInitial, initial);
      acc.push(start ? binop(start.value, x) : x);
    }
  }
  return [t.keys, acc];
};

/** Merges per-partition `foldby` results with `combine` (starting from `combineInitial`). */
export const foldbyMerge = (parts: readonly Keyed[], combine: Fn, hasInitial: boolean, initial: unknown): Keyed => {
  const t = new KeyTable();
  const acc: unknown[] = [];
  for (const [keys, values] of parts) {
    for (let i = 0; i < keys.length; i++) {
      const s = t.slot(keys[i]);
      if (s >= 0) acc[s] = combine(acc[s], values[i]);
      else {
        const start = initialValue(hasInitial, initial);
        acc.push(start ? combine(start.value, values[i]) : values[i]);
      }
    }
  }
  return [t.keys, acc];
};

export const foldbyPairs = (parts: readonly Keyed[], combine: Fn, hasInitial: boolean, initial: unknown): [unknown, unknown][] => {
  const [keys, acc] = foldbyMerge(parts, combine, hasInitial, initial);
  return keys.map((k, i) => [k, acc[i]]);
};

// ---- fold, topk, distinct ---------------------------------------------------------------------

export const foldPart = (xs: readonly unknown[], binop: Fn, hasInitial: boolean, initial: unknown): unknown => {
  if (xs.length === 0 && !hasInitial) throw new TypeError('fold of an empty bag with no initial value');
  let i = 0;
  let acc = hasInitial ? initial : xs[i++];
  for (; i < xs.length; i++) acc = binop(acc, xs[i]);
  return acc;
};

/** Largest `k` elements by `key` (or by value), largest first; ties keep their order. */
export const topkOf = (xs: readonly unknown[], k: number, key: KeyGetter | null): unknown[] => {
  const keyed = xs.map((x, i) => ({ x, k: (key === null ? x : getKey(key, x)) as number, i }));
  keyed.sort((a, b) => (a.k < b.k ? 1 : a.k > b.k ? -1 : a.i - b.i));
  return keyed.slice(0, k).map((e) => e.x);
};

export const topkMerge = (parts: readonly (readonly unknown[])[], k: number, key: KeyGetter | null): unknown[] =>
  topkOf(parts.flat(), k, key);

/** The first element of each distinct key (by value), in first-seen order. */
export const distinctOf = (xs: readonly unknown[], key: KeyGetter | null): unknown[] => {
  const t = new KeyTable();
  const out: unknown[] = [];
  for (const x of xs) if (t.slot(key === null ? x : getKey(key, x)) < 0) out.push(x);
  return out;
};

export const distinctMerge = (parts: readonly (readonly unknown[])[], key: KeyGetter | null): unknown[] =>
  distinctOf(parts.flat(), key);

/** fold's aggregation: `combine` over partial results; the initial value only for an empty bag. */
export const foldMerge = (parts: readonly unknown[], combine: Fn, hasInitial: boolean, initial: unknown): unknown => {
  if (parts.length === 0) {
    if (hasInitial) return initial;
    throw new TypeError('fold of an empty bag with no initial value');
  }
  return foldPart(parts, combine, false, undefined);
};
