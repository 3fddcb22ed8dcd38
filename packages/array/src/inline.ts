/**
 * Small graphs run in the calling thread. A round trip to a worker thread costs ~75-90 µs on a
 * 2-vCPU VM (waking an idle core), while reducing 1 MiB takes ~50-100 µs: below that size threads
 * can only add time. So `compute()` without a `scheduler` option runs graphs whose arrays add up
 * to less than `array.inline-threshold` bytes (default 1 MiB; 0 turns this off) on the sync
 * scheduler. Sizes come from each layer's LayerInfo: an array's layer counts its nbytes, and a
 * layer that evaluates a fused expression (a reduction of `random(...)`, `ones(...) + 1`) counts
 * the expression's size, since its tasks make those values. Graphs with user functions
 * (mapBlocks, fromFunction), persisted blocks or layers of unknown kind always go to the
 * configured scheduler: their cost is unknown. An explicit `{ scheduler }` is always obeyed.
 */
import { config, fitsInline, forEachLayer, type ComputeOptions, type LayerNode } from '@pdask/core';

config.addDefaults({ 'array.inline-threshold': '1MiB' });

export function runsInline(roots: readonly LayerNode[]): boolean {
  // NaN: unknown size (after a lazy mask); its inputs are counted.
  return fitsInline(roots, 'array.inline-threshold', ({ layer: { info } }) =>
    !info || info.userCode ? undefined : Number.isFinite(info.bytes) ? info.bytes! : 0,
  );
}

/** Whether a graph reads objects that only the calling thread has (Zarr store objects). */
export function needsCallerThread(roots: readonly LayerNode[]): boolean {
  let caller = false;
  forEachLayer(roots, (n) => {
    if (n.layer.info?.callerThread) caller = true;
  });
  return caller;
}

/**
 * The options a compute()/persist() without a `scheduler` runs with: the calling thread for a
 * graph that needs it, or (compute only) one small enough to run there.
 */
export function chooseScheduler(roots: readonly LayerNode[], opts: ComputeOptions, persist: boolean): ComputeOptions {
  if (opts.scheduler !== undefined) return opts;
  return needsCallerThread(roots) || (!persist && runsInline(roots)) ? { ...opts, scheduler: 'sync' } : opts;
}
