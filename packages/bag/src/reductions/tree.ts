/**
 * A bag reduction as core's treeReduce: one step per partition (inside the partition's fused
 * pipeline when the bag has one), then the row's combine and final steps over the partial results.
 * The generic steps reducePart/reduceAggregate skip empty partitions (NO_RESULT) and report a
 * user function's error with the method's name.
 */
import {
  arr,
  checkOptions,
  fnArg,
  lit,
  ref,
  splitEveryFor,
  treeReduce,
  type ArgSpec,
  type LayerNode,
  type TreeReduction,
} from '@pdask/core';
import { Bag } from '../bag';
import { partitionKey } from '../graph';
import { Item } from '../item';
import { bagOps } from '../ops';
import { opName } from '../partitionwise';
import { pipeArgs } from '../pipe';
import { REDUCTION_OPTIONS, type ReductionOptions } from './options';
import { REDUCTIONS, type ReductionName, type ReductionReturning } from './table';

export type { ReductionOptions } from './options';

/** The arguments a reduction's method gives its steps (each after the values the step reduces). */
export interface ReductionArgs {
  readonly chunk?: readonly ArgSpec[];
  readonly combine?: readonly ArgSpec[];
  /** Of the final step, when the row has one (else the combine arguments are used). */
  readonly final?: readonly ArgSpec[];
  /** What identifies the reduction besides the bag (for the key token). */
  readonly token?: readonly unknown[];
  /** Layers the arguments read (lazy arguments). */
  readonly parents?: readonly LayerNode[];
  /** Key prefix (default: the method). */
  readonly prefix?: string;
}

/** Several task arguments as one array argument (a literal when nothing in it is lazy). */
function argList(items: readonly ArgSpec[] = []): ArgSpec {
  return items.every((a) => a.t === 'lit') ? lit(items.map((a) => (a as { v: unknown }).v)) : arr(items);
}

function build(bag: Bag<unknown>, method: ReductionName, args: ReductionArgs, opts: ReductionOptions | undefined, asBag: boolean): TreeReduction & { name: string } {
  const who = `Bag.${method}`;
  const splitEvery = splitEveryFor('bag', checkOptions(who, opts, REDUCTION_OPTIONS).splitEvery, who);
  const row = REDUCTIONS[method];
  const name = opName(args.prefix ?? method, bag.name, splitEvery, ...(args.token ?? []));
  const n = bag.npartitions;
  const m = lit(method);
  // The only partition of a bag is reduced even when empty (sum 0, max's error); others may be skipped.
  const isLast = lit(n === 1);
  const chunk = fnArg(row.chunk.ref);
  const combine = fnArg(row.combine.ref);
  const final = row.final === null ? combine : fnArg(row.final.ref);
  const chunkArgs = argList(args.chunk);
  const combineArgs = argList(args.combine);
  const finalArgs = row.final === null ? combineArgs : argList(args.final);
  const { pipe } = bag;
  // What the reduction reads: the bag's pipeline inputs (not the bag's own tasks) when it has one.
  const parents = [...new Set([...(pipe ? pipe.parents : [bag.layer]), ...(args.parents ?? [])])];
  const tree = treeReduce(
    {
      name,
      label: method,
      grid: n,
      splitEvery,
      // A bag computed through a pipeline is reduced inside the pipeline's pass: one task per partition.
      partial: (_, i) =>
        pipe
          ? bagOps.pipeReduce.call(m, lit(i), ...pipeArgs(pipe, i), lit(row.sink), chunk, isLast, chunkArgs)
          : bagOps.reducePart.call(m, lit(i), chunk, ref(bag.key(i)), isLast, chunkArgs),
      combine: (parts) => bagOps.reduceAggregate.call(m, combine, arr(parts), lit(false), combineArgs),
      aggregate: (parts) => bagOps.reduceAggregate.call(m, final, arr(parts), lit(true), finalArgs),
      outputKey: asBag ? () => partitionKey(name, 0) : undefined,
    },
    parents,
  );
  return { ...tree, name };
}

/** A reduction whose result is a lazy scalar. */
export function reduceToItem<R>(bag: Bag<unknown>, method: ReductionReturning<'item'>, args: ReductionArgs, opts: ReductionOptions | undefined): Item<R> {
  const { node, keys } = build(bag, method, args, opts, false);
  return new Item<R>(keys[0], node);
}

/** A reduction whose result is a bag of one partition. */
export function reduceToBag<R>(bag: Bag<unknown>, method: ReductionReturning<'bag'>, args: ReductionArgs, opts: ReductionOptions | undefined): Bag<R> {
  const { node, name } = build(bag, method, args, opts, true);
  return new Bag<R>(name, 1, node);
}
