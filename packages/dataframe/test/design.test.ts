/**
 * The package's structure: reductions and group-by aggregations are tables that agree with the
 * methods, operations are named only in the catalogue, collections share core's base, and frames
 * made from data announce their size.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { closeThreadPools, CollectionBase, collectionSymbol, isOp, layerNode, MaterializedLayer, SingleKeyCollection, SPLIT_EVERY, taskNode } from '@pdask/core';
import { describe, expect, it } from 'vitest';
import * as dd from '../src/index';
import { dataframeOps } from '../src/ops/index';
import { GROUP_AGGS } from '../src/ops/group-aggs';
import { EXACT_ONLY_AGGS } from '../src/ops/group-exact';
import { REDUCTIONS } from '../src/ops/reduce';
import { STAT_REDUCTIONS } from '../src/ops/stats';

/** Methods of a class (its prototype chain up to, not including, core's base). */
function methods(cls: { prototype: object }): Set<string> {
  const out = new Set<string>();
  for (let p: object | null = cls.prototype; p && p !== CollectionBase.prototype && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
    for (const k of Object.getOwnPropertyNames(p)) if (k !== 'constructor' && typeof Object.getOwnPropertyDescriptor(p, k)?.value === 'function') out.add(k);
  }
  return out;
}

// pandas' reductions of Series/DataFrame and of group-bys (camelCase): a method of one of these
// names must be a row of the table, and every row a method.
const PANDAS_REDUCTIONS = ['sum', 'prod', 'product', 'mean', 'median', 'min', 'max', 'count', 'var', 'std', 'sem', 'skew', 'kurt', 'kurtosis', 'any', 'all', 'nunique', 'first', 'last', 'size', 'idxmin', 'idxmax', 'mode', 'quantile'];

// Reductions that are not rows of REDUCTIONS (numbers reduced by the kernels): nunique is a tree of
// value sets (src/distinct.ts), for any dtype.
const NOT_TABLE_ROWS = ['nunique'];

describe('reductions as data', () => {
  it('every row of REDUCTIONS and STAT_REDUCTIONS is a method of Series and DataFrame, and every reduction method a row', () => {
    const rows = [...Object.keys(REDUCTIONS), ...Object.keys(STAT_REDUCTIONS)].sort();
    for (const cls of [dd.Series, dd.DataFrame]) {
      const found = PANDAS_REDUCTIONS.filter((r) => methods(cls).has(r) && !NOT_TABLE_ROWS.includes(r)).sort();
      expect(found, cls.name).toEqual(rows);
    }
  });

  it('every row of GROUP_AGGS is a method of GroupBy and SeriesGroupBy, and every reduction method a row', () => {
    const rows = [...Object.keys(GROUP_AGGS), ...EXACT_ONLY_AGGS].sort();
    for (const cls of [dd.GroupBy, dd.SeriesGroupBy]) {
      const found = PANDAS_REDUCTIONS.filter((r) => methods(cls).has(r)).sort();
      expect(found, cls.name).toEqual(rows);
    }
  });

  it("a frame reduction's dtype is its row's rule", () => {
    const df = dd.fromColumns({ a: Int32Array.from([1, 2]), b: Float64Array.from([1, 2]), s: ['p', 'q'] }, { npartitions: 1 });
    expect(df.count().dtype).toBe('int32');
    for (const r of ['sum', 'mean', 'var', 'std', 'min', 'max'] as const) expect(df[r]().dtype, r).toBe('float64');
    // count takes any column, the others numbers only (pandas' numeric_only).
    expect(REDUCTIONS.count.input).toBe('any');
    expect(() => df.col('s').sum()).toThrow("Series.sum: series 's' has dtype string, not a number");
  });

  it('reductions and group-bys are core tree reductions with the dataframe default splitEvery', () => {
    expect(SPLIT_EVERY.dataframe).toBe(8);
    const df = dd.fromColumns({ x: Int32Array.from({ length: 20 }, (_, i) => i % 3), y: Float64Array.from({ length: 20 }, (_, i) => i) }, { npartitions: 20 });
    const keysOf = (c: { [collectionSymbol](): { roots: readonly { layer: { materialize(): Iterable<{ key: string }> } }[] } }) => [...c[collectionSymbol]().roots[0].layer.materialize()].map((n) => n.key);
    // 20 partials, ceil(20 / 8) = 3 combines, one aggregate: core's key scheme.
    const sum = keysOf(df.col('y').sum());
    expect(sum.filter((k) => k.includes('-partial-'))).toHaveLength(20);
    expect(sum.filter((k) => /-combine0-\d+$/.test(k))).toHaveLength(3);
    const g = keysOf(df.groupby('x', { splitEvery: 4 }).col('y').sum());
    expect(g.filter((k) => /-combine0-\d+$/.test(k))).toHaveLength(5);
    expect(g.filter((k) => /-combine1-\d+$/.test(k))).toHaveLength(2);
  });
});

describe('one operation catalogue', () => {
  const srcDir = fileURLToPath(new URL('../src', import.meta.url));
  const files = (d: string): string[] => readdirSync(d).flatMap((f) => (statSync(join(d, f)).isDirectory() ? files(join(d, f)) : f.endsWith('.ts') ? [join(d, f)] : []));

  it('every built-in operation is a handle of dataframeOps', () => {
    const names = Object.keys(dataframeOps);
    expect(names.length).toBeGreaterThan(30);
    for (const n of names) {
      const op = dataframeOps[n as keyof typeof dataframeOps];
      expect(isOp(op)).toBe(true);
      expect(op.ref).toEqual({ k: 'mod', spec: '@pdask/dataframe/ops', name: n });
    }
  });

  it('no source outside the catalogue names an operation by string or registers one', () => {
    const stray: string[] = [];
    for (const f of files(srcDir)) {
      const text = readFileSync(f, 'utf8');
      const rel = f.slice(srcDir.length + 1);
      if (/\bdefineOp\b/.test(text)) stray.push(`${rel}: defineOp`);
      if (/defineCatalogue\(/.test(text) && rel !== join('ops', 'index.ts')) stray.push(`${rel}: defineCatalogue`);
      if (/\bk:\s*'mod'/.test(text)) stray.push(`${rel}: an OpRef literal`);
      if (/\btaskNode\(/.test(text)) stray.push(`${rel}: taskNode (tasks are built from handles)`);
      if (text.includes("'@pdask/dataframe/ops'") && rel !== join('ops', 'index.ts')) stray.push(`${rel}: the catalogue's specifier`);
      // Only user functions go through toOpRef (mapPartitions, Aggregation).
      if (/\btoOpRef\(/.test(text) && !['map-partitions.ts', 'aggregation.ts'].includes(rel)) stray.push(`${rel}: toOpRef of a built-in`);
    }
    expect(stray).toEqual([]);
  });

  it('a worker meeting a name the catalogue does not have fails naming it', async () => {
    // A stale graph: a task naming an operation the package does not have. The worker thread
    // imports the catalogue module and refuses the name.
    const key = 'stale-0';
    const stale = new dd.Scalar<number>(key, layerNode(new MaterializedLayer(key, [taskNode(key, { k: 'mod', spec: '@pdask/dataframe/ops', name: 'reduceEverything' }, [])])));
    await expect(stale.compute({ scheduler: 'threads', numWorkers: 1 })).rejects.toThrow("Unknown operation 'reduceEverything' of '@pdask/dataframe/ops'");
    closeThreadPools();
  });
});

describe('one collection base', () => {
  it('frames and series extend CollectionBase, Scalar SingleKeyCollection', async () => {
    const df = dd.fromColumns({ y: Float64Array.from([1, 2, 3]) }, { npartitions: 2 });
    expect(df).toBeInstanceOf(CollectionBase);
    expect(df.col('y')).toBeInstanceOf(CollectionBase);
    const s = df.col('y').sum();
    expect(s).toBeInstanceOf(SingleKeyCollection);
    expect(await (await s.persist({ scheduler: 'sync' })).compute({ scheduler: 'sync' })).toBe(6);
    const { inspect } = await import('node:util');
    expect(inspect(df)).toBe(df.toString());
    expect(inspect(s)).toBe(`Scalar('${s.key}')`);
  });
});

describe('memory', () => {
  it('frames made from data know the bytes compute() gathers; others do not guess', async () => {
    const df = dd.fromColumns({ x: new Float64Array(1000), i: new Int32Array(1000) }, { npartitions: 4 });
    // 1000 float64 (8 bytes) and 1000 int32 (4 bytes), no validity bitmaps.
    expect(df[collectionSymbol]().resultBytes).toBe(12000);
    expect((await df.persist({ scheduler: 'sync' }))[collectionSymbol]().resultBytes).toBe(12000);
    expect(df.col('x').add(1)[collectionSymbol]().resultBytes).toBeUndefined();
  });
});

describe('group keys', () => {
  it('an integer key of -1 is a group like any other (only missing keys are dropped)', async () => {
    const df = dd.fromColumns({ k: Int32Array.from([-1, 0, -1, 2]), v: Float64Array.from([1, 2, 3, 4]) }, { npartitions: 2 });
    const r = await df.groupby('k').col('v').sum().compute({ scheduler: 'sync' });
    expect(r.indexArray()).toEqual([-1, 0, 2]);
    expect(Array.from(r.toArray() as ArrayLike<number>)).toEqual([4, 2, 4]);
  });
});
