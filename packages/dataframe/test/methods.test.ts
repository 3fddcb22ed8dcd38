/**
 * Methods across partition boundaries and holistic reductions: cumsum/cumprod/cummin/cummax, shift,
 * diff, tail, idxmax/idxmin, describe, quantile, corr/cov, sample and dd.concat. Reference values:
 * fixtures/methods.json, written by fixtures/make_methods.py (pandas 1.5, Dask 2022.12), on one
 * partition, 4, 7, one-row partitions, partitions of which some are empty, and unknown divisions.
 */
import { readFileSync } from 'node:fs';
import { closeThreadPools } from '@pdask/core';
import { afterAll, describe, expect, it } from 'vitest';
import * as dd from '../src/index';
import { SCHEDULERS } from './helpers';

afterAll(() => closeThreadPools());

type Cell = number | string | boolean | null;
interface PFrame { index: Cell[]; [c: string]: Cell[] }
interface PSeries { index: Cell[]; values: Cell[] }
interface Fixture {
  data: { t: number[]; a: (number | null)[]; b: number[]; c: number[]; k: string[]; flag: boolean[] };
  cum: Record<string, PFrame>;
  shift: Record<string, PFrame>;
  idx: Record<string, PSeries | number>;
  describe: PFrame;
  describe_a: PSeries;
  describe_b: PSeries;
  describe_pct: PFrame;
  dask_describe_np4: PFrame;
  quantile: { a_03: number; b_07: number; a_list: PSeries; frame_03: PSeries; frame_list: PFrame };
  corr: PFrame;
  cov: PFrame;
  corr_min38: PFrame;
  cov_min38: PFrame;
  cov_ddof0: PFrame;
  other: PSeries;
  series_corr: Record<string, number | null>;
  concat: Record<string, PFrame | (number | null)[] | string | null>;
  dask_shift_short: string;
}
const fx = JSON.parse(readFileSync(new URL('./fixtures/methods.json', import.meta.url), 'utf8')) as Fixture;
const { t, a, b, c, k, flag } = fx.data;
const aNaN = a.map((x) => x ?? NaN);

const cell = (x: unknown): Cell => (typeof x === 'number' && Number.isNaN(x) ? null : typeof x === 'bigint' ? Number(x) : (x as Cell));

function close(raw: unknown, want: Cell, what: string): void {
  const got = cell(raw);
  if (want === null) return expect(got, what).toBeNull();
  if (typeof want !== 'number') return expect(got, what).toBe(want);
  expect(typeof got, what).toBe('number');
  expect(Math.abs((got as number) - want), `${what}: ${String(got)} vs ${want}`).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(want)));
}

/** A computed frame equals pandas': the index (when `labels`) and each column, to 1e-12. */
function expectFrame(r: dd.LocalFrame, p: PFrame, columns: string[], labels = true): void {
  expect(r.numRows, 'rows').toBe(p.index.length);
  if (labels) expect(Array.from({ length: r.numRows }, (_, i) => cell(r.labelAt(i)))).toEqual(p.index);
  for (const col of columns) p[col].forEach((x, i) => close(cell(r.col(col).at(i)), x, `${col}[${i}]`));
}

function expectSeries(r: dd.LocalSeries, p: PSeries, labels = true): void {
  expect(r.length).toBe(p.index.length);
  if (labels) expect(r.indexArray().map(cell)).toEqual(p.index);
  p.values.forEach((x, i) => close(cell(r.at(i)), x, `[${String(p.index[i])}]`));
}

const base = (opts: dd.PartitionOptions) => dd.fromColumns({ t, a: aNaN, b: Int32Array.from(b), c: Float64Array.from(c), k, flag }, { index: 't', ...opts });
/** Labels 0, 2, …, 80 in partitions [0,1) [1,11) [11,12) [12,13) [13,40) [40,41) [41,80]: one-row and empty ones. */
const holes = () => base({ npartitions: 4 }).repartition({ divisions: [0, 1, 11, 12, 13, 40, 41, 80] });
const PARTITIONINGS: [string, () => dd.DataFrame][] = [
  ['one partition', () => base({ npartitions: 1 })],
  ['4 partitions', () => base({ npartitions: 4 })],
  ['7 partitions', () => base({ chunksize: 6 })],
  ['one-row partitions', () => base({ chunksize: 1 })],
  ['empty and one-row partitions', holes],
  ['unknown divisions', () => holes().clearDivisions()],
];

/** Rows per partition. */
const lengths = (df: dd.DataFrame, opts: object) => df.mapPartitions((p: dd.LocalFrame) => [p.numRows], { meta: ['n', 'int32'] }).compute(opts).then((s) => Array.from(s.toArray() as Int32Array));

describe.each(SCHEDULERS)('methods across partitions (%s)', (_, opts) => {
  it('the partitionings are what they claim', async () => {
    expect(await lengths(holes(), opts)).toEqual([1, 5, 0, 1, 13, 1, 20]);
    expect(await lengths(base({ chunksize: 6 }), opts)).toEqual([6, 6, 6, 6, 6, 6, 5]);
  });

  it.each(PARTITIONINGS)('cumsum, cumprod, cummin, cummax with and without skipna carry across partitions: %s', async (_, make) => {
    const df = make().select(['a', 'b', 'c']);
    for (const op of ['cumsum', 'cumprod', 'cummin', 'cummax'] as const) {
      expectFrame(await df[op]().compute(opts), fx.cum[op], ['a', 'b', 'c']);
      expectFrame(await df[op]({ skipna: false }).compute(opts), fx.cum[`${op}_noskip`], ['a', 'b', 'c']);
      // The series method is the same computation on one column.
      const s = await df.col('a')[op]().compute(opts);
      fx.cum[op].a.forEach((x, i) => close(cell(s.at(i)), x, `${op} a[${i}]`));
    }
    expect(df.cumsum().dtypes).toEqual({ a: 'float64', b: 'float64', c: 'float64' });
    expect(df.cummax().dtypes).toEqual({ a: 'float64', b: 'int32', c: 'float64' });
  });

  it.each(PARTITIONINGS)('shift and diff by n rows read the neighbouring partitions: %s', async (_, make) => {
    const df = make();
    for (const n of [1, 3, -2, 0]) {
      const r = await df.select(['a', 'b', 'k']).shift(n).compute(opts);
      expectFrame(r, fx.shift[`shift_${n}`], ['a', 'b', 'k']);
    }
    for (const n of [1, 3, -2]) expectFrame(await df.select(['a', 'b', 'c']).diff(n).compute(opts), fx.shift[`diff_${n}`], ['a', 'b', 'c']);
    const s = await df.col('b').diff(3).compute(opts);
    fx.shift.diff_3.b.forEach((x, i) => close(cell(s.at(i)), x, `b.diff(3)[${i}]`));
    expect(df.select(['a', 'b', 'k']).shift(2).dtypes).toEqual({ a: 'float64', b: 'float64', k: 'string' });
  });

  it.each(PARTITIONINGS)('idxmax and idxmin give the labels pandas gives: %s', async (_, make) => {
    const df = make();
    for (const op of ['idxmax', 'idxmin'] as const) {
      expectSeries(await df.select(['a', 'b', 'c'])[op]().compute(opts), fx.idx[op] as PSeries);
      expectSeries(await df.select(['a', 'b', 'c'])[op]({ skipna: false }).compute(opts), fx.idx[`${op}_noskip`] as PSeries);
      expect(await df.col('a')[op]().compute(opts)).toBe(fx.idx[`a_${op}`]);
      expect(await df.col('b')[op]().compute(opts)).toBe(fx.idx[`b_${op}`]);
      expect(await df.col('a')[op]({ skipna: false }).compute(opts)).toBeNull();
    }
  });

  it('idxmax of a frame labelled by row positions gives positions, across partitions and with unknown divisions', async () => {
    const flat = dd.fromColumns({ a: aNaN, b: Int32Array.from(b), c: Float64Array.from(c) }, { npartitions: 5 });
    for (const df of [flat, flat.clearDivisions(), dd.fromColumns({ a: aNaN, b: Int32Array.from(b), c: Float64Array.from(c) }, { chunksize: 1 })]) {
      expectSeries(await df.idxmax().compute(opts), fx.idx.flat_idxmax as PSeries);
    }
  });

  it.each(PARTITIONINGS)('describe and quantile equal pandas exactly: %s', async (_, make) => {
    const df = make();
    expectFrame(await df.describe().compute(opts), fx.describe, ['a', 'b', 'c']);
    expect(df.describe().columns).toEqual(['a', 'b', 'c']);
    expectSeries(await df.col('a').describe().compute(opts), fx.describe_a);
    expectSeries(await df.col('b').describe().compute(opts), fx.describe_b);
    expectFrame(await df.select(['a', 'b', 'c']).describe({ percentiles: [0.1, 0.333, 0.9] }).compute(opts), fx.describe_pct, ['a', 'b', 'c']);
    close(await df.col('a').quantile(0.3).compute(opts), fx.quantile.a_03, 'a.quantile(0.3)');
    close(await df.col('b').quantile(0.7).compute(opts), fx.quantile.b_07, 'b.quantile(0.7)');
    expectSeries(await df.col('a').quantile([0.1, 0.5, 0.9]).compute(opts), fx.quantile.a_list);
    expectSeries(await df.select(['a', 'b', 'c']).quantile(0.3).compute(opts), fx.quantile.frame_03);
    expectFrame(await df.select(['a', 'b', 'c']).quantile([0.1, 0.5, 0.9]).compute(opts), fx.quantile.frame_list, ['a', 'b', 'c']);
  });

  it.each(PARTITIONINGS)('corr and cov: pairwise complete rows, minPeriods, ddof: %s', async (_, make) => {
    const df = make();
    const cols = ['a', 'b', 'c', 'flag'];
    expectFrame(await df.corr().compute(opts), fx.corr, cols);
    expectFrame(await df.cov().compute(opts), fx.cov, cols);
    expectFrame(await df.select(['a', 'b', 'c']).corr({ minPeriods: 38 }).compute(opts), fx.corr_min38, ['a', 'b', 'c']);
    expectFrame(await df.select(['a', 'b', 'c']).cov({ minPeriods: 38 }).compute(opts), fx.cov_min38, ['a', 'b', 'c']);
    expectFrame(await df.select(['b', 'c']).cov({ ddof: 0 }).compute(opts), fx.cov_ddof0, ['b', 'c']);
    close(await df.col('a').corr(df.col('c')).compute(opts), fx.series_corr.a_c, 'a.corr(c)');
    close(await df.col('a').cov(df.col('c')).compute(opts), fx.series_corr.a_c_cov, 'a.cov(c)');
    close(await df.col('a').corr(df.col('c'), { minPeriods: 40 }).compute(opts), fx.series_corr.a_c_min40, 'minPeriods 40');
  });

  it('Series.corr/cov align the two series on the index first', async () => {
    const other = dd.fromColumns({ i: fx.other.index as number[], o: fx.other.values as number[] }, { index: 'i', npartitions: 3 });
    for (const make of [() => base({ npartitions: 4 }), holes]) {
      const s = make().col('a');
      close(await s.corr(other.col('o')).compute(opts), fx.series_corr.a_other, 'a.corr(other)');
      close(await s.cov(other.col('o')).compute(opts), fx.series_corr.a_other_cov, 'a.cov(other)');
    }
  });

  it('tail reads the last partition, as Dask; { npartitions } reads more', async () => {
    const df = base({ npartitions: 4 });
    const r = await df.tail(3, opts);
    expect(Array.from({ length: r.numRows }, (_, i) => r.labelAt(i))).toEqual(t.slice(-3));
    expect(Array.from(r.col('b').toArray() as Int32Array)).toEqual(b.slice(-3));
    // The last of the holes partitions has 20 rows; the one before 1.
    const h = holes();
    expect((await h.tail(25, opts)).numRows).toBe(20);
    expect((await h.tail(25, { npartitions: 2, ...opts })).numRows).toBe(21);
    const s = await df.col('c').tail(2, opts);
    expect(Array.from(s.toArray() as Float64Array)).toEqual(c.slice(-2));
  });

  it('sample draws round(frac * rows) rows of each partition, rows of the frame, the same ones for the same randomState', async () => {
    const df = base({ chunksize: 10 }); // partitions of 10, 10, 10, 10, 1 rows
    const s1 = await df.sample({ frac: 0.5, randomState: 42 }).compute(opts);
    // Python's round: 5 of 10, round(0.5) = 0 of 1.
    expect(s1.numRows).toBe(20);
    const rowOf = new Map(t.map((label, i) => [label, i]));
    const labels = Array.from({ length: s1.numRows }, (_, i) => s1.labelAt(i) as number);
    expect(new Set(labels).size).toBe(20);
    labels.forEach((l, i) => {
      const j = rowOf.get(l)!;
      expect(j, `label ${l}`).toBeDefined();
      expect(s1.col('b').at(i)).toBe(b[j]);
      expect(s1.col('k').at(i)).toBe(k[j]);
    });
    // Each partition contributes its own half: labels 0-18 are partition 0, and so on.
    for (let p = 0; p < 4; p++) expect(labels.filter((l) => l >= 20 * p && l < 20 * (p + 1))).toHaveLength(5);
    const again = await df.sample({ frac: 0.5, randomState: 42 }).compute({ scheduler: 'sync' });
    expect(Array.from({ length: again.numRows }, (_, i) => again.labelAt(i))).toEqual(labels);
    const other = await df.sample({ frac: 0.5, randomState: 7 }).compute(opts);
    expect(Array.from({ length: other.numRows }, (_, i) => other.labelAt(i))).not.toEqual(labels);
    // With replacement a fraction above 1 is allowed; rows repeat.
    const big = await df.col('b').sample({ frac: 2, replace: true, randomState: 1 }).compute(opts);
    expect(big.length).toBe(2 * 40 + 2);
    expect(df.sample({ frac: 0.5 }).divisions).toEqual(df.divisions);
  });
});

describe.each(SCHEDULERS)('dd.concat (%s)', (_, opts) => {
  const cx = fx.concat as Record<string, PFrame>;
  const cd = fx.concat as unknown as Record<string, (number | null)[]>;
  // x and w are float64 in pandas (whole numbers in the JSON).
  const frameOf = (p: PFrame, np: number, cols: string[]) =>
    dd.fromColumns({ i: p.index as number[], ...Object.fromEntries(cols.map((col) => [col, typeof p[col][0] === 'number' ? Float64Array.from(p[col] as number[]) : (p[col] as string[])])) }, { index: 'i', npartitions: np });
  const A = () => frameOf(cx.A, 2, ['x', 'y']);
  const B = () => dd.fromColumns({ i: cx.B.index as number[], x: Float64Array.from(cx.B.x as number[]), z: Int32Array.from(cx.B.z as number[]) }, { index: 'i', npartitions: 2 });
  const C = () => dd.fromColumns({ i: cx.C.index as number[], x: Float64Array.from(cx.C.x as number[]), z: Int32Array.from(cx.C.z as number[]) }, { index: 'i', npartitions: 1 });
  const D = () => frameOf(cx.D, 2, ['w']);

  it('the inputs have the divisions Dask gives them', () => {
    expect(A().divisions).toEqual(cd.A_div);
    expect(B().divisions).toEqual(cd.B_div);
    expect(C().divisions).toEqual(cd.C_div);
    expect(D().divisions).toEqual(cd.D_div);
  });

  it('rows: ordered known divisions are kept; columns outer or inner', async () => {
    const r = dd.concat([A(), B()]) as dd.DataFrame;
    expect(r.divisions).toEqual(cd.AB_outer_div);
    expect(r.columns).toEqual(['x', 'y', 'z']);
    expect(r.dtypes).toEqual({ x: 'float64', y: 'string', z: 'float64' });
    expectFrame(await r.compute(opts), cx.AB_outer, ['x', 'y', 'z']);
    const inner = dd.concat([A(), B()], { join: 'inner' }) as dd.DataFrame;
    expect(inner.divisions).toEqual(cd.AB_inner_div);
    expect(inner.columns).toEqual(['x']);
    expectFrame(await inner.compute(opts), cx.AB_inner, ['x']);
  });

  it('rows: unordered divisions give unknown ones, or with interleavePartitions the union', async () => {
    const r = dd.concat([A(), C()]) as dd.DataFrame;
    expect(r.divisions).toBeNull();
    expect(r.npartitions).toBe(cd.AC_div.length - 1);
    expectFrame(await r.compute(opts), cx.AC, ['x', 'y', 'z']);
    const inter = dd.concat([A(), C()], { interleavePartitions: true }) as dd.DataFrame;
    expect(inter.divisions).toEqual(cd.AC_inter_div);
    expect(await lengths(inter, opts)).toEqual(cd.AC_inter_lengths);
    expectFrame(await inter.compute(opts), cx.AC_inter, ['x', 'y', 'z']);
    // Unknown divisions anywhere: unknown.
    expect((dd.concat([A().clearDivisions(), B()]) as dd.DataFrame).divisions).toBeNull();
  });

  it('rows: frames labelled by row positions keep their labels; series stay series', async () => {
    const p = dd.fromColumns({ v: [1, 2, 3] }, { npartitions: 2 });
    const q = dd.fromColumns({ v: [4, 5] }, { npartitions: 1 });
    const r = await (dd.concat([p, q]) as dd.DataFrame).compute(opts);
    expect(Array.from({ length: r.numRows }, (_, i) => r.labelAt(i))).toEqual([0, 1, 2, 0, 1]);
    expect(Array.from(r.col('v').toArray() as Float64Array)).toEqual([1, 2, 3, 4, 5]);
    const s = dd.concat([p.col('v'), q.col('v')]) as dd.Series;
    expect(s).toBeInstanceOf(dd.Series);
    expect(Array.from((await s.compute(opts)).toArray() as Float64Array)).toEqual([1, 2, 3, 4, 5]);
    // Unknown divisions and no index: rows numbered anew.
    const u = await (dd.concat([p.clearDivisions(), q.clearDivisions()]) as dd.DataFrame).compute(opts);
    expect(u.numRows).toBe(5);
  });

  it('columns: aligned on known divisions (outer, inner); unknown ones need as many partitions, else Dask error', async () => {
    const r = dd.concat([A(), D()], { axis: 1 }) as dd.DataFrame;
    expect(r.divisions).toEqual(cd.AD_axis1_div);
    expectFrame(await r.compute(opts), cx.AD_axis1, ['x', 'y', 'w']);
    expectFrame(await (dd.concat([A(), D()], { axis: 1, join: 'inner' }) as dd.DataFrame).compute(opts), cx.AD_axis1_inner, ['x', 'y', 'w']);
    expect(() => dd.concat([A().clearDivisions(), D().clearDivisions().repartition({ npartitions: 1 })], { axis: 1 })).toThrow(fx.concat.axis1_error as string);
    // Unknown divisions, as many partitions: partition by partition (labels matched within each).
    const side = dd.concat([A().clearDivisions(), D().clearDivisions()], { axis: 1 }) as dd.DataFrame;
    expect(side.divisions).toBeNull();
    const got = await side.compute(opts);
    expect(got.columns).toEqual(['x', 'y', 'w']);
    // Without an index: side by side by position.
    const p = dd.fromColumns({ u: [1, 2, 3, 4] }, { npartitions: 2 }).clearDivisions();
    const q = dd.fromColumns({ v: [5, 6, 7, 8] }, { npartitions: 2 }).clearDivisions();
    const pq = await (dd.concat([p, q], { axis: 1 }) as dd.DataFrame).compute(opts);
    expect(pq.toRecords()).toEqual([{ u: 1, v: 5 }, { u: 2, v: 6 }, { u: 3, v: 7 }, { u: 4, v: 8 }]);
  });
});

describe('bad input is refused by name', () => {
  const df = base({ npartitions: 2 });
  it('options and types', () => {
    expect(() => df.cumsum({ skipNa: true } as never)).toThrow("unknown option 'skipNa'");
    expect(() => df.cumsum()).toThrow("DataFrame.cumsum: column 'k' has dtype string, not a number; select the numeric columns first");
    expect(() => df.select(['flag']).diff()).toThrow("column 'flag' is bool");
    expect(() => df.col('a').shift(1.5)).toThrow('periods must be an integer');
    expect(() => df.col('a').quantile(1.5)).toThrow('between 0 and 1');
    expect(() => df.col('k').describe()).toThrow("Series.describe: series 'k' has dtype string");
    expect(() => df.corr({ method: 'spearman' } as never)).toThrow('pearson');
    expect(() => df.sample({ frac: 2 })).toThrow('replace: true');
    expect(() => df.sample({ n: 3 } as never)).toThrow("frac only");
    expect(() => dd.concat([df], { axis: 2 } as never)).toThrow('axis');
    expect(() => dd.concat([df, df.col('a')])).toThrow('all DataFrames or all Series');
    expect(() => dd.concat([df, df], { axis: 1 })).toThrow("column 'a' is in more than one input");
  });

  it('Dask raises when a partition is shorter than the shift; pdask reads further back', () => {
    expect(fx.dask_shift_short).toContain('Partition size is less than overlapping window size');
  });
});
