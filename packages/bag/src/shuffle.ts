/**
 * groupby as a real shuffle: input partition i is split by key hash into one piece per output
 * partition (`split-i`); a small task per (i, j) picks piece j where split-i lives, so that only
 * that piece travels; output partition j gathers piece j of every input and groups it.
 */
import { layerNode, lit, ref, taskNode, toOpRef, type TaskNode } from '@pdask/core';
import { Bag } from './bag';
import { BagLayer, keyArg, partitionKey, type KeySpec } from './graph';
import { pick } from './ops/elementwise';
import { shuffleCollect, shuffleSplit } from './ops/shuffle';
import { opName } from './partitionwise';

export interface GroupbyOptions {
  /** Partitions of the result (default: the bag's). */
  npartitions?: number;
}

export function checkNpartitions(n: unknown, method: string): number {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) {
    throw new RangeError(`${method}: npartitions must be a positive integer, got ${typeof n === 'number' ? n : typeof n}`);
  }
  return n;
}

export function groupby<T>(bag: Bag<T>, grouper: KeySpec<T>, opts: GroupbyOptions): Bag<[unknown, T[]]> {
  const g = keyArg(grouper, 'groupby');
  const m = checkNpartitions(opts.npartitions ?? bag.npartitions, 'Bag.groupby');
  const n = bag.npartitions;
  const name = opName('groupby', bag.name, g, m);
  const split = toOpRef(shuffleSplit);
  const pickOp = toOpRef(pick);
  const collect = toOpRef(shuffleCollect);
  const layer = new BagLayer(name, 'groupby', function* (): Generator<TaskNode> {
    for (let i = 0; i < n; i++) yield taskNode(`${name}-split-${i}`, split, [lit(i), g, ref(bag.key(i)), lit(m)]);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < m; j++) yield taskNode(`${name}-piece-${i}-${j}`, pickOp, [ref(`${name}-split-${i}`), lit(j)]);
    }
    for (let j = 0; j < m; j++) {
      const pieces = Array.from({ length: n }, (_, i) => ref(`${name}-piece-${i}-${j}`));
      yield taskNode(partitionKey(name, j), collect, [{ t: 'arr', items: pieces }]);
    }
  });
  return new Bag<[unknown, T[]]>(name, m, layerNode(layer, [bag.layer]));
}
