/**
 * Merging group-by partials by their shared codes (ops/group-merge.ts): every statistic against
 * values computed here from the rows, over odd partitionings (one-row partitions, uneven chunks,
 * more key values than the small-key path takes), with NaN values; and the same bits as the
 * kernels' pairwise merge folded over the partials.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { closeThreadPools } from '@pdask/core';
import { loadKernelsSync, type GroupByPartial } from '@pdask/kernels';
import * as dd from '../src/index';
import { mergeCoded } from '../src/ops/group-merge';
import { SCHEDULERS } from './helpers';

afterAll(() => closeThreadPools());

function rows(n: number, groups: number): { x: Int32Array; y: Float64Array } {
  let s = 12345;
  const next = () => ((s = (s * 1103515245 + 12345) >>> 0), s / 4294967296);
  const x = Int32Array.from({ length: n }, () => Math.floor(next() * groups) - 3);
  const y = Float64Array.from({ length: n }, (_, i) => (i % 11 === 5 ? NaN : Math.round(next() * 1000) / 8 - 40));
  return { x, y };
}

/** Per key (ascending): size, count, sum, mean, var (ddof 1), min, max, first, last of non-NaN values. */
function reference(x: Int32Array, y: Float64Array): Map<number, Record<string, number>> {
  const vals = new Map<number, number[]>();
  const sizes = new Map<number, number>();
  x.forEach((k, i) => {
    sizes.set(k, (sizes.get(k) ?? 0) + 1);
    if (!vals.has(k)) vals.set(k, []);
    if (!Number.isNaN(y[i])) vals.get(k)!.push(y[i]);
  });
  const out = new Map<number, Record<string, number>>();
  for (const k of [...sizes.keys()].sort((a, b) => a - b)) {
    const v = vals.get(k)!;
    const sum = v.reduce((a, b) => a + b, 0);
    const mean = v.length ? sum / v.length : NaN;
    const ss = v.reduce((a, b) => a + (b - mean) ** 2, 0);
    out.set(k, {
      size: sizes.get(k)!,
      count: v.length,
      sum,
      mean,
      var: v.length > 1 ? ss / (v.length - 1) : NaN,
      min: v.length ? Math.min(...v) : NaN,
      max: v.length ? Math.max(...v) : NaN,
      first: v.length ? v[0] : NaN,
      last: v.length ? v[v.length - 1] : NaN,
    });
  }
  return out;
}

const AGGS = ['size', 'count', 'sum', 'mean', 'var', 'min', 'max', 'first', 'last'] as const;

const CASES: [string, number, number, dd.PartitionOptions][] = [
  ['one partition', 200, 7, { npartitions: 1 }],
  ['uneven chunks of 13', 200, 7, { chunksize: 13 }],
  ['one-row partitions', 40, 5, { chunksize: 1 }],
  ['more keys than the small-key path', 9000, 3000, { npartitions: 5 }],
];

describe('group-by partials merged by code', () => {
  for (const [sname, opts] of SCHEDULERS) {
    for (const [cname, n, groups, parts] of CASES) {
      it(`every statistic as computed from the rows (${cname}, ${sname})`, async () => {
        const { x, y } = rows(n, groups);
        const want = reference(x, y);
        const g = dd.fromColumns({ x, y }, parts).groupby('x').col('y');
        const got = await g.agg([...AGGS]).compute(opts);
        expect(Array.from({ length: got.length }, (_, i) => got.labelAt(i))).toEqual([...want.keys()]);
        for (const a of AGGS) {
          const col = got.col(a).toArray() as ArrayLike<number>;
          [...want.values()].forEach((w, i) => {
            if (Number.isNaN(w[a])) expect(col[i]).toBeNaN();
            else expect(col[i]).toBeCloseTo(w[a], 9);
          });
        }
      });
    }
  }

  it('gives the bits of the kernels pairwise merge folded over the partials', () => {
    const k = loadKernelsSync();
    const { x, y } = rows(3000, 40);
    const cuts = [0, 1, 700, 700, 1900, 3000];
    const partials: GroupByPartial[] = [];
    for (let j = 0; j + 1 < cuts.length; j++) partials.push(k.groupby(x.subarray(cuts[j], cuts[j + 1]), y.subarray(cuts[j], cuts[j + 1]), ['var', 'min', 'max', 'first', 'last']));
    // One numbering: the key value + 3 (keys are -3..36).
    const codes = partials.map((p) => Int32Array.from({ length: p.keys.length }, (_, i) => p.keys[i] + 3));
    const asPositions = partials.map((p) => ({ ...p, keys: Int32Array.from({ length: p.keys.length }, (_, i) => i), sorted: false }));
    const mine = mergeCoded(asPositions, codes, 40);
    let fold: GroupByPartial | undefined;
    partials.forEach((p, j) => {
      const remapped = { ...p, keys: codes[j], sorted: false };
      fold = fold ? k.mergeGroupBy(fold, remapped) : remapped;
    });
    expect(Array.from(mine.keys)).toEqual(Array.from(fold!.keys));
    for (const f of ['size', 'count', 'sum', 'm2', 'min', 'max', 'first', 'last'] as const) {
      expect(Array.from(mine[f]!), f).toEqual(Array.from(fold![f]!));
    }
  });
});
