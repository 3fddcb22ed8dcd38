/**
 * Tree reductions (Dask's `reduction`/`aca`): a step per partition, then groups of `splitEvery`
 * partial results combined level by level until one group is left for the final step.
 */
import { lit, ref, taskNode, toOpRef, type ArgSpec, type OpFunction, type TaskNode } from '@pdask/core';

export interface TreeSpec {
  npartitions: number;
  /** Key of partition i of the input. */
  input: (i: number) => string;
  /** `partial(partition, ...partialArgs)`. */
  partial: OpFunction;
  partialArgs: readonly unknown[];
  /** `combine(partials)` for inner levels. */
  combine: OpFunction;
  /** `final(partials, ...finalArgs)` at the root. */
  final: OpFunction;
  finalArgs: readonly unknown[];
  splitEvery: number | false;
}

export function treeTasks(name: string, outKey: string, spec: TreeSpec): TaskNode[] {
  const partial = toOpRef(spec.partial);
  const combine = toOpRef(spec.combine);
  const tasks: TaskNode[] = [];
  let level: string[] = [];
  const pargs = spec.partialArgs.map(lit);
  for (let i = 0; i < spec.npartitions; i++) {
    const key = `${name}-partial-${i}`;
    tasks.push(taskNode(key, partial, [ref(spec.input(i)), ...pargs]));
    level.push(key);
  }
  const width = spec.splitEvery === false ? Math.max(level.length, 1) : spec.splitEvery;
  for (let depth = 0; level.length > width; depth++) {
    const next: string[] = [];
    for (let i = 0; i < level.length; i += width) {
      const key = `${name}-combine${depth}-${next.length}`;
      tasks.push(taskNode(key, combine, [{ t: 'arr', items: level.slice(i, i + width).map(ref) } as ArgSpec]));
      next.push(key);
    }
    level = next;
  }
  tasks.push(taskNode(outKey, toOpRef(spec.final), [{ t: 'arr', items: level.map(ref) }, ...spec.finalArgs.map(lit)]));
  return tasks;
}
