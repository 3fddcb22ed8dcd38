/**
 * sortValues (Dask's sort_values) by one column: samples of the key give range boundaries (a task,
 * so nothing is computed while the graph is built), every partition is cut into those ranges, and
 * each output partition gathers one range from every input and sorts it.
 */
import { layerNode, lit, ref, taskNode, toOpRef, type TaskNode } from '@pdask/core';
import { DataFrame } from './frame';
import { FrameLayer, checkNpartitions, opName, partitionKey } from './graph';
import { checkColumn } from './meta';
import { pickPiece } from './ops/shuffle';
import { rangeBoundaries, rangeSplit, sampleSortKeys, sortPieces } from './ops/sort';

export interface SortValuesOptions {
  /** Ascending (default) or descending. Missing keys come last either way. */
  ascending?: boolean;
  /** Output partitions (default: as many as the input). */
  npartitions?: number;
  /** Keys sampled per partition to choose the boundaries (default 256). */
  sampleSize?: number;
}

export function sortValues(df: DataFrame, by: string, opts: SortValuesOptions = {}): DataFrame {
  const method = 'DataFrame.sortValues';
  if (Array.isArray(by)) {
    if (by.length !== 1) throw new TypeError(`${method}: sorting by several columns is not supported; give one column`);
    by = by[0] as string;
  }
  checkColumn(method, by, df.columns);
  const t = df.typeOf(by);
  if (t.id === 'dict') throw new TypeError(`${method}: column '${by}' is a category; convert it with astype('string') first`);
  const ascending = opts.ascending ?? true;
  if (typeof ascending !== 'boolean') throw new TypeError(`${method}: ascending must be a boolean, got ${typeof ascending}`);
  const n = opts.npartitions === undefined ? df.npartitions : checkNpartitions(opts.npartitions, method);
  const sampleSize = checkNpartitions(opts.sampleSize ?? 256, method, 'sampleSize');
  const name = opName('sort-values', df.name, by, ascending, n, sampleSize);
  const column = by;
  const layer = new FrameLayer(name, 'sort-values', () => {
    const tasks: TaskNode[] = [];
    const bounds = `${name}-boundaries`;
    const samples = Array.from({ length: df.npartitions }, (_, i) => {
      const key = `${name}-sample-${i}`;
      tasks.push(taskNode(key, toOpRef(sampleSortKeys), [ref(partitionKey(df.name, i)), lit(column), lit(sampleSize)]));
      return ref(key);
    });
    tasks.push(taskNode(bounds, toOpRef(rangeBoundaries), [{ t: 'arr', items: samples }, lit(n)]));
    for (let i = 0; i < df.npartitions; i++) {
      const split = `${name}-split-${i}`;
      tasks.push(taskNode(split, toOpRef(rangeSplit), [ref(partitionKey(df.name, i)), lit(column), ref(bounds), lit(ascending), lit(n)]));
      for (let b = 0; b < n; b++) tasks.push(taskNode(`${name}-piece-${i}-${b}`, toOpRef(pickPiece), [ref(split), lit(b)]));
    }
    for (let b = 0; b < n; b++) {
      const pieces = Array.from({ length: df.npartitions }, (_, i) => ref(`${name}-piece-${i}-${b}`));
      tasks.push(taskNode(partitionKey(name, b), toOpRef(sortPieces), [{ t: 'arr', items: pieces }, lit(column), lit(ascending)]));
    }
    return tasks;
  });
  // The boundaries are only known when the graph runs: divisions are unknown.
  return new DataFrame(name, n, layerNode(layer, [df.layer]), null, df.meta);
}
