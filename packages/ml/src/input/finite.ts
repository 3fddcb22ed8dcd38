/**
 * scikit-learn's check_array refusal of NaN and infinite inputs, for the estimators whose results
 * would silently be NaN (KMeans, PCA). Checking up front would cost a pass over X on every fit, so
 * the fit's own first results are checked instead: a NaN or infinite value in X always makes them
 * non-finite (column means and variances, a Lloyd inertia), and only then does one pass over X
 * find which it is.
 */
import { any, isinf, isnan, type ChunkedArray, type NDArray } from '@pdask/array';
import { computeCollections, type ComputeOptions } from '@pdask/core';

export function allFinite(...vs: readonly (ArrayLike<number> | number)[]): boolean {
  for (const v of vs) {
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) return false;
      continue;
    }
    for (let i = 0; i < v.length; i++) if (!Number.isFinite(v[i])) return false;
  }
  return true;
}

/** Whether X holds NaN, else infinity, else neither (one pass over X). */
export async function nonFiniteKind(x: ChunkedArray<unknown>, opts: ComputeOptions): Promise<'NaN' | 'infinity' | null> {
  const [nan, inf] = (await computeCollections([any(isnan(x)), any(isinf(x))], opts)) as [NDArray | boolean, NDArray | boolean];
  const truthy = (v: NDArray | boolean) => (typeof v === 'boolean' ? v : Boolean((v as NDArray).data[0]));
  return truthy(nan) ? 'NaN' : truthy(inf) ? 'infinity' : null;
}

export function nonFiniteError(kind: 'NaN' | 'infinity', who: string, arg = 'X'): RangeError {
  return new RangeError(`${who}: ${arg} contains ${kind}; remove those samples or ${kind === 'NaN' ? 'fill them in first (e.g. SimpleImputer)' : 'replace the values first'}`);
}

/** Throws the error naming what X holds: NaN, infinity, or finite values whose sums overflow float64. */
export async function refuseNonFinite(x: ChunkedArray<unknown>, who: string, opts: ComputeOptions, arg = 'X'): Promise<never> {
  const kind = await nonFiniteKind(x, opts);
  if (kind) throw nonFiniteError(kind, who, arg);
  throw new RangeError(`${who}: ${arg} holds values too large for float64 arithmetic (its sums overflow to infinity); rescale it first`);
}
