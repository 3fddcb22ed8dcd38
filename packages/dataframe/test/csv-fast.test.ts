/**
 * readCsv's byte-level fast path (ops/csv-fast.ts, ops/csv-fast-convert.ts) against pandas 1.5:
 * CSV texts made by fixtures/make_csv_fast.py (quoted separators, line breaks and doubled quotes,
 * CRLF, empty fields and missing-value texts, odd numbers, thousands/decimal marks, ISO times with
 * fractions), read in one block and in small byte blocks (fields at block boundaries), on sync and
 * threads; the cases where the fast path must leave a block to csv-parse; and the order
 * statistics describe/quantile now select instead of sorting (ops/select.ts).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeThreadPools } from '@pdask/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as dd from '../src/index';
import { splitFields } from '../src/ops/csv-fast';
import type { CsvFormat } from '../src/ops/csv-text';
import { valuesAtRanks } from '../src/ops/select';
import { SCHEDULERS } from './helpers';

interface Case {
  text: string;
  pdask: dd.ReadCsvOptions;
  blocks: boolean;
  columns: string[];
  dtypes: string[];
  values: Record<string, (number | string | boolean | null)[]>;
}
const fixture = JSON.parse(readFileSync(new URL('./fixtures/csv_fast.json', import.meta.url), 'utf8')) as { cases: Record<string, Case> };

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pdask-csv-fast-'));
  for (const [name, c] of Object.entries(fixture.cases)) writeFileSync(join(dir, `${name}.csv`), c.text);
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await closeThreadPools();
});

/** A column's values as the fixture writes them: NaN as null, infinities and timestamps (nanoseconds) as strings. */
function valuesOf(f: dd.LocalFrame, c: string): unknown[] {
  const s = f.col(c);
  return Array.from({ length: s.length }, (_, i) => {
    const v = s.at(i);
    if (typeof v === 'bigint') return String(v);
    if (v === Infinity || v === -Infinity) return v > 0 ? 'inf' : '-inf';
    return typeof v === 'number' && Number.isNaN(v) ? null : v;
  });
}

describe.each(SCHEDULERS)('readCsv fast path against pandas (%s)', (_, opts) => {
  for (const [name, c] of Object.entries(fixture.cases)) {
    for (const blocksize of c.blocks ? [undefined, 7, 23] : [undefined]) {
      it(`${name}${blocksize ? ` in ${blocksize}-byte blocks` : ''}`, async () => {
        const df = await dd.readCsv(join(dir, `${name}.csv`), { ...c.pdask, ...(blocksize ? { blocksize } : {}) });
        if (blocksize) expect(df.npartitions).toBeGreaterThan(2);
        const r = await df.compute(opts);
        expect(r.columns).toEqual(c.columns);
        for (const col of c.columns) expect(valuesOf(r, col), `column ${col}`).toEqual(c.values[col]);
      });
    }
  }
});

const F: CsvFormat = { sep: ',', quote: '"', comment: null, thousands: null, decimal: '.', encoding: 'utf-8' };
const split = (text: string, nfields: number, f: CsvFormat = F) => splitFields(Buffer.from(text), 0, Buffer.byteLength(text), f, nfields, Array.from({ length: nfields }, (_, j) => j));

describe('the fast tokenizer leaves what it does not read plainly to csv-parse', () => {
  it('splits plain, quoted and CRLF records into spans', () => {
    const text = 'a,"b,""c""\r\nd",\r\n\r\n1,2,3\r\n';
    const s = split(text, 3)!;
    expect(s.rows).toBe(2);
    const field = (i: number, j: number) => {
      const st = s.spans[i * s.stride + 2 * j];
      const e = s.spans[i * s.stride + 2 * j + 1];
      return st < 0 ? text.slice(~st, e).split('""').join('"') : text.slice(st, e);
    };
    expect([field(0, 0), field(0, 1), field(0, 2), field(1, 0), field(1, 1), field(1, 2)]).toEqual(['a', 'b,"c"\r\nd', '', '1', '2', '3']);
  });
  it.each([
    ['a bare CR', 'a,b\rc,d\n', 2],
    ['LF lines then a CRLF line', 'a,b\nc,d\r\n', 2],
    ['CRLF lines then an LF line', 'a,b\r\nc,d\n', 2],
    ['a quote inside an unquoted field', 'a,b"c\n', 2],
    ['text after a closing quote', '"a"b,c\n', 2],
    ['an unclosed quote', 'a,"b\n', 2],
    ['a line with too few fields', 'a,b\nc\n', 2],
    ['a line with too many fields', 'a,b\nc,d,e\n', 2],
  ])('%s', (_, text, n) => {
    expect(split(text as string, n as number)).toBeNull();
  });
  it('a comment character anywhere in the block, a multi-character separator', () => {
    expect(split('a,b\n#c,d\n', 2, { ...F, comment: '#' })).toBeNull();
    expect(split('a,b\nc,d\n', 2, { ...F, comment: '#' })).not.toBeNull();
    expect(split('a::b\n', 2, { ...F, sep: '::' })).toBeNull();
  });
  it('a malformed line still fails with the file and line (read again by csv-parse)', async () => {
    const path = join(dir, 'malformed.csv');
    writeFileSync(path, 'a,b\n1,2\n3,4\n5,6,7\n');
    const df = await dd.readCsv(path);
    await expect(df.compute({ scheduler: 'sync' })).rejects.toThrow(`malformed line ${path}:4: expected 2 fields (a, b), got 3`);
  });
  it('a value the inferred type refuses still names the file and line', async () => {
    const path = join(dir, 'mismatch.csv');
    writeFileSync(path, `a,b\n${Array.from({ length: 50 }, (_, i) => `${i},${i}.5`).join('\n')}\nx,1.5\n`);
    const df = await dd.readCsv(path, { sampleBytes: 64 });
    await expect(df.compute({ scheduler: 'sync' })).rejects.toThrow(`${path}:52`);
  });
});

describe('order statistics without sorting (describe and quantile)', () => {
  /** The values at the ranks from a full sort, for comparison. */
  const bySort = (chunks: Float64Array[], ranks: number[]) => {
    const all = Float64Array.from(chunks.flatMap((c) => Array.from(c))).sort();
    return ranks.map((r) => all[r]);
  };
  let seed = 12345;
  const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
  it.each([
    ['random floats, uneven chunks', [1, 5000, 0, 37, 20000].map((n) => Float64Array.from({ length: n }, () => (rand() - 0.5) * 1e6))],
    ['few distinct integers', [30000, 30000].map((n) => Float64Array.from({ length: n }, () => Math.floor(rand() * 5)))],
    ['one value everywhere', [100000].map((n) => new Float64Array(n).fill(3.5))],
    ['signed zeros, infinities, subnormals', [[0, -0, Infinity, -Infinity, 5e-324, -5e-324, 1, -1], [2, -0, 0, -Infinity]].map((a) => Float64Array.from(a))],
    ['sorted and reversed runs', [Float64Array.from({ length: 40000 }, (_, i) => i), Float64Array.from({ length: 40000 }, (_, i) => -i)]],
  ])('%s', (_, chunks) => {
    const n = chunks.reduce((s, c) => s + c.length, 0);
    const ranks = [0, 1, Math.floor(n / 4), Math.floor(n / 2), Math.floor(n / 2) + 1, n - 2, n - 1].filter((r) => r >= 0 && r < n);
    const got = Array.from(valuesAtRanks(chunks, ranks));
    // Equal as numbers: -0 and +0 are the same order statistic.
    expect(got.map((v) => v + 0)).toEqual(bySort(chunks, ranks).map((v) => v + 0));
  });
});
