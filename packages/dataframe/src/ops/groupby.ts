/**
 * Group-by as Dask runs it: each partition is aggregated to per-group sufficient statistics by the
 * WebAssembly kernels (`groupbyPartial`), partials are merged in a tree (`groupbyCombine`), and the
 * last step turns the merged statistics into the requested aggregations, groups sorted by key
 * (`groupbyFinal`, pandas' `sort=True`).
 */
import { defineOp } from '@pdask/core';
import { finalizeGroupBy, type GroupAgg, type GroupByPartial } from '@pdask/kernels';
import { kernels } from './kernels';
import { partitionKeys, type KeyValues } from './keys';
import { combineCodes, combineKeys, compareKeys, gather, type KeyLevel } from './levels';
import { decodePart, encodeBatch, type Part } from './part';
import { DF_OPS, indexColumn } from './spec';
import type { TypeDesc } from './types';
import { findColumn } from './frame';
import { numericValues } from './values';
import { keyVector, resultVector } from './results';

/** Per-group statistics of some rows: `stats[col].keys` are positions in the levels' values. */
export interface GroupPartial {
  /** One level per key column; level j's value at position p is group p's key in column j. */
  levels: KeyLevel[];
  stats: Record<string, GroupByPartial>;
}

/** One output column: `agg` of value column `column` (absent for `size`). */
export interface AggSpec {
  out: string;
  column: string | null;
  agg: GroupAgg;
}

export interface GroupbySpec {
  /** The key columns (several: groups are their combinations, pandas' MultiIndex). */
  by: string[];
  /** Value columns and the kernel aggregations their statistics must support. */
  columns: Record<string, GroupAgg[]>;
  outputs: AggSpec[];
  ddof: number;
  /** Whether the final table keeps the keys as its index columns (else as columns named as `by`). */
  asIndex: boolean;
  /** 'count-desc' orders groups by descending size (valueCounts), else by key. */
  order: 'key' | 'count-desc';
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

export const groupbyPartial = defineOp(DF_OPS, 'groupbyPartial', (part: Part, spec: GroupbySpec): GroupPartial => {
  const b = decodePart(part);
  const pks = spec.by.map((c) => partitionKeys(findColumn(b, c), c));
  let codes = pks[0].codes;
  let levels: KeyLevel[] | undefined;
  if (pks.length > 1) ({ codes, levels } = combineKeys(pks));
  else if (pks[0].uniques) levels = [{ kind: pks[0].kind, type: pks[0].type, values: pks[0].uniques }];
  const k = kernels();
  const stats: Record<string, GroupByPartial> = {};
  let direct: Int32Array | undefined;
  const entries = Object.entries(spec.columns);
  if (entries.length === 0) entries.push([SIZE_ONLY, ['size']]);
  for (const [col, aggs] of entries) {
    const values = col === SIZE_ONLY ? codes : numericValues(findColumn(b, col), col);
    let p = dropNullGroup(k.groupby(codes, values, aggs));
    if (!levels) {
      // The codes were the key values: make them positions like every other kind.
      direct ??= p.keys;
      p = { ...p, keys: Int32Array.from(p.keys, (_, i) => i) };
    }
    stats[col] = { ...p, sorted: false };
  }
  return { levels: levels ?? [{ kind: pks[0].kind, type: pks[0].type, values: direct ?? new Int32Array(0) }], stats };
});

/** One level's keys of several partials in one shared numbering: the codes of each partial's positions. */
function unifyLevel(levels: readonly KeyLevel[]): { codes: Int32Array[]; values: KeyValues } {
  const kind = levels[0].kind;
  const k = kernels();
  if (kind === 'int') {
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

/** Merges partials given in row order (first/last depend on it). */
export function mergePartials(parts: readonly GroupPartial[]): GroupPartial {
  if (parts.length === 1) return parts[0];
  const k = kernels();
  const { codes, levels } = unify(parts);
  const stats: Record<string, GroupByPartial> = {};
  for (const col of Object.keys(parts[0].stats)) {
    let acc: GroupByPartial | undefined;
    parts.forEach((p, j) => {
      const s = p.stats[col];
      const remapped: GroupByPartial = { ...s, keys: Int32Array.from(s.keys, (pos) => codes[j][pos]), sorted: false };
      acc = acc ? k.mergeGroupBy(acc, remapped) : remapped;
    });
    stats[col] = { ...acc!, sorted: false };
  }
  return { levels, stats };
}

export const groupbyCombine = defineOp(DF_OPS, 'groupbyCombine', (parts: readonly GroupPartial[]): GroupPartial => mergePartials(parts));

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

export const groupbyFinal = defineOp(DF_OPS, 'groupbyFinal', (parts: readonly GroupPartial[], spec: GroupbySpec, inputTypes: Record<string, TypeDesc>): Part => {
  const m = mergePartials(parts);
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
  const vectors = [];
  m.levels.forEach((l, j) => {
    const keys = gather(l.values, keyPos);
    names.push(spec.asIndex ? indexColumn(j) : spec.by[j]);
    vectors.push(keyVector(Array.isArray(keys) ? keys : Float64Array.from(keys as Int32Array | Float64Array), l.type));
  });
  const nkeys = m.levels[0].values.length;
  for (const o of spec.outputs) {
    const s = m.stats[o.column ?? SIZE_ONLY] ?? first;
    if (s.keys.length !== ng) throw new Error('internal: value columns disagree on the groups');
    const vals = finalizeGroupBy(s, o.agg, { ddof: spec.ddof });
    // Each column's statistics may list the groups in its own order: align to `first`.
    const pos = new Int32Array(nkeys);
    s.keys.forEach((p, i) => (pos[p] = i));
    const out = Float64Array.from(order, (g) => vals[pos[first.keys[g]]]);
    names.push(o.out);
    vectors.push(resultVector(out, o.agg, o.column ? inputTypes[o.column] : undefined));
  }
  return encodeBatch({ numRows: ng, names, vectors });
});
