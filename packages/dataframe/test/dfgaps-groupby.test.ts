/**
 * Group-by scans of every non-key column at once (`groupby(k).cumsum()`, `cumprod`, `cummin`,
 * `cummax`, `shift`), `transform` of several columns, and `'nunique'` inside agg specs (dict and
 * named aggregations). Reference values: fixtures/dfgaps.json (make_dfgaps.py, pandas 1.5), on one
 * partition, four, one-row partitions, a one-row and an empty partition, and unknown divisions.
 */
import { readFileSync } from 'node:fs';
import { closeThreadPools } from '@pdask/core';
import { afterAll, describe, expect, it } from 'vitest';
import * as dd from '../src/index';
import { SCHEDULERS } from './helpers';

afterAll(() => closeThreadPools());

type Cell = number | string | boolean | null;
interface PFrame { index: Cell[]; columns: string[]; dtypes: Record<string, string>; [c: string]: Cell[] | string[] | Record<string, string> }
interface PSeries { index: Cell[]; values: Cell[] }
const fx = (JSON.parse(readFileSync(new URL('./fixtures/dfgaps.json', import.meta.url), 'utf8')) as { groupby: Record<string, unknown> }).groupby as Record<string, PFrame> & {
  data: { k: (string | null)[]; a: number[]; b: (number | null)[]; s: (string | null)[]; f: boolean[] };
  cumcount: PSeries;
  dask_error_agg_nunique: string;
};
const { data } = fx;
const rows = data.a.length;

/** The frame indexed by its row positions (pandas' RangeIndex), so that its partitions can be cut anywhere. */
const base = (part: dd.PartitionOptions) =>
  dd.fromColumns({ i: Array.from({ length: rows }, (_, j) => j), k: data.k, a: data.a, b: data.b.map((x) => x ?? NaN), s: data.s, f: data.f }, { index: 'i', ...part });

const PARTS: [string, () => dd.DataFrame][] = [
  ['1 partition', () => base({ npartitions: 1 })],
  ['4 partitions', () => base({ npartitions: 4 })],
  ['one-row partitions', () => base({ chunksize: 1 })],
  ['a one-row and an empty partition', () => base({ npartitions: 3 }).repartition({ divisions: [0, 3, 3.5, 4, 20, rows - 1] })],
  ['unknown divisions', () => base({ npartitions: 5 }).clearDivisions()],
];

/** A value as a number, string or null (booleans as 0/1 where pdask computes numbers, bigints as numbers). */
function norm(x: unknown, boolAsNumber: boolean): Cell {
  if (x === null || x === undefined || (typeof x === 'number' && Number.isNaN(x))) return null;
  if (typeof x === 'bigint') return Number(x);
  if (typeof x === 'boolean') return boolAsNumber ? +x : x;
  return x as Cell;
}

function expectColumn(got: unknown[], want: Cell[], what: string, boolAsNumber = true): void {
  expect(got.length, what).toBe(want.length);
  want.forEach((w, i) => {
    const g = norm(got[i], boolAsNumber);
    const x = norm(w, boolAsNumber);
    if (typeof x === 'number' && typeof g === 'number') expect(Math.abs(g - x), `${what}[${i}]: ${g} vs pandas ${x}`).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(x)));
    else expect(g, `${what}[${i}]`).toEqual(x);
  });
}

function expectFrame(r: dd.LocalFrame, p: PFrame, what: string, columns = p.columns, boolAsNumber = true): void {
  expect(r.columns, `${what} columns`).toEqual(columns);
  expect(Array.from({ length: r.numRows }, (_, i) => norm(r.labelAt(i), true)), `${what} index`).toEqual(p.index);
  columns.forEach((c, j) => expectColumn(Array.from({ length: r.numRows }, (_, i) => r.col(c).at(i)), p[p.columns[j]] as Cell[], `${what} ${c}`, boolAsNumber));
}

describe.each(SCHEDULERS)('group-by of every column at once (%s)', (_, opts) => {
  it.each(PARTS)('cumsum, cumprod, cummin, cummax and shift of every column: %s', async (_, make) => {
    const df = make();
    const g = df.groupby('k');
    for (const op of ['cumsum', 'cumprod', 'cummin', 'cummax'] as const) {
      const r = g[op]();
      expect(r.columns, op).toEqual(['a', 'b', 'f']); // the string column left out, as pandas' nuisance columns
      expect(r.divisions).toEqual(df.divisions);
      expectFrame(await r.compute(opts), fx[op], op);
    }
    for (const [key, n] of [['shift1', 1], ['shift-2', -2]] as const) {
      const r = g.shift(n);
      expect(r.dtypes, key).toEqual({ a: 'float64', b: 'float64', s: 'string', f: 'boolean' });
      expectFrame(await r.compute(opts), fx[key], key, fx[key].columns, false);
    }
    expectFrame(await df.groupby('k', { dropna: false }).cumsum().compute(opts), fx.cumsum_dropna_false, 'cumsum dropna false');
    const cc = await g.cumcount().compute(opts);
    expectColumn(Array.from({ length: cc.length }, (_, i) => cc.at(i)), fx.cumcount.values, 'cumcount');
  });

  it.each(PARTS)('transform of several columns: %s', async (what, make) => {
    const df = make().select(['k', 'a', 'b', 'f']);
    // 37 one-row partitions make 37 x 37 shuffle pieces per transform: two of them are enough there.
    const hows = what === 'one-row partitions' ? (['mean', 'count'] as const) : (['mean', 'sum', 'min', 'max', 'std', 'count', 'first', 'last'] as const);
    for (const how of hows) {
      const r = df.groupby('k').transform(how);
      expect(r.dtypes, how).toEqual(how === 'count' ? { a: 'int32', b: 'int32', f: 'int32' } : { a: 'float64', b: 'float64', f: 'float64' });
      expectFrame(await r.compute(opts), fx[`transform_${how}`], `transform ${how}`);
    }
    const centred = df.select(['k', 'a', 'b']).groupby('k').transform((v: Float64Array) => {
      let sum = 0;
      let n = 0;
      for (const x of v) if (x === x) (sum += x, n++);
      return Array.from(v, (x) => x - sum / n);
    });
    expectFrame(await centred.compute(opts), fx.transform_fn, 'transform fn');
  });

  it.each(PARTS)("'nunique' inside agg specs: %s", async (_, make) => {
    const df = make();
    const dict = df.groupby('k').agg({ a: 'nunique', s: ['nunique', 'first'], b: ['sum', 'nunique'] });
    expect(dict.dtypes).toEqual({ a: 'int32', s_nunique: 'int32', s_first: 'string', b_sum: 'float64', b_nunique: 'int32' });
    expectFrame(await dict.compute(opts), fx.agg_dict_nunique, 'dict', ['a', 's_nunique', 's_first', 'b_sum', 'b_nunique']);
    const named = df.groupby('k').agg({ na: dd.namedAgg('a', 'nunique'), ns: dd.namedAgg('s', 'nunique'), bm: dd.namedAgg('b', 'max') });
    expectFrame(await named.compute(opts), fx.agg_named_nunique, 'named');
    expectFrame(await df.groupby('k').col('b').agg(['mean', 'nunique']).compute(opts), fx.agg_series_list, 'series list');
  });
});

describe('group-by of every column: what is refused', () => {
  const df = base({ npartitions: 2 });
  it('names the problem', () => {
    expect(fx.dask_error_agg_nunique).toBe('unknown aggregate nunique'); // Dask 2022.12; pdask follows pandas
    expect(() => df.groupby('k').transform('size')).toThrow("GroupBy.transform: 'size' gives one value per row whatever the column");
    expect(() => df.groupby('k').transform('median' as never)).toThrow("GroupBy.transform: unknown aggregation 'median'");
    expect(() => df.groupby('k').shift(1.5)).toThrow('GroupBy.shift: periods must be an integer');
    expect(() => df.select(['k', 's']).groupby('k').cumsum()).toThrow("GroupBy.cumsum: the frame has no column cumsum can take besides the grouping column(s) 'k'");
    expect(() => df.groupby('k').agg({ a: 'nuniq' as never })).toThrow('GroupBy.agg: unknown aggregation "nuniq"; known: ');
    expect(() => dd.namedAgg('a', 'nuniq' as never)).toThrow('namedAgg: unknown aggregation "nuniq"');
  });
});
