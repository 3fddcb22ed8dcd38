/**
 * DataFrame.shuffle (Dask's df.shuffle(on, npartitions, shuffle=)): rows hash-partitioned on
 * columns, so that equal keys share a partition; order kept within a partition (pieces in input
 * order). Divisions become unknown.
 */
import { checkOptions, intAtLeast, type OptionSchema } from '@pdask/core';
import { DataFrame } from './frame';
import { shuffleByKeys } from './groupby/shuffle';
import { checkColumn } from './meta';
import { NOT_YET, refusing } from './options';
import { shuffleMethodOf, shuffleMethodRule, type ShuffleMethod } from './shuffle-method';

export interface ShuffleOptions {
  /** Output partitions (default: as many as the input). */
  npartitions?: number;
  /** 'p2p' or 'tasks' (Dask's shuffle=; default: config 'dataframe.shuffle.method'). */
  method?: ShuffleMethod;
}

const SHUFFLE_OPTIONS: OptionSchema<ShuffleOptions> = refusing<ShuffleOptions>(
  { npartitions: intAtLeast(1), method: shuffleMethodRule },
  { ignoreIndex: NOT_YET, shuffle: "named 'method' here", partitionSize: NOT_YET },
);

export function shuffleFrame(df: DataFrame, on: string | readonly string[], options?: ShuffleOptions): DataFrame {
  const method = 'DataFrame.shuffle';
  const opts = checkOptions(method, options, SHUFFLE_OPTIONS);
  const cols = typeof on === 'string' ? [on] : [...on];
  if (cols.length === 0) throw new TypeError(`${method}: give at least one column to shuffle on`);
  for (const c of cols) checkColumn(method, c, df.columns);
  const n = opts.npartitions ?? df.npartitions;
  const { name, layer } = shuffleByKeys(df, cols, n, false, shuffleMethodOf(method, opts.method));
  return new DataFrame(name, n, layer, null, df.meta);
}
