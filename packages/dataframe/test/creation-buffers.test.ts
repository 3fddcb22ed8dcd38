/**
 * Where fromColumns/fromArrow put the partitions' bytes (creation-buffers.ts): small frames in one
 * ordinary buffer per partition, larger ones in one SharedArrayBuffer for all partitions, data
 * already in shared memory left in place; always a copy of ordinary caller arrays, and a name that
 * follows the content. Group-by means are checked against sums computed here.
 */
import { makeVector, Table, type Vector } from 'apache-arrow';
import { describe, expect, test } from 'vitest';
import * as dd from '../src/index';
import { SMALL_FRAME_BYTES } from '../src/creation-buffers';
import { SCHEDULERS } from './helpers';

const sync = { scheduler: 'sync' as const };
const buffersOf = (v: Vector): ArrayBufferLike[] => v.data.map((d) => (d.values as ArrayBufferView).buffer);

function columns(n: number): { k: Int32Array; v: Float64Array } {
  const k = Int32Array.from({ length: n }, (_, i) => (i * 7) % 5);
  const v = Float64Array.from({ length: n }, (_, i) => (i % 11) - 3);
  return { k, v };
}

/** Mean of v per key 0..4, from the definition. */
function means(k: Int32Array, v: Float64Array): number[] {
  const s = [0, 0, 0, 0, 0];
  const c = [0, 0, 0, 0, 0];
  k.forEach((g, i) => ((s[g] += v[i]), c[g]++));
  return s.map((x, g) => x / c[g]);
}

describe('partition buffers', () => {
  test('a small frame: one ordinary buffer per partition, a copy of the caller arrays', async () => {
    const { k, v } = columns(1000);
    expect(1000 * 12).toBeLessThan(SMALL_FRAME_BYTES);
    const r = await dd.fromColumns({ k, v }, { npartitions: 3 }).compute(sync);
    for (const vec of r.vectors) {
      const bufs = buffersOf(vec);
      expect(bufs.length).toBe(3);
      expect(bufs.every((b) => !(b instanceof SharedArrayBuffer) && b !== k.buffer && b !== v.buffer)).toBe(true);
    }
    // Both columns of a partition share its buffer; partitions do not share one.
    const [kb, vb] = r.vectors.map(buffersOf);
    expect(kb.map((b, i) => b === vb[i])).toEqual([true, true, true]);
    expect(new Set(kb).size).toBe(3);
    expect(Array.from(r.col('v').toArray() as Float64Array)).toEqual(Array.from(v));
  });

  test('a large frame: one SharedArrayBuffer for every partition', async () => {
    const n = 40_000;
    const { k, v } = columns(n);
    expect(n * 12).toBeGreaterThan(SMALL_FRAME_BYTES);
    const r = await dd.fromColumns({ k, v }, { npartitions: 4 }).compute(sync);
    const all = r.vectors.flatMap(buffersOf);
    expect(all.length).toBe(8);
    expect(all[0]).toBeInstanceOf(SharedArrayBuffer);
    expect(all.every((b) => b === all[0])).toBe(true);
    expect(Array.from(r.col('k').toArray() as Int32Array)).toEqual(Array.from(k));
    expect(Array.from(r.col('v').toArray() as Float64Array)).toEqual(Array.from(v));
  });

  test('a shared column stays where it is; an ordinary one beside it is copied', async () => {
    const n = 80_000; // the int32 column alone passes SMALL_FRAME_BYTES
    const { k, v } = columns(n);
    const sv = new Float64Array(new SharedArrayBuffer(n * 8));
    sv.set(v);
    const r = await dd.fromArrow(new Table({ k: makeVector(k), v: makeVector(sv) }), { npartitions: 3 }).compute(sync);
    expect(buffersOf(r.vectors[1]).every((b) => b === sv.buffer)).toBe(true);
    const kb = buffersOf(r.vectors[0]);
    expect(kb.every((b) => b instanceof SharedArrayBuffer && b !== sv.buffer && b === kb[0])).toBe(true);
    expect(Array.from(r.col('k').toArray() as Int32Array)).toEqual(Array.from(k));
  });

  test('the frame is a copy: changing the caller arrays afterwards changes nothing', async () => {
    for (const n of [100, 40_000]) {
      const { k, v } = columns(n);
      const df = dd.fromColumns({ k, v }, { npartitions: 2 });
      const want = Array.from(v);
      v.fill(99);
      expect(Array.from((await df.compute(sync)).col('v').toArray() as Float64Array)).toEqual(want);
    }
  });

  test('names follow the content, the split and where nulls are', () => {
    const { k, v } = columns(100);
    const name = (cols: Record<string, dd.ColumnInput>, parts = 2) => dd.fromColumns(cols, { npartitions: parts }).name;
    expect(name({ k, v })).toBe(name({ k: k.slice(), v: v.slice() }));
    const v2 = v.slice();
    v2[99] += 1;
    expect(name({ k, v: v2 })).not.toBe(name({ k, v }));
    expect(name({ k, v }, 3)).not.toBe(name({ k, v }, 2));
    // The same numbers, once with a null: a validity buffer joins the values.
    const withNull: (number | null)[] = Array.from(k);
    withNull[3] = null;
    expect(name({ k: Array.from(k), v })).not.toBe(name({ k: withNull, v }));
  });
});

describe.each(SCHEDULERS)('group-by mean over packed partitions (%s)', (_, opts) => {
  for (const [n, parts] of [[10, 4], [1000, 1], [1000, 7], [40_000, 4], [40_001, 3]] as const) {
    test(`${n} rows, ${parts} partitions`, async () => {
      const { k, v } = columns(n);
      const r = await dd.fromColumns({ k, v }, { npartitions: parts }).groupby('k').col('v').mean().compute(opts);
      const want = means(k, v);
      const got = Array.from(r.toArray() as Float64Array);
      expect(got.length).toBe(want.filter((x) => !Number.isNaN(x)).length);
      got.forEach((m, i) => expect(m).toBeCloseTo(want[i], 12));
    });
  }
});
