/**
 * User functions called value by value (Series.map with a function) or row by row
 * (DataFrame.apply with axis 1). The function arrives as core's shipped function; its results are
 * built into a column of the declared type, and a result of another kind fails naming it.
 */
import type { OpFunction } from '@pdask/core';
import type { Cell } from '../local/labels';
import { cellsOf, vectorOfCells } from './cells';
import { findColumn } from './frame';
import { batchOf, decodePart, encodeBatch, type Part } from './part';
import { indexColumnsOf } from './spec';
import type { TypeDesc } from './types';

function asCell(x: unknown, what: string): Cell {
  if (x === undefined || x === null) return null;
  if (typeof x === 'number' || typeof x === 'string' || typeof x === 'boolean' || typeof x === 'bigint') return x;
  throw new TypeError(`${what} returned ${Array.isArray(x) ? 'an array' : typeof x}; expected a number, string, boolean, bigint or null`);
}

export const mapValues = (fn: OpFunction, fnName: string, part: Part, column: string, type: TypeDesc, ignoreMissing: boolean): Part => {
  const b = decodePart(part);
  const what = `Series.map: ${fnName}`;
  const out = cellsOf(findColumn(b, column)).map((x) => (x === null && ignoreMissing ? null : asCell(fn(x), what)));
  const idx = indexColumnsOf(b.names);
  return encodeBatch(batchOf([...idx, column], [...idx.map((c) => findColumn(b, c)), vectorOfCells(out, type, what)]));
};

export const applyRows = (fn: OpFunction, fnName: string, part: Part, columns: readonly string[], type: TypeDesc, name: string): Part => {
  const b = decodePart(part);
  const what = `DataFrame.apply: ${fnName}`;
  const cols = columns.map((c) => cellsOf(findColumn(b, c)));
  const out = Array.from({ length: b.numRows }, (_, i) => {
    const row: Record<string, Cell> = {};
    columns.forEach((c, j) => (row[c] = cols[j][i]));
    return asCell(fn(row), what);
  });
  const idx = indexColumnsOf(b.names);
  return encodeBatch(batchOf([...idx, name], [...idx.map((c) => findColumn(b, c)), vectorOfCells(out, type, what)]));
};
