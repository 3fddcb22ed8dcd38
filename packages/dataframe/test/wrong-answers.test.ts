/**
 * The wrong answers listed in issue 11, each against pandas 1.5 (fixtures/csv.json, written by
 * fixtures/make_csv_fixtures.py) or first principles, on odd partitionings (one-row partitions,
 * uneven ones, a single partition), on both schedulers.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { closeThreadPools } from '@pdask/core';
import { afterAll, describe, expect, it } from 'vitest';
import * as dd from '../src/index';
import { expectClose, SCHEDULERS, type PandasLabel, type PandasSeries } from './helpers';

type Col = (number | string | null)[];
type MergeKey = `merge_${'key' | 's'}_${'inner' | 'left' | 'right' | 'outer'}`;
type Wrong = WrongBase & Record<MergeKey, Record<string, Col>>;
interface WrongBase {
  data: { k: (string | null)[]; f: (number | null)[]; y: number[]; z: (number | null)[] };
  dropna_thresh2: number[];
  dropna_thresh3_subset_fyz: number[];
  vc_k_dropna_false: PandasSeries;
  vc_k_normalize: PandasSeries;
  vc_f_dropna_false_normalize: PandasSeries;
  gb_k_dropna_false_y_sum: PandasSeries;
  gb_k_dropna_false_size: PandasSeries;
  gb_f_dropna_false_y_mean: PandasSeries;
  gb_kf_dropna_false_y_sum: PandasSeries;
  merge_left: { key: (number | null)[]; s: (string | null)[]; lv: number[] };
  merge_right: { key: (number | null)[]; s: (string | null)[]; rv: number[] };
}
const W = (JSON.parse(readFileSync(new URL('./fixtures/csv.json', import.meta.url), 'utf8')) as { wrong: Wrong }).wrong;
const CSV = resolve(new URL('./fixtures/csv', import.meta.url).pathname);

const PARTITIONINGS: [string, dd.PartitionOptions][] = [
  ['one partition', { npartitions: 1 }],
  ['rows of 1', { chunksize: 1 }],
  ['uneven (5)', { chunksize: 5 }],
];

const frame = (p: dd.PartitionOptions) => dd.fromColumns({ k: W.data.k, f: W.data.f, y: W.data.y, z: W.data.z }, p);

/** Rows of a computed frame as value lists, sorted like pandas' sort_values(['lv', 'rv']) (NaN last). */
function sortedColumns(r: dd.LocalFrame, cols: string[]): Record<string, Col> {
  const rows = Array.from({ length: r.numRows }, (_, i) => cols.map((c) => {
    const v = r.col(c).at(i);
    return typeof v === 'number' && Number.isNaN(v) ? null : (v as number | string | null);
  }));
  const key = (x: number | string | null): number => (x === null ? Infinity : (x as number));
  rows.sort((a, b) => key(a[cols.indexOf('lv')]) - key(b[cols.indexOf('lv')]) || key(a[cols.indexOf('rv')]) - key(b[cols.indexOf('rv')]));
  return Object.fromEntries(cols.map((c, j) => [c, rows.map((row) => row[j])]));
}

const label = (x: unknown): PandasLabel => (Array.isArray(x) ? (x.map(label) as PandasLabel) : typeof x === 'number' && Number.isNaN(x) ? null : (x as PandasLabel));

/** Index (NaN keys as pandas' null) and values equal pandas'. */
function expectSeries(s: dd.LocalSeries, p: PandasSeries, what: string): void {
  expect(s.indexArray().map(label), `${what} index`).toEqual(p.index);
  const vals = Array.from(s.toArray() as ArrayLike<number>);
  expect(vals.length, `${what} length`).toBe(p.values.length);
  p.values.forEach((v, i) => expectClose(vals[i], v, `${what}[${String(p.index[i])}]`));
}

/**
 * value_counts: the same counts per value, most frequent first. Ties are ordered by value here (null
 * last), where pandas leaves them in hash-table order (README, departures).
 */
function expectCounts(s: dd.LocalSeries, p: PandasSeries, what: string): void {
  const got = new Map(s.entries().map(([k, v]) => [JSON.stringify(label(k)), v as number]));
  expect(got.size, `${what} size`).toBe(p.index.length);
  p.index.forEach((k, i) => expectClose(got.get(JSON.stringify(k)), p.values[i], `${what}[${String(k)}]`));
  const vals = Array.from(s.toArray() as ArrayLike<number>);
  vals.forEach((v, i) => i > 0 && expect(v, `${what} descending`).toBeLessThanOrEqual(vals[i - 1]));
}

afterAll(async () => {
  await closeThreadPools();
});

describe.each(SCHEDULERS)('issue 11 wrong answers (%s)', (_, opts) => {
  it.each(PARTITIONINGS)('dropna({ thresh }) keeps rows with that many values (%s)', async (_, p) => {
    const df = frame(p).assign({ id: dd.fromColumns({ id: W.data.y.map((_, i) => i) }, p).col('id') });
    const ids = async (d: dd.DataFrame) => Array.from((await d.col('id').compute(opts)).toArray() as ArrayLike<number>);
    expect(await ids(df.dropna({ thresh: 2 }).select(['id']))).toEqual(W.dropna_thresh2);
    expect(await ids(df.dropna({ thresh: 3, subset: ['f', 'y', 'z'] }))).toEqual(W.dropna_thresh3_subset_fyz);
    expect(() => df.dropna({ thresh: 2, how: 'all' })).toThrow('give how or thresh, not both');
  });

  it.each(PARTITIONINGS)('valueCounts({ dropna: false, normalize: true }) (%s)', async (_, p) => {
    const df = frame(p);
    expectCounts(await df.col('k').valueCounts({ dropna: false }).compute(opts), W.vc_k_dropna_false, 'k dropna false');
    expectCounts(await df.col('k').valueCounts({ normalize: true }).compute(opts), W.vc_k_normalize, 'k normalize');
    const fn = await df.col('f').valueCounts({ dropna: false, normalize: true, splitEvery: 2 }).compute(opts);
    expect(fn.dtype).toBe('float64');
    expectCounts(fn, W.vc_f_dropna_false_normalize, 'f dropna false normalize');
  });

  it.each(PARTITIONINGS)('groupby(k, { dropna: false }) keeps the missing-key group, last (%s)', async (_, p) => {
    const df = frame(p);
    expectSeries(await df.groupby('k', { dropna: false }).col('y').sum().compute(opts), W.gb_k_dropna_false_y_sum, 'k sum');
    expectSeries(await df.groupby('k', { dropna: false }).size().compute(opts), W.gb_k_dropna_false_size, 'k size');
    expectSeries(await df.groupby('f', { dropna: false, splitEvery: 2 }).col('y').mean().compute(opts), W.gb_f_dropna_false_y_mean, 'f mean');
    expectSeries(await df.groupby(['k', 'f'], { dropna: false }).col('y').sum().compute(opts), W.gb_kf_dropna_false_y_sum, 'k,f sum');
  });

  it('merge matches missing keys with each other, as pandas (float NaN and string null), broadcast and shuffled', async () => {
    for (const [lp, rp] of [[{ npartitions: 1 }, { npartitions: 1 }], [{ chunksize: 2 }, { chunksize: 1 }]] as dd.PartitionOptions[][]) {
      const left = dd.fromColumns(W.merge_left, lp);
      const right = dd.fromColumns(W.merge_right, rp);
      for (const how of ['inner', 'left', 'right', 'outer'] as const) {
        for (const on of ['key', 's'] as const) {
          const m = await dd.merge(left.select([on, 'lv']), right.select([on, 'rv']), { on, how, npartitions: 3 }).compute(opts);
          expect(sortedColumns(m, [on, 'lv', 'rv']), `${how} on ${on}`).toEqual(W[`merge_${on}_${how}`]);
        }
      }
    }
  });

  it('LocalSeries.toArray() gives NaN for missing numbers (the unmatched side of a merge, integer nulls)', async () => {
    const left = dd.fromColumns({ key: [1, 2, 3], a: [10, 20, 30] }, { chunksize: 2 });
    const right = dd.fromColumns({ key: [1, 3], b: Int32Array.from([7, 9]) }, { npartitions: 1 });
    const m = await dd.merge(left, right, { on: 'key', how: 'left' }).compute(opts);
    const b = Array.from(m.col('b').toArray() as ArrayLike<number>);
    expect(b.map((x) => (Number.isNaN(x) ? 'NaN' : x))).toEqual([7, 'NaN', 9]);
    const ints = await dd.fromColumns({ s: ['1', null, '3'] }, { chunksize: 1 }).astype({ s: 'int32' }).compute(opts);
    expect(Array.from(ints.col('s').toArray() as ArrayLike<number>).map((x) => (Number.isNaN(x) ? 'NaN' : x))).toEqual([1, 'NaN', 3]);
  });

  it('dtypes list numeric-looking column names in column order (lazy and computed)', async () => {
    const df = await dd.readCsv(resolve(CSV, 'numnames.csv'));
    expect(Object.keys(df.dtypes)).toEqual(['z', '10', '2', 'a', '1']);
    expect(JSON.stringify(df.dtypes)).toBe('{"z":"int32","10":"int32","2":"int32","a":"int32","1":"int32"}');
    expect(Object.keys((await df.compute(opts)).dtypes)).toEqual(['z', '10', '2', 'a', '1']);
    expect(Object.keys(dd.fromColumns({ b: [1], 3: [2], a: [3] }, { npartitions: 1 }).select(['b', '3', 'a']).dtypes)).toEqual(['b', '3', 'a']);
  });

  it('a header with blank names gives Unnamed: j columns, none merged (pandas)', async () => {
    const r = await (await dd.readCsv(resolve(CSV, 'blanknames.csv'), { blocksize: 40 })).compute(opts);
    expect(r.columns).toEqual(['a', 'Unnamed: 1', 'Unnamed: 2', 'a.1', 'b']);
    expect(Array.from(r.col('Unnamed: 2').toArray() as ArrayLike<number>)).toEqual(Array.from({ length: 12 }, (_, i) => i * 100));
    expect(Array.from(r.col('a.1').toArray() as ArrayLike<number>)).toEqual(Array.from({ length: 12 }, (_, i) => (i === 0 ? 0 : -i)));
  });

  it.each(PARTITIONINGS)("astype('int32') of a missing value names the frame's row, not the partition's (%s)", async (_, p) => {
    // Missing values filled before row 6, so the first is row 6 (first principles); with one-row partitions it is row 0 of its partition.
    const z = W.data.z.map((v, i) => (i < 6 ? (v ?? 0) : v));
    const firstMissing = z.findIndex((v) => v === null);
    expect(firstMissing).toBe(6);
    const df = dd.fromColumns({ z }, p);
    await expect(df.astype('int32').compute(opts)).rejects.toThrow(`astype: column 'z' has a missing value at row ${firstMissing};`);
    // Unknown divisions (after a filter): the row of the filtered frame.
    const kept = df.filter(df.col('z').ne(1));
    await expect(kept.col('z').astype('int32').compute(opts)).rejects.toThrow(`has a missing value at row ${z.slice(0, firstMissing).filter((v) => v !== 1).length};`);
  });

  it('the reserved index column name cannot be assigned or renamed to', () => {
    const df = dd.fromColumns({ a: [1, 2], b: [3, 4] }, { npartitions: 1 });
    expect(() => df.assign({ __pdask_index__: df.col('a') })).toThrow("DataFrame.assign: the column name '__pdask_index__' is reserved");
    expect(() => df.rename({ columns: { a: '__pdask_index__1' } })).toThrow("DataFrame.rename: the column name '__pdask_index__1' is reserved");
    expect(() => df.col('a').rename('__pdask_index__')).toThrow('Series.rename: the column name');
  });
});
