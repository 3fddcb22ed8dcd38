/**
 * The categories of each column of X, as OneHotEncoder and OrdinalEncoder learn them
 * (scikit-learn's `categories_`): sorted distinct values with the missing value last, or the lists
 * given, checked against the data.
 */
import type { ChunkedArray } from '@pdask/array';
import type { ComputeOptions } from '@pdask/core';
import { columnKind, isFrame, type FrameLike } from '../input/frame-like';
import type { Data } from '../validate';
import type { NDArray } from '@pdask/array';
import { checkNames } from '../input/features';
import { arrayEncoderInput, distinctLabels, distinctValues, encoderInput, type ColumnInfo, type EncoderInput } from './encoder-input';
import type { Category } from './names';
import type { EncodeColumn } from './runtime';

export interface FittedColumn {
  info: ColumnInfo;
  /** scikit-learn's categories_[j]: numbers (NaN last), booleans, or strings (null last). */
  categories: Category[];
  /** String/category columns: the labels in code order (the non-missing categories). */
  labels: string[] | null;
  /** What the block operation matches: ascending numbers (codes for strings) and the missing flag. */
  cats: number[];
  nan: boolean;
}

export interface CategoryFit {
  columns: FittedColumn[];
  names: string[] | null;
  x: ChunkedArray<unknown>;
}

const isMissing = (c: Category): boolean => c === null || (typeof c === 'number' && Number.isNaN(c));
const show = (c: Category): string => (c === null ? 'null' : typeof c === 'string' ? `'${c}'` : String(c));

function checkGiven(given: readonly Category[], info: ColumnInfo, who: string): void {
  const where = `categories for column '${info.name}'`;
  if (!Array.isArray(given) || given.length === 0) throw new TypeError(`${who}: ${where} must be a non-empty array`);
  const body = given.slice(0, isMissing(given[given.length - 1]) ? -1 : undefined);
  if (body.some(isMissing)) throw new RangeError(`${who}: ${where}: a missing value may only be the last category`);
  if (info.kind === 'string' || info.kind === 'category') {
    if (!body.every((c) => typeof c === 'string')) throw new TypeError(`${who}: ${where} must be strings (the column holds ${info.kind === 'string' ? 'strings' : 'categories'})`);
    if (given[given.length - 1] !== null && isMissing(given[given.length - 1])) throw new TypeError(`${who}: ${where}: a missing string is null`);
  } else if (info.kind === 'bool') {
    if (!body.every((c) => typeof c === 'boolean')) throw new TypeError(`${who}: ${where} must be booleans`);
  } else {
    if (!body.every((c) => typeof c === 'number')) throw new TypeError(`${who}: ${where} must be numbers (the column is numeric)`);
    if (given[given.length - 1] === null) throw new TypeError(`${who}: ${where}: a missing number is NaN`);
    // scikit-learn: "Unsorted categories are not supported for numerical categories".
    for (let i = 1; i < body.length; i++) if (!((body[i] as number) > (body[i - 1] as number))) throw new RangeError(`${who}: ${where} must be sorted ascending without repeats (numeric categories), got [${given.map(show).join(', ')}]`);
  }
  if (new Set<Category>(body as Category[]).size !== body.length) throw new RangeError(`${who}: ${where} repeat a value`);
}

/** Fits the categories of X's columns; with handleUnknown 'error', data outside given categories fail the fit (as scikit-learn). */
export async function fitCategories(X: Data | FrameLike | undefined, given: 'auto' | readonly (readonly Category[])[], checkUnknown: boolean, who: string, opts: ComputeOptions): Promise<CategoryFit> {
  // String and category columns of a frame: their distinct labels first (one computation).
  const stringCols = isFrame(X) ? X.columns.filter((n) => ['string', 'category'].includes(columnKind(X.dtypes[n]) ?? '')) : [];
  const seen = isFrame(X) ? await distinctLabels(X, stringCols, opts) : [];
  const labels: Record<string, string[]> = {};
  const nCols = isFrame(X) ? X.columns.length : -1;
  if (given !== 'auto' && nCols >= 0 && given.length !== nCols) throw new RangeError(`${who}: categories has ${given.length} lists for ${nCols} columns of X`);
  stringCols.forEach((n, s) => {
    const j = (X as FrameLike).columns.indexOf(n);
    labels[n] = given === 'auto' ? seen[s].labels : (given[j].filter((c) => c !== null) as string[]);
  });
  const inp = await encoderInput(X, who, labels, opts);
  if (given !== 'auto' && given.length !== inp.columns.length) throw new RangeError(`${who}: categories has ${given.length} lists for ${inp.columns.length} columns of X`);
  const numeric = inp.columns.some((c) => c.kind === 'number' || c.kind === 'bool');
  const distinct = numeric ? await distinctValues(inp.x, opts) : null;
  const columns = inp.columns.map((info, j): FittedColumn => {
    const g = given === 'auto' ? null : given[j];
    if (g) checkGiven(g, info, who);
    if (info.kind === 'string' || info.kind === 'category') {
      const s = seen[stringCols.indexOf(info.name)];
      const l = labels[info.name];
      const nan = g ? g[g.length - 1] === null : s.missing;
      if (g && checkUnknown) {
        const unknown: string[] = s.labels.filter((v) => !l.includes(v));
        if (s.missing && !nan) unknown.push('null');
        if (unknown.length) throw new RangeError(`${who}: found unknown categories [${unknown.join(', ')}] in column '${info.name}' during fit`);
      }
      return { info, categories: [...l, ...(nan ? [null] : [])], labels: l, cats: l.map((_, i) => i), nan };
    }
    const vals = distinct!.values[j];
    const hasNan = distinct!.nan[j];
    let cats: number[];
    let nan: boolean;
    if (g) {
      const body = g.filter((c) => !isMissing(c)).map(Number);
      cats = body;
      nan = isMissing(g[g.length - 1]);
      if (checkUnknown) {
        const unknown: string[] = vals.filter((v) => !cats.includes(v)).map(String);
        if (hasNan && !nan) unknown.push('NaN');
        if (unknown.length) throw new RangeError(`${who}: found unknown categories [${unknown.slice(0, 10).join(', ')}] in column '${info.name}' during fit`);
      }
    } else {
      cats = vals;
      nan = hasNan;
    }
    const categories: Category[] = info.kind === 'bool' ? cats.map((c) => c !== 0) : [...cats];
    if (nan) categories.push(Number.NaN);
    return { info, categories, labels: null, cats, nan };
  });
  return { columns, names: inp.names, x: inp.x };
}

/** The block operation's view of a fitted column. */
export function encodeColumn(c: FittedColumn, drop = -1): EncodeColumn {
  return { mode: 'encode', name: c.info.name, cats: c.cats, nan: c.nan, drop };
}

/** Labels per string column, for encoderInput at transform. */
export function labelsOf(cols: readonly FittedColumn[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const c of cols) if (c.labels) out[c.info.name] = c.labels;
  return out;
}

/**
 * An encoder's transform: reads X (a frame's columns as codes of the fitted labels, or an array),
 * checks it against what was fitted, then encodes. A frame needs a computation first, so its result
 * is a promise.
 */
export function transformFitted(
  X: Data | FrameLike,
  fitted: { columns: readonly FittedColumn[]; names: string[] | null },
  who: string,
  encode: (inp: EncoderInput) => ChunkedArray<NDArray>,
): ChunkedArray<NDArray> | Promise<ChunkedArray<NDArray>> {
  const checked = (inp: EncoderInput): ChunkedArray<NDArray> => {
    if (inp.columns.length !== fitted.columns.length) throw new RangeError(`${who}: X has ${inp.columns.length} features, but the model was fitted on ${fitted.columns.length}`);
    checkNames(fitted.names, inp.names, who);
    return encode(inp);
  };
  if (isFrame(X)) return encoderInput(X, who, labelsOf(fitted.columns), {}).then(checked);
  return checked(arrayEncoderInput(X, who));
}
