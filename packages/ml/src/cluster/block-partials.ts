/**
 * One task per row block of X whose results all come back to the caller, to be merged there.
 *
 * For partials of a few hundred bytes (a Lloyd step's k x d sums) a combine task costs more than
 * it saves: on the threads scheduler it is one more message to a worker, a peer fetch of the other
 * workers' partials and one more report, in sequence after the block tasks. Here the block tasks
 * are the computation's targets, so each worker's report carries its partial back and the
 * computation ends with the last block.
 */
import type { ChunkedArray } from '@pdask/array';
import { computeKeys, layerNode, lit, MaterializedLayer, ref, tokenize, type CollectionGraph, type ComputeOptions, type Key, type Op, type TaskNode } from '@pdask/core';
import { scheduleFor } from '../graph/schedule';

export interface BlockPartialsSpec {
  /** Names the layer (and the task keys' prefix). */
  readonly label: string;
  /** 2-d, one block of columns (see validate.ts `asMatrix`). */
  readonly x: ChunkedArray<unknown>;
  /** Operation of an ml catalogue called as `partial(...args(i), xBlock)`. */
  readonly partial: Op;
  readonly args: (block: number) => readonly unknown[];
  /** Row blocks to run (default: all of them), in the order their results are returned. */
  readonly blocks?: readonly number[];
}

/** The graph of the block tasks: its keys in the order of `blocks`. */
export function blockPartialsGraph(spec: BlockPartialsSpec): CollectionGraph<unknown> {
  const { x, label } = spec;
  const blocks = spec.blocks ?? Array.from({ length: x.numblocks[0] }, (_, i) => i);
  const args = blocks.map((i) => spec.args(i));
  const name = `${label}-${tokenize(label, x.name, spec.partial.ref, blocks, args)}`;
  const keys: Key[] = [];
  const nodes: TaskNode[] = blocks.map((b, j) => {
    const key = `${name}-${b}`;
    keys.push(key);
    return spec.partial.task(key, ...args[j].map(lit), ref(x.key([b, 0])));
  });
  const root = layerNode(new MaterializedLayer(name, nodes, label), [x.layer]);
  return {
    roots: [root],
    keys,
    rebuild: () => {
      throw new Error(`pdask internal error: ${label} partials are not persisted`);
    },
  };
}

/** Runs the block tasks (in the calling thread when X is small, see graph/schedule.ts); their results in the order of `blocks`. */
export async function blockPartials<P>(spec: BlockPartialsSpec, opts: ComputeOptions): Promise<P[]> {
  const graph = blockPartialsGraph(spec);
  const values = await computeKeys([graph], scheduleFor([spec.x], opts));
  return graph.keys.map((k) => values.get(k) as P);
}
