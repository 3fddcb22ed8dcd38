/**
 * Merging the kernel partials of several partitions once their groups share one numbering.
 *
 * The kernels' pairwise mergeGroupBy first numbers the keys of its two inputs with a WebAssembly
 * hash table (allocated and freed per call), which for a handful of groups costs more than the
 * merge: in the seed's group-by (4 partitions, 10 groups) three such merges were about a sixth of
 * the tasks' time. Here the groups already have codes in [0, ngroups) (unify), so statistics add up
 * by direct indexing in one pass over the partials, in partition order. The arithmetic is that of
 * mergeGroupBy folded left over the partials (same operations in the same order, so the same bits),
 * and groups come in order of first appearance, as the fold's keys do.
 */
import type { GroupByPartial } from '@pdask/kernels';

const FIELDS = ['size', 'count', 'sum', 'm2', 'min', 'max', 'first', 'last'] as const;

/**
 * `parts[j].keys` are positions that `codes[j]` maps into [0, ngroups). Returns the merged partial
 * keyed by those codes (unsorted).
 */
export function mergeCoded(parts: readonly GroupByPartial[], codes: readonly Int32Array[], ngroups: number): GroupByPartial {
  const p0 = parts[0];
  for (const p of parts) {
    for (const f of FIELDS) if ((p0[f] === undefined) !== (p[f] === undefined)) throw new Error(`mergeGroupBy: only one partial has ${f}`);
  }
  // slot[g]: the output row of group g (-1 until it first appears).
  const slot = new Int32Array(ngroups).fill(-1);
  const keys = new Int32Array(ngroups);
  const size = new Float64Array(ngroups);
  const count = new Float64Array(ngroups);
  const sum = p0.sum ? new Float64Array(ngroups) : undefined;
  const m2 = p0.m2 ? new Float64Array(ngroups) : undefined;
  const min = p0.min ? new Float64Array(ngroups).fill(NaN) : undefined;
  const max = p0.max ? new Float64Array(ngroups).fill(NaN) : undefined;
  const first = p0.first ? new Float64Array(ngroups).fill(NaN) : undefined;
  const last = p0.last ? new Float64Array(ngroups).fill(NaN) : undefined;
  let k = 0;
  parts.forEach((p, j) => {
    const map = codes[j];
    for (let i = 0; i < p.keys.length; i++) {
      const code = map[p.keys[i]];
      let g = slot[code];
      if (g < 0) {
        g = slot[code] = k++;
        keys[g] = code;
      }
      const n0 = count[g];
      const n1 = p.count[i];
      if (m2 && sum && p.m2 && p.sum) {
        // Chan et al.: combine (n0, s0, M2_0) with (n1, s1, M2_1).
        if (n0 > 0 && n1 > 0) {
          const d = p.sum[i] / n1 - sum[g] / n0;
          m2[g] += p.m2[i] + d * d * ((n0 * n1) / (n0 + n1));
        } else if (n1 > 0) m2[g] = p.m2[i];
      }
      size[g] += p.size[i];
      count[g] = n0 + n1;
      if (sum && p.sum) sum[g] += p.sum[i];
      // NaN marks "no value": a value replaces it; ties keep the earlier value (pandas).
      if (min && p.min) {
        const v = p.min[i];
        const c = min[g];
        if (c !== c || v < c) min[g] = v;
      }
      if (max && p.max) {
        const v = p.max[i];
        const c = max[g];
        if (c !== c || v > c) max[g] = v;
      }
      // Partials come in row order, so the first value seen and the last one follow it.
      if (first && p.first && first[g] !== first[g]) first[g] = p.first[i];
      if (last && p.last && p.last[i] === p.last[i]) last[g] = p.last[i];
    }
  });
  const out: GroupByPartial = { keys: keys.slice(0, k), size: size.slice(0, k), count: count.slice(0, k), sorted: false };
  if (sum) out.sum = sum.slice(0, k);
  if (m2) out.m2 = m2.slice(0, k);
  if (min) out.min = min.slice(0, k);
  if (max) out.max = max.slice(0, k);
  if (first) out.first = first.slice(0, k);
  if (last) out.last = last.slice(0, k);
  return out;
}

/** Codes in first-appearance order of some small int32 level arrays, and their distinct values (the factorizer's answer, without its tables). */
export function unifySmallInts(levels: readonly Int32Array[]): { codes: Int32Array[]; values: Int32Array } {
  const seen = new Map<number, number>();
  const keys: number[] = [];
  const codes = levels.map((l) => {
    const c = new Int32Array(l.length);
    for (let i = 0; i < l.length; i++) {
      let code = seen.get(l[i]);
      if (code === undefined) {
        code = keys.length;
        seen.set(l[i], code);
        keys.push(l[i]);
      }
      c[i] = code;
    }
    return c;
  });
  return { codes, values: Int32Array.from(keys) };
}
