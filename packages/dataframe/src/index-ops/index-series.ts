/** The index of a frame or series as a lazy series (Dask's `ddf.index`), named by the index. */
import { lit, ref } from '@pdask/core';
import { partitionwise } from '../base';
import { partitionKey } from '../graph';
import { dataframeOps } from '../ops/index';
import { Series } from '../series';
import { withExplicitIndex, type Lazy } from './common';

export function indexSeries(c: Lazy, method: string): Series {
  const src = withExplicitIndex(c, method);
  const level = src.meta.index!.levels[0];
  const column = level.name ?? 'index';
  const { name, layer } = partitionwise([src], { kind: 'index', token: [column], task: (key, i) => dataframeOps.indexValues.task(key, ref(partitionKey(src.name, i)), lit(column)) });
  return new Series(name, src.npartitions, layer, src.divisions, { name: column, label: level.name, type: level.type, index: src.meta.index });
}
