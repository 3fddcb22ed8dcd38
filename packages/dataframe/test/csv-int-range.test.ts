/**
 * An integer column inferred as int32 from the sample (or given a narrow dtype) that meets a value
 * past its range in a later block: the read fails naming the file, the line and a dtype that reads
 * it, on every reading path (the fused WebAssembly pass, the byte-span path for quoted blocks, the
 * general rules), instead of storing the value wrapped (3000000000 read as -1294967296 before).
 * The range's own ends are read exactly.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeThreadPools } from '@pdask/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as dd from '../src/index';
import { SCHEDULERS } from './helpers';

let dir: string;
const ROWS = 2000;
/** Data rows 0..ROWS-1 hold b = i % 100, then one row with `big`; line numbers count the header as 1. */
function file(name: string, big: string, quoted = false): string {
  const lines = ['a,b'];
  for (let i = 0; i < ROWS; i++) lines.push(quoted && i === ROWS - 1 ? `"${i}",${i % 100}` : `${i},${i % 100}`);
  lines.push(`7,${big}`);
  const p = join(dir, name);
  writeFileSync(p, lines.join('\n') + '\n');
  return p;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pdask-csv-int-range-'));
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await closeThreadPools();
});

// A 1 KiB sample sees only small values, so b is int32; small blocks put the big value in a later block.
const READ = { sampleBytes: 1024, blocksize: 4096 };

describe.each(SCHEDULERS)('readCsv int32 range on %s', (_, opts) => {
  it.each([
    ['plain blocks (fused pass)', false],
    ['a quoted field in the block (span path)', true],
  ])('%s: a value past int32 fails with its line', async (_, quoted) => {
    for (const big of ['3000000000', '-2147483649', '2147483648']) {
      const p = file(`big-${quoted}-${big}.csv`, big, quoted);
      const df = await dd.readCsv(p, READ);
      expect(df.dtypes.b).toBe('int32');
      await expect(df.col('b').max().compute(opts)).rejects.toThrow(
        `${p}:${ROWS + 2}: column 'b' is int32 (inferred from the first rows, or given as dtype) but holds '${big}' here, out of its range; pass { dtype: { 'b': 'int64' } }`,
      );
    }
  });

  it("reads int32's own ends exactly, and int64 when asked", async () => {
    for (const [big, want] of [
      ['2147483647', 2147483647],
      ['-2147483648', -2147483648],
    ] as const) {
      const df = await dd.readCsv(file(`edge${big}.csv`, big), READ);
      expect(await df.col('b').max().compute(opts)).toBe(Math.max(want, 99));
      expect(await df.col('b').min().compute(opts)).toBe(Math.min(want, 0));
    }
    const df = await dd.readCsv(file('wide.csv', '3000000000'), { ...READ, dtype: { b: 'int64' } });
    // The sum of i % 100 over 2000 rows is 20 * 4950, plus the big value: exact in int64.
    expect(await df.col('b').sum().compute(opts)).toBe(20n * 4950n + 3000000000n);
  });

  it('a narrow dtype given by the user is range-checked too', async () => {
    const p = file('int8.csv', '200');
    await expect(dd.readCsv(p, { ...READ, dtype: { b: 'int8' } }).then((df) => df.col('b').max().compute(opts))).rejects.toThrow(`${p}:${ROWS + 2}: column 'b'`);
  });
});
