/** Turning computed partitions into the caller's result (the collections' finalize step). */
import { defineOp } from '@pdask/core';
import type { Vector } from 'apache-arrow';
import { LocalFrame } from '../local/frame';
import { LocalSeries } from '../local/series';
import { decodePart, type Batch, type Part } from './part';
import { findColumn } from './frame';
import { DF_OPS, INDEX_COLUMN } from './spec';

function concatColumn(batches: readonly Batch[], name: string): Vector {
  return batches.map((b) => findColumn(b, name)).reduce((a, v) => a.concat(v));
}

export const toLocalFrame = defineOp(DF_OPS, 'toLocalFrame', (parts: readonly Part[], indexName: string | null): LocalFrame => {
  const batches = parts.map(decodePart);
  const names = batches[0].names.filter((n) => n !== INDEX_COLUMN);
  const hasIndex = batches[0].names.includes(INDEX_COLUMN);
  const numRows = batches.reduce((a, b) => a + b.numRows, 0);
  return new LocalFrame(
    names,
    names.map((n) => concatColumn(batches, n)),
    numRows,
    hasIndex ? concatColumn(batches, INDEX_COLUMN) : undefined,
    indexName,
  );
});

export const toLocalSeries = defineOp(DF_OPS, 'toLocalSeries', (parts: readonly Part[], column: string, name: string | null, indexName: string | null): LocalSeries => {
  const batches = parts.map(decodePart);
  const hasIndex = batches[0].names.includes(INDEX_COLUMN);
  return new LocalSeries(concatColumn(batches, column), name, hasIndex ? concatColumn(batches, INDEX_COLUMN) : undefined, indexName);
});
