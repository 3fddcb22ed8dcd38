/**
 * merge through the typed-array join tables (ops/join-table.ts) against pandas (fixtures/make_join.py):
 * int keys (a direct-indexed table), ints of a wide range and floats with NaN, -0.0, ±inf (hashed
 * tables), strings with None (numbered keys), int keys meeting float keys of the same value, duplicate
 * keys on both sides, inner/left/right/outer, broadcast and hash strategies, empty partitions,
 * on sync and threads.
 */
import { readFileSync } from 'node:fs';
import { closeThreadPools, compute } from '@pdask/core';
import { afterAll, describe, expect, it } from 'vitest';
import * as dd from '../src/index';
import { SCHEDULERS } from './helpers';

afterAll(() => closeThreadPools());

type Cell = number | string | null;
interface JoinFixture {
  left: Record<string, Cell[]>;
  right: Record<string, Cell[]>;
  merges: Record<string, Record<string, Cell[]>>;
}
const fx = JSON.parse(readFileSync(new URL('./fixtures/join.json', import.meta.url), 'utf8')) as JoinFixture;

const SPECIAL: Record<string, number> = { '-0': -0, inf: Infinity, '-inf': -Infinity };
const num = (v: Cell): number => (v === null ? NaN : typeof v === 'string' ? SPECIAL[v] : v);
const floats = (c: Cell[]): Float64Array => Float64Array.from(c, num);
const ints = (c: Cell[]): Int32Array => Int32Array.from(c as number[]);

function frame(side: Record<string, Cell[]>, id: string, v: string, opts: dd.PartitionOptions): dd.DataFrame {
  return dd.fromColumns(
    {
      [id]: ints(side[id]),
      ik: ints(side.ik),
      wk: floats(side.wk),
      fk: floats(side.fk),
      sk: side.sk as (string | null)[],
      [v]: v === 'lv' ? floats(side[v]) : ints(side[v]),
    },
    opts,
  );
}

/** A cell as the fixture writes it: NaN as null, -0 / ±inf as strings. */
function cell(v: unknown): Cell {
  if (typeof v === 'bigint') return Number(v);
  if (typeof v !== 'number') return (v ?? null) as Cell;
  if (v !== v) return null;
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  if (v === 0 && 1 / v < 0) return '-0';
  return v;
}

/** Rows sorted by (lid, rid), missing last, as the fixture records them. */
function rows(r: dd.LocalFrame, cols: readonly string[]): Cell[][] {
  const out = Array.from({ length: r.numRows }, (_, i) => cols.map((c) => cell(r.col(c).at(i))));
  const key = (x: Cell): number => (x === null ? Infinity : (x as number));
  return out.sort((a, b) => key(a[0]) - key(b[0]) || key(a[1]) - key(b[1]));
}
const fixtureRows = (f: Record<string, Cell[]>, cols: readonly string[]): Cell[][] => f.lid.map((_, i) => cols.map((c) => f[c][i]));

const LEFTS: [string, dd.PartitionOptions][] = [
  ['left in 7 partitions', { npartitions: 7 }],
  ['left in chunks of 37 (17 partitions, last 8 rows)', { chunksize: 37 }],
];
const RIGHTS: [string, dd.PartitionOptions][] = [
  ['right in 1 partition', { npartitions: 1 }],
  ['right in 2 partitions', { npartitions: 2 }],
  ['right in 3 partitions', { npartitions: 3 }],
];
// Right and outer joins are hash joins; inner and left ones broadcast the right side (one partition,
// or few bytes).
const CASES = [
  [`${LEFTS[0][0]}, ${RIGHTS[0][0]}`, LEFTS[0][1], RIGHTS[0][1]],
  [`${LEFTS[1][0]}, ${RIGHTS[1][0]}`, LEFTS[1][1], RIGHTS[1][1]],
  [`${LEFTS[1][0]}, ${RIGHTS[2][0]}`, LEFTS[1][1], RIGHTS[2][1]],
] as const;
const HOWS = ['inner', 'left', 'right', 'outer'] as const;

describe.each(SCHEDULERS)('merge on typed-array join tables, against pandas (%s)', (_, opts) => {
  it.each(CASES)('int, wide int, float and string keys, every how: %s', async (_label, lo, ro) => {
    const l = frame(fx.left, 'lid', 'lv', lo);
    const r = frame(fx.right, 'rid', 'rv', ro);
    for (const key of ['ik', 'wk', 'fk', 'sk']) {
      const cols = ['lid', 'rid', key, 'lv', 'rv'];
      const merged = HOWS.map((how) => l.select(['lid', key, 'lv']).merge(r.select(['rid', key, 'rv']), { on: key, how }));
      const got = (await compute(...merged, opts)) as dd.LocalFrame[];
      HOWS.forEach((how, j) => expect(rows(got[j], cols), `${key} ${how}`).toEqual(fixtureRows(fx.merges[`${key}_${how}`], cols)));
    }
  });

  it.each(CASES)('int32 keys meet float64 keys of the same value: %s', async (_label, lo, ro) => {
    const l = frame(fx.left, 'lid', 'lv', lo).select(['lid', 'ik', 'lv']);
    const r = frame(fx.right, 'rid', 'rv', ro).select(['rid', 'fk', 'rv']);
    const cols = ['lid', 'rid', 'ik', 'fk', 'lv', 'rv'];
    for (const how of ['inner', 'outer'] as const) {
      const got = await l.merge(r, { leftOn: 'ik', rightOn: 'fk', how }).compute(opts);
      expect(rows(got, cols), how).toEqual(fixtureRows(fx.merges[`ik_fk_${how}`], cols));
    }
  });

  it('empty partitions on the left (broadcast and hash joins, tasks and p2p shuffles)', async () => {
    const cols = ['lid', 'rid', 'ik', 'lv', 'rv'];
    const l = frame(fx.left, 'lid', 'lv', { npartitions: 7 }).select(['lid', 'ik', 'lv']);
    const late = l.filter(l.col('lid').ge(300));
    for (const [rp, method] of [[1, 'tasks'], [3, 'tasks'], [3, 'p2p']] as const) {
      const r = frame(fx.right, 'rid', 'rv', { npartitions: rp }).select(['rid', 'ik', 'rv']);
      for (const how of ['inner', 'outer'] as const) {
        const got = await late.merge(r, { on: 'ik', how, shuffleMethod: method }).compute(opts);
        expect(rows(got, cols), `${rp} ${method} ${how}`).toEqual(fixtureRows(fx.merges[`ik_late_${how}`], cols));
      }
    }
  });
});

describe('the table cached for a broadcast side', () => {
  it('a second merge whose broadcast side has other keys of the same length gets its own table', async () => {
    // Tables of at least 4096 rows are kept for reuse by content; equal lengths must not be mistaken for equal keys.
    const n = 5000;
    const left = dd.fromColumns({ k: Int32Array.from({ length: 20000 }, (_, i) => i % 7000) }, { npartitions: 4 });
    const rightA = dd.fromColumns({ k: Int32Array.from({ length: n }, (_, i) => i), a: Int32Array.from({ length: n }, (_, i) => i) }, { npartitions: 1 });
    const rightB = dd.fromColumns({ k: Int32Array.from({ length: n }, (_, i) => i + 2000), a: Int32Array.from({ length: n }, (_, i) => -i) }, { npartitions: 1 });
    for (const scheduler of ['sync', 'threads'] as const) {
      const a = await left.merge(rightA, { on: 'k' }).compute({ scheduler });
      const b = await left.merge(rightB, { on: 'k' }).compute({ scheduler });
      // First principles: left key k (i % 7000) meets rightA's row k when k < 5000, rightB's row k - 2000 when 2000 <= k < 7000.
      const count = (lo: number, hi: number): number => Array.from({ length: 20000 }, (_, i) => i % 7000).filter((k) => k >= lo && k < hi).length;
      expect(a.numRows).toBe(count(0, 5000));
      expect(b.numRows).toBe(count(2000, 7000));
      for (let i = 0; i < b.numRows; i += 997) expect(b.col('a').at(i)).toBe(2000 - (b.col('k').at(i) as number));
      for (let i = 0; i < a.numRows; i += 997) expect(a.col('a').at(i)).toBe(a.col('k').at(i));
    }
  });
});

describe('strategy', () => {
  it("a side of fewer partitions than half of log2 of the other's is broadcast, as Dask's broadcast_bias", () => {
    const big = dd.fromColumns({ k: Int32Array.from({ length: 400 }, (_, i) => i) }, { npartitions: 20 });
    // 9.6 MB: more than the 8 MiB the planner broadcasts by size alone.
    const n = 1_200_000;
    const side = (np: number) => dd.fromColumns({ k: Int32Array.from({ length: n }, (_, i) => i), g: new Int32Array(n) }, { npartitions: np });
    const plan = (f: dd.DataFrame): string => f.explain().split('After optimisation:\n')[1];
    // 2 < log2(20) / 2 = 2.16: broadcast; 3 is not.
    expect(plan(big.merge(side(2), { on: 'k' }))).toContain('strategy=broadcast-right');
    expect(plan(big.merge(side(2), { on: 'k', how: 'left' }))).toContain('strategy=broadcast-right');
    // (A left join: the 20-partition side, of few bytes, cannot be broadcast instead.)
    expect(plan(big.merge(side(3), { on: 'k', how: 'left' }))).toContain('strategy=hash');
    // An outer join keeps the unmatched rows of both: never broadcast.
    expect(plan(big.merge(side(2), { on: 'k', how: 'outer' }))).toContain('strategy=hash');
  });
});
