import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeThreadPools } from '@pdask/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as dd from '../src/index';
import { SCHEDULERS } from './helpers';

let dir: string;
const ROWS = 500;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pdask-df-csv-'));
  // Two files of known content: id, group name, value = id / 4, flag.
  for (const f of [0, 1]) {
    const lines = ['id,name,value,flag'];
    for (let i = 0; i < ROWS; i++) {
      const id = f * ROWS + i;
      lines.push(`${id},g${id % 3},${id % 7 === 0 ? '' : id / 4},${id % 2 === 0 ? 'True' : 'False'}`);
    }
    writeFileSync(join(dir, `part-${f}.csv`), lines.join('\n') + '\n');
  }
  writeFileSync(join(dir, 'bad.csv'), 'a,b\n1,2\n3,4\n5\n7,8\n');
  writeFileSync(join(dir, 'badtype.csv'), 'a,b\n1,2\n3,4\n5,x\n');
});

afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await closeThreadPools();
});

describe.each(SCHEDULERS)('readCsv (%s)', (_, opts) => {
  it('reads a glob in byte blocks, each row once, with inferred types', async () => {
    const df = await dd.readCsv(join(dir, 'part-*.csv'), { blocksize: 1000 });
    expect(df.npartitions).toBeGreaterThan(10);
    expect(df.dtypes).toEqual({ id: 'int32', name: 'string', value: 'float64', flag: 'bool' });
    const r = await df.compute(opts);
    expect(r.numRows).toBe(2 * ROWS);
    expect(Array.from(r.col('id').toArray() as Int32Array)).toEqual(Array.from({ length: 2 * ROWS }, (_, i) => i));
    // From first principles: the values sum (empty = NaN, skipped) and the groups' counts.
    let sum = 0;
    let count = 0;
    for (let id = 0; id < 2 * ROWS; id++) if (id % 7 !== 0) (sum += id / 4, count++);
    expect(await df.col('value').sum().compute(opts)).toBeCloseTo(sum, 9);
    expect(await df.col('value').count().compute(opts)).toBe(count);
    const sizes = await df.groupby('name').size().compute(opts);
    expect(sizes.entries()).toEqual([['g0', 334], ['g1', 333], ['g2', 333]]);
    expect(await df.filter(df.col('flag')).len(opts)).toBe(ROWS);
  });

  it('a blocksize larger than the file gives one partition per file', async () => {
    const df = await dd.readCsv([join(dir, 'part-0.csv'), join(dir, 'part-1.csv')], { blocksize: '64MB' });
    expect(df.npartitions).toBe(2);
    expect(await df.len(opts)).toBe(2 * ROWS);
  });

  it('a malformed line fails with the file and line number', async () => {
    const df = await dd.readCsv(join(dir, 'bad.csv'), { blocksize: 6 });
    await expect(df.compute(opts)).rejects.toThrow(`readCsv: malformed line ${join(dir, 'bad.csv')}:4: expected 2 fields (a, b), got 1`);
    const whole = await dd.readCsv(join(dir, 'bad.csv'));
    await expect(whole.compute(opts)).rejects.toThrow(`${join(dir, 'bad.csv')}:4`);
    const typed = await dd.readCsv(join(dir, 'badtype.csv'), { dtype: { b: 'int32' } });
    await expect(typed.compute(opts)).rejects.toThrow(`readCsv: ${join(dir, 'badtype.csv')}:4: column 'b' expects int32 values`);
  });
});

describe('readCsv errors at build time', () => {
  it('missing files, bad blocksize, unknown dtype columns', async () => {
    await expect(dd.readCsv(join(dir, 'nothing-*.csv'))).rejects.toThrow("readCsv: no file matches");
    await expect(dd.readCsv(join(dir, 'absent.csv'))).rejects.toThrow('no such file');
    await expect(dd.readCsv(join(dir, 'bad.csv'), { blocksize: 0 })).rejects.toThrow('blocksize must be a positive number of bytes');
    await expect(dd.readCsv(join(dir, 'bad.csv'), { dtype: { q: 'float64' } })).rejects.toThrow("dtype names column 'q', which is not read; known columns: 'a', 'b'");
  });
});
