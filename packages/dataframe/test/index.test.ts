/**
 * The index and divisions: fromColumns({ index, sort }), setIndex with known divisions, loc,
 * alignment of operands, join on the index, repartition, resetIndex, the index as a series.
 * Reference values: fixtures/index.json, written by fixtures/make_index.py (pandas 1.5, Dask 2022.12).
 */
import { readFileSync } from 'node:fs';
import { closeThreadPools } from '@pdask/core';
import { afterAll, describe, expect, it } from 'vitest';
import * as dd from '../src/index';
import { SCHEDULERS } from './helpers';

afterAll(() => closeThreadPools());

type Col = (number | string | null)[];
interface PFrame { index: Col; [c: string]: Col | Record<string, string> }
interface Fixture {
  data: { t: number[]; v: (number | null)[]; w: number[]; tdup: number[] };
  from_pandas: Record<string, { divisions: number[]; lengths: number[] }>;
  sorted: PFrame;
  loc_label_21: PFrame;
  loc_slice_10_50: PFrame;
  loc_slice_none_30: PFrame;
  loc_slice_100_none: PFrame;
  loc_mask_w_gt_50: PFrame;
  loc_slice_10_50_divisions: number[];
  align: { s1: { index: number[]; values: (number | null)[] }; s2: { index: number[]; values: (number | null)[] }; sum: { index: number[]; values: (number | null)[] }; mul: { index: number[]; values: (number | null)[] }; divisions: Record<string, number[]> };
  join: Record<string, PFrame & { dtypes: Record<string, string> }>;
  join_inputs: { left: PFrame; right: PFrame };
  repartition: { np2: number[]; np9: number[]; np9_lengths: number[]; div_lengths: number[]; range_np3: number[]; range_np6: number[] };
  set_index_w: PFrame;
  dask_set_index_w_divisions: number[];
  reset_index: PFrame;
}
const fx = JSON.parse(readFileSync(new URL('./fixtures/index.json', import.meta.url), 'utf8')) as Fixture;
const { t, v, w, tdup } = fx.data;
const vNaN = v.map((x) => x ?? NaN);

const num = (x: unknown): number | string | null => (typeof x === 'number' && Number.isNaN(x) ? null : typeof x === 'bigint' ? Number(x) : (x as number | string | null));
/** A computed frame as pandas' fixture lays it out: the index, then each column. */
function layout(r: dd.LocalFrame): Record<string, Col> {
  const out: Record<string, Col> = { index: Array.from({ length: r.numRows }, (_, i) => num(r.labelAt(i))) };
  for (const c of r.columns) out[c] = Array.from({ length: r.numRows }, (_, i) => num(r.col(c).at(i)));
  return out;
}
function expectFrame(r: dd.LocalFrame, p: PFrame, columns: string[]): void {
  const got = layout(r);
  expect(got.index).toEqual(p.index);
  for (const c of columns) {
    expect(got[c].length, c).toBe((p[c] as Col).length);
    (p[c] as Col).forEach((x, i) => (x === null ? expect(got[c][i], `${c}[${i}]`).toBeNull() : expect(got[c][i] as number, `${c}[${i}]`).toBeCloseTo(x as number, 12)));
  }
}
/** Rows per partition. */
const lengths = (df: dd.DataFrame, opts: object) => df.mapPartitions((p: dd.LocalFrame) => [p.numRows], { meta: ['n', 'int32'] }).compute(opts).then((s) => Array.from(s.toArray() as Int32Array));
/** Smallest and largest label of each non-empty partition. */
const labelRanges = (df: dd.DataFrame, opts: object) =>
  df
    .mapPartitions((p: dd.LocalFrame) => (p.numRows ? [Number(p.labelAt(0)), Number(p.labelAt(p.numRows - 1))] : [NaN, NaN]), { meta: ['r', 'float64'] })
    .compute(opts)
    .then((s) => Array.from(s.toArray() as Float64Array));

const indexed = (opts: dd.PartitionOptions) => dd.fromColumns({ t, v: vNaN, w }, { index: 't', ...opts });

describe.each(SCHEDULERS)('index and divisions (%s)', (_, opts) => {
  it.each(['np4', 'np7', 'cs7', 'cs40'])('fromColumns({ index, sort }) sorts and cuts as Dask from_pandas: %s', async (key) => {
    const part = key.startsWith('np') ? { npartitions: Number(key.slice(2)) } : { chunksize: Number(key.slice(2)) };
    const df = indexed(part);
    expect(df.knownDivisions).toBe(true);
    expect(df.divisions).toEqual(fx.from_pandas[key].divisions);
    expect(await lengths(df, opts)).toEqual(fx.from_pandas[key].lengths);
    expectFrame(await df.compute(opts), fx.sorted, ['v', 'w']);
    expect(dd.fromColumns({ t, w }, { index: 't', npartitions: 4, sort: false }).divisions).toBeNull();
    expect(dd.fromColumns({ w }, { npartitions: 4, sort: false }).knownDivisions).toBe(false);
  });

  it.each(['dup_np3', 'dup_np5', 'dup_cs3', 'dup_cs8'])('equal labels never straddle partitions, as Dask: %s', async (key) => {
    const k = key.slice(4);
    const part = k.startsWith('np') ? { npartitions: Number(k.slice(2)) } : { chunksize: Number(k.slice(2)) };
    const df = dd.fromColumns({ tdup, w }, { index: 'tdup', ...part });
    expect(df.divisions).toEqual(fx.from_pandas[key].divisions);
    expect(await lengths(df, opts)).toEqual(fx.from_pandas[key].lengths);
  });

  it.each([
    ['1 partition', { npartitions: 1 }],
    ['7 partitions', { npartitions: 7 }],
    ['chunks of 13 (last 1 row)', { chunksize: 13 }],
  ] as [string, dd.PartitionOptions][])('setIndex finds known divisions and sorts into them: %s', async (_l, part) => {
    const df = await dd.fromColumns({ t, v: vNaN, w }, part).setIndex('w', opts);
    expect(df.knownDivisions).toBe(true);
    const d = df.divisions as number[];
    expect(d[0]).toBe(Math.min(...w));
    expect(d[d.length - 1]).toBe(Math.max(...w));
    for (let i = 1; i < d.length; i++) expect(d[i]).toBeGreaterThan(d[i - 1]);
    expectFrame(await df.compute(opts), fx.set_index_w, ['t', 'v']);
    // Every partition holds only the labels its divisions give it.
    const r = await labelRanges(df, opts);
    for (let i = 0; i < df.npartitions; i++) {
      if (Number.isNaN(r[2 * i])) continue;
      expect(r[2 * i]).toBeGreaterThanOrEqual(d[i]);
      if (i < df.npartitions - 1) expect(r[2 * i + 1]).toBeLessThan(d[i + 1]);
      else expect(r[2 * i + 1]).toBeLessThanOrEqual(d[i + 1]);
    }
    // And loc uses them: every label found where pandas finds it.
    expectFrame(await df.loc(w[3]).compute(opts), { index: fx.set_index_w.index.filter((x) => x === w[3]), t: (fx.set_index_w.t as Col).filter((_, i) => (fx.set_index_w.index as Col)[i] === w[3]) }, ['t']);
  });

  it('setIndex on a frame with empty partitions, and { sorted: true } with divisions from minima and maxima', async () => {
    const base = dd.fromColumns({ t, v: vNaN, w }, { npartitions: 8 });
    const sparse = base.filter(base.col('w').gt(90));
    const s = await sparse.setIndex('w', opts);
    const want = fx.set_index_w.index.map((x, i) => [x, (fx.set_index_w.t as Col)[i]] as const).filter(([x]) => (x as number) > 90);
    const r = await s.compute(opts);
    expect(layout(r).index).toEqual(want.map(([x]) => x));
    expect(layout(r).t).toEqual(want.map(([, y]) => y));
    // Sorted data in partitions of which some are empty: those are dropped, as Dask does.
    const sortedFrame = dd.fromColumns({ k: Array.from({ length: 30 }, (_, i) => i * 2), x: Array.from({ length: 30 }, (_, i) => i) }, { npartitions: 6 });
    const holes = sortedFrame.filter(sortedFrame.col('k').lt(10).or(sortedFrame.col('k').ge(40)));
    const idx = await holes.setIndex('k', { sorted: true, ...opts });
    expect(idx.divisions).toEqual([0, 40, 50, 58]);
    expect(idx.npartitions).toBe(3);
    expect(layout(await idx.loc({ start: 4, stop: 44 }).compute(opts)).x).toEqual([2, 3, 4, 20, 21, 22]);
    // Equal values across a partition boundary are refused with the remedy.
    await expect(dd.fromColumns({ k: [1, 2, 2, 3], x: [1, 2, 3, 4] }, { npartitions: 2 }).setIndex('k', { sorted: true, ...opts })).rejects.toThrow('partitions 0 and 1 overlap');
    // Given divisions: nothing computed, rows sorted into them.
    const given = await base.setIndex('w', { divisions: [0, 30, 60, 99] });
    expect(given.divisions).toEqual([0, 30, 60, 99]);
    expectFrame(await given.compute(opts), fx.set_index_w, ['t', 'v']);
  });

  it('loc by label, by slice (both ends included) and by mask, with known and unknown divisions', async () => {
    for (const df of [indexed({ npartitions: 4 }), indexed({ chunksize: 1 }), indexed({ npartitions: 7 }).clearDivisions()]) {
      expectFrame(await df.loc(21).compute(opts), fx.loc_label_21, ['v', 'w']);
      expectFrame(await df.loc({ start: 10, stop: 50 }).compute(opts), fx.loc_slice_10_50, ['v', 'w']);
      expectFrame(await df.loc({ stop: 30 }).compute(opts), fx.loc_slice_none_30, ['v', 'w']);
      expectFrame(await df.loc({ start: 100 }).compute(opts), fx.loc_slice_100_none, ['v', 'w']);
      expectFrame(await df.loc(df.col('w').gt(50)).compute(opts), fx.loc_mask_w_gt_50, ['v', 'w']);
      expect((await df.loc(22).compute(opts)).numRows).toBe(0);
    }
    const d4 = indexed({ npartitions: 4 });
    const sl = d4.loc({ start: 10, stop: 50 });
    expect(sl.divisions).toEqual(fx.loc_slice_10_50_divisions);
    expect(sl.npartitions).toBe(2);
    expect(d4.loc(21).npartitions).toBe(1);
    // A frame made from data: its labels are the row positions.
    const plain = dd.fromColumns({ w }, { npartitions: 3 });
    const rows = await plain.loc({ start: 12, stop: 15 }).compute(opts);
    expect(layout(rows)).toEqual({ index: [12, 13, 14, 15], w: w.slice(12, 16) });
    const masked = await plain.loc(plain.col('w').gt(50)).compute(opts);
    expect(layout(masked).index).toEqual(w.map((x, i) => (x > 50 ? i : -1)).filter((i) => i >= 0));
    expect(() => plain.filter(plain.col('w').gt(1)).loc(3)).toThrow('no index and unknown divisions');
  });

  it('arithmetic aligns on the index: union of divisions (as Dask), union of labels (as pandas)', async () => {
    const { s1, s2 } = fx.align;
    const a = dd.fromColumns({ i: s1.index, a: s1.values.map((x) => x ?? NaN) }, { index: 'i', npartitions: 3 }).col('a');
    const b = dd.fromColumns({ i: s2.index, a: s2.values.map((x) => x ?? NaN) }, { index: 'i', npartitions: 2 }).col('a');
    expect(a.divisions).toEqual(fx.align.divisions.s1);
    expect(b.divisions).toEqual(fx.align.divisions.s2);
    const sum = a.add(b);
    expect(sum.divisions).toEqual(fx.align.divisions.sum);
    for (const [got, want] of [[await sum.compute(opts), fx.align.sum], [await a.mul(b).compute(opts), fx.align.mul]] as const) {
      expect(got.indexArray()).toEqual(want.index);
      want.values.forEach((x, i) => (x === null ? expect(got.at(i)).toBeNaN() : expect(got.at(i) as number).toBeCloseTo(x, 12)));
    }
    // Divisions known on one side only: refused, as Dask refuses, with the remedy.
    expect(() => a.add(b.clearDivisions())).toThrow("Series.add: Not all divisions are known, can't align partitions (divisions are known on the left and unknown on the right). Please use setIndex(column)");
    // Frames made from data, partitioned differently: aligned by row position labels.
    const p = dd.fromColumns({ w }, { npartitions: 3 }).col('w');
    const q = dd.fromColumns({ w: w.slice(0, 25) }, { npartitions: 4 }).col('w');
    const r = await p.sub(q).compute(opts);
    expect(r.length).toBe(40);
    expect(Array.from(r.toArray() as Float64Array).slice(0, 25)).toEqual(new Array(25).fill(0));
    expect(Array.from(r.toArray() as Float64Array).slice(25).every(Number.isNaN)).toBe(true);
  });

  it.each(['left', 'right', 'inner', 'outer'] as const)('join on the index (%s) as pandas', async (how) => {
    const { left, right } = fx.join_inputs;
    const l = dd.fromColumns({ i: left.index as number[], v: (left.v as Col).map((x) => (x ?? NaN) as number) }, { index: 'i', npartitions: 3 });
    const r = dd.fromColumns({ i: right.index as number[], w: right.w as number[], v: Float64Array.from(right.v as number[]) }, { index: 'i', npartitions: 2 });
    const j = l.join(r, { how, lsuffix: '_l', rsuffix: '_r' });
    expect(j.columns).toEqual(['v_l', 'w', 'v_r']);
    expect(j.dtypes).toEqual({ ...fx.join[how].dtypes, ...(how === 'inner' ? { w: 'int32' } : how === 'right' ? { w: 'int32', v_r: 'float64' } : {}) });
    expectFrame(await j.compute(opts), fx.join[how], ['v_l', 'w', 'v_r']);
    expect(() => l.join(r)).toThrow("columns overlap but no suffix specified: 'v'");
  });

  it('repartition by npartitions and by divisions, as Dask', async () => {
    const d4 = indexed({ npartitions: 4 });
    expect(d4.repartition({ npartitions: 2 }).divisions).toEqual(fx.repartition.np2);
    const r9 = d4.repartition({ npartitions: 9 });
    expect(r9.divisions).toEqual(fx.repartition.np9);
    expect(await lengths(r9, opts)).toEqual(fx.repartition.np9_lengths);
    const rd = d4.repartition({ divisions: [0, 20, 21, 60, 117] });
    expect(await lengths(rd, opts)).toEqual(fx.repartition.div_lengths);
    expectFrame(await rd.compute(opts), fx.sorted, ['v', 'w']);
    const plain = dd.fromColumns({ w }, { npartitions: 4 });
    expect(plain.repartition({ npartitions: 3 }).divisions).toEqual(fx.repartition.range_np3);
    expect(plain.repartition({ npartitions: 6 }).divisions).toEqual(fx.repartition.range_np6);
    expect(Array.from((await plain.repartition({ npartitions: 6 }).col('w').compute(opts)).toArray() as Int32Array)).toEqual(w);
    const unknown = plain.clearDivisions().repartition({ npartitions: 9 });
    expect(unknown.divisions).toBeNull();
    expect(await lengths(unknown, opts)).toEqual([5, 5, 5, 5, 5, 5, 4, 3, 3]);
    expect(() => d4.repartition({ divisions: [1, 117] })).toThrow('the first division of old and new divisions differ (0 and 1)');
    expect(() => d4.repartition({ divisions: [0, 50, 40, 117] })).toThrow('divisions must be sorted and unique');
  });

  it('resetIndex, index as a series, clearDivisions', async () => {
    const d4 = indexed({ npartitions: 4 });
    const back = d4.resetIndex();
    expect(back.columns).toEqual(['t', 'v', 'w']);
    expect(back.divisions).toBeNull();
    const rec = await back.compute(opts);
    expect(layout(rec).t).toEqual(fx.reset_index.t);
    expect(d4.resetIndex({ drop: true }).columns).toEqual(['v', 'w']);
    const ix = d4.index;
    expect(ix.seriesName).toBe('t');
    expect(ix.divisions).toEqual(d4.divisions);
    expect((await ix.compute(opts)).toArray()).toEqual(Int32Array.from(fx.sorted.index as number[]));
    expect(Array.from((await dd.fromColumns({ w }, { npartitions: 3 }).index.compute(opts)).toArray() as Int32Array)).toEqual(w.map((_, i) => i));
    expect(d4.clearDivisions().knownDivisions).toBe(false);
    expect(d4.col('v').knownDivisions).toBe(true);
  });
});

describe.each(SCHEDULERS)('alignment of results with unknown divisions (%s)', (_, opts) => {
  it('group-by results on different keys add by label, not by position (pandas aligns within partitions, as Dask relies on)', async () => {
    const df = dd.fromColumns({ k: [1, 2, 3, 1, 2, 3, 4], y: [1, 2, 3, 4, 5, 6, 7] }, { npartitions: 3 });
    const all = df.groupby('k').col('y').sum(); // 1: 5, 2: 7, 3: 9, 4: 7
    const some = df.filter(df.col('k').ge(2)).groupby('k').col('y').sum(); // 2: 7, 3: 9, 4: 7
    expect(all.divisions).toBeNull();
    const r = await all.add(some).compute(opts);
    expect(r.indexArray()).toEqual([1, 2, 3, 4]);
    const got = Array.from(r.toArray() as Float64Array);
    expect(got[0]).toBeNaN();
    expect(got.slice(1)).toEqual([14, 18, 14]);
  });
});
