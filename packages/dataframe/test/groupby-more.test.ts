/**
 * Group-by beyond the kernel aggregations (issue #11), against pandas 1.5 (fixtures/groupby_more.json,
 * written by make_groupby_more.py): series and mixed keys, nunique, exact first/last/min/max,
 * named aggregations, cumulative/shift/rolling within groups, transform, apply and splitOut, on
 * one partition, uneven partitions, one-row partitions and frames with empty partitions.
 */
import { readFileSync } from 'node:fs';
import { closeThreadPools } from '@pdask/core';
import { afterAll, describe, expect, it } from 'vitest';
import * as dd from '../src/index';
import { expectClose, SCHEDULERS } from './helpers';

afterAll(() => closeThreadPools());

type Val = number | string | null;
interface PSeries {
  index: (Val | Val[])[];
  values: Val[];
}
const F = JSON.parse(readFileSync(new URL('./fixtures/groupby_more.json', import.meta.url), 'utf8')) as Record<string, unknown> & {
  data: { x: number[]; k: (string | null)[]; y: (number | null)[]; s: (string | null)[]; big: string[]; d: (string | null)[] };
  exact: Record<string, PSeries>;
  named_x: Record<string, PSeries>;
  named_x_columns: string[];
  group_rolling: Record<string, Val[]>;
};
const D = F.data;
const P = (k: string) => F[k] as PSeries;
const V = (k: string) => F[k] as Val[];

/** The fixture's rows, or the same rows with dummy rows (filtered out) making partitions 0 and 5 empty. */
function frame(part: dd.PartitionOptions | 'empty'): dd.DataFrame {
  const cols = { x: D.x, k: D.k, y: D.y, s: D.s, big: D.big.map(BigInt), d: D.d };
  if (part !== 'empty') return make(cols, part);
  // chunksize 4: rows 0-3 dummies (partition 0), fixture rows 0-15 (partitions 1-4), 4 dummies (5), the rest.
  const pad = <T,>(xs: readonly T[], v: T): T[] => [v, v, v, v, ...xs.slice(0, 16), v, v, v, v, ...xs.slice(16)];
  const keep = pad(D.x.map(() => true), false);
  const df = make({ x: pad(cols.x, 9), k: pad(cols.k, 'zz'), y: pad(cols.y, 99), s: pad(cols.s, 'zz'), big: pad(cols.big, 0n), d: pad(cols.d, null), keep }, { chunksize: 4 });
  return df.filter(df.col('keep')).drop('keep');
}
function make(cols: Record<string, unknown[]>, part: dd.PartitionOptions): dd.DataFrame {
  const { big, ...rest } = cols;
  return dd.fromColumns({ ...(rest as Record<string, dd.ColumnInput>), big: BigInt64Array.from(big as bigint[]) }, part).astype({ d: 'datetime64[ns]' });
}

const PARTS: [string, dd.PartitionOptions | 'empty'][] = [
  ['1 partition', { npartitions: 1 }],
  ['7 uneven partitions', { npartitions: 7 }],
  ['one-row partitions', { chunksize: 1 }],
  ['empty partitions', 'empty'],
];

const SHUFFLE_PARTS: [string, dd.PartitionOptions | 'empty'][] = [PARTS[0], PARTS[1], ['chunks of 3, the last of one row', { chunksize: 3 }], PARTS[3]];

const plain = (v: unknown): Val => (typeof v === 'bigint' ? (v > BigInt(Number.MAX_SAFE_INTEGER) || v < -BigInt(Number.MAX_SAFE_INTEGER) ? String(v) : Number(v)) : (v as Val));
function expectValues(got: ArrayLike<unknown>, want: readonly Val[], what: string): void {
  expect(got.length, `${what} length`).toBe(want.length);
  want.forEach((w, i) => {
    const g = plain(got[i]);
    if (typeof w === 'number' || w === null) expectClose(g as number | null, w, `${what}[${i}]`);
    else expect(g, `${what}[${i}]`).toBe(w);
  });
}
function expectLocal(s: dd.LocalSeries, p: PSeries, what: string): void {
  expect(s.indexArray().map((l) => (Array.isArray(l) ? l.map(plain) : plain(l))), `${what} index`).toEqual(p.index);
  expectValues(s.toArray(), p.values, what);
}

describe.each(SCHEDULERS)('group-by against pandas (%s)', (_, opts) => {
  it.each(PARTS)('series and mixed keys, nunique, exact first/last/min/max, named aggregations (%s)', async (_l, part) => {
    const df = frame(part);
    const key = df.col('x').mod(3);
    expectLocal(await df.groupby(key).col('y').sum().compute(opts), P('by_series_y_sum'), 'groupby(x % 3).y.sum');
    const agg = await df.groupby(key).agg({ y: 'mean', big: 'count' }).compute(opts);
    expect(agg.indexNames).toEqual(['x']);
    for (const c of ['y', 'big']) expectLocal(agg.col(c), (F.by_series_agg as Record<string, PSeries>)[c], `agg ${c}`);
    const mixed = await df.groupby(['k', key]).col('y').mean().compute(opts);
    expect(mixed.indexNames).toEqual(['k', 'x']);
    expectLocal(mixed, P('by_mixed_y_mean'), "groupby(['k', x % 3]).y.mean");
    expectLocal(await df.groupby([df.col('x'), df.col('y').gt(0).rename('pos')]).col('y').max().compute(opts), P('by_two_series_y_max'), 'two series');

    expectLocal(await df.groupby('x').col('s').nunique().compute(opts), P('nunique_x_s'), 'nunique s');
    expectLocal(await df.groupby('x').col('y').nunique().compute(opts), P('nunique_x_y'), 'nunique y');
    expectLocal(await df.astype({ s: 'category' }).groupby('k').col('s').nunique().compute(opts), P('nunique_k_c'), 'nunique category');
    expectLocal(await df.groupby(['x', 'k']).col('s').nunique().compute(opts), P('nunique_xk_s'), 'nunique two keys');

    for (const col of ['s', 'd', 'big'])
      for (const a of ['first', 'last', 'min', 'max'] as const) expectLocal(await df.groupby('x').col(col)[a]().compute(opts), F.exact[`${col}_${a}`], `${col}.${a}`);
    const cat = df.astype({ s: 'category' });
    for (const a of ['first', 'last'] as const) {
      const r = await cat.groupby('x').col('s')[a]().compute(opts);
      expect(r.dtype).toBe('category');
      expectLocal(r, F.exact[`c_${a}`], `category ${a}`);
    }
    for (const a of ['min', 'max'] as const) expectLocal(await df.groupby('k').col('s')[a]().compute(opts), F.exact[`s_k_${a}`], `groupby(k).s.${a}`);

    const named = await df.groupby('x').agg({ total: dd.namedAgg('y', 'sum'), n: dd.namedAgg('y', 'count'), top: dd.namedAgg('y', 'max') }).compute(opts);
    expect(named.columns).toEqual(F.named_x_columns);
    for (const c of F.named_x_columns) expectLocal(named.col(c), F.named_x[c], `named ${c}`);
    // Kernel and exact outputs in one agg: zipped in the order asked.
    const mix = await df.groupby('x').agg({ last: dd.namedAgg('d', 'last'), total: dd.namedAgg('y', 'sum') }).compute(opts);
    expect(mix.columns).toEqual(['last', 'total']);
    expectValues(mix.col('last').toArray(), F.exact.d_last.values, 'zipped d.last');
    expectValues(mix.col('total').toArray(), F.named_x.total.values, 'zipped y.sum');
  });

  it.each(PARTS)('cumcount, cumsum, cumprod, cummin, cummax, shift and rolling within groups, in row order (%s)', async (_l, part) => {
    const df = frame(part);
    const arr = async (s: dd.Series) => (await s.compute(opts)).toArray();
    expectValues(await arr(df.groupby('x').cumcount()), V('cumcount_x'), 'cumcount x');
    expectValues(await arr(df.groupby('k').cumcount()), V('cumcount_k'), 'cumcount k (null keys: missing)');
    expectValues(await arr(df.groupby(['x', 'k']).cumcount()), V('cumcount_xk'), 'cumcount x, k');
    expectValues(await arr(df.groupby('x').col('y').cumsum()), V('cumsum_x_y'), 'cumsum');
    expectValues(await arr(df.groupby('k').col('y').cumsum()), V('cumsum_k_y'), 'cumsum by k');
    expectValues(await arr(df.groupby(['x', 'k']).col('y').cumsum()), V('cumsum_xk_y'), 'cumsum by x, k');
    expectValues(await arr(df.groupby('x').col('y').cumprod()), V('cumprod_x_y'), 'cumprod');
    expectValues(await arr(df.groupby('x').col('y').cummax()), V('cummax_x_y'), 'cummax');
    expectValues(await arr(df.groupby('x').col('y').cummin()), V('cummin_x_y'), 'cummin');
    expectValues(await arr(df.groupby('x').col('y').shift(1)), V('shift_x_y_1'), 'shift(1)');
    expectValues(await arr(df.groupby('x').col('y').shift(-2)), V('shift_x_y_m2'), 'shift(-2)');
    expectValues(await arr(df.groupby('k').col('y').shift(2)), V('shift_k_y_2'), 'shift(2) by k');
    expectValues(await arr(df.groupby('x').col('s').shift(1)), V('shift_x_s_1'), 'shift of strings');
    for (const [w, a] of [[3, 'mean'], [2, 'sum'], [3, 'max'], [4, 'count'], [3, 'std']] as const) {
      expectValues(await arr(df.groupby('x').col('y').rolling(w)[a]()), F.group_rolling[`x_${w}_${a}`], `groupby rolling(${w}).${a}`);
    }
    expectValues(await arr(df.groupby('k').col('y').rolling(2, { minPeriods: 1 }).mean()), F.group_rolling.k_2_mp1_mean, 'rolling(2, minPeriods 1) by k');
  });

  // A shuffle makes inputs × outputs tasks: one-row partitions are the last of chunks of 3 here.
  it.each(SHUFFLE_PARTS)('transform, apply and splitOut through the shuffle (%s)', async (_l, part) => {
    const df = frame(part);
    const arr = async (s: dd.Series) => (await s.compute(opts)).toArray();
    expectValues(await arr(df.groupby('x').col('y').transform('mean')), V('transform_x_y_mean'), "transform('mean')");
    expectValues(await arr(df.groupby('x').col('y').transform('sum')), V('transform_x_y_sum'), "transform('sum')");
    expectValues(await arr(df.groupby('x').col('y').transform('count')), V('transform_x_y_count'), "transform('count')");
    expectValues(await arr(df.groupby('k').col('y').transform('max')), V('transform_k_y_max'), "transform('max') by k");
    const demean = (v: Float64Array) => {
      let s = 0;
      let n = 0;
      for (const x of v) if (x === x) (s += x, n++);
      return Array.from(v, (x) => x - s / n);
    };
    expectValues(await arr(df.groupby('x').col('y').transform(demean)), V('transform_x_y_demean'), 'transform(demean)');
    expectValues(await arr(df.groupby('k').col('y').transform(demean)), V('transform_k_y_demean'), 'transform(demean) by k');

    const range = (g: dd.LocalFrame) => {
      const y = Array.from(g.col('y').toArray() as ArrayLike<number>).filter((v) => v === v);
      return Math.max(...y) - Math.min(...y);
    };
    const ap = await (df.groupby('x').apply(range) as dd.Series).compute(opts);
    const byKey = new Map(ap.indexArray().map((k, i) => [k, ap.at(i)]));
    expect([...byKey.keys()].sort()).toEqual(P('apply_x_range').index);
    P('apply_x_range').index.forEach((k, i) => expectClose(byKey.get(k as number) as number, P('apply_x_range').values[i] as number, `apply ${k}`));
    const lens = await (df.groupby('k').apply((g) => g.length, { meta: ['len', 'float64'] }) as dd.Series).compute(opts);
    const want = P('apply_k_len');
    expect(lens.indexArray().slice().sort()).toEqual(want.index);
    want.index.forEach((k, i) => expect(lens.get(k as string)).toBe(want.values[i]));

    const so = df.groupby('x', { splitOut: 3 }).col('y').sum();
    expect(so.npartitions).toBe(3);
    const r = await so.compute(opts);
    const got = new Map(r.indexArray().map((k, i) => [k, r.at(i)]));
    expect(got.size).toBe(r.length); // each key in one partition only
    P('split_out_x_y_sum').index.forEach((k, i) => expectClose(got.get(k as number) as number, P('split_out_x_y_sum').values[i] as number, `splitOut ${k}`));
  });
});

describe('group-by: errors and from first principles', () => {
  const opts = { scheduler: 'sync' } as const;
  it('int64 keys and values past 2^53 stay apart and exact', async () => {
    const big = BigInt64Array.from([2n ** 60n + 1n, 2n ** 60n, 2n ** 60n + 1n, 2n ** 60n]);
    const df = dd.fromColumns({ k: big, v: BigInt64Array.from([5n, 2n ** 62n + 3n, 7n, 2n ** 62n + 1n]) }, { chunksize: 1 });
    const r = await df.groupby('k').col('v').max().compute(opts);
    expect(r.indexArray()).toEqual([2n ** 60n, 2n ** 60n + 1n]);
    expect(Array.from(r.toArray() as ArrayLike<bigint>)).toEqual([2n ** 62n + 3n, 7n]);
    expect(Array.from((await df.groupby('k').col('v').nunique().compute(opts)).toArray() as ArrayLike<number>)).toEqual([2, 2]);
  });

  it('refuses bad input by name', () => {
    const df = dd.fromColumns({ x: [1, 2], y: [1.5, 2.5], s: ['a', 'b'] }, { npartitions: 1 });
    const other = dd.fromColumns({ z: [1, 2, 3] }, { npartitions: 2 });
    expect(() => df.groupby(other.col('z'))).toThrow('DataFrame.groupby (key 1, series');
    expect(() => df.groupby('x').col('s').cumsum()).toThrow("column 's' has dtype string; cumsum needs numbers");
    expect(() => df.groupby('x').col('y').rolling(2, { center: true } as dd.GroupRollingOptions)).toThrow('center');
    expect(() => df.groupby('x').col('y').transform('median' as dd.TransformName)).toThrow("unknown aggregation 'median'");
    expect(() => df.groupby('x', { splitOut: 0 })).toThrow('splitOut');
    expect(() => dd.namedAgg('y', 'median' as dd.GroupAgg)).toThrow("namedAgg: unknown aggregation \"median\" for column 'y'");
    expect(() => df.groupby('x').agg({ t: dd.namedAgg('nope', 'sum') })).toThrow("column \"nope\" not found");
    const captured = 3;
    expect(() => df.groupby('x').apply((g) => g.length + captured)).toThrow("captures 'captured'");
  });
});
