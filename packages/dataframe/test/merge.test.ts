/** merge: broadcast joins (one side in one partition) and hash-shuffle joins, inner, left, right and outer, against pandas. */
import { closeThreadPools } from '@pdask/core';
import { afterAll, describe, expect, it } from 'vitest';
import * as dd from '../src/index';
import { fixture, SCHEDULERS } from './helpers';

afterAll(() => closeThreadPools());

const N = fixture.data.x.length;
const id = Array.from({ length: N }, (_, i) => i);
const left = (cols: readonly (keyof typeof fixture.data)[], opts: dd.PartitionOptions) =>
  dd.fromColumns({ id, ...Object.fromEntries(cols.map((c) => [c, fixture.data[c]])) }, opts);

/** Rows as arrays, sorted by the given columns (the order of a hash join is not pandas'). */
function sortedRows(r: dd.LocalFrame, by: readonly string[]): unknown[][] {
  const rows = Array.from({ length: r.numRows }, (_, i) => r.columns.map((c) => normal(r.col(c).at(i))));
  const at = by.map((b) => r.columns.indexOf(b));
  return rows.sort((a, b) => {
    for (const j of at) {
      const x = a[j] as number | string | null;
      const y = b[j] as number | string | null;
      if (x === y) continue;
      if (x === null) return 1;
      if (y === null) return -1;
      return x < y ? -1 : 1;
    }
    return 0;
  });
}
const normal = (v: unknown): unknown => (typeof v === 'number' && Number.isNaN(v) ? null : typeof v === 'bigint' ? Number(v) : v);
const fixtureRows = (f: Record<string, (number | string | null)[]>): unknown[][] => {
  const cols = Object.keys(f);
  return f[cols[0]].map((_, i) => cols.map((c) => f[c][i]));
};

const LEFTS: [string, dd.PartitionOptions][] = [
  ['left in 1 partition', { npartitions: 1 }],
  ['left uneven (7 partitions, last 142 rows)', { npartitions: 7 }],
  ['left in chunks of 37 (28 partitions, last 1 row)', { chunksize: 37 }],
];
const RIGHTS: [string, dd.PartitionOptions][] = [
  ['right in 1 partition (broadcast)', { npartitions: 1 }],
  ['right in 3 partitions', { npartitions: 3 }],
];
const CASES = LEFTS.flatMap(([l, lo]) => RIGHTS.map(([r, ro]) => [`${l}, ${r}`, lo, ro] as const));

describe.each(SCHEDULERS)('merge against pandas (%s)', (_, opts) => {
  it.each(CASES)('integer key, inner and left: %s', async (_label, lo, ro) => {
    const l = left(['x', 'y'], lo);
    const r = dd.fromColumns(fixture.merge_right_x, ro);
    const inner = dd.merge(l, r, { on: 'x' });
    expect(inner.columns).toEqual(['id', 'x', 'y', 'label', 'bonus']);
    expect(inner.dtypes).toEqual({ id: 'int32', x: 'int32', y: 'float64', label: 'string', bonus: 'int32' });
    expect(sortedRows(await inner.compute(opts), ['id'])).toEqual(fixtureRows(fixture.merge_x_inner));
    const lj = l.merge(r, { on: 'x', how: 'left' });
    // As pandas: the right's integers become float64, NaN where no row matched.
    expect(lj.dtypes.bonus).toBe('float64');
    const got = await lj.compute(opts);
    expect(got.numRows).toBe(N);
    expect(sortedRows(got, ['id'])).toEqual(fixtureRows(fixture.merge_x_left));
  });

  it.each(CASES)('string keys of other names, duplicates on the right, suffixes: %s', async (_label, lo, ro) => {
    const l = left(['k', 'y'], lo);
    const r = dd.fromColumns(fixture.merge_right_k, ro);
    for (const how of ['inner', 'left'] as const) {
      const m = dd.merge(l, r, { leftOn: 'k', rightOn: 'name', how });
      expect(m.columns).toEqual(['id', 'k', 'y_x', 'name', 'y_y']);
      expect(sortedRows(await m.compute(opts), ['id', 'y_y'])).toEqual(fixtureRows(how === 'inner' ? fixture.merge_k_inner : fixture.merge_k_left));
    }
  });

  it.each(CASES)('right and outer joins, integer key: %s', async (_label, lo, ro) => {
    const l = left(['x', 'y'], lo);
    const r = dd.fromColumns(fixture.merge_right_x, ro);
    const rj = dd.merge(l, r, { on: 'x', how: 'right' });
    // As pandas: the left's integers become float64 (NaN for the right's unmatched key 11); the key stays int.
    expect(rj.dtypes).toEqual({ id: 'float64', x: 'int32', y: 'float64', label: 'string', bonus: 'int32' });
    // The left is broadcast only when it is one partition; otherwise both sides are shuffled.
    expect(rj.name.startsWith(lo.npartitions === 1 ? 'merge-broadcast' : 'merge-hash')).toBe(true);
    expect(sortedRows(await rj.compute(opts), ['id', 'x'])).toEqual(fixtureRows(fixture.merge_x_right));
    const oj = l.merge(r, { on: 'x', how: 'outer' });
    expect(oj.dtypes).toEqual({ id: 'float64', x: 'int32', y: 'float64', label: 'string', bonus: 'float64' });
    expect(oj.name.startsWith(lo.npartitions === 1 && ro.npartitions === 1 ? 'merge-broadcast' : 'merge-hash')).toBe(true);
    const got = await oj.compute(opts);
    expect(got.numRows).toBe(N + 1);
    expect(sortedRows(got, ['id', 'x'])).toEqual(fixtureRows(fixture.merge_x_outer));
  });

  it.each(CASES)('right and outer joins, string keys of other names, missing keys on the left: %s', async (_label, lo, ro) => {
    const l = left(['k', 'y'], lo);
    const r = dd.fromColumns(fixture.merge_right_k, ro);
    for (const how of ['right', 'outer'] as const) {
      const m = dd.merge(l, r, { leftOn: 'k', rightOn: 'name', how });
      expect(m.columns).toEqual(['id', 'k', 'y_x', 'name', 'y_y']);
      expect(sortedRows(await m.compute(opts), ['id', 'y_y'])).toEqual(fixtureRows(how === 'right' ? fixture.merge_k_right : fixture.merge_k_outer));
    }
  });

  // pandas 1.5 (checked): a missing key meets a missing key, NaN and null alike.
  it('from first principles: several key columns, int and float keys meet, missing keys meet each other', async () => {
    const l = dd.fromColumns({ a: [1, 1, 2, null, 3], b: ['p', 'q', 'p', 'p', 'p'], v: [10, 20, 30, 40, 50] }, { chunksize: 2 });
    const r = dd.fromColumns({ a: Float64Array.from([1, 2, 2, NaN]), b: ['p', 'p', 'p', 'p'], w: [0.5, 1.5, 2.5, 3.5] }, { npartitions: 2 });
    const m = await dd.merge(l, r, { on: ['a', 'b'] }).compute(opts);
    expect(m.columns).toEqual(['a', 'b', 'v', 'w']);
    expect(sortedRows(m, ['v', 'w'])).toEqual([
      [1, 'p', 10, 0.5],
      [2, 'p', 30, 1.5],
      [2, 'p', 30, 2.5],
      [null, 'p', 40, 3.5],
    ]);
    const lj = await dd.merge(l, r, { on: ['a', 'b'], how: 'left', npartitions: 3 }).compute(opts);
    expect(sortedRows(lj, ['v', 'w'])).toEqual([
      [1, 'p', 10, 0.5],
      [1, 'q', 20, null],
      [2, 'p', 30, 1.5],
      [2, 'p', 30, 2.5],
      [null, 'p', 40, 3.5],
      [3, 'p', 50, null],
    ]);
  });
});

describe.each(SCHEDULERS)('right and outer joins from first principles (%s)', (_, opts) => {
  // Keys: int32 on the left, float64 on the right (1 meets 1.0); a null and a NaN key meet, as in pandas.
  const l = dd.fromColumns({ a: [1, 1, 2, null, 3], b: ['p', 'q', 'p', 'p', 'p'], v: [10, 20, 30, 40, 50] }, { chunksize: 2 });
  const r = dd.fromColumns({ a: Float64Array.from([1, 2, 2, NaN, 7]), b: ['p', 'p', 'p', 'p', 'p'], w: [0.5, 1.5, 2.5, 3.5, 4.5] }, { npartitions: 2 });
  const one = dd.fromColumns({ a: [2, 5], u: [true, false] }, { npartitions: 1 });

  it('several key columns of different numeric types, on both paths', async () => {
    for (const npartitions of [1, 3]) {
      const rj = dd.merge(l, r, { on: ['a', 'b'], how: 'right', npartitions });
      // Keys filled from both sides take the common type; v (int) can be missing, so it is float64.
      expect(rj.dtypes).toEqual({ a: 'float64', b: 'string', v: 'float64', w: 'float64' });
      expect(sortedRows(await rj.compute(opts), ['w'])).toEqual([
        [1, 'p', 10, 0.5],
        [2, 'p', 30, 1.5],
        [2, 'p', 30, 2.5],
        [null, 'p', 40, 3.5],
        [7, 'p', null, 4.5],
      ]);
      const oj = await dd.merge(l, r, { on: ['a', 'b'], how: 'outer', npartitions }).compute(opts);
      expect(sortedRows(oj, ['v', 'w'])).toEqual([
        [1, 'p', 10, 0.5],
        [1, 'q', 20, null],
        [2, 'p', 30, 1.5],
        [2, 'p', 30, 2.5],
        [null, 'p', 40, 3.5],
        [3, 'p', 50, null],
        [7, 'p', null, 4.5],
      ]);
    }
  });

  it('a single-partition left is broadcast for a right join; bool columns keep nulls', async () => {
    const rj = dd.merge(one, l, { on: 'a', how: 'right' });
    expect(rj.name.startsWith('merge-broadcast')).toBe(true);
    expect(rj.npartitions).toBe(l.npartitions);
    // l.a holds a null, so fromColumns made it float64: the filled key is float64, and u stays bool with nulls.
    expect(rj.dtypes).toEqual({ a: 'float64', u: 'bool', b: 'string', v: 'int32' });
    expect(sortedRows(await rj.compute(opts), ['v'])).toEqual([
      [1, null, 'p', 10],
      [1, null, 'q', 20],
      [2, true, 'p', 30],
      [null, null, 'p', 40],
      [3, null, 'p', 50],
    ]);
    const oj = dd.merge(one, l, { on: 'a', how: 'outer' });
    expect(oj.name.startsWith('merge-hash')).toBe(true);
    expect(sortedRows(await oj.compute(opts), ['v', 'a'])).toEqual([
      [1, null, 'p', 10],
      [1, null, 'q', 20],
      [2, true, 'p', 30],
      [null, null, 'p', 40],
      [3, null, 'p', 50],
      [5, false, null, null],
    ]);
  });
});

describe('merge errors name the column or argument', () => {
  const l = dd.fromColumns({ a: [1, 2], s: ['x', 'y'] }, { npartitions: 1 });
  const r = dd.fromColumns({ a: [1], t: ['z'] }, { npartitions: 1 });
  it('at graph construction', () => {
    expect(() => dd.merge(l, r, { on: 'q' })).toThrow("merge (left key): column \"q\" not found; known columns: 'a', 's'");
    expect(() => dd.merge(l, r, { leftOn: 'a', rightOn: 'nope' })).toThrow("merge (right key): column \"nope\" not found; known columns: 'a', 't'");
    expect(() => dd.merge(l, r, { leftOn: 's', rightOn: 'a' })).toThrow("merge: key column 's' (string) of the left cannot match 'a' (int32) of the right");
    expect(() => dd.merge(l, r, { on: 'a', how: 'full' as never })).toThrow("merge: option 'how' must be one of 'inner', 'left', 'right', 'outer', 'cross', got 'full' (string)");
    expect(() => dd.merge(l, r, { on: 'a', how: 'cross' })).toThrow("merge: a cross join takes no keys; can not pass on with how: 'cross' (as pandas)");
    expect(() => dd.merge(l, r, { on: 'a', leftOn: 'a' })).toThrow('give on, or leftOn and rightOn, not both');
    expect(() => dd.merge(l, dd.fromColumns({ b: [1] }, { npartitions: 1 }))).toThrow('merge: the frames share no column');
    expect(() => l.merge(r, { leftOn: ['a', 's'], rightOn: 'a' })).toThrow('DataFrame.merge: leftOn has 2 columns and rightOn 1');
  });
});
