/** toCsv: one file per partition, read back with readCsv. */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeThreadPools } from '@pdask/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as dd from '../src/index';
import { fixture, SCHEDULERS } from './helpers';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pdask-df-tocsv-'));
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await closeThreadPools();
});

const N = fixture.data.x.length;
const id = Array.from({ length: N }, (_, i) => i);
const cells = (s: dd.LocalSeries): unknown[] => Array.from({ length: s.length }, (_, i) => {
  const v = s.at(i);
  return typeof v === 'number' && Number.isNaN(v) ? null : v;
});

describe.each(SCHEDULERS)('toCsv (%s)', (sched, opts) => {
  it.each([
    ['1 partition', { npartitions: 1 }],
    ['10 partitions, the last of one row', { chunksize: 111 }],
  ] as [string, dd.PartitionOptions][])('writes every partition and reads back the same values: %s', async (label, part) => {
    const df = dd.fromColumns({ id, ...fixture.data, flag: fixture.data.x.map((x) => x % 2 === 0) }, part);
    const sub = join(dir, sched, label.replace(/\W+/g, '_'));
    const paths = await df.toCsv(join(sub, 'part-*.csv'), opts);
    expect(paths).toEqual(Array.from({ length: df.npartitions }, (_, i) => join(sub, `part-${i}.csv`)));
    expect(readdirSync(sub).length).toBe(df.npartitions);
    const back = await dd.readCsv(join(sub, 'part-*.csv'), { blocksize: 4096 });
    // The index (row positions, from the divisions) is written first, as pandas/Dask's index=True.
    expect(back.dtypes).toEqual({ 'Unnamed: 0': 'int32', id: 'int32', x: 'int32', y: 'float64', z: 'float64', k: 'string', fkey: 'float64', w: 'int32', flag: 'bool' });
    const r = await back.compute(opts);
    expect(r.numRows).toBe(N);
    expect(cells(r.col('id'))).toEqual(id);
    expect(cells(r.col('Unnamed: 0'))).toEqual(id);
    for (const c of ['x', 'y', 'z', 'k', 'fkey', 'w'] as const) expect(cells(r.col(c)), c).toEqual(fixture.data[c]);
    expect(cells(r.col('flag'))).toEqual(fixture.data.x.map((x) => x % 2 === 0));
  });

  it('quotes fields that need it, writes whole floats as 1.0 and the index levels of a group-by', async () => {
    const df = dd.fromColumns({ s: ['a,b', 'say "hi"', null, 'plain'], f: [1, 2.5, null, -3] }, { npartitions: 2 });
    const [p0, p1] = await df.toCsv(join(dir, sched, 'quoted', 'q-*.csv'), opts);
    expect(readFileSync(p0, 'utf8')).toBe(',s,f\n0,"a,b",1.0\n1,"say ""hi""",2.5\n');
    expect(readFileSync(p1, 'utf8')).toBe(',s,f\n2,,\n3,plain,-3.0\n');
    const [n0] = await df.toCsv(join(dir, sched, 'quoted', 'n-*.csv'), { index: false, ...opts });
    expect(readFileSync(n0, 'utf8')).toBe('s,f\n"a,b",1.0\n"say ""hi""",2.5\n');
    const g = dd.fromColumns({ a: [1, 1, 2], b: ['u', 'v', 'u'], v: [1, 2, 4] }, { npartitions: 2 }).groupby(['a', 'b']).agg({ v: 'sum' });
    const [gp] = await g.toCsv(join(dir, sched, 'grouped-*.csv'), opts);
    expect(readFileSync(gp, 'utf8')).toBe('a,b,v\n1,u,1.0\n1,v,2.0\n2,u,4.0\n');
  });
});

describe('toCsv errors', () => {
  it('the path must have one * for several partitions', async () => {
    const df = dd.fromColumns({ a: [1, 2] }, { npartitions: 2 });
    await expect(df.toCsv(join(dir, 'out.csv'))).rejects.toThrow("DataFrame.toCsv: the path '" + join(dir, 'out.csv') + "' must hold exactly one '*'");
    await expect(df.toCsv(join(dir, 'x-*.csv'), { sep: ';;' })).rejects.toThrow('DataFrame.toCsv: sep must be one character');
  });
});
