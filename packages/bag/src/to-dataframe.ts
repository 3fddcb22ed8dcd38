/**
 * Bag.toDataFrame (Dask's `to_dataframe`): a @pdask/dataframe DataFrame of the bag's records,
 * made by that package's public `fromBag`. @pdask/dataframe is an optional peer dependency,
 * loaded on the first call, so @pdask/bag works without it.
 */
import { checkOptions, COMPUTE_OPTION_NAMES, type ComputeOptions, type OptionSchema } from '@pdask/core';
import type { DataFrame, Dtype } from '@pdask/dataframe';
import type { Bag } from './bag';
import { describe } from './graph';

export interface ToDataFrameOptions extends ComputeOptions {
  /** The columns and their dtypes, in order (`{ name: 'string', amount: 'float64' }`). */
  meta?: Readonly<Record<string, Dtype>>;
  /**
   * Without meta: the column names (for array elements, or to pick keys of object elements); the
   * dtypes are then inferred from the first element, which is computed (as Dask does).
   */
  columns?: readonly string[];
}

const TO_DATAFRAME_OPTIONS: OptionSchema<ToDataFrameOptions> = {
  ...COMPUTE_OPTION_NAMES,
  meta: (v) => (typeof v === 'object' && v !== null && !Array.isArray(v) ? undefined : '{ column: dtype, ... }'),
  columns: (v) => (Array.isArray(v) && v.every((c) => typeof c === 'string') ? undefined : 'an array of column names'),
};

/** The dtype of a column from one value: JavaScript numbers are doubles, so float64. */
function dtypeOf(v: unknown, column: string): Dtype {
  if (typeof v === 'number') return 'float64';
  if (typeof v === 'bigint') return 'int64';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'string') return 'string';
  throw new TypeError(`Bag.toDataFrame: cannot infer the dtype of column '${column}' from the first element's value (${describe(v)}); give the columns and dtypes with { meta: { column: dtype, ... } }`);
}

/** Dask's inference: the columns and dtypes of the first element. */
function inferMeta(first: unknown, columns: readonly string[] | undefined): Record<string, Dtype> {
  const meta: Record<string, Dtype> = {};
  if (Array.isArray(first)) {
    const names = columns ?? first.map((_, j) => String(j));
    if (names.length !== first.length) throw new RangeError(`Bag.toDataFrame: ${names.length} columns given for elements of ${first.length} values`);
    names.forEach((n, j) => (meta[n] = dtypeOf(first[j], n)));
    return meta;
  }
  if (typeof first !== 'object' || first === null) throw new TypeError(`Bag.toDataFrame: the first element is ${describe(first)}; elements must be objects (one key per column) or arrays`);
  for (const n of columns ?? Object.keys(first)) meta[n] = dtypeOf((first as Record<string, unknown>)[n], n);
  return meta;
}

async function loadDataframe(): Promise<typeof import('@pdask/dataframe')> {
  try {
    return await import('@pdask/dataframe');
  } catch (e) {
    throw new Error('Bag.toDataFrame needs the package @pdask/dataframe (an optional peer dependency of @pdask/bag): npm install @pdask/dataframe', { cause: e });
  }
}

export async function toDataFrame(bag: Bag<unknown>, options: ToDataFrameOptions | undefined): Promise<DataFrame> {
  const { meta, columns, ...computeOpts } = checkOptions('Bag.toDataFrame', options, TO_DATAFRAME_OPTIONS);
  if (meta !== undefined && columns !== undefined) throw new TypeError("Bag.toDataFrame: give meta or columns, not both (as Dask: \"Can't specify both `meta` and `columns`\")");
  const dd = await loadDataframe();
  let m = meta;
  if (m === undefined) {
    const head = await bag.take(1, { ...computeOpts, warn: false });
    if (head.length === 0) throw new Error('Bag.toDataFrame: cannot infer the columns: the first partition is empty; give them with { meta: { column: dtype, ... } }');
    m = inferMeta(head[0], columns);
  }
  return dd.fromBag(bag, { meta: m });
}
