/**
 * The shared input adapter (`input.toFeatures`, `input.toTarget`): frames and series through the
 * dataframe's public API, recognised structurally; @pdask/ml never loads @pdask/dataframe itself.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as da from '@pdask/array';
import * as dd from '@pdask/dataframe';
import { input } from '../src/index';
import { closePoolsAfterAll } from './helpers';

closePoolsAfterAll();

describe('toFeatures', () => {
  it('a frame: its numeric and boolean columns as float64, the partitions as row blocks, the names', async () => {
    const df = dd.fromColumns({ a: [1, 2, 3, 4, 5], b: [0.5, Number.NaN, 2.5, 3.5, 4.5], c: [true, false, true, true, false] }, { npartitions: 3 });
    const { x, names } = await input.toFeatures(df, 'T.fit');
    expect(names).toEqual(['a', 'b', 'c']);
    expect(x.dtype).toBe('float64');
    expect(x.chunks).toEqual([[2, 2, 1], [3]]);
    const v = (await x.compute()) as da.NDArray;
    expect(Array.from(v.data as Float64Array)).toEqual([1, 0.5, 1, 2, Number.NaN, 0, 3, 2.5, 1, 4, 3.5, 1, 5, 4.5, 0]);
  });

  it('an array: as it is, no names; one-row partitions; a series is refused as X', async () => {
    const a = da.fromArray(Float64Array.of(1, 2, 3, 4), { shape: [2, 2], chunks: [1, 2] });
    const r = await input.toFeatures(a, 'T.fit');
    expect(r.names).toBeNull();
    expect(r.x).toBe(a);
    const df = dd.fromColumns({ a: [1, 2, 3] }, { npartitions: 3 });
    expect((await input.toFeatures(df, 'T.fit')).x.chunks).toEqual([[1, 1, 1], [1]]);
    await expect(input.toFeatures(df.col('a'), 'T.fit')).rejects.toThrow("T.fit: X must be 2-d (samples x features), got a series ('a'); use series.toFrame()");
    await expect(input.toFeatures(dd.fromColumns({ s: ['x'] }, { npartitions: 1 }), 'T.fit')).rejects.toThrow(/column 's' of X is string; encode string and category columns first/);
  });

  it('toTarget: a numeric or boolean series with X row blocks; a string series is refused', async () => {
    const df = dd.fromColumns({ a: [1, 2, 3, 4, 5], y: [true, false, true, true, false], s: ['a', 'b', 'a', 'b', 'a'] }, { npartitions: 2 });
    const { x } = await input.toFeatures(df.select(['a']), 'T.fit');
    const y = await input.toTarget(df.col('y'), x, 'T.fit');
    expect(y.chunks).toEqual([[3, 2]]);
    expect(Array.from(((await y.compute()) as da.NDArray).data as Uint8Array, Number)).toEqual([1, 0, 1, 1, 0]);
    await expect(input.toTarget(df.col('s'), x, 'T.fit')).rejects.toThrow(/y \('s'\) is string; encode it first \(LabelEncoder\)/);
    const short = dd.fromColumns({ y: [1, 2] }, { npartitions: 1 }).col('y');
    await expect(input.toTarget(short, x, 'T.fit')).rejects.toThrow('T.fit: X has 5 samples but y has 2');
  });

  it('recognises frames and series by their public members only', () => {
    const df = dd.fromColumns({ a: [1] }, { npartitions: 1 });
    expect(input.isFrame(df)).toBe(true);
    expect(input.isSeries(df)).toBe(false);
    expect(input.isSeries(df.col('a'))).toBe(true);
    expect(input.isFrame(df.col('a'))).toBe(false);
    expect(input.isFrame(da.ones([2, 2]))).toBe(false);
    expect(input.isSeries(da.ones([2]))).toBe(false);
    expect(input.isFrame({ columns: ['a'] })).toBe(false);
  });

  it('default and given names', () => {
    expect(input.defaultNames(3)).toEqual(['x0', 'x1', 'x2']);
    expect(input.inputNames(null, 2, ['p', 'q'], 'W')).toEqual(['p', 'q']);
    expect(() => input.inputNames(['a', 'b'], 2, ['a', 'c'], 'W')).toThrow('W: inputFeatures [a, c] are not the names seen in fit [a, b]');
  });
});

describe('@pdask/dataframe stays an optional peer', () => {
  it('ml sources import it only as types (no load-time import); package.json declares it an optional peer', () => {
    const src = fileURLToPath(new URL('../src', import.meta.url));
    const files = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)]));
    const imports = files(src).flatMap((f) => readFileSync(f, 'utf8').split('\n').filter((l) => /from '@pdask\/dataframe'|import\('@pdask\/dataframe'\)|require\('@pdask\/dataframe'\)/.test(l) && !/^import type /.test(l)).map((l) => `${f}: ${l}`));
    expect(imports).toEqual([]);
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as Record<string, Record<string, unknown>>;
    expect(pkg.peerDependencies['@pdask/dataframe']).toBe(pkg.version);
    expect(pkg.peerDependenciesMeta['@pdask/dataframe']).toEqual({ optional: true });
    expect(pkg.dependencies['@pdask/dataframe']).toBeUndefined();
  });
});
