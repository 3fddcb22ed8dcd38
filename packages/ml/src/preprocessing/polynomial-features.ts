/** PolynomialFeatures: the products of the columns up to a degree (scikit-learn's order and names). */
import type { ChunkedArray, NDArray } from '@pdask/array';
import { checkComputeOptions, checkOptions, type ComputeOptions, type OptionSchema } from '@pdask/core';
import type { Params } from '../base/estimator';
import { checkNames, inputNames, toFeatures, type FeaturesInput } from '../input/features';
import { isFrame } from '../input/frame-like';
import { preprocessingOps } from '../ops/index';
import { asMatrix, NotFittedError, type Data } from '../validate';
import { mapRowBlocks } from './block-map';

export interface PolynomialFeaturesOptions {
  /** The largest degree (default 2), or [min, max]: only terms of degree min..max (and the bias). */
  degree?: number | readonly [number, number];
  /** Only products of distinct columns (no powers), default false. */
  interactionOnly?: boolean;
  /** A first column of ones (default true). */
  includeBias?: boolean;
  /** Output order: only 'C' (row-major), the default. */
  order?: 'C';
}

const isDeg = (v: unknown): boolean => Number.isInteger(v) && (v as number) >= 0;
const OPTIONS: OptionSchema<PolynomialFeaturesOptions> = {
  degree: (v) => (isDeg(v) || (Array.isArray(v) && v.length === 2 && v.every(isDeg) && v[0] <= v[1]) ? undefined : 'a non-negative integer or [min, max] with min <= max'),
  interactionOnly: 'boolean',
  includeBias: 'boolean',
  order: (v) => (v === 'C' ? undefined : "'C' (Fortran order is not implemented)"),
};

function* combinations(n: number, k: number, repeat: boolean, start = 0): Generator<number[]> {
  if (k === 0) {
    yield [];
    return;
  }
  for (let i = start; i < n; i++) for (const rest of combinations(n, k - 1, repeat, repeat ? i : i + 1)) yield [i, ...rest];
}

interface Fitted {
  powers: number[][];
  names: string[] | null;
  nIn: number;
}

export class PolynomialFeatures {
  readonly degree: number | readonly [number, number];
  readonly interactionOnly: boolean;
  readonly includeBias: boolean;
  private fitted: Fitted | null = null;

  constructor(opts: PolynomialFeaturesOptions = {}) {
    checkOptions('PolynomialFeatures', opts, OPTIONS);
    this.degree = opts.degree ?? 2;
    this.interactionOnly = opts.interactionOnly ?? false;
    this.includeBias = opts.includeBias ?? true;
    const max = typeof this.degree === 'number' ? this.degree : this.degree[1];
    if (max === 0 && !this.includeBias) throw new RangeError('PolynomialFeatures: degree 0 without includeBias gives no features');
  }

  private state(method: string): Fitted {
    if (!this.fitted) throw new NotFittedError('PolynomialFeatures', method);
    return this.fitted;
  }

  /** The exponent of each input in each output column (outputs x inputs), scikit-learn's powers_. */
  get powers(): number[][] {
    return this.state('powers').powers.map((p) => [...p]);
  }
  get nFeaturesIn(): number {
    return this.state('nFeaturesIn').nIn;
  }
  get nOutputFeatures(): number {
    return this.state('nOutputFeatures').powers.length;
  }

  async fit(X: FeaturesInput, opts: ComputeOptions = {}): Promise<this> {
    checkComputeOptions(opts, 'PolynomialFeatures.fit');
    // Only the shape and names matter: a frame's rows are not counted, an array is not computed.
    const names = isFrame(X) ? X.columns : null;
    const d = names ? names.length : asMatrix(X as Data, 'PolynomialFeatures.fit').shape[1];
    if (names) await toFeatures(X, 'PolynomialFeatures.fit', opts);
    const [lo, hi] = typeof this.degree === 'number' ? [0, this.degree] : this.degree;
    const combos: number[][] = [];
    if (this.includeBias) combos.push([]);
    for (let k = Math.max(1, lo); k <= hi; k++) for (const c of combinations(d, k, !this.interactionOnly)) combos.push(c);
    const powers = combos.map((c) => {
      const p = new Array<number>(d).fill(0);
      for (const j of c) p[j]++;
      return p;
    });
    this.fitted = { powers, names: names && [...names], nIn: d };
    return this;
  }

  transform(X: Data): ChunkedArray<NDArray>;
  transform(X: FeaturesInput): ChunkedArray<NDArray> | Promise<ChunkedArray<NDArray>>;
  transform(X: FeaturesInput): ChunkedArray<NDArray> | Promise<ChunkedArray<NDArray>> {
    const f = this.state('transform');
    const who = 'PolynomialFeatures.transform';
    const run = (x: ChunkedArray<unknown>, names: readonly string[] | null) => {
      if (x.shape[1] !== f.nIn) throw new RangeError(`${who}: X has ${x.shape[1]} features, but the model was fitted on ${f.nIn}`);
      checkNames(f.names, names, who);
      return mapRowBlocks('polynomial', x, preprocessingOps.polyBlock, [f.powers], f.powers.length, 'float64');
    };
    if (isFrame(X)) return toFeatures(X, who).then((r) => run(r.x, r.names));
    return run(asMatrix(X as Data, who), null);
  }

  async fitTransform(X: FeaturesInput, opts: ComputeOptions = {}): Promise<ChunkedArray<NDArray>> {
    checkComputeOptions(opts, 'PolynomialFeatures.fitTransform');
    await this.fit(X, opts);
    return this.transform(X);
  }

  /** '1', 'x0', 'x0^2', 'x0 x1', ... (scikit-learn's). */
  getFeatureNamesOut(inputFeatures?: readonly string[]): string[] {
    const f = this.state('getFeatureNamesOut');
    const ins = inputNames(f.names, f.nIn, inputFeatures, 'PolynomialFeatures.getFeatureNamesOut');
    return f.powers.map((p) => {
      const terms = p.flatMap((e, j) => (e === 0 ? [] : [e === 1 ? ins[j] : `${ins[j]}^${e}`]));
      return terms.length ? terms.join(' ') : '1';
    });
  }

  /** Tag read by Pipeline and the searches (base/estimator.ts). */
  readonly estimatorType = 'transformer' as const;
  /** The constructor options (scikit-learn's get_params): `new Ctor(getParams())` is an unfitted copy. */
  getParams(): Params {
    return { degree: this.degree, interactionOnly: this.interactionOnly, includeBias: this.includeBias, order: 'C' };
  }
}
