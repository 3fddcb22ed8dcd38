/**
 * rolling (rows and time spans) and resample across partition boundaries, against pandas 1.5
 * (fixtures/groupby_more.json, written by make_groupby_more.py), on one partition, uneven
 * partitions, one-row partitions and a datetime index with empty partitions.
 */
import { readFileSync } from 'node:fs';
import { makeData, makeVector, TimestampNanosecond } from 'apache-arrow';
import { closeThreadPools } from '@pdask/core';
import { afterAll, describe, expect, it } from 'vitest';
import * as dd from '../src/index';
import { expectClose, SCHEDULERS } from './helpers';

afterAll(() => closeThreadPools());

type Val = number | null;
const F = JSON.parse(readFileSync(new URL('./fixtures/groupby_more.json', import.meta.url), 'utf8')) as {
  data: { y: Val[] };
  rolling_rows: Record<string, Val[]>;
  time: { t: string[]; v: Val[]; g: number[] };
  rolling_time: Record<string, Val[]>;
  resample: Record<string, { index: string[]; values: Val[] }>;
  resample_frame_1D_agg: Record<string, Val[]>;
};

function expectValues(got: ArrayLike<unknown>, want: readonly Val[], what: string): void {
  expect(got.length, `${what} length`).toBe(want.length);
  want.forEach((w, i) => expectClose(got[i] as number | null, w, `${what}[${i}]`));
}

const times = () => makeVector(makeData({ type: new TimestampNanosecond(), length: F.time.t.length, nullCount: 0, data: BigInt64Array.from(F.time.t.map(BigInt)) }));

/** The time frame indexed by t; 'empty': partitions 2 and 3 hold no row (divisions in a gap of the index). */
async function timeFrame(part: dd.PartitionOptions | 'empty'): Promise<dd.DataFrame> {
  if (part !== 'empty') return dd.fromColumns({ t: times(), v: F.time.v, g: F.time.g }, { ...part, index: 't' });
  const df = dd.fromColumns({ t: times(), v: F.time.v, g: F.time.g }, { npartitions: 1, index: 't' });
  const ms = F.time.t.map((t) => Number(BigInt(t) / 1_000_000n));
  // Steps are at least 10 minutes: [t5, t5 + 1min) holds t5 alone, [t5 + 1min, t5 + 2min) nothing.
  const r = df.repartition({ divisions: [ms[0], ms[5], ms[5] + 60_000, ms[5] + 120_000, ms[30], ms[ms.length - 1]] });
  expect(r.npartitions).toBe(5);
  return r;
}

const PARTS: [string, dd.PartitionOptions | 'empty'][] = [
  ['1 partition', { npartitions: 1 }],
  ['uneven partitions', { npartitions: 7 }],
  ['one-row partitions', { chunksize: 1 }],
  ['empty partitions', 'empty'],
];

const range = (v: Float64Array) => Math.max(...v) - Math.min(...v);
const AGGS = ['mean', 'sum', 'min', 'max', 'std', 'var', 'count'] as const;

describe.each(SCHEDULERS)('rolling and resample against pandas (%s)', (_, opts) => {
  it.each(PARTS.slice(0, 3))('rolling by rows: window, minPeriods, center, apply (%s)', async (_l, part) => {
    const y = dd.fromColumns({ y: F.data.y }, part as dd.PartitionOptions).col('y');
    for (const [w, mp, c] of [[3, null, 0], [3, 1, 0], [4, 2, 1], [1, null, 0], [5, null, 1]] as const) {
      const tag = `w${w}_mp${mp === null ? 'None' : mp}_c${c}`;
      const r = y.rolling(w, { ...(mp !== null ? { minPeriods: mp } : {}), center: c === 1 });
      for (const a of AGGS) expectValues((await r[a]().compute(opts)).toArray(), F.rolling_rows[`${tag}_${a}`], `${tag} ${a}`);
      expectValues((await r.apply(range).compute(opts)).toArray(), F.rolling_rows[`${tag}_apply_range`], `${tag} apply`);
    }
    // A frame rolls each numeric column.
    const fr = await dd.fromColumns({ y: F.data.y, s: F.data.y.map(String) }, part as dd.PartitionOptions).rolling(3).mean().compute(opts);
    expect(fr.columns).toEqual(['y']);
    expectValues(fr.col('y').toArray(), F.rolling_rows['w3_mpNone_c0_mean'], 'frame rolling');
  });

  it.each(PARTS)('rolling by a time span over a datetime index (%s)', async (_l, part) => {
    const df = await timeFrame(part);
    for (const w of ['2h', '5h', '30min']) {
      const r = df.col('v').rolling(w);
      for (const a of AGGS) expectValues((await r[a]().compute(opts)).toArray(), F.rolling_time[`${w}_${a}`], `${w} ${a}`);
      expectValues((await r.apply(range).compute(opts)).toArray(), F.rolling_time[`${w}_apply_range`], `${w} apply`);
    }
    expectValues((await df.col('v').rolling('3h', { minPeriods: 2 }).mean().compute(opts)).toArray(), F.rolling_time['3h_mp2_mean'], '3h minPeriods 2');
  });

  it.each(PARTS)('resample: bins across partitions, empty bins listed (%s)', async (_l, part) => {
    const df = await timeFrame(part);
    for (const f of ['1D', '6h', '90min']) {
      for (const a of ['sum', 'mean', 'count', 'min', 'max', 'first', 'last', 'std'] as const) {
        const r = await df.col('v').resample(f)[a]().compute(opts);
        const want = F.resample[`${f}_${a}`];
        expect(r.indexArray().map(String), `${f} ${a} bins`).toEqual(want.index);
        expectValues(r.toArray(), want.values, `${f} ${a}`);
      }
    }
    const agg = await df.resample('1D').agg({ v: 'mean', g: 'sum' }).compute(opts);
    expect(agg.columns).toEqual(['v', 'g']);
    for (const c of ['v', 'g']) expectValues(agg.col(c).toArray(), F.resample_frame_1D_agg[c], `agg ${c}`);
  });
});

describe('rolling and resample: refused input', () => {
  it('time windows and resample need a datetime index with known divisions; options by name', () => {
    const plain = dd.fromColumns({ v: [1, 2, 3] }, { npartitions: 1 });
    expect(() => plain.col('v').rolling('2h')).toThrow("a time window ('2h') needs a datetime index");
    expect(() => plain.col('v').resample('1D')).toThrow('resample needs a datetime index');
    const unsorted = dd.fromColumns({ t: times(), v: F.time.v }, { npartitions: 3, index: 't', sort: false });
    expect(() => unsorted.col('v').rolling('2h')).toThrow('needs known divisions');
    expect(() => unsorted.col('v').resample('1D')).toThrow('resample needs known divisions');
    expect(() => plain.col('v').rolling(0)).toThrow('window must be a positive integer');
    expect(() => plain.col('v').rolling(3, { winType: 'hann' } as dd.RollingOptions)).toThrow('winType');
    const t = dd.fromColumns({ t: times(), v: F.time.v }, { npartitions: 2, index: 't' });
    expect(() => t.col('v').resample('1M')).toThrow("'1M' is not a fixed frequency");
    expect(() => t.col('v').rolling('1M')).toThrow("window '1M' is not a fixed time span");
    expect(() => t.col('v').rolling('2h', { center: true })).toThrow('center');
    expect(() => t.resample('1D').agg({ v: 'median' as dd.ResampleAgg })).toThrow("unknown aggregation \"median\"");
  });
});
