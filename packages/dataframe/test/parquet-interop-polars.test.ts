/**
 * readParquet of files polars writes (nodejs-polars): every type, nulls in every column, five
 * codecs, several row groups, and the Arrow schema polars stores in the footer (a timestamp's zone,
 * a Categorical as pandas' category). Expected values come from the formulas that built the
 * polars columns, not from pdask.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeThreadPools } from '@pdask/core';
import pl, { type DataType } from 'nodejs-polars';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as dd from '../src/index';
import { SCHEDULERS } from './helpers';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pdask-pq-polars-'));
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await closeThreadPools();
});

const N = 1000;
const ids = Array.from({ length: N }, (_, i) => i);
const isNull = (i: number, k: number): boolean => (i + k) % 5 === 2;
const NS_2024 = BigInt(Date.UTC(2024, 0, 1)) * 1_000_000n;
const NS_DAY = 86_400_000_000_000n;

type Col = [name: string, make: (name: string, v: (i: number) => unknown) => pl.Series, value: (i: number) => unknown, expected: (i: number) => unknown, dtype: string];
const typed = (t: DataType) => (name: string, v: (i: number) => unknown) => pl.Series(name, ids.map(v), t);
/** 64-bit values beyond 2^53 go in as strings: polars turns such bigints into nulls. */
const viaString = (t: DataType) => (name: string, v: (i: number) => unknown) => pl.Series(name, ids.map((i) => (v(i) === null ? null : String(v(i)))), pl.Utf8).cast(t);
const time = (t: DataType) => (name: string, v: (i: number) => unknown) => pl.Series(name, ids.map((i) => (v(i) === null ? null : String(v(i)))), pl.Utf8).cast(pl.Int64).cast(t);

const COLUMNS: Col[] = [
  ['i8', typed(pl.Int8), (i) => (i % 256) - 128, (i) => (i % 256) - 128, 'int8'],
  ['i16', typed(pl.Int16), (i) => i * 31 - 15000, (i) => i * 31 - 15000, 'int16'],
  ['i32', typed(pl.Int32), (i) => i * 100003 - 5e7, (i) => i * 100003 - 5e7, 'int32'],
  ['i64', viaString(pl.Int64), (i) => -(2n ** 62n) + BigInt(i) * 999999937n, (i) => -(2n ** 62n) + BigInt(i) * 999999937n, 'int64'],
  ['u8', typed(pl.UInt8), (i) => 255 - (i % 256), (i) => 255 - (i % 256), 'uint8'],
  ['u16', typed(pl.UInt16), (i) => 65535 - i, (i) => 65535 - i, 'uint16'],
  ['u32', typed(pl.UInt32), (i) => 4294967295 - i * 3, (i) => 4294967295 - i * 3, 'uint32'],
  ['u64', viaString(pl.UInt64), (i) => 2n ** 63n + BigInt(i), (i) => 2n ** 63n + BigInt(i), 'uint64'],
  ['f32', typed(pl.Float32), (i) => i * 0.25 - 7, (i) => i * 0.25 - 7, 'float32'],
  ['f64', typed(pl.Float64), (i) => i / 7, (i) => i / 7, 'float64'],
  ['dec', (name, v) => pl.Series(name, ids.map((i) => (v(i) === null ? null : String(v(i)))), pl.Utf8).cast(pl.Decimal(12, 3)), (i) => `${Math.floor(i / 8)}.${String((i % 8) * 125).padStart(3, '0')}`, (i) => i / 8, 'float64'],
  ['b', typed(pl.Bool), (i) => i % 2 === 1, (i) => i % 2 === 1, 'bool'],
  ['s', typed(pl.Utf8), (i) => `v${i}€`, (i) => `v${i}€`, 'string'],
  ['cat', (name, v) => pl.Series(name, ids.map(v), pl.Utf8).cast(pl.Categorical), (i) => ['lo', 'mid', 'hi'][i % 3], (i) => ['lo', 'mid', 'hi'][i % 3], 'category'],
  ['d', (name, v) => pl.Series(name, ids.map(v), pl.Int32).cast(pl.Date), (i) => 19000 + i, (i) => BigInt(19000 + i) * NS_DAY, 'datetime64[ns]'],
  ['tms', time(pl.Datetime('ms')), (i) => 1700000000000n + BigInt(i) * 1001n, (i) => (1700000000000n + BigInt(i) * 1001n) * 1_000_000n, 'datetime64[ns]'],
  ['tus', time(pl.Datetime('us')), (i) => NS_2024 / 1000n + BigInt(i) * 3n, (i) => NS_2024 + BigInt(i) * 3000n, 'datetime64[ns]'],
  ['tns', time(pl.Datetime('ns')), (i) => NS_2024 + BigInt(i) * 7n, (i) => NS_2024 + BigInt(i) * 7n, 'datetime64[ns]'],
  ['tzp', time(pl.Datetime('us', 'Europe/Paris')), (i) => NS_2024 / 1000n + BigInt(i) * 1_000_000n, (i) => NS_2024 + BigInt(i) * 1_000_000_000n, 'datetime64[ns, Europe/Paris]'],
  ['tzu', time(pl.Datetime('ns', 'UTC')), (i) => NS_2024 + BigInt(i), (i) => NS_2024 + BigInt(i), 'datetime64[ns, UTC]'],
  ['lst', (name) => pl.Series(name, ids.map((i) => (isNull(i, 20) ? null : [i, i * 2]))), (i) => i, (i) => [i, i * 2], 'object'],
];

function frame(): pl.DataFrame {
  const series = COLUMNS.map(([name, make, value], k) => make(name, (i) => (isNull(i, k) ? null : value(i))));
  // A struct of two columns: its fields' nulls show inside its objects.
  return pl.DataFrame(series).withColumns(pl.struct([pl.col('i16'), pl.col('s')]).alias('st'));
}
const structOf = (i: number) => ({ i16: isNull(i, 1) ? null : i * 31 - 15000, s: isNull(i, 12) ? null : `v${i}€` });

const cells = (s: dd.LocalSeries): unknown[] => Array.from({ length: s.length }, (_, i) => s.at(i));

describe.each(SCHEDULERS)('readParquet of polars files (%s)', (sched, opts) => {
  it.each(['zstd', 'lz4', 'snappy', 'gzip', 'uncompressed'])('every type with nulls, %s, row groups of 300', async (codec) => {
    const path = join(dir, `all-${codec}-${sched}.parquet`);
    await frame().lazy().sinkParquet(path, { compression: codec as 'zstd', rowGroupSize: 300 }).collect();
    const df = await dd.readParquet(path, { splitRowGroups: true });
    expect(df.npartitions).toBe(4);
    expect({ ...df.dtypes }).toEqual({ ...Object.fromEntries(COLUMNS.map(([n, , , , t]) => [n, t])), st: 'object' });
    const r = await df.compute(opts);
    expect(r.numRows).toBe(N);
    COLUMNS.forEach(([name, , , expected], k) => {
      expect(cells(r.col(name)), name).toEqual(ids.map((i) => (isNull(i, name === 'lst' ? 20 : k) ? null : expected(i))));
    });
    expect(cells(r.col('st'))).toEqual(ids.map(structOf));
  });
});
