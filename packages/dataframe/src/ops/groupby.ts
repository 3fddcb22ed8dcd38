/**
 * Group-by as Dask runs it: each partition is aggregated to per-group sufficient statistics by the
 * WebAssembly kernels (`groupbyPartial`), partials are merged in a tree (`groupbyCombine`), and the
 * last step turns the merged statistics into the requested aggregations, groups sorted by key
 * (`groupbyFinal`, pandas' `sort=True`).
 */
import { defineOp } from '@pdask/core';
import { finalizeGroupBy, type GroupAgg, type GroupByPartial } from '@pdask/kernels';
import { kernels } from './kernels';
import { partitionKeys, type KeyKind, type KeyValues } from './keys';
import { decodePart, encodeBatch, type Part } from './part';
import { DF_OPS, INDEX_COLUMN } from './spec';
import type { TypeDesc } from './types';
import { findColumn } from './frame';
import { numericValues } from './values';
import { keyVector, resultVector } from './results';

/** Per-group statistics of some rows: `stats[col].keys` are positions in `keys`. */
export interface GroupPartial {
  kind: KeyKind;
  keyType: TypeDesc;
  keys: KeyValues;
  stats: Record<string, GroupByPartial>;
}

/** One output column: `agg` of value column `column` (absent for `size`). */
export interface AggSpec {
  out: string;
  column: string | null;
  agg: GroupAgg;
}

export interface GroupbySpec {
  by: string;
  /** Value columns and the kernel aggregations their statistics must support. */
  columns: Record<string, GroupAgg[]>;
  outputs: AggSpec[];
  ddof: number;
  /** Whether the final table keeps the key as its index column (else as a column named `by`). */
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
  const keyVec = findColumn(b, spec.by);
  const pk = partitionKeys(keyVec, spec.by);
  const k = kernels();
  const stats: Record<string, GroupByPartial> = {};
  let keys: KeyValues | undefined = pk.uniques;
  const entries = Object.entries(spec.columns);
  if (entries.length === 0) entries.push([SIZE_ONLY, ['size']]);
  for (const [col, aggs] of entries) {
    const values = col === SIZE_ONLY ? pk.codes : numericValues(findColumn(b, col), col);
    let p = dropNullGroup(k.groupby(pk.codes, values, aggs));
    if (!pk.uniques) {
      // The codes were the key values: make them positions like every other kind.
      keys ??= p.keys;
      p = { ...p, keys: Int32Array.from(p.keys, (_, i) => i) };
    }
    stats[col] = { ...p, sorted: false };
  }
  return { kind: pk.kind, keyType: pk.type, keys: keys ?? new Int32Array(0), stats };
});

/** Codes of every partial's keys in one shared numbering, and the keys of that numbering. */
function unify(parts: readonly GroupPartial[]): { codes: Int32Array[]; keys: KeyValues } {
  const kind = parts[0].kind;
  const k = kernels();
  if (kind === 'int') {
    const f = k.int32Factorizer();
    try {
      const codes = parts.map((p) => f.add(p.keys as Int32Array));
      return { codes, keys: f.uniques() };
    } finally {
      f.dispose();
    }
  }
  if (kind === 'string') {
    const f = k.utf8Factorizer();
    try {
      const codes = parts.map((p) => f.add(p.keys as string[]));
      return { codes, keys: f.uniques() };
    } finally {
      f.dispose();
    }
  }
  const seen = new Map<number, number>();
  const keys: number[] = [];
  const codes = parts.map((p) =>
    Int32Array.from(p.keys as Float64Array, (x) => {
      let c = seen.get(x);
      if (c === undefined) {
        c = keys.length;
        seen.set(x, c);
        keys.push(x);
      }
      return c;
    }),
  );
  return { codes, keys: Float64Array.from(keys) };
}

/** Merges partials given in row order (first/last depend on it). */
export function mergePartials(parts: readonly GroupPartial[]): GroupPartial {
  if (parts.length === 1) return parts[0];
  const k = kernels();
  const { codes, keys } = unify(parts);
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
  return { kind: parts[0].kind, keyType: parts[0].keyType, keys, stats };
}

export const groupbyCombine = defineOp(DF_OPS, 'groupbyCombine', (parts: readonly GroupPartial[]): GroupPartial => mergePartials(parts));

function keyOrder(keys: KeyValues): Int32Array {
  const idx = Int32Array.from({ length: keys.length }, (_, i) => i);
  if (Array.isArray(keys)) {
    const s = keys as string[];
    return idx.sort((a, b) => (s[a] < s[b] ? -1 : s[a] > s[b] ? 1 : 0));
  }
  const x = keys as Int32Array | Float64Array;
  return idx.sort((a, b) => x[a] - x[b]);
}

export const groupbyFinal = defineOp(DF_OPS, 'groupbyFinal', (parts: readonly GroupPartial[], spec: GroupbySpec, inputTypes: Record<string, TypeDesc>): Part => {
  const m = mergePartials(parts);
  const first = m.stats[Object.keys(m.stats)[0]];
  const ng = first.keys.length;
  // Output row r holds the group at position order[r] of the merged statistics.
  const groupKeys = Array.isArray(m.keys) ? Array.from(first.keys, (p) => (m.keys as string[])[p]) : Float64Array.from(first.keys, (p) => (m.keys as Float64Array | Int32Array)[p]);
  let order = keyOrder(groupKeys as KeyValues);
  if (spec.order === 'count-desc') {
    const size = first.size;
    // Stable on the key order: equal counts keep ascending keys.
    const rank = new Int32Array(ng);
    order.forEach((g, r) => (rank[g] = r));
    order = Int32Array.from({ length: ng }, (_, i) => i).sort((a, b) => size[b] - size[a] || rank[a] - rank[b]);
  }
  const names: string[] = [];
  const vectors = [];
  const sortedKeys = Array.isArray(groupKeys) ? Array.from(order, (g) => groupKeys[g]) : Float64Array.from(order, (g) => (groupKeys as Float64Array)[g]);
  names.push(spec.asIndex ? INDEX_COLUMN : spec.by);
  vectors.push(keyVector(sortedKeys, m.keyType));
  for (const o of spec.outputs) {
    const s = m.stats[o.column ?? SIZE_ONLY] ?? first;
    if (s.keys.length !== ng) throw new Error('internal: value columns disagree on the groups');
    const vals = finalizeGroupBy(s, o.agg, { ddof: spec.ddof });
    // Each column's statistics may list the groups in its own order: align to `first`.
    const pos = new Int32Array(m.keys.length);
    s.keys.forEach((p, i) => (pos[p] = i));
    const out = Float64Array.from(order, (g) => vals[pos[first.keys[g]]]);
    names.push(o.out);
    vectors.push(resultVector(out, o.agg, o.column ? inputTypes[o.column] : undefined));
  }
  return encodeBatch({ numRows: ng, names, vectors });
});

