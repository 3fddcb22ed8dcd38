/**
 * groupby as a real shuffle: input partition i is split by key hash into one piece per output
 * partition (`split-i`); a small task per (i, j) picks piece j where split-i lives, so that only
 * that piece travels; output partition j gathers piece j of every input and groups it.
 */
import { arr, checkOptions, layerNode, lit, ref, type OptionRule, type OptionSchema, type TaskNode } from '@pdask/core';
import { Bag } from './bag';
import { BagLayer, keyArg, partitionKey, type KeySpec } from './graph';
import { bagOps } from './ops';
import { opName } from './partitionwise';

export interface GroupbyOptions {
  /** Partitions of the result (default: the bag's). */
  npartitions?: number;
  /** 'tasks', the only shuffle there is (Dask's `method`/`shuffle`; its 'disk' shuffle is not implemented). */
  shuffle?: 'tasks';
  method?: 'tasks';
  /** Not supported: the shuffle is one stage (every output partition reads a piece of every input). */
  maxBranch?: never;
  /** Not supported: Dask's block size of its disk shuffle. */
  blocksize?: never;
}

const onlyTasks: OptionRule = { oneOf: ['tasks'] };

const GROUPBY_OPTIONS: OptionSchema<GroupbyOptions> = {
  npartitions: 'number',
  shuffle: onlyTasks,
  method: onlyTasks,
  maxBranch: { unsupported: 'the shuffle is one stage: every output partition reads a piece of every input partition' },
  blocksize: { unsupported: "it sizes Dask's disk shuffle, which pdask does not have" },
};

export function checkNpartitions(n: unknown, method: string): number {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) {
    throw new RangeError(`${method}: npartitions must be a positive integer, got ${typeof n === 'number' ? n : typeof n}`);
  }
  return n;
}

export function groupby<T>(bag: Bag<T>, grouper: KeySpec<T>, options: GroupbyOptions | undefined): Bag<[unknown, T[]]> {
  const opts = checkOptions('Bag.groupby', options, GROUPBY_OPTIONS);
  const g = keyArg(grouper, 'groupby');
  const m = checkNpartitions(opts.npartitions ?? bag.npartitions, 'Bag.groupby');
  const n = bag.npartitions;
  const name = opName('groupby', bag.name, g, m);
  const layer = new BagLayer(name, 'groupby', function* (): Generator<TaskNode> {
    for (let i = 0; i < n; i++) yield bagOps.shuffleSplit.task(`${name}-split-${i}`, lit(i), g, ref(bag.key(i)), lit(m));
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < m; j++) yield bagOps.pick.task(`${name}-piece-${i}-${j}`, ref(`${name}-split-${i}`), lit(j));
    }
    for (let j = 0; j < m; j++) {
      const pieces = Array.from({ length: n }, (_, i) => ref(`${name}-piece-${i}-${j}`));
      yield bagOps.shuffleCollect.task(partitionKey(name, j), arr(pieces));
    }
  });
  return new Bag<[unknown, T[]]>(name, m, layerNode(layer, [bag.layer]));
}
