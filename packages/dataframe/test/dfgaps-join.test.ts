/**
 * join (and merge with leftIndex/rightIndex) on the index when a side's divisions are unknown
 * (Dask's hash join on the index), and cross joins (pandas' merge(how='cross')). Reference values:
 * fixtures/dfgaps.json (make_dfgaps.py: pandas 1.5 results; Dask 2022.12's partition count and
 * unknown divisions for the hash join, checked there to give pandas' rows).
 */
import { readFileSync } from 'node:fs';
import { closeThreadPools } from '@pdask/core';
import { afterAll, describe, expect, it } from 'vitest';
import * as dd from '../src/index';
import { SCHEDULERS } from './helpers';

afterAll(() => closeThreadPools());

type Cell = number | string | boolean | null;
interface PFrame { index: Cell[]; columns: string[]; dtypes: Record<string, string>; [c: string]: Cell[] | string[] | Record<string, string> }
const fx = JSON.parse(readFileSync(new URL('./fixtures/dfgaps.json', import.meta.url), 'utf8')) as {
  join: Record<string, PFrame> & Record<`dask_${string}`, { known_divisions: boolean; npartitions: number }>;
  cross: Record<'left' | 'right' | 'lr' | 'rl' | 'suffixes', PFrame> & { pandas_error_on: string; dask_error: string };
};
const HOWS = ['left', 'right', 'inner', 'outer'] as const;

const norm = (x: unknown): Cell => (x === undefined || x === null || (typeof x === 'number' && Number.isNaN(x)) ? null : typeof x === 'bigint' ? Number(x) : (x as Cell));
const col = (p: PFrame, c: string) => (p[c] as Cell[]).map((x) => (x === null ? NaN : x));

/** The fixture's frame as fromColumns input (indexed by `t` unless `plain`). */
function input(p: PFrame, part: dd.PartitionOptions, plain = false): dd.DataFrame {
  const cols: Record<string, unknown[] | Float64Array> = plain ? {} : { t: p.index as number[] };
  for (const c of p.columns) cols[c] = p.dtypes[c] === 'object' ? (p[c] as Cell[]) : p.dtypes[c] === 'float64' ? Float64Array.from(col(p, c) as number[]) : col(p, c);
  return dd.fromColumns(cols as Record<string, number[]>, plain ? part : { index: 't', ...part });
}

/** Rows as texts (label first unless `noIndex`), in the computed order. */
function rowsOf(r: dd.LocalFrame, columns: string[], noIndex = false): string[] {
  return Array.from({ length: r.numRows }, (_, i) => JSON.stringify([...(noIndex ? [] : [norm(r.labelAt(i))]), ...columns.map((c) => norm(r.col(c).at(i)))]));
}
function fixtureRows(p: PFrame, noIndex = false): string[] {
  return p.index.map((label, i) => JSON.stringify([...(noIndex ? [] : [label]), ...p.columns.map((c) => (p[c] as Cell[])[i])]));
}
/** pdask's dtype for a pandas dtype of these inputs (int32 from JavaScript numbers, utf8 strings). */
const dtypeOf = (d: string) => (d === 'int64' ? 'int32' : d === 'object' ? 'string' : d);

const { JL, JR } = fx.join;
const SIDES: [string, () => dd.DataFrame, () => dd.DataFrame][] = [
  ['left unknown (3), right known (2)', () => input(JL, { npartitions: 3, sort: false }), () => input(JR, { npartitions: 2 })],
  ['left known (1), right unknown (one-row partitions)', () => input(JL, { npartitions: 1 }), () => input(JR, { chunksize: 1 }).clearDivisions()],
  ['both unknown, with empty partitions', () => input(JL, { npartitions: 2 }).repartition({ divisions: [0, 1, 1.5, 2, 17] }).clearDivisions(), () => input(JR, { npartitions: 3, sort: false })],
];

describe.each(SCHEDULERS)('join on the index with unknown divisions: a hash join, as Dask (%s)', (_, opts) => {
  it.each(SIDES)('%s', async (_, makeL, makeR) => {
    for (const how of HOWS) {
      const [l, r] = [makeL(), makeR()];
      const j = l.join(r, { how, lsuffix: '_l', rsuffix: '_r' });
      const want = fx.join[how];
      expect(j.columns, how).toEqual(want.columns);
      expect(j.dtypes, how).toEqual(Object.fromEntries(want.columns.map((c) => [c, dtypeOf(want.dtypes[c])])));
      expect(j.divisions, how).toBeNull();
      expect(j.npartitions, how).toBe(Math.max(l.npartitions, r.npartitions));
      // Rows come by hash bucket, as Dask's: the same rows as pandas in another order.
      expect(rowsOf(await j.compute(opts), want.columns).sort(), how).toEqual(fixtureRows(want).sort());
      const m = dd.merge(l, r, { leftIndex: true, rightIndex: true, how });
      expect(rowsOf(await m.compute(opts), fx.join[`merge_index_${how}`].columns).sort(), `merge ${how}`).toEqual(fixtureRows(fx.join[`merge_index_${how}`]).sort());
    }
    // Dask's hash join on the same inputs: the larger side's partition count, unknown divisions.
    expect(fx.join.dask_left).toEqual({ known_divisions: false, npartitions: 3 });
  });

  it('merge on both indexes with known divisions is the join on the index', async () => {
    const m = input(JL, { npartitions: 3 }).merge(input(JR, { npartitions: 2 }), { leftIndex: true, rightIndex: true, how: 'outer', suffixes: ['_l', '_r'] });
    expect(m.knownDivisions).toBe(true);
    expect(rowsOf(await m.compute(opts), fx.join.outer.columns)).toEqual(fixtureRows(fx.join.outer));
  });
});

const { left: CL, right: CR } = fx.cross;
describe.each(SCHEDULERS)("cross joins: merge(other, { how: 'cross' }) (%s)", (_, opts) => {
  it('the smaller side is broadcast; the rows are pandas\'', async () => {
    // Right broadcast (fewer partitions): pandas' order exactly, the left's partitioning.
    const lr = input(CL, { npartitions: 2 }, true).merge(input(CR, { npartitions: 1 }, true), { how: 'cross' });
    expect(lr.npartitions).toBe(2);
    expect(lr.columns).toEqual(fx.cross.lr.columns);
    expect(lr.dtypes).toEqual({ a: 'int32', v_x: 'float64', b: 'string', v_y: 'float64' });
    const got = await lr.compute(opts);
    expect(rowsOf(got, fx.cross.lr.columns)).toEqual(fixtureRows(fx.cross.lr));
    // Left broadcast (the right has more partitions, here one row each): the same rows, by right partition.
    const lb = dd.merge(input(CL, { npartitions: 1 }, true), input(CR, { chunksize: 1 }, true), { how: 'cross' });
    expect(lb.npartitions).toBe(3);
    expect(rowsOf(await lb.compute(opts), fx.cross.lr.columns, true).sort()).toEqual(fixtureRows(fx.cross.lr, true).sort());
    const rl = input(CR, { npartitions: 1 }, true).merge(input(CL, { npartitions: 2 }, true), { how: 'cross' });
    expect(rowsOf(await rl.compute(opts), fx.cross.rl.columns, true).sort()).toEqual(fixtureRows(fx.cross.rl, true).sort());
    const sx = await input(CL, { npartitions: 3 }, true).merge(input(CR, { npartitions: 2 }, true), { how: 'cross', suffixes: ['_l', '_r'] }).compute(opts);
    expect(sx.columns).toEqual(fx.cross.suffixes.columns);
    expect(rowsOf(sx, fx.cross.suffixes.columns)).toEqual(fixtureRows(fx.cross.suffixes));
  });

  it('an empty partition and an empty side', async () => {
    const l = input(CL, { npartitions: 2 }, true);
    const some = l.filter(l.col('a').gt(3)); // the first partition (a = 1, 2, 3) is left empty
    const r = await some.merge(input(CR, { npartitions: 1 }, true), { how: 'cross' }).compute(opts);
    const want = fixtureRows(fx.cross.lr, true).filter((row) => (JSON.parse(row) as number[])[0] > 3);
    expect(rowsOf(r, fx.cross.lr.columns, true)).toEqual(want);
    const none = await l.filter(l.col('a').gt(99)).merge(input(CR, { npartitions: 1 }, true), { how: 'cross' }).compute(opts);
    expect(none.numRows).toBe(0);
    expect(none.columns).toEqual(fx.cross.lr.columns);
  });
});

describe('cross joins and index merges: what is refused', () => {
  const l = input(CL, { npartitions: 2 }, true);
  const r = input(CR, { npartitions: 1 }, true);
  it('names the problem', () => {
    expect(fx.cross.pandas_error_on).toContain('Can not pass on, right_on, left_on');
    expect(fx.cross.dask_error).toContain("does not support how='cross'"); // Dask 2022.12; pdask follows pandas
    expect(() => l.merge(r, { how: 'cross', on: 'v' })).toThrow("DataFrame.merge: a cross join takes no keys; can not pass on with how: 'cross' (as pandas)");
    expect(() => l.merge(r, { how: 'cross', leftIndex: true })).toThrow('can not pass leftIndex');
    expect(() => l.merge(r, { how: 'cross', npartitions: 2 })).toThrow('DataFrame.merge: npartitions applies to shuffle joins');
    expect(() => l.merge(r, { how: 'cross', suffixes: ['', ''] })).toThrow("DataFrame.merge: the result would have two columns named 'v'");
    const [jl, jr] = [input(JL, { npartitions: 2 }), input(JR, { npartitions: 2 })];
    expect(() => jl.merge(jr, { leftIndex: true })).toThrow('DataFrame.merge: leftIndex with key columns on the other side is not implemented yet');
    expect(() => jl.merge(jr, { leftIndex: true, rightIndex: true, on: 'v' })).toThrow('DataFrame.merge: leftIndex and rightIndex join on the indexes; do not pass on with them');
    expect(() => jl.merge(jr, { leftIndex: true, rightIndex: true, npartitions: 3 })).toThrow('DataFrame.merge: npartitions applies to merges on columns');
    // A frame without an index whose divisions are unknown has no labels to join on.
    expect(() => l.clearDivisions().join(jr, { lsuffix: '_l' })).toThrow('DataFrame.join: the collection has no index and unknown divisions');
  });
});
