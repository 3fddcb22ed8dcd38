/**
 * Group-by aggregation keyed by int32 keys (or codes from a factorizer).
 *
 * Keys whose range is small relative to the row count are aggregated by direct indexing (group =
 * key - min key); other keys are first factorised with the open-addressing hash table, and the codes
 * aggregated the same way. The result is a `GroupByPartial`: per-group sufficient statistics that
 * merge across partitions (`mergeGroupBy`) and finalise into any aggregation (`finalizeGroupBy`).
 */
import { Int32Factorizer } from './factorize.js';
import { sumCountFitted, type SumCountTable } from './groupby-fit.js';
import { checkOptionKeys, optionKeys } from './options.js';
import { forBlocks, forBlocks2, resolve, type Input, type Runtime } from './runtime.js';
import { dtypeOf, type ValueArray } from './types.js';

export type GroupAgg = 'sum' | 'count' | 'size' | 'mean' | 'min' | 'max' | 'var' | 'std' | 'first' | 'last';

/**
 * Per-group statistics. Groups are the distinct keys that occur (in ascending key order when
 * `sorted`); `count` counts non-NaN values and `size` rows. Which optional fields are present
 * depends on the aggregations requested.
 */
export interface GroupByPartial {
  keys: Int32Array;
  size: Float64Array;
  count: Float64Array;
  /** Sum of non-NaN values (sum, mean, var, std). */
  sum?: Float64Array;
  /** Sum of squared deviations from the group mean (var, std). */
  m2?: Float64Array;
  min?: Float64Array;
  max?: Float64Array;
  /** First / last non-NaN value in row order (NaN when the group has none). */
  first?: Float64Array;
  last?: Float64Array;
  sorted: boolean;
}

export interface GroupByOptions {
  /** Order groups by key (default true, as pandas). Otherwise hashed keys keep first-appearance order. */
  sort?: boolean;
}

export const GROUPBY_KEYS = optionKeys<GroupByOptions>({ sort: true });

/** Direct indexing is used while the key range is at most this many slots... */
const DENSE_MAX = 1 << 23;
/** ...and at most this factor (plus a constant) times the number of rows. */
const DENSE_PER_ROW = 2;
/** Up to this many groups, sum/count use four replicas of the table (see kernels/assembly/groupby.ts). */
const REPLICATE_MAX = 4096;

type Stat = 'sumcount' | 'moments' | 'min' | 'max' | 'first' | 'last';

function statsFor(aggs: readonly GroupAgg[]): Set<Stat> {
  const s = new Set<Stat>();
  for (const a of aggs) {
    if (a === 'var' || a === 'std') s.add('moments');
    else if (a === 'min' || a === 'max' || a === 'first' || a === 'last') s.add(a);
  }
  if (!s.has('moments')) s.add('sumcount');
  return s;
}

export function groupby(rt: Runtime, keysIn: Input<Int32Array>, valuesIn: Input<ValueArray>, aggs: readonly GroupAgg[], options: GroupByOptions = {}): GroupByPartial {
  const keys = resolve(keysIn);
  const values = resolve<ValueArray>(valuesIn);
  if (keys.length !== values.length) throw new RangeError(`length mismatch: ${keys.length} keys, ${values.length} values`);
  const sort = options.sort ?? true;
  const n = keys.length;
  if (n === 0) return emptyPartial(statsFor(aggs), wantsSum(aggs));
  const stats = statsFor(aggs);
  if (stats.size === 1 && stats.has('sumcount')) {
    const t = sumCountFitted(rt, keys, values, Math.min(DENSE_MAX, DENSE_PER_ROW * n + 65536), REPLICATE_MAX);
    if (t) return keepOccurring(t, wantsSum(aggs));
  }
  const st = rt.mem.i32(rt.mem.state, 2);
  st[0] = 0x7fffffff;
  st[1] = -0x80000000;
  forBlocks(rt, keys, (p, m) => rt.x.minmax_i32(p, m, rt.mem.state));
  const [kmin, kmax] = rt.mem.i32(rt.mem.state, 2);
  const range = kmax - kmin + 1;
  if (range <= DENSE_MAX && range <= DENSE_PER_ROW * n + 65536) {
    return aggregate(rt, keys, values, kmin, range, aggs, true);
  }
  const f = new Int32Factorizer(rt);
  try {
    const codes = f.add(keys);
    const partial = aggregate(rt, codes, values, 0, f.size, aggs, false);
    partial.keys = f.uniques();
    return sort ? sortGroups(rt, partial) : partial;
  } finally {
    f.dispose();
  }
}

/**
 * Aggregates rows by group code - kmin in [0, ng) (every row is in range: the keys' own range, or
 * codes of a factorizer that saw no nulls); keeps the groups with at least one row.
 */
function aggregate(rt: Runtime, codes: Int32Array, values: ValueArray, kmin: number, ng: number, aggs: readonly GroupAgg[], sorted: boolean): GroupByPartial {
  const stats = statsFor(aggs);
  const dt = dtypeOf(values);
  const { x, mem } = rt;
  const tables: Partial<Record<Stat, number>> = {};
  const allocated: number[] = [];
  const table = (stat: Stat, bytes: number, fill: number): number => {
    const p = mem.alloc(bytes);
    allocated.push(p);
    mem.f64(p, bytes / 8).fill(fill);
    tables[stat] = p;
    return p;
  };
  try {
    const reps = stats.has('sumcount') && ng <= REPLICATE_MAX ? 4 : 1;
    if (stats.has('sumcount')) table('sumcount', 16 * ng * reps, 0);
    if (stats.has('moments')) table('moments', 32 * ng, 0);
    const picks = (['min', 'max', 'first', 'last'] as const).filter((s) => stats.has(s));
    for (const s of picks) table(s, 8 * ng, NaN);
    const sumcount = reps === 4
      ? { f64: x.gb_sumcount_rep4_f64, f32: x.gb_sumcount_rep4_f32, i32: x.gb_sumcount_rep4_i32 }[dt]
      : { f64: x.gb_sumcount_f64, f32: x.gb_sumcount_f32, i32: x.gb_sumcount_i32 }[dt];
    const moments = { f64: x.gb_moments_f64, f32: x.gb_moments_f32, i32: x.gb_moments_i32 }[dt];
    const pick = { f64: x.gb_pick_f64, f32: x.gb_pick_f32, i32: x.gb_pick_i32 }[dt];
    const ops = { min: 0, max: 1, first: 2, last: 3 } as const;
    forBlocks2(rt, codes, values, (pc, pv, m) => {
      if (tables.sumcount !== undefined) sumcount(pc, pv, m, kmin, ng, tables.sumcount);
      if (tables.moments !== undefined) moments(pc, pv, m, kmin, ng, tables.moments);
      for (const s of picks) pick(pc, pv, m, kmin, ng, tables[s]!, ops[s]);
    });
    if (reps === 4) x.gb_fold_replicas(tables.sumcount!, 2 * ng, 4);

    // count per group (non-NaN values) from whichever table has it.
    const count = new Float64Array(ng);
    let sum: Float64Array | undefined;
    let m2: Float64Array | undefined;
    if (tables.moments !== undefined) {
      const t = mem.f64(tables.moments, 4 * ng);
      sum = new Float64Array(ng);
      m2 = new Float64Array(ng);
      for (let g = 0; g < ng; g++) {
        // Slots hold sums shifted by the group's first value (see gb_moments).
        count[g] = t[4 * g];
        sum[g] = t[4 * g] === 0 ? 0 : t[4 * g + 1] + t[4 * g] * t[4 * g + 3];
        m2[g] = t[4 * g + 2];
      }
    } else {
      const t = mem.f64(tables.sumcount!, 2 * ng);
      sum = new Float64Array(ng);
      for (let g = 0; g < ng; g++) {
        sum[g] = t[2 * g];
        count[g] = t[2 * g + 1];
      }
    }
    // size: equal to count unless some value was NaN; then count rows in another pass.
    let total = 0;
    for (let g = 0; g < ng; g++) total += count[g];
    let size = count;
    if (total !== codes.length) {
      const p = mem.alloc(8 * ng);
      allocated.push(p);
      mem.f64(p, ng).fill(0);
      forBlocks(rt, codes, (pc, m) => x.gb_size(pc, m, kmin, ng, p));
      size = mem.f64(p, ng).slice();
    }
    const picked: Partial<Record<'min' | 'max' | 'first' | 'last', Float64Array>> = {};
    for (const s of picks) picked[s] = mem.f64(tables[s]!, ng);

    // Keep the groups that occur.
    let k = 0;
    for (let g = 0; g < ng; g++) if (size[g] > 0) k++;
    const out: GroupByPartial = { keys: new Int32Array(k), size: new Float64Array(k), count: new Float64Array(k), sorted };
    if (wantsSum(aggs)) out.sum = new Float64Array(k);
    if (m2) out.m2 = new Float64Array(k);
    for (const s of picks) out[s] = new Float64Array(k);
    let j = 0;
    for (let g = 0; g < ng; g++) {
      if (size[g] === 0) continue;
      out.keys[j] = g + kmin;
      out.size[j] = size[g];
      out.count[j] = count[g];
      if (out.sum) out.sum[j] = sum[g];
      if (out.m2) out.m2[j] = m2![g];
      for (const s of picks) out[s]![j] = picked[s]![g];
      j++;
    }
    return out;
  } finally {
    for (const p of allocated) mem.release(p);
  }
}

/** The partial of a direct-indexed sum/count table: the groups with at least one row, by key. */
function keepOccurring(t: SumCountTable, withSum: boolean): GroupByPartial {
  let k = 0;
  for (let g = 0; g < t.ng; g++) if (t.size[g] > 0) k++;
  const out: GroupByPartial = { keys: new Int32Array(k), size: new Float64Array(k), count: new Float64Array(k), sorted: true };
  if (withSum) out.sum = new Float64Array(k);
  for (let g = 0, j = 0; g < t.ng; g++) {
    if (t.size[g] === 0) continue;
    out.keys[j] = g + t.kmin;
    out.size[j] = t.size[g];
    out.count[j] = t.count[g];
    if (out.sum) out.sum[j] = t.sum[g];
    j++;
  }
  return out;
}

/** Whether a partial carries sums (merging requires every partial of one aggregation to agree). */
const wantsSum = (aggs: readonly GroupAgg[]): boolean => aggs.some((a) => a === 'sum' || a === 'mean' || a === 'var' || a === 'std');

function emptyPartial(stats: Set<Stat>, sum: boolean): GroupByPartial {
  const e = () => new Float64Array(0);
  const p: GroupByPartial = { keys: new Int32Array(0), size: e(), count: e(), sorted: true };
  if (sum) p.sum = e();
  if (stats.has('moments')) p.m2 = e();
  for (const s of ['min', 'max', 'first', 'last'] as const) if (stats.has(s)) p[s] = e();
  return p;
}

const FIELDS = ['size', 'count', 'sum', 'm2', 'min', 'max', 'first', 'last'] as const;

/** Reorders groups by ascending key, using the hash table to find each key's rank. */
export function sortGroups(rt: Runtime, p: GroupByPartial): GroupByPartial {
  const sortedKeys = p.keys.slice().sort();
  const f = new Int32Factorizer(rt);
  try {
    f.add(sortedKeys); // codes of sortedKeys are 0..k-1: the ranks
    const rank = f.add(p.keys);
    const out: GroupByPartial = { ...p, keys: sortedKeys, sorted: true };
    for (const name of FIELDS) {
      const src = p[name];
      if (!src) continue;
      const dst = new Float64Array(src.length);
      for (let i = 0; i < src.length; i++) dst[rank[i]] = src[i];
      out[name] = dst;
    }
    return out;
  } finally {
    f.dispose();
  }
}

/**
 * Merges the partials of two partitions, `a` holding earlier rows than `b` (first/last depend on
 * it). Both must carry the same statistics.
 */
export function mergeGroupBy(rt: Runtime, a: GroupByPartial, b: GroupByPartial): GroupByPartial {
  for (const name of FIELDS) {
    if ((a[name] === undefined) !== (b[name] === undefined)) throw new Error(`mergeGroupBy: only one partial has ${name}`);
  }
  const f = new Int32Factorizer(rt);
  let ca: Int32Array;
  let cb: Int32Array;
  let keys: Int32Array;
  try {
    ca = f.add(a.keys);
    cb = f.add(b.keys);
    keys = f.uniques();
  } finally {
    f.dispose();
  }
  const k = keys.length;
  const out: GroupByPartial = { keys, size: new Float64Array(k), count: new Float64Array(k), sorted: false };
  for (const name of FIELDS) if (a[name]) out[name] = new Float64Array(k).fill(name === 'size' || name === 'count' || name === 'sum' || name === 'm2' ? 0 : NaN);
  const apply = (p: GroupByPartial, codes: Int32Array) => {
    for (let i = 0; i < codes.length; i++) {
      const g = codes[i];
      const n0 = out.count[g];
      const n1 = p.count[i];
      if (out.m2 && p.m2 && out.sum && p.sum) {
        // Chan et al.: combine (n0, s0, M2_0) with (n1, s1, M2_1).
        if (n0 > 0 && n1 > 0) {
          const d = p.sum[i] / n1 - out.sum[g] / n0;
          out.m2[g] += p.m2[i] + d * d * ((n0 * n1) / (n0 + n1));
        } else if (n1 > 0) out.m2[g] = p.m2[i];
      }
      out.size[g] += p.size[i];
      out.count[g] = n0 + n1;
      if (out.sum && p.sum) out.sum[g] += p.sum[i];
      // NaN marks "no value": a value replaces it; ties keep the earlier value (pandas).
      if (out.min && p.min) { const v = p.min[i]; const c = out.min[g]; if (c !== c || v < c) out.min[g] = v; }
      if (out.max && p.max) { const v = p.max[i]; const c = out.max[g]; if (c !== c || v > c) out.max[g] = v; }
      // a is applied before b, so "first value seen" and "last value seen" follow row order.
      if (out.first && p.first && out.first[g] !== out.first[g]) out.first[g] = p.first[i];
      if (out.last && p.last && p.last[i] === p.last[i]) out.last[g] = p.last[i];
    }
  };
  apply(a, ca);
  apply(b, cb);
  return a.sorted && b.sorted ? sortGroups(rt, out) : out;
}

export interface FinalizeOptions {
  /** Delta degrees of freedom for var/std (default 1, as pandas). */
  ddof?: number;
}

export const FINALIZE_KEYS = optionKeys<FinalizeOptions>({ ddof: true });

/** One aggregation per group from a partial (pandas semantics: NaN where a group has no value). */
export function finalizeGroupBy(p: GroupByPartial, agg: GroupAgg, options: FinalizeOptions = {}): Float64Array {
  checkOptionKeys('finalizeGroupBy', options, FINALIZE_KEYS);
  const k = p.keys.length;
  const need = (f: Float64Array | undefined, name: string): Float64Array => {
    if (!f) throw new Error(`finalizeGroupBy(${agg}): the partial was computed without ${name}`);
    return f;
  };
  switch (agg) {
    case 'size':
      return p.size.slice();
    case 'count':
      return p.count.slice();
    case 'sum':
      return need(p.sum, 'sum').slice();
    case 'mean': {
      const s = need(p.sum, 'sum');
      const out = new Float64Array(k);
      for (let i = 0; i < k; i++) out[i] = p.count[i] > 0 ? s[i] / p.count[i] : NaN;
      return out;
    }
    case 'var':
    case 'std': {
      const m2 = need(p.m2, 'm2');
      const ddof = options.ddof ?? 1;
      const out = new Float64Array(k);
      for (let i = 0; i < k; i++) {
        const d = p.count[i] - ddof;
        const v = d > 0 ? Math.max(m2[i], 0) / d : NaN;
        out[i] = agg === 'std' ? Math.sqrt(v) : v;
      }
      return out;
    }
    default:
      return need(p[agg], agg).slice();
  }
}
