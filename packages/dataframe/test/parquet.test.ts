/** readParquet / toParquet: round trips against the original data, projection, row groups, errors. */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeThreadPools } from '@pdask/core';
import { makeData, makeVector, Int32 } from 'apache-arrow';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as dd from '../src/index';
import { fixture, SCHEDULERS } from './helpers';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pdask-df-parquet-'));
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await closeThreadPools();
});

const N = fixture.data.x.length;
const id = Array.from({ length: N }, (_, i) => i);
const flag = fixture.data.x.map((x) => x % 2 === 0);
// int64 values past 2^53 (exact only as bigint) and an int32 column with nulls (an Arrow validity bitmap).
const big = BigInt64Array.from(id, (i) => 2n ** 60n + BigInt(i) * 7n - 500n);
const nullInts = id.map((i) => (i % 9 === 4 ? null : i * 3 - 1000));
function nullableInt32(): ReturnType<typeof makeVector> {
  const values = Int32Array.from(nullInts, (v) => v ?? 0);
  const bitmap = new Uint8Array((N + 7) >> 3);
  nullInts.forEach((v, i) => v !== null && (bitmap[i >> 3] |= 1 << (i & 7)));
  return makeVector(makeData({ type: new Int32(), length: N, nullCount: nullInts.filter((v) => v === null).length, data: values, nullBitmap: bitmap }));
}
const original = () => ({ id, ...fixture.data, flag, big, nint: nullableInt32() });

const cells = (s: dd.LocalSeries): unknown[] => Array.from({ length: s.length }, (_, i) => {
  const v = s.at(i);
  return typeof v === 'number' && Number.isNaN(v) ? null : v;
});

describe.each(SCHEDULERS)('toParquet and readParquet (%s)', (sched, opts) => {
  it.each([
    ['1 partition', { npartitions: 1 }],
    ['10 partitions, the last of one row', { chunksize: 111 }],
  ] as [string, dd.PartitionOptions][])('round trip keeps every value and type: %s', async (label, part) => {
    const df = dd.fromColumns(original(), part);
    const sub = join(dir, sched, label.replace(/\W+/g, '_'));
    const paths = await df.toParquet(sub, opts);
    expect(paths).toEqual(Array.from({ length: df.npartitions }, (_, i) => join(sub, `part.${i}.parquet`)));
    expect(readdirSync(sub).length).toBe(df.npartitions);
    const back = await dd.readParquet(join(sub, '*.parquet'));
    expect(back.npartitions).toBe(df.npartitions);
    expect(back.dtypes).toEqual({ id: 'int32', x: 'int32', y: 'float64', z: 'float64', k: 'string', fkey: 'float64', w: 'int32', flag: 'bool', big: 'int64', nint: 'int32' });
    const r = await back.compute(opts);
    expect(r.numRows).toBe(N);
    // The glob sorts part.10 before part.2, so rows are put back in order by id.
    const order = (cells(r.col('id')) as number[]).map((v, i) => [v, i]).sort((a, b) => a[0] - b[0]).map(([, i]) => i);
    const col = (c: string) => order.map((i) => cells(r.col(c))[i]);
    expect(col('id')).toEqual(id);
    for (const c of ['x', 'y', 'z', 'k', 'fkey', 'w'] as const) expect(col(c), c).toEqual(fixture.data[c]);
    expect(col('flag')).toEqual(flag);
    expect(col('big')).toEqual(Array.from(big));
    expect(col('nint')).toEqual(nullInts);
  });

  it('one partition per row group, column projection in the order asked', async () => {
    const df = dd.fromColumns({ id, k: fixture.data.k, y: fixture.data.y }, { npartitions: 3 });
    const sub = join(dir, sched, 'groups');
    await df.toParquet(join(sub, 'g-*.parquet'), { ...opts, rowGroupSize: 100 });
    // 1000 rows in 3 partitions (334, 334, 332), each cut into row groups of 100: 4 + 4 + 4.
    const back = await dd.readParquet(join(sub, 'g-*.parquet'), { columns: ['y', 'id'], splitRowGroups: true });
    expect(back.npartitions).toBe(12);
    expect(back.columns).toEqual(['y', 'id']);
    const r = await back.compute(opts);
    expect(cells(r.col('id'))).toEqual(id);
    expect(cells(r.col('y'))).toEqual(fixture.data.y);
    const whole = await dd.readParquet(join(sub, 'g-*.parquet'), { columns: ['k'] });
    expect(whole.npartitions).toBe(3);
    expect(cells((await whole.compute(opts)).col('k'))).toEqual(fixture.data.k);
  });

  it('writes the index levels of a group-by result as its first columns', async () => {
    const g = dd.fromColumns({ a: [1, 1, 2], b: ['u', 'v', 'u'], v: [1, 2, 4] }, { npartitions: 2 }).groupby(['a', 'b']).agg({ v: 'sum' });
    await g.toParquet(join(dir, sched, 'grouped'), opts);
    const r = await (await dd.readParquet(join(dir, sched, 'grouped', '*.parquet'))).compute(opts);
    expect(r.columns).toEqual(['a', 'b', 'v']);
    expect(r.toRecords()).toEqual([
      { a: 1, b: 'u', v: 1 },
      { a: 1, b: 'v', v: 2 },
      { a: 2, b: 'u', v: 4 },
    ]);
  });
});

describe('readParquet of a file written by hyparquet-writer directly, as pyarrow types a pandas frame', () => {
  it('INT64, optional DOUBLE, STRING and BOOLEAN with nulls', async () => {
    const path = join(dir, 'direct.parquet');
    const bytes = parquetWriteBuffer({
      columnData: [
        { name: 'n', type: 'INT64', data: BigInt64Array.from([1n, -2n, 9007199254740993n]) },
        { name: 'f', type: 'DOUBLE', nullable: true, data: [0.5, null, -1.25] },
        { name: 's', type: 'STRING', nullable: true, data: ['a', null, 'ü'] },
        { name: 'b', type: 'BOOLEAN', nullable: true, data: [true, false, null] },
      ],
    });
    writeFileSync(path, new Uint8Array(bytes));
    const df = await dd.readParquet(path);
    expect(df.dtypes).toEqual({ n: 'int64', f: 'float64', s: 'string', b: 'bool' });
    const r = await df.compute({ scheduler: 'sync' });
    expect(cells(r.col('n'))).toEqual([1n, -2n, 9007199254740993n]);
    expect(cells(r.col('f'))).toEqual([0.5, null, -1.25]);
    expect(cells(r.col('s'))).toEqual(['a', null, 'ü']);
    expect(cells(r.col('b'))).toEqual([true, false, null]);
  });
});

describe('readParquet and toParquet errors', () => {
  it('a missing file, a glob matching nothing, an unknown column, a non-Parquet file', async () => {
    await expect(dd.readParquet(join(dir, 'nope.parquet'))).rejects.toThrow(`readParquet: cannot read '${join(dir, 'nope.parquet')}': no such file`);
    await expect(dd.readParquet(join(dir, 'none-*.parquet'))).rejects.toThrow(`readParquet: no file matches '${join(dir, 'none-*.parquet')}'`);
    const path = join(dir, 'small', 'part.0.parquet');
    await dd.fromColumns({ a: [1, 2], s: ['x', 'y'] }, { npartitions: 1 }).toParquet(join(dir, 'small'));
    await expect(dd.readParquet(path, { columns: ['a', 'q'] })).rejects.toThrow(`readParquet (${path}): column "q" not found; known columns: 'a', 's'`);
    writeFileSync(join(dir, 'text.parquet'), 'a,b\n1,2\n');
    await expect(dd.readParquet(join(dir, 'text.parquet'))).rejects.toThrow(`readParquet: '${join(dir, 'text.parquet')}' is not a readable Parquet file`);
  });

  it('a column of a type pdask cannot hold is refused by name, and can be left out', async () => {
    const path = join(dir, 'stamps.parquet');
    const bytes = parquetWriteBuffer({
      columnData: [
        { name: 'when', type: 'BYTE_ARRAY', data: [new Uint8Array([1]), new Uint8Array([2, 3])] },
        { name: 'u8', data: [1, 200], type: 'INT32' },
      ],
    });
    writeFileSync(path, new Uint8Array(bytes));
    await expect(dd.readParquet(path)).rejects.toThrow(`readParquet: column 'when' of ${path} holds binary data (BYTE_ARRAY without a string annotation), which pdask cannot read; leave it out with { columns }`);
    const r = await (await dd.readParquet(path, { columns: ['u8'] })).compute({ scheduler: 'sync' });
    expect(cells(r.col('u8'))).toEqual([1, 200]);
  });

  it('files whose columns disagree, and bad write options', async () => {
    await dd.fromColumns({ a: [1, 2] }, { npartitions: 1 }).toParquet(join(dir, 'mixed', 'a-*.parquet'));
    await dd.fromColumns({ a: [1.5, 2] }, { npartitions: 1 }).toParquet(join(dir, 'mixed', 'b-*.parquet'));
    await expect(dd.readParquet(join(dir, 'mixed', '*.parquet'))).rejects.toThrow(/readParquet: column 'a' is float64 in .*b-0\.parquet but int32 in .*a-0\.parquet/);
    const df = dd.fromColumns({ a: [1, 2] }, { npartitions: 2 });
    await expect(df.toParquet(join(dir, 'x-*-*.parquet'))).rejects.toThrow("holds 2 '*'; give at most one");
    await expect(df.toParquet(join(dir, 'y'), { rowGroupSize: 0 })).rejects.toThrow("DataFrame.toParquet: option 'rowGroupSize' must be an integer >= 1, got 0 (number)");
  });
});
