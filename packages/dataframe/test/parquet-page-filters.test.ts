/**
 * A filter's comparisons made on each decoded page (io/parquet/plain-compare.ts) and the kept
 * rows' values read from the page in place (io/parquet/plain-kept.ts): the two functions against
 * values listed from first principles, then filtered reads of polars files whose filter columns
 * are not in the output (so they are tested page by page), with and without nulls (a column with
 * nulls is read whole, as before), expected rows and group means from the formulas.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pl from 'nodejs-polars';
import { closeThreadPools } from '@pdask/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as dd from '../src/index';
import type { CompareOp } from '../src/io/parquet/compare-numbers';
import { andPlainCompare } from '../src/io/parquet/plain-compare';
import { gatherPlainKept } from '../src/io/parquet/plain-kept';
import { SCHEDULERS } from './helpers';

/** `values` stored little-endian as `physical` after `pad` bytes of 0xee (an unaligned run, as after a page's levels). */
function plainPage(values: readonly (number | bigint)[], physical: 'DOUBLE' | 'FLOAT' | 'INT32' | 'INT64', pad: number): Uint8Array {
  const width = physical === 'DOUBLE' || physical === 'INT64' ? 8 : 4;
  const page = new Uint8Array(pad + values.length * width).fill(0xee);
  const dv = new DataView(page.buffer);
  values.forEach((v, k) => {
    const at = pad + k * width;
    if (physical === 'DOUBLE') dv.setFloat64(at, v as number, true);
    else if (physical === 'FLOAT') dv.setFloat32(at, v as number, true);
    else if (physical === 'INT32') dv.setInt32(at, v as number, true);
    else dv.setBigInt64(at, v as bigint, true);
  });
  return page;
}

describe('gatherPlainKept', () => {
  const mask = Uint8Array.from([1, 0, 0, 1, 1, 0, 1]);
  it('writes the kept values of an unaligned run in order, for each physical type', () => {
    const doubles = [0.5, -1.25, 3e300, Number.NaN, -0, 7.75, 1 / 3];
    const out = new Float64Array(5);
    expect(gatherPlainKept(plainPage(doubles, 'DOUBLE', 5), 5, 7, 'DOUBLE', mask, 0, out, 1)).toBe(5);
    expect(Array.from(out)).toEqual([0, 0.5, Number.NaN, -0, 1 / 3]);
    const floats = [0.5, -1.25, 2.5, 3.75, -8, 9, 10.5];
    const f = new Float32Array(4);
    expect(gatherPlainKept(plainPage(floats, 'FLOAT', 3), 3, 7, 'FLOAT', mask, 0, f, 0)).toBe(4);
    expect(Array.from(f)).toEqual([0.5, 3.75, -8, 10.5]);
    const ints = [-2147483648, 2, 3, 2147483647, -5, 6, 7];
    const i = new Int32Array(4);
    expect(gatherPlainKept(plainPage(ints, 'INT32', 1), 1, 7, 'INT32', mask, 0, i, 0)).toBe(4);
    expect(Array.from(i)).toEqual([-2147483648, 2147483647, -5, 7]);
    const big = [-(2n ** 63n), 1n, 2n, 2n ** 62n + 1n, -3n, 4n, 5n];
    const b = new BigInt64Array(4);
    expect(gatherPlainKept(plainPage(big, 'INT64', 7), 7, 7, 'INT64', mask, 0, b, 0)).toBe(4);
    expect(Array.from(b)).toEqual([-(2n ** 63n), 2n ** 62n + 1n, -3n, 5n]);
  });

  it('reads the mask from its offset and keeps nothing or everything', () => {
    const page = plainPage([1, 2, 3], 'DOUBLE', 2);
    const out = new Float64Array(3);
    expect(gatherPlainKept(page, 2, 3, 'DOUBLE', Uint8Array.from([9, 9, 0, 0, 0]), 2, out, 0)).toBe(0);
    expect(gatherPlainKept(page, 2, 3, 'DOUBLE', Uint8Array.from([0, 1, 1, 1]), 1, out, 0)).toBe(3);
    expect(Array.from(out)).toEqual([1, 2, 3]);
  });

  it('refuses a run past the page and a type that is not fixed-width', () => {
    const page = plainPage([1, 2], 'DOUBLE', 1);
    expect(() => gatherPlainKept(page, 1, 3, 'DOUBLE', new Uint8Array(3), 0, new Float64Array(3), 0)).toThrow(/overrun the page/);
    expect(() => gatherPlainKept(page, 0, 1, 'BYTE_ARRAY', new Uint8Array(1), 0, new Float64Array(1), 0)).toThrow(/BYTE_ARRAY is not fixed-width/);
  });
});

describe('andPlainCompare', () => {
  const values = [0.5, 0.25, Number.NaN, 0.75, 0.5, -1, Infinity];
  const ops: [CompareOp, (x: number) => boolean][] = [
    ['>', (x) => x > 0.5],
    ['>=', (x) => x >= 0.5],
    ['<', (x) => x < 0.5],
    ['<=', (x) => x <= 0.5],
    ['==', (x) => x === 0.5],
    // NaN satisfies no comparison, also not '!=' (as pyarrow's filters).
    ['!=', (x) => x !== 0.5 && !Number.isNaN(x)],
  ];
  it.each(ops)("ANDs 'x %s 0.5' into the mask and counts the rows kept (unaligned doubles)", (op, holds) => {
    const before = [1, 1, 1, 1, 0, 1, 1];
    const keep = Uint8Array.from([7, ...before, 7]);
    const kept = andPlainCompare(plainPage(values, 'DOUBLE', 5), 5, 7, 'DOUBLE', op, 0.5, keep, 1);
    const want = values.map((x, k) => (before[k] === 1 && holds(x) ? 1 : 0));
    expect(Array.from(keep)).toEqual([7, ...want, 7]);
    expect(kept).toBe(want.filter((w) => w === 1).length);
  });

  it('compares FLOAT and INT32 values exactly', () => {
    const keep = new Uint8Array(4).fill(1);
    expect(andPlainCompare(plainPage([0.125, 0.5, 0.75, -2], 'FLOAT', 3), 3, 4, 'FLOAT', '>', 0.25, keep, 0)).toBe(2);
    expect(Array.from(keep)).toEqual([0, 1, 1, 0]);
    const ints = new Uint8Array(5).fill(1);
    expect(andPlainCompare(plainPage([-2147483648, -1, 0, 5, 2147483647], 'INT32', 1), 1, 5, 'INT32', '<=', 0, ints, 0)).toBe(3);
    expect(Array.from(ints)).toEqual([1, 1, 1, 0, 0]);
  });

  it('refuses other physical types, a run past the page and rows outside the mask', () => {
    const page = plainPage([1, 2], 'DOUBLE', 0);
    expect(() => andPlainCompare(page, 0, 2, 'INT64', '>', 0, new Uint8Array(2), 0)).toThrow(/INT64 is not compared here/);
    expect(() => andPlainCompare(page, 8, 2, 'DOUBLE', '>', 0, new Uint8Array(2), 0)).toThrow(/overrun the page/);
    expect(() => andPlainCompare(page, 0, 2, 'DOUBLE', '>', 0, new Uint8Array(2), 1)).toThrow(/outside the mask/);
  });
});

let dir: string;
const N = 90_000;
const KEYS = ['a', 'bb', 'ccc', 'dddd'];
const key = (i: number): string => KEYS[(i * 7 + (i >> 5)) % KEYS.length];
const x = (i: number): number => ((i * 2654435761) % 1009) / 1009;
/** In the second file, x has nulls in its first row group (polars writes the NaN as a null too). */
const xNull = (i: number): number | null => (i < 30_000 && i % 13 === 4 ? null : i === 17 ? Number.NaN : x(i));
const n32 = (i: number): number => (i % 2001) - 1000;
const y = (i: number): number => (i % 97) - 48.5;

async function write(file: string, xs: (number | null)[]): Promise<void> {
  const ids = Array.from({ length: N }, (_, i) => i);
  const frame = pl.DataFrame({
    key: pl.Series('key', ids.map(key), pl.Utf8),
    x: pl.Series('x', xs, pl.Float64),
    n: pl.Series('n', ids.map(n32), pl.Int32),
    y: pl.Series('y', ids.map(y), pl.Float64),
  });
  await frame.lazy().sinkParquet(file, { compression: 'snappy', rowGroupSize: 30_000 }).collect();
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pdask-pq-page-filters-'));
  const ids = Array.from({ length: N }, (_, i) => i);
  await write(join(dir, 'a.parquet'), ids.map(x));
  await write(join(dir, 'b.parquet'), ids.map(xNull));
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await closeThreadPools();
});

describe.each(SCHEDULERS)('filters tested on the pages of columns not in the output (%s)', (_sched, opts) => {
  // Rows of a.parquet then b.parquet: [file, row].
  const rows = [...Array.from({ length: N }, (_, i) => [0, i]), ...Array.from({ length: N }, (_, i) => [1, i])] as const;
  const xOf = (f: number, i: number): number | null => (f === 0 ? x(i) : xNull(i));

  it('reads a float column with nulls in its first row group and none after (nulls only where they were)', async () => {
    const r = await (await dd.readParquet(join(dir, 'b.parquet'), { columns: ['x'] })).compute(opts);
    const got = r.col('x');
    expect(r.length).toBe(N);
    // A page with no nulls after one with nulls was copied without marking its rows valid: they read as null.
    const wrong = Array.from({ length: N }, (_, i) => i).filter((i) => !Object.is(got.at(i), xNull(i)));
    expect(wrong.slice(0, 3).map((i) => [i, got.at(i), xNull(i)])).toEqual([]);
  });

  it('keeps the rows where x > 0.5 and n <= 200 (x nulls and NaN fail), reading key and y only', async () => {
    const df = await dd.readParquet(join(dir, '*.parquet'), { columns: ['key', 'y'], filters: [['x', '>', 0.5], ['n', '<=', 200]] });
    const r = await df.compute(opts);
    const kept = rows.filter(([f, i]) => {
      const v = xOf(f, i);
      return v !== null && v > 0.5 && n32(i) <= 200;
    });
    expect(r.columns).toEqual(['key', 'y']);
    expect(r.length).toBe(kept.length);
    const k = r.col('key');
    const v = r.col('y');
    expect(Array.from({ length: r.length }, (_, j) => k.at(j))).toEqual(kept.map(([, i]) => key(i)));
    expect(Array.from({ length: r.length }, (_, j) => v.at(j))).toEqual(kept.map(([, i]) => y(i)));
  });

  it('groups by key the rows where x != 0.25 and n > -500 (a frame filter: missing x kept), as the formulas give', async () => {
    const df = await dd.readParquet(join(dir, '*.parquet'));
    const r = await df
      .filter(df.col('x').ne(0.25).and(df.col('n').gt(-500)))
      .groupby('key')
      .col('y')
      .mean()
      .compute(opts);
    const sums = new Map<string, [number, number]>();
    for (const [f, i] of rows) {
      const v = xOf(f, i);
      // pandas: a missing x is != 0.25 (the frame's filter keeps it, unlike readParquet's filters).
      if (v === 0.25 || n32(i) <= -500) continue;
      const s = sums.get(key(i)) ?? [0, 0];
      sums.set(key(i), [s[0] + y(i), s[1] + 1]);
    }
    expect(r.length).toBe(KEYS.length);
    for (let j = 0; j < r.length; j++) {
      const [s, c] = sums.get(r.index?.at(j) as string) as [number, number];
      expect(r.at(j) as number).toBeCloseTo(s / c, 10);
    }
  });
});
