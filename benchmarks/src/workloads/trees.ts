import { delayed, type Delayed } from '@pdask/core';

/**
 * The tree reduction the core and distributed workloads time, built exactly as
 * benchmarks/python/trees.py builds it for Dask: leaves inc(i), then pairwise add.
 */
export function treeReduction(leaves: number): Delayed<number> {
  const inc = (i: number) => i + 1;
  const add = (a: number, b: number) => a + b;
  let level: Delayed<number>[] = [];
  for (let i = 0; i < leaves; i++) level.push(delayed(inc)(i));
  while (level.length > 1) {
    const next: Delayed<number>[] = [];
    for (let i = 0; i < level.length; i += 2) next.push(i + 1 < level.length ? delayed(add)(level[i], level[i + 1]) : level[i]);
    level = next;
  }
  return level[0];
}

/** Sum of inc(i) for i < leaves: the tree's exact result. */
export const treeSum = (leaves: number): number => (leaves * (leaves + 1)) / 2;
