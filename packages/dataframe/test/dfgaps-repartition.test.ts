/**
 * repartition({ partitionSize }): partitions split and concatenated by measured memory, as Dask's
 * repartition(partition_size=…). Reference values: fixtures/dfgaps.json (make_dfgaps.py: Dask
 * 2022.12's memory per partition, resulting partition lengths and divisions) on frames whose
 * pandas memory equals their Arrow bytes (float64 columns and index), on 1, 4, 7 and one-row
 * partitions and with an empty partition, and for a series.
 */
import { readFileSync } from 'node:fs';
import { closeThreadPools } from '@pdask/core';
import { afterAll, describe, expect, it } from 'vitest';
import * as dd from '../src/index';
import { chunkPlan } from '../src/repartition-size';
import { SCHEDULERS } from './helpers';

afterAll(() => closeThreadPools());

interface Case { key: string; size: number | string; series: boolean; input_mem: number[]; npartitions: number; lengths: number[]; divisions: (number | null)[] }
const fx = (JSON.parse(readFileSync(new URL('./fixtures/dfgaps.json', import.meta.url), 'utf8')) as {
  repartition_size: { data: { t: number[]; a: number[]; b: number[] }; cases: Case[]; input_lengths: Record<string, number[]>; empty_divisions: number[] };
}).repartition_size;
const { t, a, b } = fx.data;

function input(key: string): dd.DataFrame {
  const cols = { t: Float64Array.from(t), a: Float64Array.from(a), b: Float64Array.from(b) };
  if (key.startsWith('empty')) return dd.fromColumns(cols, { index: 't', npartitions: 3 }).repartition({ divisions: fx.empty_divisions });
  const p = key.split('-')[key.startsWith('series') ? 1 : 0];
  return dd.fromColumns(cols, { index: 't', ...(p.startsWith('cs') ? { chunksize: Number(p.slice(2)) } : { npartitions: Number(p.slice(2)) }) });
}

const lengths = (c: dd.DataFrame | dd.Series, opts: object) =>
  (c instanceof dd.DataFrame ? c : c.toFrame()).mapPartitions((p: dd.LocalFrame) => [p.numRows], { meta: ['n', 'int32'] }).compute(opts).then((s) => Array.from(s.toArray() as Int32Array));

describe.each(SCHEDULERS)('repartition({ partitionSize }) as Dask (%s)', (_, opts) => {
  it.each(fx.cases.filter((c) => !c.key.startsWith('cs1')).map((c) => [c.key, c] as const))('%s', async (_, c) => {
    const df = input(c.key);
    const src = c.series ? df.col('a') : df;
    // The same rows per partition as Dask's input, so the same memory: 8 bytes a row for each float64
    // column and the index, in Arrow buffers here and in pandas' memory_usage(deep=True) there.
    expect(await lengths(src, opts)).toEqual(c.input_mem.map((m) => m / (c.series ? 16 : 24)));
    const r = c.series ? await (src as dd.Series).repartition({ partitionSize: c.size, ...opts }) : await (src as dd.DataFrame).repartition({ partitionSize: c.size, ...opts });
    expect(r.npartitions).toBe(c.npartitions);
    expect(r.divisions).toEqual(c.divisions.every((d) => d === null) ? null : c.divisions);
    expect(await lengths(r, opts)).toEqual(c.lengths);
    const got = await r.compute(opts);
    if (c.series) expect(Array.from((got as dd.LocalSeries).toArray() as Float64Array)).toEqual(a);
    else expect(Array.from((got as dd.LocalFrame).col('b').toArray() as Float64Array)).toEqual(b);
  });

  it('one-row partitions (100 of them)', async () => {
    for (const c of fx.cases.filter((x) => x.key.startsWith('cs1'))) {
      const r = await input(c.key).repartition({ partitionSize: c.size, ...opts });
      expect(r.divisions, c.key).toEqual(c.divisions);
      expect(await lengths(r, opts), c.key).toEqual(c.lengths);
    }
  });
});

describe('repartition({ partitionSize }): the plan and what is refused', () => {
  it("follows Dask's split and chunk rule", () => {
    // A partition of exactly `size` bytes is split in two (1 + 600 // 600), then the halves are merged back.
    expect(chunkPlan([600, 600], 600)).toEqual({ splits: [2, 2], groups: [2, 2] });
    expect(chunkPlan([0, 0, 10], 5)).toEqual({ splits: [1, 1, 3], groups: [3, 1, 1] });
    expect(chunkPlan([], 5)).toEqual({ splits: [], groups: [] });
  });

  it('refuses bad sizes and mixed options by name', async () => {
    const df = input('np4-1');
    await expect(df.repartition({ partitionSize: '12 parsecs' })).rejects.toThrow("DataFrame.repartition: partitionSize: cannot read '12 parsecs' as a byte size");
    await expect(df.repartition({ partitionSize: 0 })).rejects.toThrow('DataFrame.repartition: partitionSize must be at least 1 byte');
    await expect(df.repartition({ partitionSize: '1MB', npartitions: 2 } as never)).rejects.toThrow("DataFrame.repartition: option 'npartitions' is not supported: give exactly one of divisions, npartitions and partitionSize");
    await expect(df.repartition({ partitionSize: '1MB', partitionsize: 1 } as never)).rejects.toThrow("DataFrame.repartition: unknown option 'partitionsize'");
    await expect(df.repartition({ partitionSize: true } as never)).rejects.toThrow("DataFrame.repartition: option 'partitionSize' must be");
  });
});
