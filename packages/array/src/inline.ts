/**
 * Small graphs run in the calling thread. A round trip to a worker thread costs ~75-90 µs on a
 * 2-vCPU VM (waking an idle core), while reducing 1 MiB takes ~50-100 µs: below that size threads
 * can only add time. So `compute()` without a `scheduler` option runs graphs whose arrays add up
 * to less than `array.inline-threshold` bytes (default 1 MiB; 0 turns this off) on the sync
 * scheduler. Graphs with user functions (mapBlocks, fromFunction) or persisted blocks always go to
 * the configured scheduler: their cost is unknown. An explicit `{ scheduler }` is always obeyed.
 */
import { config, type LayerNode } from '@pdask/core';
import { parseBytes } from '@pdask/core';
import { BlockLayer } from './layer';

config.addDefaults({ 'array.inline-threshold': '1MiB' });

export function runsInline(roots: readonly LayerNode[]): boolean {
  if (config.get<string>('scheduler') !== 'threads') return false;
  const limit = parseBytes(config.get<string | number>('array.inline-threshold'), "config 'array.inline-threshold'");
  if (!(limit > 0)) return false;
  let bytes = 0;
  const seen = new Set<LayerNode>();
  const stack = [...roots];
  while (stack.length) {
    const n = stack.pop()!;
    if (seen.has(n)) continue;
    seen.add(n);
    const l = n.layer;
    if (!(l instanceof BlockLayer) || l.userCode) return false;
    bytes += l.bytes || 0; // NaN: unknown size (lazy mask); its inputs are counted
    if (bytes >= limit) return false;
    for (const p of n.parents) stack.push(p);
  }
  return true;
}

/** Whether a graph reads objects that only the calling thread has (Zarr store objects). */
export function needsCallerThread(roots: readonly LayerNode[]): boolean {
  const seen = new Set<LayerNode>();
  const stack = [...roots];
  while (stack.length) {
    const n = stack.pop()!;
    if (seen.has(n)) continue;
    seen.add(n);
    if (n.layer instanceof BlockLayer && n.layer.callerThread) return true;
    for (const p of n.parents) stack.push(p);
  }
  return false;
}
