/**
 * ColumnTransformer: each transformer fitted on its own columns of X, outputs side by side (then
 * the remaining columns with `remainder: 'passthrough'`). Columns are indices, or names when the
 * names of X's columns are given (`featureNames`): the seam with dataframe input is that list.
 */
import { astype, concatenate, type ChunkedArray, type NDArray } from '@pdask/array';
import { checkComputeOptions, checkOptions, type ComputeOptions, type OptionSchema } from '@pdask/core';
import { clone, fitEstimator, isEstimator, isTransformer, nameOf, withParams, type Estimator, type Params } from '../base/estimator';
import { asMatrix, NotFittedError, type Data } from '../validate';
import { targetsAndOptions } from './pipeline';

export type ColumnSelection = number | string | readonly number[] | readonly string[];
export type ColumnStep = readonly [string, Estimator | 'passthrough' | 'drop', ColumnSelection];

export interface ColumnTransformerOptions {
  /** What happens to the columns no transformer names: 'drop' (default, as scikit-learn) or 'passthrough'. */
  remainder?: 'drop' | 'passthrough';
  /** Names of X's columns, so that transformers can select columns by name. */
  featureNames?: readonly string[];
  /** scikit-learn's options not implemented: refused. */
  sparseThreshold?: never;
  nJobs?: never;
  transformerWeights?: never;
  verbose?: never;
  verboseFeatureNamesOut?: never;
}

const OPTIONS: OptionSchema<ColumnTransformerOptions> = {
  remainder: (v) => (v === 'drop' || v === 'passthrough' ? undefined : "'drop' or 'passthrough'"),
  featureNames: (v) => (Array.isArray(v) && v.every((s) => typeof s === 'string') ? undefined : 'an array of strings'),
  sparseThreshold: { unsupported: 'outputs are dense arrays' },
  nJobs: { unsupported: 'the scheduler decides the parallelism (compute options)' },
  transformerWeights: { unsupported: 'not implemented yet' },
  verbose: { unsupported: 'not implemented yet' },
  verboseFeatureNamesOut: { unsupported: 'not implemented yet' },
};

export class ColumnTransformer {
  private list: [string, Estimator | 'passthrough' | 'drop', ColumnSelection][];
  readonly remainder: 'drop' | 'passthrough';
  readonly featureNames: readonly string[] | undefined;
  private fitted: { nFeatures: number; columns: Int32Array[]; rest: Int32Array } | null = null;

  constructor(transformers: readonly ColumnStep[], opts: ColumnTransformerOptions = {}) {
    checkOptions('ColumnTransformer', opts, OPTIONS);
    if (!Array.isArray(transformers) || transformers.length === 0) throw new TypeError('ColumnTransformer: transformers must be a non-empty list of [name, transformer, columns]');
    const names = new Set<string>();
    this.list = transformers.map((t, i) => {
      if (!Array.isArray(t) || t.length !== 3 || typeof t[0] !== 'string') throw new TypeError(`ColumnTransformer: transformer ${i} must be a [name, transformer, columns] triple`);
      if (names.has(t[0]) || t[0].includes('__')) throw new TypeError(`ColumnTransformer: transformer name '${t[0]}' is repeated or contains '__'`);
      names.add(t[0]);
      const e = t[1];
      if (e !== 'passthrough' && e !== 'drop' && !(isEstimator(e) && isTransformer(e))) throw new TypeError(`ColumnTransformer: '${t[0]}' must be a transformer, 'passthrough' or 'drop', got ${nameOf(e)}`);
      return [t[0], e, t[2]];
    });
    this.remainder = opts.remainder ?? 'drop';
    this.featureNames = opts.featureNames ? [...opts.featureNames] : undefined;
  }

  get transformers(): ColumnStep[] {
    return this.list.map(([n, e, c]) => [n, e, c]);
  }

  getParams(): Params {
    const out: Params = { transformers: this.transformers, remainder: this.remainder };
    if (this.featureNames) out.featureNames = this.featureNames;
    for (const [name, e] of this.list) {
      out[name] = e;
      if (typeof e === 'string') continue;
      for (const [k, v] of Object.entries(e.getParams())) out[`${name}__${k}`] = v;
    }
    return out;
  }

  /** `name__param` changes that transformer (an unfitted copy with it). */
  setParams(params: Params): this {
    for (const [key, value] of Object.entries(params)) {
      const cut = key.indexOf('__');
      const i = this.list.findIndex(([n]) => n === (cut < 0 ? key : key.slice(0, cut)));
      if (i < 0) throw new TypeError(`ColumnTransformer.setParams: no transformer for parameter '${key}' (transformers: ${this.list.map(([n]) => n).join(', ')})`);
      const [n, e, c] = this.list[i];
      if (cut < 0) this.list[i] = [n, value as Estimator, c];
      else if (typeof e === 'string') throw new TypeError(`ColumnTransformer.setParams: '${n}' is '${e}' and has no parameters`);
      else this.list[i] = [n, withParams(e, { [key.slice(cut + 2)]: value }), c];
    }
    this.fitted = null;
    return this;
  }

  clone(): ColumnTransformer {
    return new ColumnTransformer(
      this.list.map(([n, e, c]) => [n, typeof e === 'string' ? e : clone(e), c] as const),
      { remainder: this.remainder, ...(this.featureNames ? { featureNames: this.featureNames } : {}) },
    );
  }

  async fit(X: Data, y?: Data | ComputeOptions, opts?: ComputeOptions): Promise<this> {
    const [t, o] = targetsAndOptions(y, opts);
    checkComputeOptions(o, 'ColumnTransformer.fit');
    const x = asMatrix(X, 'ColumnTransformer.fit');
    const d = x.shape[1];
    const columns = this.list.map(([name, , c]) => this.resolve(c, d, name));
    const used = new Uint8Array(d);
    for (const c of columns) for (const j of c) used[j] = 1;
    const rest = Int32Array.from({ length: d }, (_, j) => j).filter((j) => !used[j]);
    for (let i = 0; i < this.list.length; i++) {
      const e = this.list[i][1];
      if (typeof e !== 'string' && columns[i].length > 0) await fitEstimator(e, x.slice(':', columns[i]), t, o, 'ColumnTransformer.fit');
    }
    this.fitted = { nFeatures: d, columns, rest };
    return this;
  }

  async fitTransform(X: Data, y?: Data | ComputeOptions, opts?: ComputeOptions): Promise<ChunkedArray<NDArray>> {
    const [t, o] = targetsAndOptions(y, opts);
    checkComputeOptions(o, 'ColumnTransformer.fitTransform');
    await this.fit(X, t, o);
    return this.transform(X);
  }

  /** The transformers' outputs side by side (float64), in the order given, then the remainder. */
  transform(X: Data): ChunkedArray<NDArray> {
    const f = this.fitted;
    if (!f) throw new NotFittedError('ColumnTransformer', 'transform');
    const x = asMatrix(X, 'ColumnTransformer.transform');
    if (x.shape[1] !== f.nFeatures) throw new RangeError(`ColumnTransformer.transform: X has ${x.shape[1]} features, but the model was fitted on ${f.nFeatures}`);
    const parts: ChunkedArray<unknown>[] = [];
    this.list.forEach(([, e], i) => {
      if (e === 'drop' || f.columns[i].length === 0) return;
      const sub = x.slice(':', f.columns[i]);
      parts.push(astype(e === 'passthrough' ? sub : (e as Estimator & { transform(x: Data): ChunkedArray<NDArray> }).transform(sub), 'float64'));
    });
    if (this.remainder === 'passthrough' && f.rest.length > 0) parts.push(astype(x.slice(':', f.rest), 'float64'));
    if (parts.length === 0) throw new RangeError('ColumnTransformer.transform: every column is dropped, nothing to return');
    return (parts.length === 1 ? parts[0] : concatenate(parts, 1)) as ChunkedArray<NDArray>;
  }

  private resolve(c: ColumnSelection, d: number, name: string): Int32Array {
    const list = (Array.isArray(c) ? c : [c]) as (number | string)[];
    return Int32Array.from(list, (v) => {
      if (typeof v === 'number') {
        const j = v < 0 ? v + d : v;
        if (!Number.isInteger(v) || j < 0 || j >= d) throw new RangeError(`ColumnTransformer.fit: column ${v} of '${name}' is out of range for ${d} features`);
        return j;
      }
      if (!this.featureNames) throw new TypeError(`ColumnTransformer.fit: '${name}' selects column '${v}' by name, but no featureNames were given`);
      if (this.featureNames.length !== d) throw new RangeError(`ColumnTransformer.fit: featureNames has ${this.featureNames.length} names but X has ${d} features`);
      const j = this.featureNames.indexOf(v);
      if (j < 0) throw new RangeError(`ColumnTransformer.fit: '${name}' selects column '${v}', which is not among featureNames`);
      return j;
    });
  }

  /** Tag read by Pipeline and the searches (base/estimator.ts). */
  readonly estimatorType = 'transformer' as const;
}
