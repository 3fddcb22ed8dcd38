/** merge: broadcast joins (one side in one partition) and hash-shuffle joins, against pandas. */
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

  it('from first principles: several key columns, int and float keys meet, null keys match nothing', async () => {
    const l = dd.fromColumns({ a: [1, 1, 2, null, 3], b: ['p', 'q', 'p', 'p', 'p'], v: [10, 20, 30, 40, 50] }, { chunksize: 2 });
    const r = dd.fromColumns({ a: Float64Array.from([1, 2, 2, NaN]), b: ['p', 'p', 'p', 'p'], w: [0.5, 1.5, 2.5, 3.5] }, { npartitions: 2 });
    const m = await dd.merge(l, r, { on: ['a', 'b'] }).compute(opts);
    expect(m.columns).toEqual(['a', 'b', 'v', 'w']);
    expect(sortedRows(m, ['v', 'w'])).toEqual([
      [1, 'p', 10, 0.5],
      [2, 'p', 30, 1.5],
      [2, 'p', 30, 2.5],
    ]);
    const lj = await dd.merge(l, r, { on: ['a', 'b'], how: 'left', npartitions: 3 }).compute(opts);
    expect(sortedRows(lj, ['v', 'w'])).toEqual([
      [1, 'p', 10, 0.5],
      [1, 'q', 20, null],
      [2, 'p', 30, 1.5],
      [2, 'p', 30, 2.5],
      [null, 'p', 40, null],
      [3, 'p', 50, null],
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
    expect(() => dd.merge(l, r, { on: 'a', how: 'outer' as never })).toThrow("merge: how must be 'inner' or 'left', got \"outer\"");
    expect(() => dd.merge(l, r, { on: 'a', leftOn: 'a' })).toThrow('give on, or leftOn and rightOn, not both');
    expect(() => dd.merge(l, dd.fromColumns({ b: [1] }, { npartitions: 1 }))).toThrow('merge: the frames share no column');
    expect(() => l.merge(r, { leftOn: ['a', 's'], rightOn: 'a' })).toThrow('DataFrame.merge: leftOn has 2 columns and rightOn 1');
  });
});
