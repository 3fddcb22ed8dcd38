/**
 * Lazy mapPartitions (Dask's map_partitions): one task per partition calling a user function,
 * shipped to worker threads as its source text (core's toOpRef refuses functions that capture
 * variables). The output's columns and types are the `meta` given, or found as Dask does by
 * running the function on an empty partition.
 */
import {
  arr,
  fnArg,
  isCollection,
  isModuleFunction,
  lit,
  ref,
  resolveOpSync,
  toOpRef,
  UnshippableFunctionError,
  type ArgSpec,
  type LayerNode,
  type ModuleFunction,
  type OpFunction,
  type OpRef,
} from '@pdask/core';
import { vectorFromArray, type Table } from 'apache-arrow';
import { checkAligned, partitionwise, type IndexMeta } from './base';
import type { ColumnInput } from './columns';
import { parseDtype, type Dtype } from './dtypes';
import { DataFrame } from './frame';
import { partitionKey } from './graph';
import type { LocalFrame } from './local/frame';
import type { Cell, LocalSeries } from './local/series';
import { dataframeOps } from './ops/index';
import { callUser, type MapArg, type MapOut } from './ops/map';
import { encodeBatch } from './ops/part';
import { indexColumn, isIndexColumn } from './ops/spec';
import { arrowType, describeType, type TypeDesc } from './ops/types';
import { Series } from './series';

/** A column a mapPartitions function returns: what fromColumns takes, or a LocalSeries' toArray(). */
export type MapColumn = ColumnInput | ArrayLike<Cell>;

/** What a mapPartitions function may return. */
export type MapResult = LocalFrame | LocalSeries | Table | MapColumn | Record<string, MapColumn>;

/**
 * The output's description: `{ column: dtype, … }` for a frame, `[name, dtype]` for a series
 * (Dask's `meta={'a': 'f8'}` / `meta=('x', 'f8')`).
 */
export type MetaInput = Readonly<Record<string, Dtype>> | readonly [name: string | null, dtype: Dtype];

export interface MapOptions {
  meta?: MetaInput;
}

/** A series when the function returns a LocalSeries, Vector or array of values, a frame for the other results. */
export type MapOutput<R> = [R] extends [LocalSeries | MapColumn] ? Series : [R] extends [LocalFrame | Table | Record<string, MapColumn>] ? DataFrame : DataFrame | Series;

/** A user function given to mapPartitions: a self-contained function or a module reference. */
export type MapFunction<P, R> = ((part: P, ...args: never[]) => R) | ModuleFunction<(part: P, ...args: never[]) => R>;

type Input = DataFrame | Series;

export function fnOp(fn: unknown, method: string): OpRef {
  if (typeof fn !== 'function' && !isModuleFunction(fn)) throw new TypeError(`${method}: expected a function (or fromModule(...)) as the first argument, got ${fn === null ? 'null' : typeof fn}`);
  try {
    return toOpRef(fn as OpFunction | ModuleFunction);
  } catch (e) {
    if (!(e instanceof UnshippableFunctionError) || e.captured.length === 0) throw e;
    const vars = e.captured.join(', ');
    throw new UnshippableFunctionError(
      `${method}: the function ${e.functionName ? `'${e.functionName}' ` : ''}captures ${e.captured.map((c) => `'${c}'`).join(', ')} from its enclosing scope, which a worker thread does not have. ` +
        `Pass ${e.captured.length > 1 ? 'them' : 'it'} as extra arguments instead: ddf.mapPartitions((df, ${vars}) => ..., ${vars}), or export the function from a module and use fromModule(specifier, exportName).`,
      e.functionName,
      e.captured,
    );
  }
}

/** A trailing `{ meta }` is the options, as Dask's meta= keyword; anything else is an argument. */
function splitOptions(args: readonly unknown[]): { args: unknown[]; opts: MapOptions } {
  const last = args[args.length - 1];
  if (typeof last === 'object' && last !== null && Object.getPrototypeOf(last) === Object.prototype) {
    const keys = Object.keys(last);
    if (keys.length === 1 && keys[0] === 'meta') return { args: args.slice(0, -1), opts: last as MapOptions };
  }
  return { args: [...args], opts: {} };
}

const indexNames = (index: IndexMeta | null): (string | null)[] => (index ? index.levels.map((l) => l.name) : []);

/** The argument of partition i for a frame/series operand, or a literal. */
function argOf(x: unknown, i: number): ArgSpec {
  if (x instanceof DataFrame) return { t: 'obj', entries: [['t', lit('frame')], ['part', ref(partitionKey(x.name, i))], ['indexNames', lit(indexNames(x.meta.index))]] };
  if (x instanceof Series) {
    return { t: 'obj', entries: [['t', lit('series')], ['part', ref(partitionKey(x.name, i))], ['column', lit(x.seriesName)], ['name', lit(x.meta.label === undefined ? x.meta.name : x.meta.label)], ['indexNames', lit(indexNames(x.meta.index))]] };
  }
  return lit({ t: 'value', value: x } satisfies MapArg);
}

function emptyPartOf(c: Input): MapArg {
  const levels = c.meta.index?.levels ?? [];
  const cols = c instanceof DataFrame ? c.meta.names.map((n, j) => [n, c.meta.types[j]] as const) : [[c.seriesName, c.typeDesc] as const];
  const empty = (t: TypeDesc) => vectorFromArray([], arrowType(t));
  const part = encodeBatch({ numRows: 0, names: [...levels.map((_, j) => indexColumn(j)), ...cols.map(([n]) => n)], vectors: [...levels.map((l) => empty(l.type)), ...cols.map(([, t]) => empty(t))] });
  if (c instanceof DataFrame) return { t: 'frame', part, indexNames: indexNames(c.meta.index) };
  return { t: 'series', part, column: c.seriesName, name: c.meta.label === undefined ? c.meta.name : c.meta.label, indexNames: indexNames(c.meta.index) };
}

interface OutMeta {
  out: MapOut;
  index: IndexMeta | null;
  label: string | null;
}

function metaFromUser(meta: MetaInput, method: string): OutMeta {
  if (Array.isArray(meta)) {
    const [name, dtype] = meta as readonly [string | null, Dtype];
    if (name !== null && typeof name !== 'string') throw new TypeError(`${method}: the name in meta [name, dtype] must be a string or null, got ${typeof name}`);
    return { out: { kind: 'series', column: name ?? 'values', type: parseDtype(dtype, method, `the series '${name}' in meta`) }, index: null, label: name };
  }
  if (typeof meta !== 'object' || meta === null) throw new TypeError(`${method}: meta must be { column: dtype, ... } or [name, dtype], got ${meta === null ? 'null' : typeof meta}`);
  const names = Object.keys(meta);
  const rec = meta as Readonly<Record<string, Dtype>>;
  return { out: { kind: 'frame', names, types: names.map((n) => parseDtype(rec[n], method, `column '${n}' in meta`)) }, index: null, label: null };
}

/** Dask's meta inference: the function's result on an empty partition (and empty operands). */
function inferMeta(fn: unknown, op: OpRef, fnName: string, input: Input, args: readonly unknown[], method: string): OutMeta {
  const callable = typeof fn === 'function' ? (fn as OpFunction) : resolveOpSync(op);
  if (!callable) throw new Error(`${method}: cannot infer the output of ${fnName} (a module function not loaded in this thread); give it with { meta: { column: dtype, ... } } or { meta: [name, dtype] }`);
  let r;
  try {
    r = callUser(callable, fnName, emptyPartOf(input), args.map((a) => (a instanceof DataFrame || a instanceof Series ? emptyPartOf(a) : ({ t: 'value', value: a } as MapArg))));
  } catch (e) {
    throw new Error(`${method}: could not infer the output's columns by running ${fnName} on an empty partition (${(e as Error).message}); give them with { meta: { column: dtype, ... } } or { meta: [name, dtype] }`, { cause: e });
  }
  const types = r.batch.vectors.map((v) => describeType(v.type));
  const levels = r.indexNames.map((name, j) => ({ name, type: types[r.batch.names.indexOf(indexColumn(j))] })).filter((l) => l.type !== undefined);
  const index = levels.length ? { levels } : null;
  const cols = r.batch.names.map((n, j) => [n, types[j]] as const).filter(([n]) => !isIndexColumn(n));
  if (r.kind === 'series') return { out: { kind: 'series', column: r.name ?? 'values', type: cols[0][1] }, index, label: r.name ?? null };
  return { out: { kind: 'frame', names: cols.map(([n]) => n), types: cols.map(([, t]) => t) }, index, label: null };
}

export function mapPartitionsOf(input: Input, fn: unknown, rawArgs: readonly unknown[], method: string): DataFrame | Series {
  const op = fnOp(fn, method);
  const fnName = op.name ? `'${op.name}'` : 'the function';
  const { args, opts } = splitOptions(rawArgs);
  const parents: LayerNode[] = [];
  args.forEach((a, j) => {
    if (a instanceof DataFrame || a instanceof Series) {
      checkAligned(input, a, `${method} (argument ${j + 1})`);
      parents.push(a.layer);
    } else if (isCollection(a)) {
      throw new TypeError(`${method}: argument ${j + 1} is a lazy value other than a DataFrame or Series; compute it first and pass its value`);
    } else if (typeof a === 'function') {
      throw new TypeError(`${method}: argument ${j + 1} is a function; only the first argument can be one (functions do not travel as data)`);
    }
  });
  const meta = opts.meta !== undefined ? metaFromUser(opts.meta, method) : inferMeta(fn, op, fnName, input, args, method);
  const { name, layer } = partitionwise([input], {
    kind: 'map-partitions',
    token: [op, args.map((a) => (a instanceof DataFrame || a instanceof Series ? a.name : a)), meta],
    parents,
    task: (key, i) => dataframeOps.mapPartition.task(key, fnArg(op), lit(fnName), argOf(input, i), arr(args.map((a) => argOf(a, i))), lit(meta.out)),
  });
  // Row counts may change, so the row-position divisions are no longer known.
  if (meta.out.kind === 'series') return new Series(name, input.npartitions, layer, null, { name: meta.out.column, label: meta.label, type: meta.out.type, index: meta.index });
  return new DataFrame(name, input.npartitions, layer, null, { names: [...meta.out.names], types: [...meta.out.types], index: meta.index });
}
