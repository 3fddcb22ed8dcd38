/**
 * Module-level `map` and `mapPartitions` over several bags (Dask's `db.map`, `db.map_partitions`):
 * the function's arguments in the order given, bags anywhere among them. Bags are read element
 * by element (partition by partition for mapPartitions) and must have the same number of
 * partitions; Items and Delayed values are computed first; other values are passed to every call.
 */
import type { Delayed } from '@pdask/core';
import { Bag, isBag, type BagArgs } from './bag';
import type { Item } from './item';
import { describe, userOp, type UserFunction } from './graph';
import { bagOps } from './ops';

function placeOfBags(args: readonly unknown[], fn: string): { at: number; first: Bag<unknown> } {
  const bags = args.filter(isBag);
  if (bags.length === 0) throw new TypeError(`${fn}: at least one argument must be a Bag (got ${args.length === 0 ? 'no arguments' : args.map(describe).join(', ')})`);
  const counts = [...new Set(bags.map((b) => b.npartitions))];
  if (counts.length > 1) throw new Error(`${fn}: all bags must have the same number of partitions (got ${counts.join(' and ')}; see repartition)`);
  const at = args.findIndex(isBag);
  return { at, first: args[at] as Bag<unknown> };
}

/**
 * `fn(a, b, …)` for corresponding elements of the bags among the arguments:
 * `db.map((x, y) => x + y, b1, b2)`, `db.map((k, x) => k * x, 10, b)`.
 */
export function map<R, A extends unknown[]>(fn: UserFunction<(...args: A) => R>, ...args: BagArgs<A>): Bag<R> {
  const { at, first } = placeOfBags(args, 'map');
  if (at === 0) return first.map(fn as unknown as UserFunction<(x: unknown, ...rest: unknown[]) => R>, ...args.slice(1));
  // The first bag drives the step; the function receives it at its place among the arguments.
  userOp(fn, 'map');
  return first.map(bagOps.callPlaced.fn as (x: unknown, ...rest: unknown[]) => R, fn, at, ...args.slice(0, at), ...args.slice(at + 1));
}

/** Arguments of mapPartitions: a parameter that is an array may be given as a bag of its elements. */
export type PartitionArgs<A extends readonly unknown[]> = { [K in keyof A]: A[K] | Item<A[K]> | Delayed<A[K]> | (A[K] extends readonly (infer E)[] ? Bag<E> : never) };

/**
 * `fn(a, b, …)` for corresponding partitions of the bags among the arguments (each an array); it
 * returns the new partition (an array or other iterable).
 */
export function mapPartitions<R, A extends unknown[]>(fn: UserFunction<(...args: A) => Iterable<R>>, ...args: PartitionArgs<A>): Bag<R> {
  const { at, first } = placeOfBags(args, 'mapPartitions');
  if (at === 0) return first.mapPartitions(fn as unknown as UserFunction<(part: unknown[], ...rest: never[]) => Iterable<R>>, ...args.slice(1));
  userOp(fn, 'mapPartitions');
  return first.mapPartitions(bagOps.callPlaced.fn as (part: unknown[], ...rest: never[]) => Iterable<R>, fn, at, ...args.slice(0, at), ...args.slice(at + 1));
}
