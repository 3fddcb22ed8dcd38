/**
 * readCsv's fused WebAssembly pass (ops/csv-fused.ts, kernels/assembly/csv.ts) against pandas 1.5
 * (fixtures/make_csv_perf.py): cells the kernel converts and cells it hands back to the general
 * rules, in one block and in small byte blocks, on sync and threads; lines longer than the first
 * (the kernel recounts its rows) and more fallback cells than its first list holds; quoted fields
 * (declined, read by the span path) including block boundaries inside quotes; times with offsets;
 * CRLF. Then the kernel itself on texts whose values follow from first principles, and the errors
 * that must still name the file and line when a plain-looking block turns out malformed.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeThreadPools } from '@pdask/core';
import { loadKernelsSync, type CsvStrings } from '@pdask/kernels';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as dd from '../src/index';
import { fusedColumns } from '../src/ops/csv-fused';
import { fieldReader } from '../src/ops/csv-fast-convert';
import type { CsvFormat } from '../src/ops/csv-text';
import type { TypeDesc } from '../src/ops/types';
import { SCHEDULERS } from './helpers';

interface Case {
  text: string;
  pdask: dd.ReadCsvOptions;
  blocksizes: (number | null)[];
  columns: string[];
  values: Record<string, (number | string | boolean | null)[]>;
}
const fixture = JSON.parse(readFileSync(new URL('./fixtures/csv_perf.json', import.meta.url), 'utf8')) as { cases: Record<string, Case> };

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pdask-csv-perf-'));
  for (const [name, c] of Object.entries(fixture.cases)) writeFileSync(join(dir, `${name}.csv`), c.text);
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await closeThreadPools();
});

/** A column's values as the fixture writes them: NaN as null, infinities and timestamps (nanoseconds) as strings, int64 as numbers. */
function valuesOf(f: dd.LocalFrame, c: string): unknown[] {
  const s = f.col(c);
  return Array.from({ length: s.length }, (_, i) => {
    const v = s.at(i);
    if (typeof v === 'bigint') return String(v);
    if (v === Infinity || v === -Infinity) return v > 0 ? 'inf' : '-inf';
    return typeof v === 'number' && Number.isNaN(v) ? null : v;
  });
}

describe.each(SCHEDULERS)('readCsv through the fused pass against pandas (%s)', (_, opts) => {
  for (const [name, c] of Object.entries(fixture.cases)) {
    for (const blocksize of c.blocksizes) {
      it(`${name}${blocksize ? ` in ${blocksize}-byte blocks` : ''}`, async () => {
        const df = await dd.readCsv(join(dir, `${name}.csv`), { ...c.pdask, ...(blocksize ? { blocksize } : {}) });
        if (blocksize) expect(df.npartitions).toBeGreaterThan(1);
        const r = await df.compute(opts);
        expect(r.columns).toEqual(c.columns);
        for (const col of c.columns) {
          // Signed zeros compared as numbers ('-0').
          expect(valuesOf(r, col).map((v) => (v === 0 ? 0 : v)), `column ${col}`).toEqual(c.values[col].map((v) => (v === 0 ? 0 : v)));
        }
      });
    }
  }
});

const F: CsvFormat = { sep: ',', quote: '"', comment: null, thousands: null, decimal: '.', encoding: 'utf-8' };
const I32: TypeDesc = { id: 'int', bits: 32, signed: true };
const F64: TypeDesc = { id: 'float', bits: 64 };
const STR: TypeDesc = { id: 'utf8' };
const TS: TypeDesc = { id: 'timestamp', unit: 'ns', tz: null };
const ns = (iso: string): bigint => BigInt(Date.parse(`${iso}Z`)) * 1_000_000n;

describe('the fused pass decides plain blocks itself', () => {
  const k = loadKernelsSync();
  it('converts numbers, int32s, times and strings in one pass, listing the cells it leaves to the rules', () => {
    const text = '1,2.5,ab,2021-01-02 03:04:05\n-7,1e3,,1970-01-01\n+3,x,NA,2021-01-02T03:04:05.5\n';
    const s = k.csvScan(Buffer.from(text), { kinds: ['int32', 'float64', 'string', 'timestamp'], sep: 44, quote: 34, nullTexts: ['NA'] })!;
    expect(s.rows).toBe(3);
    expect(Array.from(s.columns[0] as Int32Array)).toEqual([1, -7, 3]);
    expect(Array.from((s.columns[1] as Float64Array).subarray(0, 2))).toEqual([2.5, 1000]);
    const str = s.columns[2] as CsvStrings;
    expect(Array.from(str.offsets)).toEqual([0, 2, 2, 4]);
    expect(Buffer.from(str.data).toString()).toBe('abNA');
    expect(str.nonAscii).toBe(false);
    const t = s.columns[3] as BigInt64Array;
    expect([t[0], t[1]]).toEqual([ns('2021-01-02T03:04:05'), 0n]);
    // 'x' (a float the kernel does not read), '' and 'NA' (strings that may be missing), the 'T' time with a fraction is plain.
    const fb = Array.from(s.fallback);
    const cells = Array.from({ length: fb.length / 4 }, (_, i) => [fb[4 * i], fb[4 * i + 1], text.slice(fb[4 * i + 2], fb[4 * i + 3])]);
    expect(cells).toEqual([
      [1, 2, ''],
      [2, 1, 'x'],
      [2, 2, 'NA'],
    ]);
    expect(t[2]).toBe(ns('2021-01-02T03:04:05.500'));
  });
  it.each([
    ['a quoted field', 'a,"b"\n'],
    ['a quote inside a field', 'a,b"c\n'],
    ['a line with too few fields', 'a,b\nc\n'],
    ['a line with too many fields', 'a,b\nc,d,e\n'],
    ['a bare CR', 'a,b\rc,d\n'],
    ['LF then CRLF', 'a,b\nc,d\r\n'],
  ])('declines %s', (_, text) => {
    expect(k.csvScan(Buffer.from(text), { kinds: ['string', 'string'], sep: 44, quote: 34 })).toBeNull();
  });
  it('gives the same columns through fusedColumns as pandas would (values from first principles)', () => {
    const text = '10,0.25,k1,2020-02-29 23:59:59.999999999\n20,-1.5,,1969-12-31 23:59:59\n30,NaN,None,\n';
    const r = fieldReader(Buffer.from(text), F, undefined);
    const got = fusedColumns(r, 4, [0, 1, 2, 3], [I32, F64, STR, TS])!;
    expect(got.rows).toBe(3);
    expect(Array.from(got.vectors[0].toArray() as Int32Array)).toEqual([10, 20, 30]);
    expect(Array.from(got.vectors[1].toArray() as Float64Array)).toEqual([0.25, -1.5, NaN]);
    // pandas 1.5: '' is missing, 'None' stays text.
    expect([got.vectors[2].get(0), got.vectors[2].get(1), got.vectors[2].get(2)]).toEqual(['k1', null, 'None']);
    const t = got.vectors[3];
    expect(t.nullCount).toBe(1);
    expect(t.data[0].values[0]).toBe(ns('2020-02-29T23:59:59') + 999_999_999n);
    expect(t.data[0].values[1]).toBe(-1_000_000_000n);
    expect(t.isValid(2)).toBe(false);
  });
  it('leaves non-UTF-8 bytes to the general path', () => {
    const r = fieldReader(Buffer.from([0x61, 0x2c, 0xe9, 0x0a]), F, undefined);
    expect(fusedColumns(r, 2, [0, 1], [STR, STR])).toBeNull();
  });
});

describe('errors still name the file and line when the fused pass declines', () => {
  const lines = (n: number, bad: number, badLine: string) => `a,b,c\n${Array.from({ length: n }, (_, i) => (i + 2 === bad ? badLine : `${i},${i}.5,k${i % 5}`)).join('\n')}\n`;
  it.each(SCHEDULERS)('a malformed line in a later block (%s)', async (_, opts) => {
    const path = join(dir, 'malformed-late.csv');
    writeFileSync(path, lines(3000, 2500, '1,2'));
    const df = await dd.readCsv(path, { blocksize: 4096 });
    await expect(df.compute(opts)).rejects.toThrow(`malformed line ${path}:2500: expected 3 fields (a, b, c), got 2`);
  });
  it.each(SCHEDULERS)('a value the int column refuses in a later block (%s)', async (_, opts) => {
    const path = join(dir, 'refused-late.csv');
    writeFileSync(path, lines(3000, 2000, 'x,1.5,k'));
    // Types inferred from the first KiB: 'a' is int32 there.
    const df = await dd.readCsv(path, { blocksize: 4096, sampleBytes: 1024 });
    expect(df.dtypes.a).toBe('int32');
    await expect(df.compute(opts)).rejects.toThrow(`${path}:2000`);
  });
});
