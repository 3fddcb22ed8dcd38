/**
 * A local file's footer is parsed once per thread while the file is unchanged
 * (io/parquet/local-footers.ts): a file split into one task per row group had its whole footer
 * parsed again by every task. hyparquet's footer parser is wrapped to count its calls; tasks run
 * in this thread only on the sync scheduler (on threads the workers load their own hyparquet),
 * so the counts are taken there. Files by polars; expected values from the formulas that made them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pl from 'nodejs-polars';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as dd from '../src/index';

const parses = vi.hoisted(() => ({ n: 0 }));
vi.mock('hyparquet', async (importOriginal) => {
  const real = await importOriginal<typeof import('hyparquet')>();
  return {
    ...real,
    parquetMetadataAsync: (...args: Parameters<typeof real.parquetMetadataAsync>) => {
      parses.n++;
      return real.parquetMetadataAsync(...args);
    },
  };
});

const opts = { scheduler: 'sync' } as const;
const GROUPS = 8;
const PER_GROUP = 500;
const v = (i: number, seed: number): number => (i * seed) % 97;

let dir: string;
let file: string;

/** GROUPS row groups of PER_GROUP rows: i, v = (i * seed) % 97, s = 's' + (i % 4). */
async function write(seed: number, rows: number): Promise<void> {
  const ids = Array.from({ length: rows }, (_, i) => i);
  const frame = pl.DataFrame({ i: pl.Series('i', ids, pl.Int32), v: pl.Series('v', ids.map((i) => v(i, seed)), pl.Float64), s: pl.Series('s', ids.map((i) => `s${i % 4}`), pl.Utf8) });
  await frame.lazy().sinkParquet(file, { compression: 'snappy', rowGroupSize: PER_GROUP }).collect();
}

/** Sum of v over the rows with v > 40, by s, from the formulas. */
function expected(seed: number, rows: number): Map<string, number> {
  const want = new Map<string, number>();
  for (let i = 0; i < rows; i++) if (v(i, seed) > 40) want.set(`s${i % 4}`, (want.get(`s${i % 4}`) ?? 0) + v(i, seed));
  return want;
}

async function sums(): Promise<Map<string, number>> {
  const df = await dd.readParquet(file, { splitRowGroups: true, filters: [['v', '>', 40]] });
  const r = await df.groupby('s').col('v').sum().compute(opts);
  return new Map(Array.from({ length: r.length }, (_, k) => [r.index?.at(k) as string, r.at(k) as number]));
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pdask-pq-footer-reuse-'));
  file = join(dir, 'groups.parquet');
  await write(37, GROUPS * PER_GROUP);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('footers of local files (sync)', () => {
  it('are not parsed again by the tasks of a file split by row groups', async () => {
    const df = await dd.readParquet(file, { splitRowGroups: true, filters: [['v', '>', 40]] });
    expect(df.npartitions).toBe(GROUPS);
    parses.n = 0;
    const r = await df.groupby('s').col('v').sum().compute(opts);
    expect(parses.n).toBe(0);
    const got = new Map(Array.from({ length: r.length }, (_, k) => [r.index?.at(k) as string, r.at(k) as number]));
    expect(got).toEqual(expected(37, GROUPS * PER_GROUP));
  });

  it('are parsed again once the file changes', async () => {
    expect(await sums()).toEqual(expected(37, GROUPS * PER_GROUP));
    // Other values and another size: the footer kept for the old file must not be used.
    await write(53, (GROUPS - 2) * PER_GROUP + 123);
    parses.n = 0;
    expect(await sums()).toEqual(expected(53, (GROUPS - 2) * PER_GROUP + 123));
    expect(parses.n).toBe(1);
  });
});
