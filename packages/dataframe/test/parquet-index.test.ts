/**
 * readParquet({ index }): the column becomes the index; divisions come from the row groups'
 * statistics when the pieces are sorted by it (each piece's minimum at least the previous
 * maximum, Dask's sorted_columns), else they are unknown. Expected divisions are computed here
 * from the data written. Files are written by pdask's toParquet (hyparquet-writer, which writes
 * min/max statistics); no pyarrow/fastparquet is installed here to compare with Dask.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asyncBufferFromFile, parquetMetadataAsync } from 'hyparquet';
import { closeThreadPools } from '@pdask/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as dd from '../src/index';
import { SCHEDULERS } from './helpers';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pdask-df-pqidx-'));
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await closeThreadPools();
});

// 23 rows, t sorted with repeats, v = t * 1.5, s the row's text.
const t = [1, 1, 2, 3, 5, 5, 5, 8, 9, 10, 11, 11, 14, 15, 15, 16, 20, 21, 21, 22, 25, 30, 31];
const v = t.map((x) => x * 1.5);
const s = t.map((x, i) => `r${i}-${x}`);

/** Row counts → the divisions Dask derives: each piece's first label, then the last piece's last. */
function expectedDivisions(counts: readonly number[], labels: readonly (number | string)[]): (number | string)[] {
  const out: (number | string)[] = [];
  let at = 0;
  for (const c of counts.filter((n) => n > 0)) {
    out.push(labels[at]);
    at += c;
  }
  return [...out, labels[at - 1]];
}

async function values(df: dd.DataFrame, opts: object): Promise<{ index: unknown[]; v: unknown[]; s: unknown[] }> {
  const r = await df.compute(opts);
  return { index: r.col('v').indexArray(), v: Array.from({ length: r.numRows }, (_, i) => r.col('v').at(i)), s: Array.from({ length: r.numRows }, (_, i) => r.col('s').at(i)) };
}

describe.each(SCHEDULERS)('readParquet index (%s)', (sched, opts) => {
  it('one file per partition, sorted: divisions from the statistics, the same values', async () => {
    const out = join(dir, sched, 'sorted');
    // chunksize 6: partitions of 6, 6, 6, 5 rows.
    await dd.fromColumns({ t, v, s }, { chunksize: 6 }).toParquet(out, opts);
    const df = await dd.readParquet(join(out, '*.parquet'), { index: 't' });
    expect(df.columns).toEqual(['v', 's']);
    expect(df.divisions).toEqual(expectedDivisions([6, 6, 6, 5], t));
    // 5 and 21 end one partition and start the next: allowed, as Dask's sorted_columns allows it.
    expect(df.divisions).toEqual([1, 5, 14, 21, 31]);
    const got = await values(df, opts);
    expect(got).toEqual({ index: t, v, s });
    // Labels work as on any indexed frame: loc reads the partition(s) the divisions name.
    const picked = await df.loc(15).compute(opts);
    expect(picked.col('s').toArray()).toEqual(['r13-15', 'r14-15']);
  });

  it('row groups as partitions; a string index; columns naming the index leave it out of the columns', async () => {
    const out = join(dir, sched, 'groups');
    const labels = s.map((_, i) => `k${String(i).padStart(2, '0')}`);
    await dd.fromColumns({ name: labels, v, s }, { npartitions: 1 }).toParquet(out, { rowGroupSize: 4, ...opts });
    const df = await dd.readParquet(join(out, 'part.0.parquet'), { index: 'name', splitRowGroups: true, columns: ['s', 'name', 'v'] });
    expect(df.npartitions).toBe(6);
    expect(df.columns).toEqual(['s', 'v']);
    expect(df.divisions).toEqual(expectedDivisions([4, 4, 4, 4, 4, 3], labels));
    expect((await values(df, opts)).index).toEqual(labels);
  });

  it('unsorted or overlapping pieces, and calculateDivisions: false, give unknown divisions', async () => {
    const rev = join(dir, sched, 'reversed');
    // part.0 holds the larger labels: the pieces in file order are not sorted.
    await dd.fromColumns({ t: [...t].reverse(), v, s }, { chunksize: 6, index: 't', sort: false }).toParquet(rev, opts);
    const a = await dd.readParquet(join(rev, '*.parquet'), { index: 't' });
    expect(a.divisions).toBeNull();
    expect((await values(a, opts)).index).toEqual([...t].reverse());
    const over = join(dir, sched, 'overlap');
    // Partition 0 holds 1..9 and partition 1 holds 2..3: overlapping ranges.
    await dd.fromColumns({ t: [1, 9, 2, 3], v: [0, 1, 2, 3], s: ['a', 'b', 'c', 'd'] }, { chunksize: 2 }).toParquet(over, opts);
    expect((await dd.readParquet(join(over, '*.parquet'), { index: 't' })).divisions).toBeNull();
    const sorted = join(dir, sched, 'sorted2');
    await dd.fromColumns({ t, v, s }, { chunksize: 6 }).toParquet(sorted, opts);
    expect((await dd.readParquet(join(sorted, '*.parquet'), { index: 't', calculateDivisions: false })).divisions).toBeNull();
    // Without index: no index, unknown divisions, as before.
    const plain = await dd.readParquet(join(sorted, '*.parquet'));
    expect(plain.columns).toEqual(['t', 'v', 's']);
    expect(plain.divisions).toBeNull();
  });

  it('a float index with a missing value (NaN, written as null) gives unknown divisions', async () => {
    const out = join(dir, sched, 'nulls');
    await dd.fromColumns({ t: [1.5, null, 3], v: [1, 2, 3] }, { npartitions: 1 }).toParquet(out, opts);
    const df = await dd.readParquet(join(out, '*.parquet'), { index: 't' });
    expect(df.divisions).toBeNull();
    expect((await df.compute(opts)).col('v').toArray()).toEqual(Int32Array.from([1, 2, 3]));
  });
});

describe('readParquet index: the statistics toParquet writes, errors', () => {
  it('toParquet writes min/max statistics for every column chunk', async () => {
    const out = join(dir, 'stats');
    const [p] = await dd.fromColumns({ t: Int32Array.from([4, 2, 9]), k: ['b', 'a', 'c'] }, { npartitions: 1 }).toParquet(out);
    const meta = await parquetMetadataAsync(await asyncBufferFromFile(p));
    const stats = meta.row_groups[0].columns.map((c) => c.meta_data?.statistics);
    expect(stats.map((st) => [st?.min_value, st?.max_value])).toEqual([[2, 9], ['a', 'c']]);
  });
  it('an index that is not a column is refused by name', async () => {
    const out = join(dir, 'err');
    await dd.fromColumns({ t: [1, 2] }, { npartitions: 1 }).toParquet(out);
    await expect(dd.readParquet(join(out, '*.parquet'), { index: 'q' })).rejects.toThrow('column "q" not found');
  });
});
