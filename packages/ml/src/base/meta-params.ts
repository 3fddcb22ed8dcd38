/**
 * Parameters of meta-estimators that wrap one estimator (the searches): scikit-learn's deep
 * get_params/set_params, where the wrapped estimator is the parameter `estimator` and its own
 * parameters are `estimator__<name>` (deeper for pipelines: `estimator__step__name`).
 */
import { nameOf, type BaseEstimator, type Params } from './estimator';

/** The meta-estimator's own parameters, `estimator`, and the wrapped estimator's as `estimator__<name>`. */
export function metaParams(own: Params, estimator: BaseEstimator): Params {
  const out: Params = { ...own, estimator };
  for (const [k, v] of Object.entries(estimator.getParams())) out[`estimator__${k}`] = v;
  return out;
}

export interface MetaParamUpdate {
  /** The meta-estimator's own parameters to change. */
  readonly own: Params;
  /** A replacement for the wrapped estimator. */
  readonly estimator: BaseEstimator | undefined;
  /** Parameters of the wrapped estimator (without the `estimator__` prefix). */
  readonly inner: Params;
}

/** Sorts `params` into own names, `estimator` and `estimator__*`; any other name is refused by name. */
export function splitMetaParams(params: Params, ownNames: readonly string[], who: string): MetaParamUpdate {
  if (typeof params !== 'object' || params === null) throw new TypeError(`${who}: parameters must be an object of name -> value`);
  const own: Params = {};
  const inner: Params = {};
  let estimator: BaseEstimator | undefined;
  for (const [k, v] of Object.entries(params)) {
    if (k === 'estimator') {
      if (typeof v !== 'object' || v === null || typeof (v as BaseEstimator).getParams !== 'function') throw new TypeError(`${who}: 'estimator' must be an estimator (with getParams), got ${nameOf(v)}`);
      estimator = v as BaseEstimator;
    } else if (k.startsWith('estimator__') && k.length > 11) inner[k.slice(11)] = v;
    else if (ownNames.includes(k)) own[k] = v;
    else throw new TypeError(`${who}: unknown parameter '${k}' (parameters: estimator, ${ownNames.join(', ')}, estimator__<name>)`);
  }
  return { own, estimator, inner };
}
