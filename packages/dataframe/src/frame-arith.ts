/**
 * Arithmetic and comparisons of a frame with another frame, a series, one number per column or
 * a number (pandas' flex methods `df.add(other, axis=…, fill_value=…)`), and series arithmetic
 * with `fillValue`. Frames and series are aligned on the index first, as Dask does
 * (index-ops/align.ts: partition by partition when the partitionings agree, through the union of
 * the divisions when they are known and differ, refused when they cannot be matched); then each
 * pair of partitions is combined column by column (ops/frame-arith.ts).
 */
import { checkOptions, lit, ref, type ArgSpec, type OptionSchema } from '@pdask/core';
import { partitionwise } from './base';
import { DataFrame } from './frame';
import { partitionKey } from './graph';
import { alignOperands } from './index-ops/align';
import { isNumericDesc } from './meta';
import type { ArithOp, CompareOp } from './ops/elementwise';
import type { FrameArithSpec, FrameOp, FrameOperandSpec } from './ops/frame-arith';
import { dataframeOps } from './ops/index';
import type { TypeDesc } from './ops/types';
import { refusing } from './options';
import { Series } from './series';

/** What a frame combines with: a frame, a series (`axis: 'index'`), numbers by column (a local series along the columns), or a number. */
export type FrameOperand = DataFrame | Series | number | Readonly<Record<string, number>>;

export interface FrameArithOptions {
  /** How a series lines up: `'columns'` (default, pandas' too) matches an object's keys with the columns; `'index'` matches a Series' labels with the rows. */
  axis?: 'columns' | 'index' | 0 | 1;
  /** Stands in for a value missing on one side only (both missing stays NaN), as pandas' fill_value. */
  fillValue?: number;
}

export type FrameCompareOptions = Omit<FrameArithOptions, 'fillValue'>;

export interface SeriesArithOptions {
  /** Stands in for a value missing on one side only, as pandas' `s.add(t, fill_value=0)`. */
  fillValue?: number;
}

const AXIS = { oneOf: ['columns', 'index', 0, 1] } as const;
const LEVEL = 'MultiIndex levels are not implemented';
const ARITH_OPTIONS: OptionSchema<FrameArithOptions> = refusing<FrameArithOptions>({ axis: AXIS, fillValue: 'number' }, { level: LEVEL });
const COMPARE_OPTIONS: OptionSchema<FrameCompareOptions> = refusing<FrameCompareOptions>({ axis: AXIS }, { level: LEVEL, fillValue: "pandas' comparison methods take no fill_value" });
const SERIES_OPTIONS: OptionSchema<SeriesArithOptions> = refusing<SeriesArithOptions>({ fillValue: 'number' }, { level: LEVEL, axis: 'a series has one axis' });

const F64: TypeDesc = { id: 'float', bits: 64 };
const BOOL: TypeDesc = { id: 'bool' };
const COMPARE_OPS: readonly FrameOp[] = ['gt', 'ge', 'lt', 'le', 'eq', 'ne'];

function numericColumns(df: DataFrame, method: string): string[] {
  df.meta.names.forEach((n, j) => {
    const t = df.meta.types[j];
    if (!isNumericDesc(t)) throw new TypeError(`${method}: column '${n}' has dtype ${df.dtypes[n]}, not a number (select the numeric columns first)`);
  });
  return [...df.meta.names];
}

/** pandas' outer join of two column lists: the same list stays as it is, otherwise the union sorted. */
function unionColumns(a: readonly string[], b: readonly string[]): string[] {
  if (a.length === b.length && a.every((c, i) => c === b[i])) return [...a];
  return [...new Set([...a, ...b])].sort();
}

/** `df <op> other`, the operands swapped with `reverse` (radd, rsub, …). */
export function frameBinary(df: DataFrame, other: FrameOperand, op: FrameOp, reverse: boolean, opts: FrameArithOptions | undefined, method: string): DataFrame {
  const compare = COMPARE_OPS.includes(op);
  const o = compare ? checkOptions<FrameArithOptions>(method, opts, COMPARE_OPTIONS as OptionSchema<FrameArithOptions>) : checkOptions(method, opts, ARITH_OPTIONS);
  const byIndex = o.axis === 'index' || o.axis === 0;
  const fill = o.fillValue ?? null;
  const left = numericColumns(df, method);
  const type = compare ? BOOL : F64;
  const build = (x: DataFrame, out: string[], operand: (i: number) => ArgSpec, token: unknown, parents: DataFrame | Series | null): DataFrame => {
    const spec: FrameArithSpec = { op, left, out, fill, reverse };
    const { name, layer } = partitionwise(parents ? [x, parents] : [x], {
      kind: `frame-${reverse ? 'r' : ''}${op}`,
      token: [token, spec],
      task: (key, i) => dataframeOps.frameArith.task(key, ref(partitionKey(x.name, i)), operand(i), lit(spec)),
    });
    return new DataFrame(name, x.npartitions, layer, x.divisions, { ...x.meta, names: out, types: out.map(() => type) });
  };
  if (byIndex && !(other instanceof Series)) throw new TypeError(`${method}: axis 'index' lines up a Series with the rows; with a ${other instanceof DataFrame ? 'DataFrame' : typeof other === 'number' ? 'number' : 'value'} it does nothing, so it is refused`);
  if (other instanceof DataFrame) {
    const right = numericColumns(other, method);
    const [x, y] = alignOperands(df, other, method);
    return build(x, unionColumns(left, right), (i) => operandArg({ t: lit('frame'), part: ref(partitionKey(y.name, i)), names: lit(right) }), y.name, y);
  }
  if (other instanceof Series) {
    if (!byIndex) {
      throw new Error(
        `${method}: Unable to ${op} a Series with axis='columns' (as Dask: "Unable to ${op} dd.Series with axis=1"); pass { axis: 'index' } to combine it with every column by row label, or an object { column: number } for one number per column`,
      );
    }
    if (fill !== null) throw new Error(`${method}: fillValue with a Series is not supported (pandas 1.5 raises NotImplementedError for it)`);
    if (!isNumericDesc(other.typeDesc)) throw new TypeError(`${method}: series '${other.seriesName}' has dtype ${other.dtype}, not a number`);
    const [x, y] = alignOperands(df, other, method);
    return build(x, left, (i) => operandArg({ t: lit('column'), part: ref(partitionKey(y.name, i)), column: lit(y.seriesName) }), y.name, y);
  }
  if (typeof other === 'number') return build(df, left, () => lit<FrameOperandSpec>({ t: 'scalar', value: other }), other, null);
  if (other !== null && typeof other === 'object' && !Array.isArray(other)) {
    if (fill !== null) throw new Error(`${method}: fillValue with numbers by column is not supported (pandas 1.5 raises NotImplementedError for a Series with fill_value)`);
    const values: Record<string, number> = {};
    for (const [k, v] of Object.entries(other)) {
      if (typeof v !== 'number') throw new TypeError(`${method}: the value for column '${k}' must be a number, got ${v === null ? 'null' : typeof v}`);
      values[k] = v;
    }
    return build(df, unionColumns(left, Object.keys(values)), () => lit<FrameOperandSpec>({ t: 'perColumn', values }), values, null);
  }
  throw new TypeError(`${method}: expected a DataFrame, a Series, a number or an object of numbers by column, got ${other === null ? 'null' : Array.isArray(other) ? 'an array' : typeof other}`);
}

/** An operand object whose `part` is another collection's partition, resolved when the task runs. */
function operandArg(entries: Record<string, ArgSpec>): ArgSpec {
  return { t: 'obj', entries: Object.entries(entries) };
}

/** `s <op> other` with pandas' fill_value: aligned on the index, then a value missing on one side only is replaced. */
export function seriesArith(s: Series, other: Series | number, op: ArithOp, opts: SeriesArithOptions, method: string): Series {
  const o = checkOptions(method, opts, SERIES_OPTIONS);
  const plain = s as unknown as Record<ArithOp, (x: Series | number) => Series>;
  if (o.fillValue === undefined) return plain[op](other);
  const fill = o.fillValue;
  // pandas: a number operand never misses, so only the series' own missing values are filled.
  if (typeof other === 'number') return plain[op].call(s.fillna(fill), other);
  if (!(other instanceof Series)) throw new TypeError(`${method}: expected a number or a Series, got ${other === null ? 'null' : typeof other}`);
  for (const x of [s, other]) if (!isNumericDesc(x.typeDesc)) throw new TypeError(`${method}: series '${x.seriesName}' has dtype ${x.dtype}, not a number`);
  const [x, y] = alignOperands(s, other, method);
  const { name, layer } = partitionwise([x, y], {
    kind: `${op}-fill`,
    token: [fill],
    task: (key, i) => dataframeOps.seriesArithFill.task(key, ref(partitionKey(x.name, i)), lit(x.seriesName), ref(partitionKey(y.name, i)), lit(y.seriesName), lit(op), lit(fill), lit(false), lit(x.seriesName)),
  });
  return new Series(name, x.npartitions, layer, x.divisions, { ...x.meta, type: F64 });
}

export type { ArithOp, CompareOp };
