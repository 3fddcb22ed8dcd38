/**
 * Tree reductions (Dask's `Bag.reduction`): a step per partition, then aggregation of groups of
 * `splitEvery` partial results, level by level, until one remains. The result is a lazy scalar
 * (Item) or a one-partition bag (frequencies, topk, distinct, foldby).
 */
import { layerNode, lit, ref, taskNode, toOpRef, type ArgSpec, type LayerNode, type TaskNode } from '@pdask/core';
import { Bag } from './bag';
import { BagLayer, partitionKey } from './graph';
import { Item } from './item';
import { pipeReduce, type SinkKind } from './ops/pipeline';
import { reduceAggregate, reducePart } from './ops/reduce';
import { pipeArgs } from './pipe';
import { opName } from './partitionwise';

export interface ReductionOptions {
  /** How many partial results one aggregation task combines (default 8; false: all at once). */
  splitEvery?: number | false;
}

export interface TreeSpec {
  /** The bag method, for keys and error messages. */
  method: string;
  /** `chunk(partition, ...chunkArgs)`: a partition's partial result. */
  chunk: ArgSpec;
  /** The same step as elements arrive, for bags computed through a pipeline (ops/pipeline.ts). */
  sink?: SinkKind;
  chunkArgs?: readonly ArgSpec[];
  /** `combine(partials, ...combineArgs)`: partial results into one (every level but the last). */
  combine: ArgSpec;
  combineArgs?: readonly ArgSpec[];
  /** The last level's function (default: combine). */
  final?: ArgSpec;
  finalArgs?: readonly ArgSpec[];
  /** What identifies the reduction besides the bag (for the key token). */
  token: readonly unknown[];
  /** Layers the arguments read (lazy arguments). */
  parents?: readonly LayerNode[];
}

/** Several task arguments as one array argument (a literal when nothing in it is lazy). */
export function argList(items: readonly ArgSpec[] = []): ArgSpec {
  return items.every((a) => a.t === 'lit') ? lit(items.map((a) => (a as { v: unknown }).v)) : { t: 'arr', items };
}

export function checkSplitEvery(splitEvery: number | false | undefined, method: string): number | false {
  if (splitEvery === undefined) return 8;
  if (splitEvery === false) return false;
  if (!Number.isInteger(splitEvery) || splitEvery < 2) throw new RangeError(`Bag.${method}: splitEvery must be an integer >= 2 or false, got ${String(splitEvery)}`);
  return splitEvery;
}

/** The tasks of a tree reduction of `bag`, the last one producing `outKey`. */
function treeTasks(bag: Bag<unknown>, spec: TreeSpec, name: string, outKey: string, splitEvery: number | false): TaskNode[] {
  const part = toOpRef(reducePart);
  const pipeStep = toOpRef(pipeReduce);
  const agg = toOpRef(reduceAggregate);
  const n = bag.npartitions;
  const isLast = n === 1;
  const chunkArgs = argList(spec.chunkArgs);
  const combineArgs = argList(spec.combineArgs);
  const tasks: TaskNode[] = [];
  let level: string[] = [];
  for (let i = 0; i < n; i++) {
    const key = `${name}-part-${i}`;
    // A bag computed through a pipeline is reduced inside the pipeline's pass: one task per partition.
    tasks.push(
      bag.pipe
        ? taskNode(key, pipeStep, [lit(spec.method), lit(i), ...pipeArgs(bag.pipe, i), lit(spec.sink ?? null), spec.chunk, lit(isLast), chunkArgs])
        : taskNode(key, part, [lit(spec.method), lit(i), spec.chunk, ref(bag.key(i)), lit(isLast), chunkArgs]),
    );
    level.push(key);
  }
  const width = splitEvery === false ? Math.max(n, 1) : splitEvery;
  for (let depth = 0; level.length > width; depth++) {
    const next: string[] = [];
    for (let i = 0; i < level.length; i += width) {
      const key = `${name}-aggregate${depth}-${next.length}`;
      tasks.push(taskNode(key, agg, [lit(spec.method), spec.combine, { t: 'arr', items: level.slice(i, i + width).map(ref) }, lit(false), combineArgs]));
      next.push(key);
    }
    level = next;
  }
  const finalArgs = spec.final ? argList(spec.finalArgs) : combineArgs;
  tasks.push(taskNode(outKey, agg, [lit(spec.method), spec.final ?? spec.combine, { t: 'arr', items: level.map(ref) }, lit(true), finalArgs]));
  return tasks;
}

/** What the reduction reads: the bag's pipeline inputs (not the bag's own tasks) when it has one. */
function inputLayers(bag: Bag<unknown>, spec: TreeSpec): LayerNode[] {
  return [...new Set([...(bag.pipe ? bag.pipe.parents : [bag.layer]), ...(spec.parents ?? [])])];
}

export function reduceToItem<R>(bag: Bag<unknown>, spec: TreeSpec, opts: ReductionOptions = {}): Item<R> {
  const splitEvery = checkSplitEvery(opts.splitEvery, spec.method);
  const name = opName(spec.method, bag.name, splitEvery, ...spec.token);
  const layer = new BagLayer(name, spec.method, () => treeTasks(bag, spec, name, name, splitEvery));
  return new Item<R>(name, layerNode(layer, inputLayers(bag, spec)));
}

export function reduceToBag<R>(bag: Bag<unknown>, spec: TreeSpec, opts: ReductionOptions = {}): Bag<R> {
  const splitEvery = checkSplitEvery(opts.splitEvery, spec.method);
  const name = opName(spec.method, bag.name, splitEvery, ...spec.token);
  const layer = new BagLayer(name, spec.method, () => treeTasks(bag, spec, name, partitionKey(name, 0), splitEvery));
  return new Bag<R>(name, 1, layerNode(layer, inputLayers(bag, spec)));
}
