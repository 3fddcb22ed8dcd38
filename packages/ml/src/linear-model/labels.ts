/**
 * Class labels of a classifier: found in y (NumPy's unique: sorted, so `classes` are in
 * scikit-learn's order), counted (for 'balanced' class weights), and mapped back from class codes
 * in predictions. A chunked y holds numbers or booleans (found by `@pdask/array`'s unique, one
 * pass); strings (and booleans) also come as plain arrays, encoded on the calling thread into a
 * chunked array of codes with X's row blocks.
 */
import { fromArray, unique, type ChunkedArray, type NDArray } from '@pdask/array';
import { compute, type ComputeOptions } from '@pdask/core';
import { optsKey } from '../graph/opts-key';
import { scheduleFor } from '../graph/schedule';
import { asTarget, type Data } from '../validate';

export type Label = number | string | boolean;
/** y of a classifier: numeric or boolean data (chunked or eager), or a plain array of strings or booleans. */
export type LabelData = Data | readonly string[] | readonly boolean[];

export interface Targets {
  /** Numeric targets with X's row blocks: the labels themselves, or codes for strings/booleans given as plain arrays. */
  readonly y: ChunkedArray<unknown>;
  /** Sorted values of `y` that the classes are (what the per-block code lookup searches). */
  readonly values: number[];
  readonly classes: Label[];
  /** Samples per class. */
  readonly counts: number[];
}

function plainLabels(v: LabelData): readonly (string | boolean)[] | null {
  if (!Array.isArray(v) || v.length === 0) return null;
  const t = typeof v[0];
  return t === 'string' || t === 'boolean' ? (v as (string | boolean)[]) : null;
}

function compareLabels(a: Label, b: Label): number {
  if (typeof a === 'string') return a < (b as string) ? -1 : a > (b as string) ? 1 : 0;
  return Number(a) - Number(b);
}

/**
 * The sorted distinct values of y with their counts. Fits that start together on the same y (a
 * search's candidates on one fold) share the one computation in flight; nothing is kept after it.
 */
const inFlight = new Map<string, Promise<[NDArray, NDArray]>>();
function uniqueOnce(t: ChunkedArray<unknown>, opts: ComputeOptions): Promise<[NDArray, NDArray]> {
  const key = `${t.name}|${optsKey(opts)}`;
  let p = inFlight.get(key);
  if (!p) {
    const u = unique(t, { returnCounts: true });
    p = compute(u.values, u.counts!, scheduleFor([t], opts)) as Promise<[NDArray, NDArray]>;
    inFlight.set(key, p);
    const done = () => inFlight.delete(key);
    p.then(done, done);
  }
  return p;
}

export async function findTargets(v: LabelData | undefined, x: ChunkedArray<unknown>, who: string, opts: ComputeOptions): Promise<Targets> {
  const plain = v === undefined ? null : plainLabels(v);
  let out: Targets;
  if (plain) {
    const kind = typeof plain[0];
    if (plain.length !== x.shape[0]) throw new RangeError(`${who}: X has ${x.shape[0]} samples but y has ${plain.length}`);
    const count = new Map<Label, number>();
    for (const l of plain) {
      if (typeof l !== kind) throw new TypeError(`${who}: y mixes label types (${kind} and ${typeof l}); use one type`);
      count.set(l, (count.get(l) ?? 0) + 1);
    }
    const classes = [...count.keys()].sort(compareLabels);
    const code = new Map(classes.map((c, i) => [c, i]));
    const codes = Float64Array.from(plain, (l) => code.get(l)!);
    out = { y: fromArray(codes, { chunks: [x.chunks[0]] }), values: classes.map((_, i) => i), classes, counts: classes.map((c) => count.get(c)!) };
  } else {
    const t = asTarget(v as Data, x, who);
    const [vals, cnts] = await uniqueOnce(t, opts);
    const values = Array.from(vals.data as ArrayLike<number>, Number);
    if (values.some(Number.isNaN)) throw new RangeError(`${who}: y holds NaN; labels must be numbers, strings or booleans`);
    const frac = values.find((c) => !Number.isInteger(c));
    // scikit-learn refuses these too ("Unknown label type: 'continuous'").
    if (frac !== undefined) throw new RangeError(`${who}: y holds continuous values (${frac}); class labels must be integers, strings or booleans`);
    const classes: Label[] = vals.dtype === 'bool' ? values.map((c) => c !== 0) : values;
    out = { y: t, values, classes, counts: Array.from(cnts.data as ArrayLike<number>, Number) };
  }
  if (out.classes.length < 2) throw new RangeError(`${who}: y needs samples of at least 2 classes, got 1 class: ${String(out.classes[0])}`);
  return out;
}
