/** Shared by the query planner tests: the pandas fixture, files written from it, and comparisons. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CollectionBase, type ComputeOptions } from '@pdask/core';
import { parquetWriteBuffer } from 'hyparquet-writer';
import * as dd from '../src/index';

type Cell = number | string | null;
export interface ExprFixture {
  data: { id: number[]; x: number[]; y: (number | null)[]; k: string[] };
  right: { k: string[]; bonus: number[] };
  [result: string]: unknown;
}

/** Written by fixtures/make_expr.py (pandas 1.5). */
export const fx = JSON.parse(readFileSync(new URL('./fixtures/expr.json', import.meta.url), 'utf8')) as ExprFixture;
export const N = fx.data.id.length;

/** The data as Parquet: two files of 100 rows, row groups of 25 rows (disjoint ranges of x). */
export function writeParquetFiles(dir: string): string {
  for (const [f, from] of [[0, 0], [1, N / 2]]) {
    const end = from + N / 2;
    const bytes = parquetWriteBuffer({
      columnData: [
        { name: 'id', type: 'INT32', data: Int32Array.from(fx.data.id.slice(from, end)) },
        { name: 'x', type: 'INT32', data: Int32Array.from(fx.data.x.slice(from, end)) },
        { name: 'y', type: 'DOUBLE', nullable: true, data: fx.data.y.slice(from, end) },
        { name: 'k', type: 'STRING', data: fx.data.k.slice(from, end) },
      ],
      rowGroupSize: 25,
    });
    writeFileSync(join(dir, `part.${f}.parquet`), new Uint8Array(bytes));
  }
  return join(dir, '*.parquet');
}

export function writeCsvFile(dir: string): string {
  const path = join(dir, 'data.csv');
  const lines = ['id,x,y,k', ...fx.data.id.map((_, i) => `${fx.data.id[i]},${fx.data.x[i]},${fx.data.y[i] ?? ''},${fx.data.k[i]}`)];
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

export const inMemory = (npartitions: number): dd.DataFrame => dd.fromColumns({ id: Int32Array.from(fx.data.id), x: Int32Array.from(fx.data.x), y: fx.data.y.map((v) => v ?? NaN), k: fx.data.k }, { npartitions });

const cell = (v: unknown): Cell => (typeof v === 'number' && Number.isNaN(v) ? null : typeof v === 'bigint' ? Number(v) : (v as Cell));

export function seriesCells(s: dd.LocalSeries): Cell[] {
  return Array.from({ length: s.length }, (_, i) => cell(s.at(i)));
}

export function frameColumns(f: dd.LocalFrame): Record<string, Cell[]> {
  return Object.fromEntries(f.columns.map((c) => [c, seriesCells(f.col(c))]));
}

/** The result of the graph as the methods built it (no planning). */
export function computeUnplanned<T>(c: CollectionBase<T>, opts: ComputeOptions): Promise<T> {
  return CollectionBase.prototype.compute.call(c, opts) as Promise<T>;
}

/** The "After optimisation" half of explain(). */
export const after = (c: { explain(): string }): string => c.explain().split('After optimisation:\n')[1];
export const before = (c: { explain(): string }): string => c.explain().split('After optimisation:\n')[0];
