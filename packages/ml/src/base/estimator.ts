/**
 * The estimator interface that composition (Pipeline, ColumnTransformer) and model selection
 * (the searches, crossValScore) rely on: scikit-learn's protocol in TypeScript. An estimator's
 * parameters are its constructor options; `getParams()` returns them so `clone` can build an
 * unfitted copy with `new Ctor(getParams())`. Parameters are immutable on the estimators (their
 * options are readonly fields), so setting them makes a new estimator (`withParams`).
 */
import type { ChunkedArray, NDArray } from '@pdask/array';
import type { ComputeOptions } from '@pdask/core';
import type { Data } from '../validate';

/** Constructor options of an estimator, by name. */
export type Params = Record<string, unknown>;

/** scikit-learn's `_estimator_type`: what a model is, which decides the default scoring and folds. */
export type EstimatorType = 'classifier' | 'regressor' | 'clusterer' | 'transformer';

export interface BaseEstimator {
  /** The constructor options (defaults filled in): `new Ctor(getParams())` is an unfitted copy. */
  getParams(): Params;
  /** Optional tag (classifiers get stratified folds and accuracy by default, as in scikit-learn). */
  readonly estimatorType?: EstimatorType;
  /** An unfitted copy; when absent, `clone` calls the constructor with getParams(). */
  clone?(): BaseEstimator;
}

/** An estimator fitted on X alone (scalers, PCA, KMeans): `fit(X, opts)`. */
export interface UnsupervisedEstimator extends BaseEstimator {
  fit(X: Data, opts?: ComputeOptions): Promise<unknown>;
}

/** An estimator fitted on X and targets: `fit(X, y, opts)`. */
export interface SupervisedEstimator extends BaseEstimator {
  fit(X: Data, y: Data, opts?: ComputeOptions): Promise<unknown>;
}

export type Estimator = UnsupervisedEstimator | SupervisedEstimator;

export interface Transformer {
  transform(X: Data): ChunkedArray<NDArray>;
}

export interface Predictor {
  predict(X: Data): ChunkedArray<NDArray>;
}

export interface Scorer {
  score(X: Data, y: Data, opts?: ComputeOptions): Promise<number>;
}

/** An estimator that learns block by block (`Incremental`, the successive-halving searches). */
export interface PartialFitEstimator extends BaseEstimator {
  /** `partialFit(X, y, opts)` when supervised, `partialFit(X, opts)` otherwise. */
  partialFit(X: Data, y?: Data | ComputeOptions, opts?: ComputeOptions): Promise<unknown>;
}

export const isTransformer = (e: unknown): e is Transformer => typeof (e as Transformer | null)?.transform === 'function';
export const isPredictor = (e: unknown): e is Predictor => typeof (e as Predictor | null)?.predict === 'function';
export const hasScore = (e: unknown): e is Scorer => typeof (e as Scorer | null)?.score === 'function';

export function isEstimator(e: unknown): e is Estimator {
  return typeof e === 'object' && e !== null && typeof (e as Estimator).fit === 'function' && typeof (e as Estimator).getParams === 'function';
}

/**
 * Whether `fit` takes targets. The `estimatorType` tag decides when present; otherwise the
 * declared arity of `fit` (`fit(X, opts = {})` has length 1, `fit(X, y, opts = {})` length 2).
 */
export function isSupervised(e: Estimator): e is SupervisedEstimator {
  if (e.estimatorType === 'classifier' || e.estimatorType === 'regressor') return true;
  if (e.estimatorType === 'clusterer' || e.estimatorType === 'transformer') return false;
  return e.fit.length >= 2;
}

/** Fits `e` on X (and y when it takes targets; an unsupervised one ignores y, as scikit-learn's). */
export async function fitEstimator(e: Estimator, X: Data, y: Data | undefined, opts: ComputeOptions, who: string): Promise<void> {
  if (isSupervised(e)) {
    if (y === undefined) throw new TypeError(`${who}: ${nameOf(e)} needs targets: pass y`);
    await e.fit(X, y, opts);
  } else {
    await (e as UnsupervisedEstimator).fit(X, opts);
  }
}

export function nameOf(e: unknown): string {
  return (e as { constructor?: { name?: string } } | null)?.constructor?.name ?? typeof e;
}

function assertEstimator(e: unknown, who: string): asserts e is BaseEstimator {
  if (typeof e !== 'object' || e === null || typeof (e as BaseEstimator).getParams !== 'function') {
    throw new TypeError(`${who}: ${nameOf(e)} is not an estimator (it has no getParams())`);
  }
}

/** An unfitted copy of `e` with the same parameters (scikit-learn's `clone`). */
export function clone<E extends BaseEstimator>(e: E): E {
  assertEstimator(e, 'clone');
  if (typeof e.clone === 'function') return e.clone() as E;
  const Ctor = e.constructor as new (p: Params) => E;
  return new Ctor(e.getParams());
}

/** `e`'s parameters (scikit-learn's `get_params()`). */
export function getParams(e: BaseEstimator): Params {
  assertEstimator(e, 'getParams');
  return e.getParams();
}

/**
 * A copy of `e` with `params` changed (scikit-learn's `clone(e).set_params(**params)`); the
 * estimator's constructor checks them, so a misspelt name is refused by name.
 */
export function withParams<E extends BaseEstimator>(e: E, params: Params): E {
  assertEstimator(e, 'withParams');
  const withSet = e as E & { setParams?: (p: Params) => unknown };
  if (typeof withSet.setParams === 'function') {
    const c = clone(e) as E & { setParams: (p: Params) => unknown };
    c.setParams(params);
    return c;
  }
  const Ctor = e.constructor as new (p: Params) => E;
  return new Ctor({ ...e.getParams(), ...params });
}

/** The defined entries of an options object (getParams leaves out options that were not given and have no default). */
export function definedParams(p: Params): Params {
  return Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined));
}
