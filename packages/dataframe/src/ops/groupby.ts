/**
 * Group-by as Dask runs it: each partition is aggregated to per-group sufficient statistics by the
 * WebAssembly kernels (`groupbyPartial`), partials are merged in a tree (`groupbyCombine`), and the
 * last step turns the merged statistics into the requested aggregations, groups sorted by key
 * (`groupbyFinal`, pandas' `sort=True`). Built-in aggregations are the rows of GROUP_AGGS; custom
 * ones (Aggregation) run their user functions at the same three steps: chunk on each partition's
 * grouped values, agg on the concatenated chunk results of a group of partials, finalize at the end.
 */
import type { OpFunction } from '@pdask/core';
import type { GroupAgg as KernelAgg, GroupByPartial } from '@pdask/kernels';
import { kernels } from './kernels';
import { partitionKeys, type KeyValues, type PartitionKeys } from './keys';
import { partitionKeysWithNulls } from './null-keys';
import { combineCodes, combineKeys, compareKeys, gather, type KeyLevel } from './levels';
import { decodePart, encodeBatch, type Batch, type Part } from './part';
import { plainColumn, plainPart } from './plain-columns';
import { indexColumn } from './spec';
import type { TypeDesc } from './types';
import { findColumn } from './frame';
import { numericValues, toFloat64 } from './values';
import { keyVector, numbersAs } from './results';
import { GROUP_AGGS, type GroupAgg } from './group-aggs';
import { GroupedValues, PerGroup, perGroupResults } from './grouped';
import { mergeCoded, unifySmallInts } from './group-merge';

/** Up to this many int keys in all, partials are numbered with a Map rather than the kernels' hash table. */
const SMALL_UNIFY = 4096;

/** The results of a custom aggregation's chunk (or agg) for some groups: one array per item it returns. */
export interface CustomPartial {
  /** Positions in the levels' values of the groups, in the order of `values`. */
  keys: Int32Array;
  values: Float64Array[];
}

/** Per-group statistics of some rows: `stats[col].keys` are positions in the levels' values. */
export interface GroupPartial {
  /** One level per key column; level j's value at position p is group p's key in column j. */
  levels: KeyLevel[];
  stats: Record<string, GroupByPartial>;
  /** One per custom aggregation of the spec. */
  custom: CustomPartial[];
}

/** One output column: a built-in aggregation of value column `column` (null for `size`), or custom aggregation j. */
export type AggSpec = { out: string; column: string | null; agg: GroupAgg } | { out: string; column: string; custom: number };

/** The user functions of a custom aggregation, as a task receives them. */
export interface CustomFns {
  name: string;
  chunk: OpFunction;
  agg: OpFunction;
  finalize: OpFunction | null;
}

export interface GroupbySpec {
  /** The key columns (several: groups are their combinations, pandas' MultiIndex). */
  by: string[];
  /** Value columns and the kernel aggregations their statistics must support. */
  columns: Record<string, KernelAgg[]>;
  /** The value column of each custom aggregation (the functions come as a task argument). */
  customs: string[];
  outputs: AggSpec[];
  ddof: number;
  /** Whether the final table keeps the keys as its index columns (else as columns named as `by`). */
  asIndex: boolean;
  /** 'count-desc' orders groups by descending size (valueCounts), else by key. */
  order: 'key' | 'count-desc';
  /** false: missing keys form a group of their own (pandas' dropna=False); default true. */
  dropna?: boolean;
  /** Every output divided by the sum of its column (valueCounts' normalize), as float64. */
  normalize?: boolean;
}

/** The dtype of an output column: its row's rule, float64 for custom aggregations. */
export function outputType(o: AggSpec, input: TypeDesc | undefined): TypeDesc {
  return 'agg' in o ? GROUP_AGGS[o.agg].dtype(input) : { id: 'float', bits: 64 };
}

const SIZE_ONLY = '';

/** Removes the group whose key is code -1 (null keys), if any. */
function dropNullGroup(p: GroupByPartial): GroupByPartial {
  const at = p.keys.indexOf(-1);
  if (at < 0) return p;
  const drop = <T extends Float64Array | Int32Array>(a: T): T => {
    const out = new (a.constructor as new (n: number) => T)(a.length - 1);
    out.set(a.subarray(0, at));
    out.set(a.subarray(at + 1), at);
    return out;
  };
  const out: GroupByPartial = { ...p, keys: drop(p.keys), size: drop(p.size), count: drop(p.count) };
  for (const f of ['sum', 'm2', 'min', 'max', 'first', 'last'] as const) {
    const a = p[f];
    if (a) out[f] = drop(a);
  }
  return out;
}

/** The values of a custom aggregation's column and their groups, rows of null keys (code -1) left out. */
function groupedColumn(values: Float64Array, codes: Int32Array, ngroups: number): GroupedValues {
  if (!codes.includes(-1)) return new GroupedValues(values, codes, ngroups);
  const keep = codes.reduce((n, c) => n + (c >= 0 ? 1 : 0), 0);
  const v = new Float64Array(keep);
  const c = new Int32Array(keep);
  let at = 0;
  codes.forEach((g, i) => {
    if (g >= 0) (v[at] = values[i], (c[at++] = g));
  });
  return new GroupedValues(v, c, ngroups);
}

const identity = (n: number): Int32Array => {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  return out;
};

/** An int32 key column without nulls read from the buffers: its values are its codes (as partitionKeys gives them). */
function plainKeys(part: Part, column: string, spec: GroupbySpec): PartitionKeys | undefined {
  if (spec.dropna === false) return undefined;
  const codes = plainColumn(part, column);
  if (!(codes instanceof Int32Array)) return undefined;
  return { kind: 'int', type: part.types[part.names.indexOf(column)], codes };
}

export const groupbyPartial = (part: Part, spec: GroupbySpec, fns: readonly CustomFns[]): GroupPartial => {
  let decoded: Batch | undefined;
  const b = (): Batch => (decoded ??= decodePart(part));
  const pks = spec.by.map((c) => plainKeys(part, c, spec) ?? (spec.dropna === false ? partitionKeysWithNulls : partitionKeys)(findColumn(b(), c), c));
  let codes = pks[0].codes;
  let levels: KeyLevel[] | undefined;
  if (pks.length > 1) ({ codes, levels } = combineKeys(pks));
  else if (pks[0].uniques) levels = [{ kind: pks[0].kind, type: pks[0].type, values: pks[0].uniques }];
  else if (spec.customs.length > 0) {
    // Custom functions number groups 0..n-1: integer keys that were their own codes become positions.
    const f = kernels().factorize(codes);
    codes = f.codes;
    levels = [{ kind: pks[0].kind, type: pks[0].type, values: f.uniques }];
  }
  const k = kernels();
  const stats: Record<string, GroupByPartial> = {};
  let direct: Int32Array | undefined;
  const entries = Object.entries(spec.columns);
  if (entries.length === 0) entries.push([SIZE_ONLY, ['size']]);
  for (const [col, aggs] of entries) {
    const values = col === SIZE_ONLY ? codes : (plainColumn(part, col) ?? numericValues(findColumn(b(), col), col));
    let p = k.groupby(codes, values, aggs);
    if (levels) {
      // Positions: -1 marks null keys, left out as pandas' dropna=True does.
      p = dropNullGroup(p);
    } else {
      // The codes were the key values (no nulls; -1 is a key like any other): make them positions.
      direct ??= p.keys;
      p = { ...p, keys: identity(p.keys.length) };
    }
    stats[col] = { ...p, sorted: false };
  }
  const ngroups = levels ? levels[0].values.length : 0;
  const custom = spec.customs.map((col, j): CustomPartial => {
    const g = groupedColumn(toFloat64(findColumn(b(), col)), codes, ngroups);
    const values = perGroupResults(fns[j].chunk(g), ngroups, `Aggregation '${fns[j].name}': chunk`);
    return { keys: identity(ngroups), values };
  });
  return { levels: levels ?? [{ kind: pks[0].kind, type: pks[0].type, values: direct ?? new Int32Array(0) }], stats, custom };
};

/** One level's keys of several partials in one shared numbering: the codes of each partial's positions. */
function unifyLevel(levels: readonly KeyLevel[]): { codes: Int32Array[]; values: KeyValues } {
  const kind = levels[0].kind;
  const k = kernels();
  if (kind === 'int') {
    // A few keys (the usual case: one level per partition's groups) need no hash table in kernel memory.
    if (levels.reduce((n, l) => n + l.values.length, 0) <= SMALL_UNIFY) return unifySmallInts(levels.map((l) => l.values as Int32Array));
    const f = k.int32Factorizer();
    try {
      const codes = levels.map((l) => f.add(l.values as Int32Array));
      return { codes, values: f.uniques() };
    } finally {
      f.dispose();
    }
  }
  if (kind === 'string') {
    const f = k.utf8Factorizer();
    try {
      const codes = levels.map((l) => f.add(l.values as string[]));
      return { codes, values: f.uniques() };
    } finally {
      f.dispose();
    }
  }
  const seen = new Map<number, number>();
  const keys: number[] = [];
  const codes = levels.map((l) =>
    Int32Array.from(l.values as Float64Array, (x) => {
      let c = seen.get(x);
      if (c === undefined) {
        c = keys.length;
        seen.set(x, c);
        keys.push(x);
      }
      return c;
    }),
  );
  return { codes, values: Float64Array.from(keys) };
}

/** Codes of every partial's positions in one shared numbering, and the levels of that numbering. */
function unify(parts: readonly GroupPartial[]): { codes: Int32Array[]; levels: KeyLevel[] } {
  const first = parts[0].levels;
  const perLevel = first.map((_, j) => unifyLevel(parts.map((p) => p.levels[j])));
  if (first.length === 1) return { codes: perLevel[0].codes, levels: [{ ...first[0], values: perLevel[0].values }] };
  const { codes, reps } = combineCodes(
    parts.map((_, i) => perLevel.map((l) => l.codes[i])),
    perLevel.map((l) => l.values.length),
  );
  return { codes, levels: first.map((l, j) => ({ ...l, values: gather(perLevel[j].values, reps[j]) })) };
}

/**
 * A custom aggregation's partials in one numbering (`codes[j]` maps partial j's positions), merged
 * by its agg function: the concatenated chunk results, grouped, give one result per group.
 */
function mergeCustom(parts: readonly CustomPartial[], codes: readonly Int32Array[], ngroups: number, fns: CustomFns): CustomPartial {
  const n = parts.reduce((a, p) => a + p.keys.length, 0);
  const groups = new Int32Array(n);
  const width = parts[0].values.length;
  const slots = Array.from({ length: width }, () => new Float64Array(n));
  let at = 0;
  parts.forEach((p, j) => {
    if (p.values.length !== width) throw new RangeError(`Aggregation '${fns.name}': chunk and agg return ${width} and ${p.values.length} results; agg must return as many as chunk (it merges its own results too)`);
    p.keys.forEach((pos, i) => {
      groups[at + i] = codes[j][pos];
      for (let s = 0; s < width; s++) slots[s][at + i] = p.values[s][i];
    });
    at += p.keys.length;
  });
  const values = perGroupResults(fns.agg(...slots.map((v) => new GroupedValues(v, groups, ngroups))), ngroups, `Aggregation '${fns.name}': agg`);
  if (values.length !== width) throw new RangeError(`Aggregation '${fns.name}': chunk returns ${width} results but agg ${values.length}; agg must return as many as chunk (it merges its own results too)`);
  return { keys: identity(ngroups), values };
}

/** Merges partials given in row order (first/last depend on it); custom aggregations always run their agg. */
export function mergePartials(parts: readonly GroupPartial[], fns: readonly CustomFns[]): GroupPartial {
  if (parts.length === 1 && fns.length === 0) return parts[0];
  const { codes, levels } = parts.length === 1 ? { codes: [identity(parts[0].levels[0].values.length)], levels: parts[0].levels } : unify(parts);
  const ngroups = levels[0].values.length;
  const stats: Record<string, GroupByPartial> = {};
  for (const col of Object.keys(parts[0].stats)) {
    if (parts.length === 1) {
      stats[col] = parts[0].stats[col];
      continue;
    }
    // An empty partition's partial carries the same statistics as the others (kernels' emptyPartial).
    stats[col] = mergeCoded(parts.map((p) => p.stats[col]), codes, ngroups);
  }
  const custom = fns.map((f, j) => mergeCustom(parts.map((p) => p.custom[j]), codes, ngroups, f));
  return { levels, stats, custom };
}

export const groupbyCombine = (parts: readonly GroupPartial[], fns: readonly CustomFns[]): GroupPartial => mergePartials(parts, fns);

/** The per-group result of a custom aggregation from its merged partial: finalize, or agg's only result. */
function finishCustom(p: CustomPartial, fns: CustomFns): Float64Array {
  if (fns.finalize === null) {
    if (p.values.length !== 1) throw new RangeError(`Aggregation '${fns.name}': agg returns ${p.values.length} results; give a finalize that makes one of them`);
    return p.values[0];
  }
  const r = perGroupResults(fns.finalize(...p.values.map((v) => new PerGroup(v))), p.keys.length, `Aggregation '${fns.name}': finalize`);
  if (r.length !== 1) throw new RangeError(`Aggregation '${fns.name}': finalize returned ${r.length} results; return one per-group result`);
  return r[0];
}

/** Positions `pos` ordered by their keys, level by level (pandas' sort=True). */
function keyOrder(levels: readonly KeyLevel[], pos: Int32Array): Int32Array {
  const idx = Int32Array.from({ length: pos.length }, (_, i) => i);
  return idx.sort((a, b) => {
    for (const l of levels) {
      const c = compareKeys(l.values, pos[a], pos[b]);
      if (c !== 0) return c;
    }
    return 0;
  });
}

export const groupbyFinal = (parts: readonly GroupPartial[], spec: GroupbySpec, inputTypes: Record<string, TypeDesc>, fns: readonly CustomFns[]): Part => {
  const m = mergePartials(parts, fns);
  const first = m.stats[Object.keys(m.stats)[0]];
  const ng = first.keys.length;
  // Output row r holds the group at row order[r] of `first`, whose key position is first.keys[order[r]].
  let order = keyOrder(m.levels, first.keys);
  if (spec.order === 'count-desc') {
    const size = first.size;
    // Stable on the key order: equal counts keep ascending keys.
    const rank = new Int32Array(ng);
    order.forEach((g, r) => (rank[g] = r));
    order = Int32Array.from({ length: ng }, (_, i) => i).sort((a, b) => size[b] - size[a] || rank[a] - rank[b]);
  }
  const keyPos = Int32Array.from(order, (g) => first.keys[g]);
  const names: string[] = [];
  // Each column's values and type, made into Arrow vectors only when plainPart cannot hold them.
  const columns: { values: string[] | Float64Array; type: TypeDesc }[] = [];
  m.levels.forEach((l, j) => {
    const keys = gather(l.values, keyPos);
    names.push(spec.asIndex ? indexColumn(j) : spec.by[j]);
    columns.push({ values: Array.isArray(keys) ? keys : Float64Array.from(keys as Int32Array | Float64Array), type: l.type });
  });
  const nkeys = m.levels[0].values.length;
  for (const o of spec.outputs) {
    let keys: Int32Array;
    let vals: Float64Array;
    if ('agg' in o) {
      const s = m.stats[o.column ?? SIZE_ONLY] ?? first;
      if (s.keys.length !== ng) throw new Error('internal: value columns disagree on the groups');
      keys = s.keys;
      vals = GROUP_AGGS[o.agg].finalize(s, spec.ddof);
    } else {
      const c = m.custom[o.custom];
      keys = c.keys;
      vals = finishCustom(c, fns[o.custom]);
    }
    // Each column's results may list the groups in its own order: align to `first`.
    const pos = new Int32Array(nkeys);
    keys.forEach((p, i) => (pos[p] = i));
    const out = Float64Array.from(order, (g) => vals[pos[first.keys[g]]]);
    if (spec.normalize) {
      let total = 0;
      for (const x of out) if (x === x) total += x;
      for (let i = 0; i < out.length; i++) out[i] /= total;
    }
    names.push(o.out);
    columns.push({ values: out, type: spec.normalize ? { id: 'float', bits: 64 } : outputType(o, o.column ? inputTypes[o.column] : undefined) });
  }
  return plainPart(ng, names, columns) ?? encodeBatch({ numRows: ng, names, vectors: columns.map((c) => (Array.isArray(c.values) ? keyVector(c.values, c.type) : numbersAs(c.values, c.type))) });
};
