/**
 * Arithmetic and comparisons between frames, frames and series, and series with fillValue,
 * aligned on the index. Reference values: fixtures/dfgaps.json (make_dfgaps.py: pandas 1.5 results,
 * Dask 2022.12 divisions and errors), on several partitionings of each side, one-row and empty
 * partitions, and unknown divisions.
 */
import { readFileSync } from 'node:fs';
import { closeThreadPools, compute } from '@pdask/core';
import { afterAll, describe, expect, it } from 'vitest';
import * as dd from '../src/index';
import { SCHEDULERS } from './helpers';

afterAll(() => closeThreadPools());

type Cell = number | string | boolean | null;
interface PFrame { index: Cell[]; columns: string[]; dtypes: Record<string, string>; [c: string]: Cell[] | string[] | Record<string, string> }
interface PSeries { index: Cell[]; values: Cell[]; dtype: string }
const fx = (JSON.parse(readFileSync(new URL('./fixtures/dfgaps.json', import.meta.url), 'utf8')) as { arith: Record<string, unknown> }).arith as Record<string, PFrame> & {
  inputs: { A: PFrame; B: PFrame };
  plain_inputs: { P: PFrame; Q: PFrame };
  series_fill0: PSeries;
  series_sub_fill: PSeries;
  dask_divisions: Record<string, number[]>;
  dask_error_unknown: string;
  dask_error_axis1: string;
};

const num = (x: Cell): number => (x === null ? NaN : x === 'inf' ? Infinity : x === '-inf' ? -Infinity : (x as number));
/** The fixture's frame as fromColumns input, indexed by `t` when it has labels. */
function input(p: PFrame, part: dd.PartitionOptions, indexed = true): dd.DataFrame {
  const cols: Record<string, number[]> = {};
  if (indexed) cols.t = p.index as number[];
  for (const c of p.columns) cols[c] = (p[c] as Cell[]).map(num);
  return dd.fromColumns(cols, indexed ? { index: 't', ...part } : part);
}

function expectValue(got: unknown, want: Cell, what: string): void {
  if (typeof want === 'boolean') return void expect(got, what).toBe(want);
  const w = num(want);
  const g = got as number;
  if (Number.isNaN(w)) return void expect(g, what).toBeNaN();
  if (!Number.isFinite(w)) return void expect(g, what).toBe(w);
  expect(g, what).toBeCloseTo(w, 10);
}

function expectFrame(r: dd.LocalFrame, p: PFrame, what: string): void {
  expect(r.columns, `${what} columns`).toEqual(p.columns);
  expect(Array.from({ length: r.numRows }, (_, i) => r.labelAt(i)), `${what} index`).toEqual(p.index);
  for (const c of p.columns) (p[c] as Cell[]).forEach((x, i) => expectValue(r.col(c).at(i), x, `${what} ${c}[${String(p.index[i])}]`));
}

/** pdask's dtypes: arithmetic gives float64 (even int + int, see the README's departures), comparisons bool, as pandas. */
const dtypesOf = (p: PFrame) => Object.fromEntries(p.columns.map((c) => [c, p.dtypes[c] === 'bool' ? 'bool' : 'float64']));

const { A: pa, B: pb } = fx.inputs;
const lastA = (pa.index as number[]).at(-1)!;
const a3 = (pa.index as number[])[3];
const PARTS_A: [string, () => dd.DataFrame][] = [
  ['1 partition', () => input(pa, { npartitions: 1 })],
  ['3 partitions', () => input(pa, { npartitions: 3 })],
  ['one-row partitions', () => input(pa, { chunksize: 1 })],
  // A one-row partition ([a3, a3 + 0.25)) followed by an empty one.
  ['with an empty partition', () => input(pa, { npartitions: 4 }).repartition({ divisions: [(pa.index as number[])[0], a3, a3 + 0.25, a3 + 0.5, (pa.index as number[])[10], lastA] })],
];

describe.each(SCHEDULERS)('frame arithmetic aligned on the index (%s)', (_, opts) => {
  it.each(PARTS_A)('frame with frame, every operator: %s', async (_, makeA) => {
    const A = makeA();
    for (const B of [input(pb, { npartitions: 2 }), input(pb, { npartitions: 5 })]) {
      const ops = ['add', 'sub', 'mul', 'div', 'mod', 'pow', 'gt', 'ge', 'lt', 'le', 'eq', 'ne', 'radd', 'rsub', 'rdiv'] as const;
      const results = ops.map((op) => A[op](B));
      const got = (await compute(...results, opts)) as unknown as dd.LocalFrame[];
      ops.forEach((op, j) => {
        expect(results[j].dtypes, op).toEqual(dtypesOf(fx[op]));
        expectFrame(got[j], fx[op], op);
      });
    }
  });

  it('fillValue, reordered and equal columns, series along the index, numbers by column, numbers', async () => {
    const A = input(pa, { npartitions: 3 });
    const B = input(pb, { npartitions: 2 });
    const cases: [string, dd.DataFrame][] = [
      ['add_fill0', A.add(B, { fillValue: 0 })],
      ['sub_fill1.5', A.sub(B, { fillValue: 1.5 })],
      ['rdiv_fill2', A.rdiv(B, { fillValue: 2 })],
      ['same_cols_reordered', A.add(input(pa, { npartitions: 4 }).select(['c', 'a', 'b']))],
      ['same_cols', A.mul(A)],
      ['axis0_series', A.sub(B.col('d'), { axis: 'index' })],
      ['axis0_series_gt', A.gt(B.col('d'), { axis: 0 })],
      ['axis1_local', A.mul({ a: 2, b: -1, z: 5 })],
      ['scalar_add', A.add(2)],
      ['scalar_rsub', A.rsub(10)],
      ['scalar_gt', A.gt(0)],
    ];
    for (const [key, df] of cases) {
      expect(df.dtypes, key).toEqual(dtypesOf(fx[key]));
      expectFrame(await df.compute(opts), fx[key], key);
    }
    // Dask's divisions: the union of both sides'.
    const [dA, dB] = [input(pa, { npartitions: 3 }), input(pb, { npartitions: 2 })];
    expect(dA.divisions).toEqual(fx.dask_divisions.A);
    expect(dB.divisions).toEqual(fx.dask_divisions.B);
    expect(dA.add(dB).divisions).toEqual(fx.dask_divisions.sum);
  });

  it('series with fillValue', async () => {
    for (const [npA, npB] of [[1, 1], [3, 2], [30, 5]]) {
      const A = input(pa, { npartitions: npA });
      const B = input(pb, { npartitions: npB });
      for (const [s, want] of [[A.col('b').add(B.col('a'), { fillValue: 0 }), fx.series_fill0], [A.col('c').sub(B.col('d'), { fillValue: -1 }), fx.series_sub_fill]] as const) {
        const r = await s.compute(opts);
        expect(r.indexArray()).toEqual(want.index);
        want.values.forEach((x, i) => expectValue(r.at(i), x, `[${String(want.index[i])}]`));
      }
    }
  });

  it('frames without an index are aligned by row position', async () => {
    const { P, Q } = fx.plain_inputs;
    const p = input(P, { npartitions: 3 }, false);
    const q = input(Q, { npartitions: 4 }, false);
    expectFrame(await p.add(q).compute(opts), fx.plain_add, 'plain_add');
    expectFrame(await p.add(q, { fillValue: 0 }).compute(opts), fx.plain_add_fill, 'plain_add_fill');
  });

  it('unknown divisions: as many partitions go partition by partition (as Dask); otherwise refused as Dask refuses', async () => {
    const A = input(pa, { npartitions: 3 });
    const A2 = input(pa, { npartitions: 3 }).select(['c', 'a', 'b']);
    const r = A.clearDivisions().add(A2.clearDivisions());
    expect(r.divisions).toBeNull();
    expectFrame(await r.compute(opts), fx.same_cols_reordered, 'unknown, aligned partitions');
    expect(fx.dask_error_unknown).toContain("Not all divisions are known, can't align partitions");
    const B = input(pb, { npartitions: 2 });
    expect(() => A.add(B.clearDivisions())).toThrow("DataFrame.add: Not all divisions are known, can't align partitions (divisions are known on the left and unknown on the right)");
    expect(() => A.clearDivisions().sub(B.clearDivisions())).toThrow("DataFrame.sub: Not all divisions are known, can't align partitions (divisions are unknown on the left and unknown on the right, with 3 and 2 partitions)");
    expect(() => A.clearDivisions().mul(B.col('d').clearDivisions(), { axis: 'index' })).toThrow("DataFrame.mul: Not all divisions are known");
  });

  it('refuses what it cannot do, by name', () => {
    const A = input(pa, { npartitions: 3 });
    const B = input(pb, { npartitions: 2 });
    expect(fx.dask_error_axis1).toBe('Unable to add dd.Series with axis=1');
    expect(() => A.add(B.col('d'))).toThrow("DataFrame.add: Unable to add a Series with axis='columns'");
    expect(() => A.add(B.col('d'), { axis: 'index', fillValue: 0 })).toThrow('fillValue with a Series is not supported');
    expect(() => A.add({ a: 1 }, { fillValue: 0 })).toThrow('fillValue with numbers by column is not supported');
    expect(() => A.add(B, { fill_value: 0 } as never)).toThrow("DataFrame.add: unknown option 'fill_value'");
    expect(() => A.add(B, { level: 0 } as never)).toThrow("DataFrame.add: option 'level' is not supported");
    expect(() => A.gt(B, { fillValue: 0 } as never)).toThrow("DataFrame.gt: option 'fillValue' is not supported");
    expect(() => A.add(B, { axis: 2 } as never)).toThrow("DataFrame.add: option 'axis' must be one of");
    expect(() => A.add(B, { axis: 'index' })).toThrow("DataFrame.add: axis 'index' lines up a Series with the rows; with a DataFrame it does nothing");
    expect(() => A.mul({ a: 1 }, { axis: 0 })).toThrow("DataFrame.mul: axis 'index' lines up a Series with the rows; with a value it does nothing");
    expect(() => A.col('a').add(B.col('a'), { axis: 0 } as never)).toThrow("Series.add: option 'axis' is not supported");
    const s = dd.fromColumns({ x: [1, 2], k: ['a', 'b'] }, { npartitions: 1 });
    expect(() => s.add(1)).toThrow("DataFrame.add: column 'k' has dtype string, not a number");
    expect(() => A.add('x' as never)).toThrow('DataFrame.add: expected a DataFrame, a Series, a number or an object of numbers by column');
  });
});
