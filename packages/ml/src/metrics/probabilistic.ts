/** logLoss and rocAucScore: metrics of scores and probabilities rather than of labels. */
import { asArray, ChunkedArray } from '@pdask/array';
import { checkComputeOptions, type ComputeOptions } from '@pdask/core';
import { splitComputeOptions } from '../base/options';
import { asPair, type Data } from '../validate';
import { computeBoth, noNaN, numbers, uniqueSorted } from './labels';

export interface LogLossOptions extends ComputeOptions {
  /** Probabilities are clipped to [eps, 1 - eps] (default: float64's machine epsilon, scikit-learn 1.2's 'auto'). */
  eps?: number;
  /** Mean over the samples (default true) or their sum. */
  normalize?: boolean;
  /** The labels, in the order of yPred's columns (default: the sorted labels of yTrue). */
  labels?: readonly number[];
  sampleWeight?: never;
}

const chunked = (v: Data, who: string, arg: string): ChunkedArray<unknown> => {
  if (v instanceof ChunkedArray) return v;
  try {
    return asArray(v);
  } catch (e) {
    throw new TypeError(`${who}: ${arg} must be a ChunkedArray, an NDArray, a typed array or nested arrays of numbers (${(e as Error).message})`);
  }
};

/**
 * The mean negative log-likelihood of the true labels under the predicted probabilities: yPred is
 * (samples, classes) with columns in label order, or 1-d with P(the larger label) of a binary
 * problem. Rows are clipped to [eps, 1 - eps] then renormalised, as scikit-learn 1.2 does.
 */
export async function logLoss(yTrue: Data, yPred: Data, opts: LogLossOptions = {}): Promise<number> {
  const [{ eps, normalize, labels }, compute] = splitComputeOptions<Omit<LogLossOptions, keyof ComputeOptions>>('logLoss', opts, {
    eps: (v) => (typeof v === 'number' && v > 0 && v < 0.5 ? undefined : 'a number in (0, 0.5)'),
    normalize: 'boolean',
    labels: (v) => (Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'number') ? undefined : 'a non-empty array of numbers'),
    sampleWeight: { unsupported: 'not implemented yet' },
  });
  const t = chunked(yTrue, 'logLoss', 'yTrue');
  const p = chunked(yPred, 'logLoss', 'yPred');
  if (t.ndim !== 1) throw new RangeError(`logLoss: yTrue must be 1-d, got shape [${t.shape.join(', ')}]`);
  if (p.ndim !== 1 && p.ndim !== 2) throw new RangeError(`logLoss: yPred must be 1-d (P of the positive label) or 2-d (samples x classes), got shape [${p.shape.join(', ')}]`);
  if (p.shape[0] !== t.shape[0]) throw new RangeError(`logLoss: yTrue has ${t.shape[0]} samples but yPred has ${p.shape[0]}`);
  const [ta, pa] = await computeBoth(t, p, compute);
  const tv = noNaN(numbers(ta), 'logLoss', 'yTrue');
  const pv = noNaN(numbers(pa), 'logLoss', 'yPred');
  const ls = labels ? Float64Array.from(labels).sort() : uniqueSorted(tv);
  if (ls.length < 2) throw new RangeError(`logLoss: yTrue has one label (${ls[0]}); give labels to say which others there are`);
  const n = tv.length;
  const k = p.ndim === 1 ? 2 : p.shape[1];
  if (p.ndim === 1 && ls.length !== 2) throw new RangeError(`logLoss: a 1-d yPred needs two labels, yTrue has ${ls.length}`);
  if (k !== ls.length) throw new RangeError(`logLoss: yPred has ${k} columns but there are ${ls.length} labels (${Array.from(ls).join(', ')})`);
  const col = new Map<number, number>();
  ls.forEach((l, i) => col.set(l, i));
  const e = eps ?? Number.EPSILON;
  const row = new Float64Array(k);
  let total = 0;
  for (let s = 0; s < n; s++) {
    const c = col.get(tv[s]);
    if (c === undefined) throw new RangeError(`logLoss: yTrue[${s}] = ${tv[s]} is not among the labels ${Array.from(ls).join(', ')}`);
    if (p.ndim === 1) {
      row[0] = 1 - pv[s];
      row[1] = pv[s];
    } else for (let j = 0; j < k; j++) row[j] = pv[s * k + j];
    let sum = 0;
    for (let j = 0; j < k; j++) sum += (row[j] = Math.min(Math.max(row[j], e), 1 - e));
    total += -Math.log(row[c] / sum);
  }
  return normalize === false ? total : total / n;
}

/**
 * Area under the ROC curve of a binary problem: the probability that a random positive scores
 * above a random negative, ties counting one half (the Mann-Whitney statistic, which equals the
 * trapezoidal area of scikit-learn's curve). The larger of the two labels is the positive one.
 */
export async function rocAucScore(yTrue: Data, yScore: Data, opts: ComputeOptions = {}): Promise<number> {
  checkComputeOptions(opts, 'rocAucScore');
  const [t, p] = asPair(yTrue, yScore, 'rocAucScore');
  const [ta, pa] = await computeBoth(t, p, opts);
  const tv = noNaN(numbers(ta), 'rocAucScore', 'yTrue');
  const sv = noNaN(numbers(pa), 'rocAucScore', 'yScore');
  const ls = uniqueSorted(tv);
  if (ls.length !== 2) throw new RangeError(`rocAucScore: yTrue must hold exactly two labels (binary), got ${ls.length}${ls.length > 2 ? '; multiclass AUC is not implemented' : ''}`);
  const pos = ls[1];
  const order = Int32Array.from({ length: sv.length }, (_, i) => i).sort((a, b) => sv[a] - sv[b]);
  // Average ranks (1-based) over runs of equal scores.
  let rankSumPos = 0;
  let nPos = 0;
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && sv[order[j + 1]] === sv[order[i]]) j++;
    const rank = (i + j + 2) / 2;
    for (let q = i; q <= j; q++) if (tv[order[q]] === pos) (rankSumPos += rank), nPos++;
    i = j + 1;
  }
  const nNeg = tv.length - nPos;
  return (rankSumPos - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}
