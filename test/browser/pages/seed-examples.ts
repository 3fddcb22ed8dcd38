/**
 * The seed tutorial's delayed, array and bag examples (examples/seed/*), with inputs fixed so
 * that a page and Node compute the same numbers: run in the page on Web Workers and in the test
 * process on worker threads, and checked against values from first principles.
 */
import { delayed } from '@pdask/core';
import * as da from '@pdask/array';
import * as db from '@pdask/bag';

export interface SeedResults {
  delayedAdd: number;
  delayedChain: number;
  arraySum: number;
  arrayUnevenMean: number;
  bagSum: number;
  bagCount: number;
}

/** x[i], y[i] of the array example: exact binary fractions, so every summation order agrees. */
export const xAt = (i: number): number => (i % 64) / 64;
export const yAt = (i: number): number => ((i * 7) % 32) / 32;

/** Values whose token must not depend on the platform (strings with non-ASCII, bytes, nesting). */
export const TOKEN_INPUT: unknown[] = [1, -0, 'héllo ☃', [2.5, null], { a: new Float64Array([1.5, -2]) }, new Uint8Array([0, 255])];

export async function runSeedExamples(): Promise<SeedResults> {
  // delayed: add(5, 6), and a small graph of them.
  const add = (x: number, y: number) => x + y;
  const delayedAdd = (await delayed(add)(5, 6).compute()) as number;
  const inc = (x: number) => x + 1;
  const parts = Array.from({ length: 10 }, (_, i) => delayed(inc)(i));
  const delayedChain = (await delayed((...xs: number[]) => xs.reduce((a, b) => a + b, 0))(...parts).compute()) as number;

  // array: (dx + dy).sum() over 4 chunks; a mean over uneven chunks with a size-1 chunk.
  const n = 10000;
  const x = Float64Array.from({ length: n }, (_, i) => xAt(i));
  const y = Float64Array.from({ length: n }, (_, i) => yAt(i));
  const dx = da.fromArray(x, { chunks: n / 4 });
  const dy = da.fromArray(y, { chunks: n / 4 });
  const arraySum = (await dx.add(dy).sum().compute()) as number;
  const z = da.fromArray(Float64Array.from({ length: 1001 }, (_, i) => i), { chunks: [[1, 500, 300, 200]] });
  const arrayUnevenMean = (await z.mean().compute()) as number;

  // bag: from_sequence(range(10000), 4).map(x**2).filter(even).sum()
  const range = Array.from({ length: 10000 }, (_, i) => i);
  const b = db.fromSequence(range, { npartitions: 4 });
  const bagSum = (await b
    .map((v) => v ** 2)
    .filter((v) => v % 2 === 0)
    .sum()
    .compute()) as number;
  const bagCount = (await db.fromSequence(range, { npartitions: 7 }).filter((v) => v % 3 === 0).count().compute()) as number;
  return { delayedAdd, delayedChain, arraySum, arrayUnevenMean, bagSum, bagCount };
}
