/**
 * Bag-level fusion, graph side. A bag made by element-wise operations (map, filter, flatMap,
 * pluck …) remembers its *pipeline*: the source its elements come from and the stages applied
 * since. Its tasks run the whole pipeline over the source partition (ops/pipeline.ts), and a
 * reduction of it runs the pipeline straight into the reduction's per-partition step. So
 * `map → filter → … → sum` is one task per partition, and the intermediate bags' tasks are not
 * in the graph at all (their layers are not parents of the fused one).
 */
import { arr, layerNode, lit, ref, type Arg, type ArgSpec, type LayerNode } from '@pdask/core';
import type { Bag } from './bag';
import { BagLayer, partitionKey, type ExtraArgs } from './graph';
import { bagOps } from './ops';
import type { SourceKind, StageKind, StageTuple } from './ops/pipeline';

export interface PipeSource {
  /** 'items': the argument computes to the partition's elements; 'lines': to a text block read by the task. */
  readonly kind: SourceKind;
  readonly arg: (i: number) => ArgSpec;
  readonly parents: readonly LayerNode[];
}

export interface StageDef {
  readonly kind: StageKind;
  readonly fn: ArgSpec | null;
  readonly extra?: ExtraArgs;
  readonly opt?: unknown;
}

export interface Pipe {
  readonly source: PipeSource;
  readonly stages: readonly StageDef[];
  /** Layers read by the source and by the stages' arguments. */
  readonly parents: readonly LayerNode[];
}

const NONE: ArgSpec = lit([]);

/** The pipeline of a bag without one: its computed partitions, no stages. */
function plainPipe(bag: Bag<unknown>): Pipe {
  return { source: { kind: 'items', arg: (i) => ref(bag.key(i)), parents: [bag.layer] }, stages: [], parents: [bag.layer] };
}

export function pipeOf(bag: Bag<unknown>): Pipe {
  return bag.pipe ?? plainPipe(bag);
}

/** A pipeline source that is not a bag's computed partitions (packed numbers, text blocks). */
export function sourcePipe(source: PipeSource): Pipe {
  return { source, stages: [], parents: source.parents };
}

/**
 * `bag`'s pipeline followed by `stage`. A stage that reads other bags element-wise needs its input
 * length before it starts, so it begins a new pipeline over `bag`'s computed partitions unless
 * `bag`'s own source is already an array with nothing before it.
 */
export function extendPipe(bag: Bag<unknown>, stage: StageDef, parents: readonly LayerNode[]): Pipe {
  let base = pipeOf(bag);
  const zips = stage.extra?.zip.some(Boolean) ?? false;
  if (zips && (base.stages.length > 0 || base.source.kind !== 'items')) base = plainPipe(bag);
  return { source: base.source, stages: [...base.stages, stage], parents: [...base.parents, ...parents] };
}

function stageArg(s: StageDef, i: number): ArgSpec {
  return { t: 'arr', items: [lit(s.kind), s.fn ?? lit(null), s.extra ? s.extra.at(i) : NONE, lit(s.extra?.zip ?? []), lit(s.opt ?? null)] };
}

/** The pipeline arguments of partition i: source kind, source, stages. */
export function pipeArgs(pipe: Pipe, i: number): [kind: Arg<SourceKind>, source: ArgSpec, stages: Arg<StageTuple[]>] {
  return [lit(pipe.source.kind), pipe.source.arg(i), arr<StageTuple>(pipe.stages.map((s) => stageArg(s, i)))];
}

/** The layer of a bag computed through `pipe`: one pipePartition task per partition. */
export function pipeLayer(name: string, label: string, npartitions: number, pipe: Pipe): LayerNode {
  const layer = new BagLayer(name, label, function* () {
    for (let i = 0; i < npartitions; i++) yield bagOps.pipePartition.task(partitionKey(name, i), lit(i), ...pipeArgs(pipe, i));
  });
  return layerNode(layer, [...new Set(pipe.parents)]);
}
