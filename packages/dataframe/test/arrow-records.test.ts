/**
 * toArrow / fromArrow without copying the column buffers where they are shared, and toRecords
 * as pandas' to_dict('records') (values of test/fixtures/output.json, by make_output.py).
 */
import { readFileSync } from 'node:fs';
import { makeVector, Table, type Vector } from 'apache-arrow';
import { describe, expect, test } from 'vitest';
import * as dd from '../src/index';
import { SCHEDULERS } from './helpers';

const F = JSON.parse(readFileSync(new URL('./fixtures/output.json', import.meta.url), 'utf8')) as {
  data: { mixed: { a: (number | null)[]; b: number[]; s: (string | null)[]; flag: boolean[] } };
  records: { mixed: Record<string, unknown>[] };
};

function sharedFloats(n: number): { sab: SharedArrayBuffer; xs: Float64Array } {
  const sab = new SharedArrayBuffer(n * 8);
  const xs = new Float64Array(sab);
  for (let i = 0; i < n; i++) xs[i] = i * 0.5;
  return { sab, xs };
}
const buffersOf = (v: Vector): ArrayBufferLike[] => v.data.map((d) => (d.values as Float64Array).buffer);

describe('fromArrow and toArrow share the buffers', () => {
  const sync = { scheduler: 'sync' as const };
  test('a table in shared memory is partitioned and computed back without a copy', async () => {
    const { sab, xs } = sharedFloats(10);
    const ints = new Int32Array(new SharedArrayBuffer(40));
    ints.forEach((_, i) => (ints[i] = i));
    const table = new Table({ x: makeVector(xs), k: makeVector(ints) });
    const df = dd.fromArrow(table, { npartitions: 3 });
    const r = await df.compute(sync);
    // Each partition is a slice (a view) of the caller's buffer, not a copy.
    expect(r.vectors[0].data.length).toBe(3);
    expect(buffersOf(r.vectors[0]).every((b) => b === sab)).toBe(true);
    expect(buffersOf(r.vectors[1]).every((b) => b === ints.buffer)).toBe(true);
    // toArrow: one record batch per partition, the same buffers.
    const t = r.toArrow();
    expect(t.batches.map((b) => b.numRows)).toEqual([4, 4, 2]);
    for (const b of t.batches) expect((b.getChildAt(0)!.data[0].values as Float64Array).buffer).toBe(sab);
    expect(Array.from(t.getChild('x')!.toArray() as Float64Array)).toEqual(Array.from(xs));
    // One partition: its table, still the caller's memory.
    const one = (await dd.fromArrow(table, { npartitions: 1 }).compute(sync)).toArrow();
    expect(one.batches.length).toBe(1);
    expect((one.getChildAt(0)!.data[0].values as Float64Array).buffer).toBe(sab);
  });

  test('an ordinary buffer is copied into shared memory (so threads read it in place)', async () => {
    // Above SMALL_FRAME_BYTES (creation-buffers.ts); smaller frames get ordinary buffers.
    const xs = Float64Array.from({ length: 40_000 }, (_, i) => i);
    const r = await dd.fromArrow(new Table({ x: makeVector(xs) }), { npartitions: 3 }).compute(sync);
    const bufs = buffersOf(r.vectors[0]);
    expect(bufs.every((b) => b !== xs.buffer && b instanceof SharedArrayBuffer)).toBe(true);
    expect(Array.from(r.col('x').toArray() as Float64Array)).toEqual(Array.from(xs));
  });
});

describe.each(SCHEDULERS)('toRecords (%s)', (_, opts) => {
  test("pandas' to_dict('records'): NaN for missing floats, null for missing text", async () => {
    const m = F.data.mixed;
    const df = dd.fromColumns({ a: m.a.map((x) => (x === null ? Number.NaN : x)), b: Int32Array.from(m.b), s: m.s, flag: m.flag }, { npartitions: 2 });
    const recs = (await df.compute(opts)).toRecords({ index: false });
    const want = F.records.mixed.map((r) => ({ ...r, a: r.a === null ? Number.NaN : r.a }));
    expect(recs).toEqual(want);
    expect(Object.keys(recs[0])).toEqual(['a', 'b', 's', 'flag']);
  });

  test('int64 and datetimes give bigints, NaT null; the index comes first unless index: false', async () => {
    const df = dd.fromColumns({ t: Int32Array.from([10, 20, 30]), n: BigInt64Array.from([2n ** 60n, -1n, 0n]), when: ['1970-01-01 00:00:01', null, '2021-03-04'] }, { index: 't', npartitions: 2 });
    const r = await df.astype({ when: 'datetime64[ns]' }).compute(opts);
    expect(r.toRecords()).toEqual([
      { t: 10, n: 2n ** 60n, when: 1_000_000_000n },
      { t: 20, n: -1n, when: null },
      { t: 30, n: 0n, when: 1614816000n * 1_000_000_000n },
    ]);
    expect(r.toRecords({ index: false })[0]).toEqual({ n: 2n ** 60n, when: 1_000_000_000n });
    expect(() => r.toRecords({ orient: 'list' } as never)).toThrow(/unknown option 'orient'/);
  });
});
