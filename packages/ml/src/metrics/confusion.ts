/** confusionMatrix and precision / recall / F1 (scikit-learn's formulas, including the rounding order of their averages). */
import { NDArray } from '@pdask/array';
import type { ComputeOptions, OptionSchema } from '@pdask/core';
import { splitComputeOptions } from '../base/options';
import { asPair, type Data } from '../validate';
import { computeBoth, noNaN, numbers, uniqueSorted } from './labels';

export interface ConfusionMatrixOptions extends ComputeOptions {
  /** The labels, in the order of the rows and columns (default: the sorted labels present in either). */
  labels?: readonly number[];
  /** Divide by the true counts per row ('true'), predicted counts per column ('pred') or the total ('all'). */
  normalize?: 'true' | 'pred' | 'all';
  /** scikit-learn's sample weights: not implemented; refused. */
  sampleWeight?: never;
}

const labelsRule = (v: unknown) => (Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'number') ? undefined : 'a non-empty array of numbers');

async function pairOf(yTrue: Data, yPred: Data, opts: ComputeOptions, who: string): Promise<[Float64Array, Float64Array]> {
  const [t, p] = asPair(yTrue, yPred, who);
  const [a, b] = await computeBoth(t, p, opts);
  return [noNaN(numbers(a), who, 'yTrue'), noNaN(numbers(b), who, 'yPred')];
}

/** counts[i][j]: samples with true label labels[i] predicted as labels[j]. */
function counts(t: Float64Array, p: Float64Array, labels: Float64Array): Float64Array {
  const k = labels.length;
  const at = new Map<number, number>();
  labels.forEach((l, i) => at.set(l, i));
  const m = new Float64Array(k * k);
  for (let s = 0; s < t.length; s++) {
    const i = at.get(t[s]);
    const j = at.get(p[s]);
    if (i !== undefined && j !== undefined) m[i * k + j]++;
  }
  return m;
}

/** Rows are true labels, columns predicted (scikit-learn's layout): int32 counts, or float64 when normalized. */
export async function confusionMatrix(yTrue: Data, yPred: Data, opts: ConfusionMatrixOptions = {}): Promise<NDArray> {
  const [{ labels, normalize }, compute] = splitComputeOptions<Omit<ConfusionMatrixOptions, keyof ComputeOptions>>('confusionMatrix', opts, {
    labels: labelsRule,
    normalize: (v) => (v === 'true' || v === 'pred' || v === 'all' ? undefined : "'true', 'pred' or 'all'"),
    sampleWeight: { unsupported: 'not implemented yet' },
  });
  const [t, p] = await pairOf(yTrue, yPred, compute, 'confusionMatrix');
  const ls = labels ? Float64Array.from(labels) : uniqueSorted(t, p);
  if (labels && !labels.some((l) => t.includes(l))) throw new RangeError('confusionMatrix: none of the labels given is in yTrue');
  const k = ls.length;
  const m = counts(t, p, ls);
  if (!normalize) return new NDArray(Int32Array.from(m), [k, k], 'int32');
  const out = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      let d = 0;
      if (normalize === 'true') for (let c = 0; c < k; c++) d += m[i * k + c];
      else if (normalize === 'pred') for (let r = 0; r < k; r++) d += m[r * k + j];
      else for (const v of m) d += v;
      out[i * k + j] = d === 0 ? 0 : m[i * k + j] / d;
    }
  }
  return new NDArray(out, [k, k], 'float64');
}

export type Average = 'binary' | 'micro' | 'macro' | 'weighted' | null;

export interface PrecisionRecallOptions extends ComputeOptions {
  /** 'binary' (default: the score of posLabel), 'micro', 'macro', 'weighted', or null for one score per label. */
  average?: Average;
  /** The positive label with average 'binary' (default 1). */
  posLabel?: number;
  /** The labels to average over (default: the sorted labels present in either). */
  labels?: readonly number[];
  /** The value of a score whose denominator is 0 (default 0, scikit-learn's 'warn' without the warning). */
  zeroDivision?: 0 | 1;
  sampleWeight?: never;
}

const PRF_OPTIONS: OptionSchema<Omit<PrecisionRecallOptions, keyof ComputeOptions>> = {
  average: (v) => (v === null || v === 'binary' || v === 'micro' || v === 'macro' || v === 'weighted' ? undefined : "'binary', 'micro', 'macro', 'weighted' or null"),
  posLabel: 'number',
  labels: labelsRule,
  zeroDivision: (v) => (v === 0 || v === 1 ? undefined : '0 or 1'),
  sampleWeight: { unsupported: 'not implemented yet' },
};

type Which = 'precision' | 'recall' | 'f1';

/** NumPy's pairwise sum order does not matter at these sizes; sklearn's np.average is Σ(v·w) / Σw. */
function average(v: Float64Array, w: Float64Array | null): number {
  let s = 0;
  let sw = 0;
  for (let i = 0; i < v.length; i++) {
    s += w ? v[i] * w[i] : v[i];
    sw += w ? w[i] : 1;
  }
  return s / sw;
}

async function prf(which: Which, who: string, yTrue: Data, yPred: Data, opts: PrecisionRecallOptions): Promise<number | Float64Array> {
  const [{ average: avg0, posLabel, labels, zeroDivision }, compute] = splitComputeOptions(who, opts, PRF_OPTIONS);
  const avg = avg0 === undefined ? 'binary' : avg0;
  const zd = zeroDivision ?? 0;
  const [t, p] = await pairOf(yTrue, yPred, compute, who);
  const present = uniqueSorted(t, p);
  let ls = labels ? Float64Array.from(labels) : present;
  if (avg === 'binary') {
    if (present.length > 2) throw new RangeError(`${who}: the targets have ${present.length} labels (multiclass) but average is 'binary'; choose 'micro', 'macro' or 'weighted'`);
    const pos = posLabel ?? 1;
    if (!present.includes(pos) && present.length >= 2) throw new RangeError(`${who}: posLabel ${pos} is not a valid label: it should be one of ${Array.from(present).join(', ')}`);
    ls = Float64Array.of(pos);
  }
  const k = ls.length;
  const tp = new Float64Array(k);
  const predSum = new Float64Array(k);
  const trueSum = new Float64Array(k);
  const at = new Map<number, number>();
  ls.forEach((l, i) => at.set(l, i));
  for (let s = 0; s < t.length; s++) {
    const i = at.get(t[s]);
    const j = at.get(p[s]);
    if (j !== undefined) predSum[j]++;
    if (i !== undefined) trueSum[i]++;
    if (i !== undefined && i === j) tp[i]++;
  }
  const ratio = (a: Float64Array, b: Float64Array) => a.map((x, i) => (b[i] === 0 ? zd : x / b[i]));
  const score = (tpv: Float64Array, pred: Float64Array, tru: Float64Array): Float64Array => {
    const precision = ratio(tpv, pred);
    const recall = ratio(tpv, tru);
    if (which === 'precision') return precision;
    if (which === 'recall') return recall;
    // scikit-learn 1.2: (1 + β²)·P·R / (β²·P + R), a zero denominator giving 0.
    return precision.map((P, i) => {
      const d = P + recall[i];
      return (2 * P * recall[i]) / (d === 0 ? 1 : d);
    });
  };
  if (avg === 'micro') {
    const sum = (v: Float64Array) => Float64Array.of(v.reduce((a, b) => a + b, 0));
    return score(sum(tp), sum(predSum), sum(trueSum))[0];
  }
  const per = score(tp, predSum, trueSum);
  if (avg === null) return per;
  if (avg === 'binary') return per[0];
  if (avg === 'weighted') {
    if (trueSum.every((w) => w === 0)) return zd;
    return average(per, trueSum);
  }
  return average(per, null);
}

/** tp / (tp + fp). A number, or one per label with average: null. */
export function precisionScore(yTrue: Data, yPred: Data, opts: PrecisionRecallOptions & { average: null }): Promise<Float64Array>;
export function precisionScore(yTrue: Data, yPred: Data, opts?: PrecisionRecallOptions): Promise<number>;
export function precisionScore(yTrue: Data, yPred: Data, opts: PrecisionRecallOptions = {}): Promise<number | Float64Array> {
  return prf('precision', 'precisionScore', yTrue, yPred, opts);
}

/** tp / (tp + fn). */
export function recallScore(yTrue: Data, yPred: Data, opts: PrecisionRecallOptions & { average: null }): Promise<Float64Array>;
export function recallScore(yTrue: Data, yPred: Data, opts?: PrecisionRecallOptions): Promise<number>;
export function recallScore(yTrue: Data, yPred: Data, opts: PrecisionRecallOptions = {}): Promise<number | Float64Array> {
  return prf('recall', 'recallScore', yTrue, yPred, opts);
}

/** The harmonic mean of precision and recall (per label, then averaged; micro: from the summed counts). */
export function f1Score(yTrue: Data, yPred: Data, opts: PrecisionRecallOptions & { average: null }): Promise<Float64Array>;
export function f1Score(yTrue: Data, yPred: Data, opts?: PrecisionRecallOptions): Promise<number>;
export function f1Score(yTrue: Data, yPred: Data, opts: PrecisionRecallOptions = {}): Promise<number | Float64Array> {
  return prf('f1', 'f1Score', yTrue, yPred, opts);
}
