/**
 * Quantiles with NumPy's default ('linear') method. Along an axis: each block holds whole lines
 * (the builder rechunks the axis to one block) and every line is sorted. Over the whole array:
 * an exact distributed radix selection on the order-preserving 32 high bits of each float64 —
 * a histogram of the top 16 bits, then of the next 16 inside the buckets holding the wanted
 * ranks, then only the values of the final buckets are gathered and sorted. Three passes over
 * the data, no sort of it, and the result is the exact order statistic NumPy interpolates.
 */
import type { Kernels } from '@pdask/kernels';
import type { DType } from '../dtype';
import { kernelsFor } from './arena';
import type { Block } from './block';
import { kernelsIfAvailable } from './kernels';
import { asFloat64, floatBlock, forEachLine } from './numeric';

/** NumPy's _lerp: a + (b - a) t, computed from b's side when t >= 0.5. */
function lerp(a: number, b: number, t: number): number {
  const d = b - a;
  return t >= 0.5 ? b - d * (1 - t) : a + d * t;
}

/** Ranks (previous, next) and gamma of NumPy's linear method for quantile q of n sorted values. */
function linearRanks(n: number, q: number): { prev: number; next: number; gamma: number } {
  const virt = (n - 1) * q;
  if (virt >= n - 1) return { prev: n - 1, next: n - 1, gamma: virt + 1 }; // NumPy's index -1
  const prev = Math.floor(virt);
  return { prev, next: prev + 1, gamma: virt - prev };
}

export interface QuantileSpec {
  /** Quantiles in [0, 1]. */
  readonly qs: readonly number[];
  /** Skip NaNs (nanquantile); otherwise a NaN makes the result NaN, as NumPy's. */
  readonly skipNaN: boolean;
  /** Shape of q in the result: [] for a scalar q, [len] for a list. */
  readonly qShape: readonly number[];
  readonly dtype: DType;
}

/** Quantiles along `axis` of a block holding whole lines: shape qShape + the other dimensions. */
export function quantileAxis(spec: QuantileSpec, axis: number, keepdims: boolean, b: Block): Block {
  const v = asFloat64(b.data);
  const len = b.shape[axis];
  const rest = b.shape.filter((_, d) => d !== axis);
  const restSize = rest.reduce((a, c) => a * c, 1);
  const out = new Float64Array(spec.qs.length * restSize);
  const line = new Float64Array(len);
  forEachLine(b.shape, axis, (base, stride, li) => {
    let n = 0;
    let nan = false;
    for (let j = 0; j < len; j++) {
      const x = v[base + j * stride];
      if (x !== x) nan = true;
      else line[n++] = x;
    }
    const sorted = line.subarray(0, n).sort();
    spec.qs.forEach((q, qi) => {
      out[qi * restSize + li] = (nan && !spec.skipNaN) || n === 0 ? NaN : interpolate(sorted, n, q);
    });
  });
  const shape = [...spec.qShape, ...(keepdims ? b.shape.map((s, d) => (d === axis ? 1 : s)) : rest)];
  return floatBlock(spec.dtype, shape, out);
}

function interpolate(sorted: ArrayLike<number>, n: number, q: number): number {
  const { prev, next, gamma } = linearRanks(n, q);
  return lerp(sorted[prev], sorted[next], gamma);
}

// ---- exact selection over the whole array ----

/**
 * Counts of one radix level and the NaNs seen (level 1). Small blocks give their counts sparse
 * (bucket, count) pairs: a dense 65536-entry table per tiny block would dominate.
 */
export interface RadixCounts {
  readonly counts: Float64Array | null;
  readonly sparse?: { readonly size: number; readonly at: readonly number[]; readonly n: readonly number[] };
  readonly nans: number;
}

const SPARSE_BELOW = 4096;

/** Dense or sparse counts from a table of the buckets' counts (sparse when few were hit). */
function fromBuckets(buckets: number[], size: number, nans: number): RadixCounts {
  buckets.sort((a, b) => a - b);
  const at: number[] = [];
  const n: number[] = [];
  for (const b of buckets) {
    if (at.length && at[at.length - 1] === b) n[n.length - 1]++;
    else {
      at.push(b);
      n.push(1);
    }
  }
  return { counts: null, sparse: { size, at, n }, nans };
}

function dense(c: RadixCounts): Float64Array {
  if (c.counts) return c.counts;
  const s = c.sparse as NonNullable<RadixCounts['sparse']>;
  const out = new Float64Array(s.size);
  s.at.forEach((b, i) => (out[b] += s.n[i]));
  return out;
}

/** Where the wanted ranks are after a level: the bucket (bit prefix) of each and its rank inside. */
export interface RadixPlan {
  /** Non-NaN values in the whole array. */
  readonly n: number;
  /** The result is NaN whatever the ranks (a NaN without skipNaN, or no values). */
  readonly allNaN: boolean;
  readonly ranks: readonly number[];
  /** Per rank: the top 16 bits (level 1) or 32 bits (level 2) of its key. */
  readonly prefix: readonly number[];
  /** Per rank: its rank among the values of that prefix. */
  readonly within: readonly number[];
  /** The distinct prefixes, ascending. */
  readonly buckets: readonly number[];
}

/** The high 32 bits of every value, mapped so that unsigned order is the numbers' order. */
function highWords(v: Float64Array): Uint32Array {
  return new Uint32Array(v.buffer, v.byteOffset, v.length * 2);
}

/**
 * The kernels that run a pass over a block: those over its arena memory (they read it in place),
 * else this thread's (the block streams through their scratch area); undefined where the kernels
 * cannot be loaded synchronously (a browser's main thread), where the JS loops below run. The
 * WebAssembly passes are ~3x faster than the JS loops here.
 */
function passKernels(b: Block): Kernels | undefined {
  if (b.mem) {
    const k = kernelsFor(b.mem as WebAssembly.Memory, b.alone);
    if (k) return k;
  }
  return kernelsIfAvailable();
}

const keyOf = (h: number): number => (h & 0x80000000 ? ~h >>> 0 : (h | 0x80000000) >>> 0);

export function radixCount1(b: Block): RadixCounts {
  const v = asFloat64(b.data);
  const w = highWords(v);
  if (v.length < SPARSE_BELOW) {
    const hit: number[] = [];
    let nans = 0;
    for (let i = 0; i < v.length; i++) {
      if (v[i] !== v[i]) nans++;
      else hit.push(keyOf(w[2 * i + 1]) >>> 16);
    }
    return fromBuckets(hit, 65536, nans);
  }
  const c = new Uint32Array(65536);
  const k = passKernels(b);
  if (k) {
    const nans = k.radixCount(v, c);
    return { counts: Float64Array.from(c), nans };
  }
  let nans = 0;
  for (let i = 0, n = v.length; i < n; i++) {
    const x = v[i];
    if (x !== x) {
      nans++;
      continue;
    }
    c[keyOf(w[2 * i + 1]) >>> 16]++;
  }
  return { counts: Float64Array.from(c), nans };
}

export function radixCount2(plan: RadixPlan, b: Block): RadixCounts {
  const nb = plan.buckets.length;
  if (plan.allNaN || nb === 0) return { counts: new Float64Array(0), nans: 0 };
  const slot = new Int32Array(65536).fill(-1);
  plan.buckets.forEach((p, s) => (slot[p] = s));
  const v = asFloat64(b.data);
  const w = highWords(v);
  if (v.length < SPARSE_BELOW) {
    const hit: number[] = [];
    for (let i = 0; i < v.length; i++) {
      if (v[i] !== v[i]) continue;
      const k = keyOf(w[2 * i + 1]);
      const s = slot[k >>> 16];
      if (s >= 0) hit.push(s * 65536 + (k & 0xffff));
    }
    return fromBuckets(hit, nb * 65536, 0);
  }
  const c = new Uint32Array(nb * 65536);
  const kk = passKernels(b);
  if (kk) {
    kk.radixCount(v, c, slot);
    return { counts: Float64Array.from(c), nans: 0 };
  }
  for (let i = 0, n = v.length; i < n; i++) {
    const x = v[i];
    if (x !== x) continue;
    const k = keyOf(w[2 * i + 1]);
    const s = slot[k >>> 16];
    if (s >= 0) c[s * 65536 + (k & 0xffff)]++;
  }
  return { counts: Float64Array.from(c), nans: 0 };
}

export function radixAdd(...parts: RadixCounts[]): RadixCounts {
  if (parts.length === 1) return parts[0];
  const nans = parts.reduce((a, p) => a + p.nans, 0);
  if (parts.every((p) => p.sparse) && parts.reduce((a, p) => a + (p.sparse?.at.length ?? 0), 0) < SPARSE_BELOW) {
    const size = (parts[0].sparse as NonNullable<RadixCounts['sparse']>).size;
    const hit: number[] = [];
    for (const p of parts) p.sparse?.at.forEach((b, i) => { for (let k = 0; k < (p.sparse as NonNullable<RadixCounts['sparse']>).n[i]; k++) hit.push(b); });
    return fromBuckets(hit, size, nans);
  }
  const counts = dense(parts[0]).slice();
  for (const p of parts.slice(1)) {
    if (p.counts) for (let i = 0; i < counts.length; i++) counts[i] += p.counts[i];
    else p.sparse?.at.forEach((b, i) => (counts[b] += (p.sparse as NonNullable<RadixCounts['sparse']>).n[i]));
  }
  return { counts, nans };
}

/** Level 1's plan: the ranks the quantiles need and the 16-bit buckets holding them. */
export function radixPlan1(spec: QuantileSpec, ...parts: RadixCounts[]): RadixPlan {
  const all = radixAdd(...parts);
  const counts = dense(all);
  const nans = all.nans;
  let n = 0;
  for (let i = 0; i < counts.length; i++) n += counts[i];
  const allNaN = n === 0 || (nans > 0 && !spec.skipNaN);
  const ranks = allNaN ? [] : [...new Set(spec.qs.flatMap((q) => { const r = linearRanks(n, q); return [r.prev, r.next]; }))].sort((a, b) => a - b);
  return locate(n, allNaN, ranks, ranks.map(() => 0), ranks.map((r) => r), [0], counts, (s, b) => b);
}

/** Level 2's plan: the full 32-bit prefix of each rank. */
export function radixPlan2(plan: RadixPlan, ...parts: RadixCounts[]): RadixPlan {
  if (plan.allNaN) return plan;
  const counts = dense(radixAdd(...parts));
  const slots = plan.prefix.map((p) => plan.buckets.indexOf(p));
  return locate(plan.n, false, plan.ranks, slots, plan.within, plan.buckets, counts, (s, b) => plan.buckets[s] * 65536 + b);
}

/** For each rank (at `rank` within its slot's 65536 counts), the bucket and the rank inside it. */
function locate(
  n: number,
  allNaN: boolean,
  ranks: readonly number[],
  slots: readonly number[],
  rankIn: readonly number[],
  _buckets: readonly number[],
  counts: Float64Array,
  prefixOf: (slot: number, bucket: number) => number,
): RadixPlan {
  const prefix: number[] = [];
  const within: number[] = [];
  ranks.forEach((_, i) => {
    const base = slots[i] * 65536;
    let left = rankIn[i];
    let b = 0;
    while (left >= counts[base + b]) left -= counts[base + b++];
    prefix.push(prefixOf(slots[i], b));
    within.push(left);
  });
  return { n, allNaN, ranks, prefix, within, buckets: [...new Set(prefix)].sort((a, b) => a - b) };
}

/** The values of a block in the final buckets, sorted. */
export function radixCollect(plan: RadixPlan, b: Block): Float64Array {
  if (plan.allNaN) return new Float64Array(0);
  const top = new Uint8Array(65536);
  for (const p of plan.buckets) top[Math.floor(p / 65536)] = 1;
  const v = asFloat64(b.data);
  const k = v.length >= SPARSE_BELOW ? passKernels(b) : undefined;
  if (k) {
    const slots = new Int32Array(65536).fill(-1);
    for (const p of plan.buckets) slots[Math.floor(p / 65536)] = 0;
    return k.radixSelect(v, slots, Uint32Array.from(plan.buckets)).sort();
  }
  const w = highWords(v);
  const out: number[] = [];
  for (let i = 0, n = v.length; i < n; i++) {
    const x = v[i];
    if (x !== x) continue;
    const k = keyOf(w[2 * i + 1]);
    if (top[k >>> 16] && plan.buckets.includes(k)) out.push(x);
  }
  return Float64Array.from(out).sort();
}

export function radixMerge(...parts: Float64Array[]): Float64Array {
  if (parts.length === 1) return parts[0];
  const out = new Float64Array(parts.reduce((a, p) => a + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out.sort();
}

/** The quantiles from the gathered values of the final buckets. */
export function radixFinal(spec: QuantileSpec, plan: RadixPlan, ...parts: Float64Array[]): Block {
  const out = new Float64Array(spec.qs.length);
  if (plan.allNaN) out.fill(NaN);
  else {
    const vals = radixMerge(...parts);
    const keys = highWords(vals);
    const valueOf = new Map<number, number>();
    plan.ranks.forEach((r, i) => {
      // The first gathered value with this prefix (vals is sorted, so prefixes are contiguous).
      let lo = 0;
      let hi = vals.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (keyOf(keys[2 * mid + 1]) < plan.prefix[i]) lo = mid + 1;
        else hi = mid;
      }
      valueOf.set(r, vals[lo + plan.within[i]]);
    });
    spec.qs.forEach((q, i) => {
      const { prev, next, gamma } = linearRanks(plan.n, q);
      out[i] = lerp(valueOf.get(prev) as number, valueOf.get(next) as number, gamma);
    });
  }
  return floatBlock(spec.dtype, spec.qShape, out);
}
