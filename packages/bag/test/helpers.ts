/** Shared test helpers: schedulers to run on, deterministic data, plain-JS references. */
import type { ComputeOptions } from '@pdask/core';

export const SCHEDULERS: [string, ComputeOptions][] = [
  ['sync', { scheduler: 'sync' }],
  ['threads', { scheduler: 'threads', numWorkers: 2 }],
];

/** A small deterministic generator (LCG), so data is the same on every run. */
export function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export const iota = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

/** Sorts a copy with a total order over JSON text (for comparing unordered results). */
export function sortedByJson<T>(xs: readonly T[]): T[] {
  return [...xs].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : JSON.stringify(a) > JSON.stringify(b) ? 1 : 0));
}
