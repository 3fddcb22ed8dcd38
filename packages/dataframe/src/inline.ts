/**
 * Small frames run in the calling thread. A round trip to a worker thread costs more than
 * aggregating a few hundred KiB (the seed's 10,000-row group-by: about 0.5 ms of thread hops
 * against about 0.2 ms of work), so `compute()` without a `scheduler` option runs a graph on the
 * sync scheduler when every partition it starts from is in-memory data (fromColumns, fromArrow,
 * fromRecords) adding up to less than `dataframe.inline-threshold` bytes (default 1 MiB; 0 turns
 * this off). Graphs that read files, that start from persisted or computed partitions, or whose
 * layers are marked as running user code keep the configured scheduler, as does persist() (its
 * partitions are meant to stay in the workers). An explicit `{ scheduler }` is always obeyed. This
 * is @pdask/array's rule (array.inline-threshold) for frames; core's executor choice is unchanged.
 */
import { config, fitsInline, type ComputeOptions, type Layer, type LayerNode } from '@pdask/core';
import type { Part } from './ops/part';

config.addDefaults({ 'dataframe.inline-threshold': '1MiB' });

/** The layers of in-memory partitions (the frame-construction functions record them) and their bytes. */
const memoryLayers = new WeakMap<Layer, number>();

/** The partitions of those layers, for operations that can run on them directly (directRun). */
const memoryParts = new WeakMap<Layer, readonly Part[]>();

/** Records `layer` as made of the in-memory partitions `parts`, of `bytes` bytes in all. */
export function recordMemoryLayer(node: LayerNode, bytes: number, parts: readonly Part[]): LayerNode {
  memoryLayers.set(node.layer, bytes);
  memoryParts.set(node.layer, parts);
  return node;
}

/** The in-memory partitions a layer is made of (undefined: not such a layer). */
export function memoryPartsOf(node: LayerNode): readonly Part[] | undefined {
  return memoryParts.get(node.layer);
}

/**
 * Whether compute(opts) of a graph over `roots` may skip core's graph and executor and call the
 * operations directly: it runs on the calling thread (scheduler 'sync', or inline by the rule
 * above), and no option or setting asks for what only the executor does (progress, retries,
 * timeouts, graph optimisation).
 */
export function runsDirect(roots: readonly LayerNode[], opts: ComputeOptions): boolean {
  for (const [k, v] of Object.entries(opts)) if (v !== undefined && k !== 'scheduler') return false;
  if (config.get<boolean>('progress')) return false;
  if (opts.scheduler === 'sync') return true;
  return opts.scheduler === undefined && runsInline(roots);
}

/** Whether a graph over `roots` starts only from in-memory frames smaller than the threshold. */
export function runsInline(roots: readonly LayerNode[]): boolean {
  return fitsInline(roots, 'dataframe.inline-threshold', (n) => {
    if (n.layer.info?.userCode) return undefined;
    // A source layer not made from in-memory data (files, persisted partitions): its cost is unknown.
    return memoryLayers.get(n.layer) ?? (n.parents.length === 0 ? undefined : 0);
  });
}

/** The options a frame's compute()/persist() without a `scheduler` runs with. */
export function chooseFrameScheduler(roots: readonly LayerNode[], opts: ComputeOptions, persist: boolean): ComputeOptions {
  if (opts.scheduler !== undefined || persist) return opts;
  return runsInline(roots) ? { ...opts, scheduler: 'sync' } : opts;
}
