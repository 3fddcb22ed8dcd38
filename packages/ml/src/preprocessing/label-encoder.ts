/**
 * LabelEncoder: target labels as codes 0..k-1 into their sorted distinct values (scikit-learn's).
 * y is a 1-d array of numbers or a series of numbers, booleans or strings.
 */
import { reshape, type ChunkedArray, type NDArray } from '@pdask/array';
import { checkComputeOptions, checkOptions, type ComputeOptions } from '@pdask/core';
import type { Params } from '../base/estimator';
import { seriesToArray } from '../input/features';
import { columnKind, isFrame, isSeries, type SeriesLike } from '../input/frame-like';
import { preprocessingOps } from '../ops/index';
import { NotFittedError, type Data } from '../validate';
import { asArray, ChunkedArray as Chunked } from '@pdask/array';
import { mapRowBlocks } from './block-map';
import { codesOf, distinctValues } from './encoder-input';
import type { EncodeSpec } from './runtime';

import type { Label } from '../linear-model/labels';

export type { Label };

interface Fitted {
  classes: Label[];
  /** String labels: codes into them come from the series' map. */
  strings: boolean;
  bools: boolean;
}

/** y as a 1-d chunked array (numbers) or a series. */
function labelsInput(y: Data | SeriesLike | undefined, who: string): ChunkedArray<unknown> | SeriesLike {
  if (y === undefined || y === null) throw new TypeError(`${who}: y is required`);
  if (isFrame(y)) throw new RangeError(`${who}: y must be 1-d, got a data frame; pass one column (frame.col(name))`);
  if (isSeries(y)) return y;
  const a = y instanceof Chunked ? y : asArray(y);
  if (a.ndim !== 1) throw new RangeError(`${who}: y must be 1-d, got shape [${a.shape.join(', ')}]`);
  if (a.shape.some(Number.isNaN)) throw new RangeError(`${who}: y has unknown chunk sizes; call 'await y.computeChunkSizes()' first`);
  return a;
}

export class LabelEncoder {
  private fitted: Fitted | null = null;

  constructor(opts: Record<string, never> = {}) {
    checkOptions('LabelEncoder', opts, {});
  }

  private state(method: string): Fitted {
    if (!this.fitted) throw new NotFittedError('LabelEncoder', method, false);
    return this.fitted;
  }

  /** The sorted distinct labels (scikit-learn's classes_). */
  get classes(): Label[] {
    return [...this.state('classes').classes];
  }

  async fit(y: Data | SeriesLike, opts: ComputeOptions = {}): Promise<this> {
    checkComputeOptions(opts, 'LabelEncoder.fit');
    const who = 'LabelEncoder.fit';
    const v = labelsInput(y, who);
    if (isSeries(v)) {
      const kind = columnKind(v.dtype);
      if (kind === 'string' || kind === 'category') {
        const local = await v.unique().compute(opts);
        const vals = Array.from(local.toArray());
        if (vals.some((x) => x === null || x === undefined)) throw new RangeError(`${who}: y ('${v.seriesName}') has missing values`);
        this.fitted = { classes: (vals as string[]).map(String).sort(), strings: true, bools: false };
        return this;
      }
      if (kind === null) throw new TypeError(`${who}: y ('${v.seriesName}') is ${v.dtype}`);
      const a = await seriesToArray(v, kind === 'bool' ? v.astype('float64') : v, opts);
      return this.#fitNumbers(a, kind === 'bool', opts);
    }
    return this.#fitNumbers(v, v.dtype === 'bool', opts);
  }

  async #fitNumbers(a: ChunkedArray<unknown>, bools: boolean, opts: ComputeOptions): Promise<this> {
    const d = await distinctValues(reshape(a, [-1, 1]), opts);
    if (d.nan[0]) throw new RangeError('LabelEncoder.fit: y has NaN values');
    const classes: Label[] = bools ? d.values[0].map((x) => x !== 0) : d.values[0];
    this.fitted = { classes, strings: false, bools };
    return this;
  }

  #spec(f: Fitted): EncodeSpec {
    const n = f.classes.length;
    const cats = f.strings ? f.classes.map((_, i) => i) : (f.classes.map(Number) as number[]);
    return {
      who: 'LabelEncoder.transform',
      kind: 'ordinal',
      columns: [{ mode: 'encode', name: 'y', cats, nan: false, drop: -1 }],
      order: [0],
      unknown: 'error',
      unknownValue: n,
      missingValue: 0,
      missingZeros: false,
      dtype: 'int32',
    };
  }

  /** int32 codes (lazy); a label not seen in fit fails the computation, naming it. */
  transform(y: Data): ChunkedArray<NDArray>;
  transform(y: SeriesLike): Promise<ChunkedArray<NDArray>>;
  transform(y: Data | SeriesLike): ChunkedArray<NDArray> | Promise<ChunkedArray<NDArray>>;
  transform(y: Data | SeriesLike): ChunkedArray<NDArray> | Promise<ChunkedArray<NDArray>> {
    const f = this.state('transform');
    const who = 'LabelEncoder.transform';
    const v = labelsInput(y, who);
    const run = (a: ChunkedArray<unknown>) => reshape(mapRowBlocks('label-encode', reshape(a, [-1, 1]), preprocessingOps.encodeBlock, [this.#spec(f)], 1, 'int32'), [-1]) as ChunkedArray<NDArray>;
    if (!isSeries(v)) return run(v);
    const kind = columnKind(v.dtype);
    if (f.strings !== (kind === 'string' || kind === 'category')) throw new TypeError(`${who}: y ('${v.seriesName}') is ${v.dtype}, but the labels seen in fit are ${f.strings ? 'strings' : 'numbers'}`);
    const numeric = f.strings ? codesOf(v, f.classes as string[]) : kind === 'bool' ? v.astype('float64') : v;
    return seriesToArray(v, numeric).then(run);
  }

  async fitTransform(y: Data | SeriesLike, opts: ComputeOptions = {}): Promise<ChunkedArray<NDArray>> {
    checkComputeOptions(opts, 'LabelEncoder.fitTransform');
    await this.fit(y, opts);
    return this.transform(y);
  }

  /** The labels of codes (computed: labels may be strings, which arrays cannot hold). */
  async inverseTransform(codes: Data, opts: ComputeOptions = {}): Promise<Label[]> {
    checkComputeOptions(opts, 'LabelEncoder.inverseTransform');
    const f = this.state('inverseTransform');
    const a = labelsInput(codes, 'LabelEncoder.inverseTransform') as ChunkedArray<unknown>;
    const r = (await a.compute(opts)) as NDArray;
    return Array.from(r.data as ArrayLike<number>, (c) => {
      const k = Number(c);
      if (!Number.isInteger(k) || k < 0 || k >= f.classes.length) throw new RangeError(`LabelEncoder.inverseTransform: ${k} is not a code (0..${f.classes.length - 1})`);
      return f.classes[k];
    });
  }

  /** Tag read by Pipeline and the searches (base/estimator.ts). */
  readonly estimatorType = 'transformer' as const;
  /** The constructor options (scikit-learn's get_params): `new Ctor(getParams())` is an unfitted copy. */
  getParams(): Params {
    return {};
  }
}
