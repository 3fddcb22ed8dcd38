/**
 * readCsv's pandas options against pandas 1.5: files written by pandas (fixtures/csv/, made with
 * quoting, blanks, strings, mixed types, compression and other encodings by
 * fixtures/make_csv_fixtures.py), read here with the same options, checked column by column
 * against what pandas' read_csv returned (fixtures/csv.json), in one block per file and in small
 * byte blocks.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { closeThreadPools } from '@pdask/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as dd from '../src/index';
import { SCHEDULERS } from './helpers';

interface PandasFrame {
  columns: string[];
  dtypes: string[];
  values: Record<string, (number | string | boolean | null)[]>;
}
interface Case {
  file: string;
  pdask: dd.ReadCsvOptions;
  result: PandasFrame;
}
const fixture = JSON.parse(readFileSync(new URL('./fixtures/csv.json', import.meta.url), 'utf8')) as { cases: Record<string, Case> };
const CSV = resolve(new URL('./fixtures/csv', import.meta.url).pathname);

/** pandas' dtype names as pdask spells them (int64 from CSV is int32 here; object is string). */
const DTYPE: Record<string, string> = { int64: 'int32', float64: 'float64', bool: 'bool', object: 'string' };

function valuesOf(f: dd.LocalFrame, c: string): unknown[] {
  const s = f.col(c);
  return Array.from({ length: s.length }, (_, i) => {
    const v = s.at(i);
    return typeof v === 'number' && Number.isNaN(v) ? null : v;
  });
}

function expectFrame(f: dd.LocalFrame, p: PandasFrame, what: string): void {
  expect(f.columns, `${what} columns`).toEqual(p.columns);
  expect(Object.values(f.dtypes), `${what} dtypes`).toEqual(p.dtypes.map((d) => DTYPE[d]));
  for (const c of p.columns) {
    const got = valuesOf(f, c);
    const want = p.values[c];
    expect(got.length, `${what}.${c} length`).toBe(want.length);
    want.forEach((w, i) => {
      if (typeof w === 'number' && w !== null && !Number.isInteger(w)) expect(got[i] as number, `${what}.${c}[${i}]`).toBeCloseTo(w, 9);
      else expect(got[i], `${what}.${c}[${i}]`).toEqual(w);
    });
  }
}

/** Files with quoted line breaks cannot be cut into small blocks (as in Dask): one block only. */
const SMALL_BLOCKS_OK = (file: string): boolean => !file.startsWith('people') && !/\.(gz|bz2)$/.test(file);

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pdask-csv-options-'));
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await closeThreadPools();
});

describe.each(SCHEDULERS)('readCsv options against pandas (%s)', (_, opts) => {
  for (const [key, c] of Object.entries(fixture.cases)) {
    it(`${key}: ${JSON.stringify(c.pdask)}`, async () => {
      for (const blocksize of SMALL_BLOCKS_OK(c.file) ? [undefined, 37, 200] : [undefined]) {
        const df = await dd.readCsv(join(CSV, c.file), { ...c.pdask, ...(blocksize ? { blocksize } : {}) });
        expect(Object.keys(df.dtypes), `${key} lazy columns`).toEqual(c.result.columns);
        if (blocksize && statSync(join(CSV, c.file)).size > 3 * blocksize && !c.pdask.encoding?.startsWith('utf-16')) expect(df.npartitions, `${key} blocks of ${blocksize}`).toBeGreaterThan(1);
        expectFrame(await df.compute(opts), c.result, `${key} (blocksize ${blocksize ?? 'default'})`);
      }
    });
  }

  it('includePathColumn: a category column of each row\'s file (Dask\'s include_path_column), glob of plain and compressed files', async () => {
    const files = ['euro.csv', 'euro2.csv.gz'];
    copyFileSync(join(CSV, 'euro.csv'), join(dir, files[0]));
    const { gzipSync } = await import('node:zlib');
    writeFileSync(join(dir, files[1]), gzipSync(readFileSync(join(CSV, 'euro.csv'))));
    const df = await dd.readCsv(join(dir, 'euro*'), { sep: ';', decimal: ',', thousands: '.', includePathColumn: true, blocksize: 300 });
    expect(df.dtypes).toEqual({ k: 'string', amount: 'float64', units: 'int32', path: 'category' });
    const r = await df.compute(opts);
    const p = fixture.cases.euro.result;
    const n = p.values.k.length;
    expect(r.numRows).toBe(2 * n);
    expect(valuesOf(r, 'path')).toEqual([...Array(n).fill(join(dir, files[0])), ...Array(n).fill(join(dir, files[1]))]);
    expect(valuesOf(r, 'units')).toEqual([...p.values.units, ...p.values.units]);
    const named = await dd.readCsv(join(dir, 'euro*'), { sep: ';', decimal: ',', thousands: '.', includePathColumn: 'src' });
    expect(named.columns).toEqual(['k', 'amount', 'units', 'src']);
    await expect(dd.readCsv(join(dir, 'euro*'), { sep: ';', includePathColumn: 'k' })).rejects.toThrow("readCsv: the files already have a column 'k'");
  });

  it('a malformed line names the file and its line, after skipped and commented lines', async () => {
    for (const blocksize of [undefined, 8]) {
      const df = await dd.readCsv(join(CSV, 'malformed.csv'), { comment: '#', ...(blocksize ? { blocksize } : {}) });
      await expect(df.compute(opts)).rejects.toThrow(`readCsv: malformed line ${join(CSV, 'malformed.csv')}:5: expected 3 fields (a, b, c), got 2`);
    }
    writeFileSync(join(dir, 'm.csv.gz'), (await import('node:zlib')).gzipSync(readFileSync(join(CSV, 'malformed.csv'))));
    const gz = await dd.readCsv(join(dir, 'm.csv.gz'), { comment: '#' });
    await expect(gz.compute(opts)).rejects.toThrow(`readCsv: malformed line ${join(dir, 'm.csv.gz')}:5: expected 3 fields`);
  });
});

describe('readCsv option errors', () => {
  it('bad values and unknown columns are named', async () => {
    const people = join(CSV, 'people.csv');
    await expect(dd.readCsv(people, { usecols: ['id', 'q'] })).rejects.toThrow("readCsv: usecols do not match columns, columns expected but not found: 'q'");
    await expect(dd.readCsv(people, { usecols: [0, 9] })).rejects.toThrow('readCsv: usecols names positions 9, but the file has 6 columns');
    await expect(dd.readCsv(people, { names: ['a', 'b'] })).rejects.toThrow('readCsv: names has 2 names but');
    await expect(dd.readCsv(people, { names: ['a', 'a', 'b', 'c', 'd', 'e'] })).rejects.toThrow("names holds 'a' twice");
    await expect(dd.readCsv(people, { header: [0, 1] as never })).rejects.toThrow("readCsv: option 'header'");
    await expect(dd.readCsv(people, { compression: 'xz' as never })).rejects.toThrow("'xz' has no maintained decoder");
    await expect(dd.readCsv(people, { encoding: 'klingon' })).rejects.toThrow("readCsv: unknown encoding 'klingon'");
    await expect(dd.readCsv(people, { sep: ';;', quotechar: 'ab' })).rejects.toThrow("readCsv: option 'quotechar'");
    await expect(dd.readCsv(people, { names: ['__pdask_index__', 'b', 'c', 'd', 'e', 'f'] })).rejects.toThrow("readCsv: the column name '__pdask_index__' is reserved");
    writeFileSync(join(dir, 'data.xz'), 'a\n1\n');
    await expect(dd.readCsv(join(dir, 'data.xz'))).rejects.toThrow('looks xz-compressed');
    expect((await dd.readCsv(join(dir, 'data.xz'), { compression: null })).columns).toEqual(['a']);
  });
});
