/** A series computed from another partition by partition, with the result's type (its meta). */
import { lit, ref, type ArgSpec, type Key, type TaskNode } from '@pdask/core';
import { partitionwise } from '../base';
import { partitionKey } from '../graph';
import type { TypeDesc } from '../ops/types';
import { Series } from '../series';

export function mapSeries(s: Series, kind: string, token: readonly unknown[], type: TypeDesc, task: (key: Key, part: ArgSpec, i: number) => TaskNode, parents: readonly Series[] = []): Series {
  const { name, layer } = partitionwise([s, ...parents], { kind, token, task: (key, i) => task(key, ref(partitionKey(s.name, i)), i) });
  return new Series(name, s.npartitions, layer, s.divisions, { ...s.meta, type });
}

/** The argument naming the output column: the series' own (its meta name is kept). */
export const outName = (s: Series): ArgSpec => lit(s.seriesName);
