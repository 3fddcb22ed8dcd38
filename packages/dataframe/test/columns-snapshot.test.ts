/**
 * fromColumns remembers the typed arrays it copied (columns-snapshot.ts): the same unchanged
 * arrays give the same partitions again, not a second copy; a changed array, other names or
 * another cut give a fresh copy holding the new bytes. Values are checked against the arrays.
 */
import { describe, expect, test } from 'vitest';
import * as dd from '../src/index';

const sync = { scheduler: 'sync' as const };

function columns(n: number): { k: Float64Array; v: Float64Array } {
  return { k: Float64Array.from({ length: n }, (_, i) => (i * 7919) % 1000), v: Float64Array.from({ length: n }, (_, i) => i / 4) };
}

/** The buffers holding column `c` of each partition of the computed frame. */
async function buffersOf(df: dd.DataFrame, c: string): Promise<ArrayBufferLike[]> {
  const r = await df.compute(sync);
  return r.vectors[df.columns.indexOf(c)].data.map((d) => (d.values as ArrayBufferView).buffer);
}

describe('fromColumns snapshot memory', () => {
  for (const n of [1000, 50_000]) {
    test(`the same unchanged arrays (${n} rows) reuse the copy, and give the same name`, async () => {
      const { k, v } = columns(n);
      const a = dd.fromColumns({ k, v }, { npartitions: 4 });
      const b = dd.fromColumns({ k, v }, { npartitions: 4 });
      expect(b.name).toBe(a.name);
      const [ba, bb] = [await buffersOf(a, 'k'), await buffersOf(b, 'k')];
      expect(bb.length).toBe(4);
      expect(bb.every((x, i) => x === ba[i])).toBe(true);
      expect(bb.some((x) => x === k.buffer)).toBe(false);
    });
  }

  test('a changed array is copied again, with its new bytes and a new name', async () => {
    const { k, v } = columns(50_000);
    const a = dd.fromColumns({ k, v }, { npartitions: 4 });
    const before = await buffersOf(a, 'v');
    v[49_999] = -1;
    const b = dd.fromColumns({ k, v }, { npartitions: 4 });
    expect(b.name).not.toBe(a.name);
    const after = await buffersOf(b, 'v');
    expect(after.some((x, i) => x === before[i])).toBe(false);
    const got = (await b.compute(sync)).col('v').toArray() as Float64Array;
    expect(got[49_999]).toBe(-1);
    expect(got[49_998]).toBe(49_998 / 4);
    // The first frame still holds the bytes it was made from.
    expect(((await a.compute(sync)).col('v').toArray() as Float64Array)[49_999]).toBe(49_999 / 4);
  });

  test('other names, another cut or other arrays are not the remembered partitions', async () => {
    const { k, v } = columns(50_000);
    const a = dd.fromColumns({ k, v }, { npartitions: 4 });
    const renamed = dd.fromColumns({ key: k, v }, { npartitions: 4 });
    expect(renamed.columns).toEqual(['key', 'v']);
    expect(renamed.name).not.toBe(a.name);
    const recut = dd.fromColumns({ k, v }, { npartitions: 5 });
    expect(recut.npartitions).toBe(5);
    expect((await buffersOf(recut, 'k')).length).toBe(5);
    // Equal bytes in another array: the same name (it follows the content), a copy of its own.
    const other = dd.fromColumns({ k, v: v.slice() }, { npartitions: 4 });
    expect(other.name).toBe(a.name);
    const [oa, ob] = [await buffersOf(a, 'v'), await buffersOf(other, 'v')];
    expect(ob.some((x, i) => x === oa[i])).toBe(false);
    const sum = ((await other.compute(sync)).col('v').toArray() as Float64Array).reduce((s, x) => s + x, 0);
    expect(sum).toBe((49_999 * 50_000) / 2 / 4);
  });
});
