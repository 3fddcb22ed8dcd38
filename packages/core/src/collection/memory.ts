/**
 * Memory sense before allocation: a result or a block larger than the memory this process can
 * have is refused when the graph is submitted, with a message saying what to do, instead of
 * growing the process until the system kills it (NumPy refuses such an allocation up front too).
 */
import { hasNodeBuiltins, nodeBuiltin } from '../platform/node-builtins';
import * as config from '../config/config';
import { parseBytes } from '../config/bytes';
import { forEachLayer, type LayerNode } from '../graph/high-level';

config.addDefaults({ 'memory.limit': 'auto' });

/** A result or block that cannot fit in memory. */
export class MemoryLimitError extends RangeError {
  override name = 'MemoryLimitError';
  constructor(
    message: string,
    readonly bytes: number,
    readonly available: number,
  ) {
    super(message);
  }
}

/** `7.28 TiB`, `21 GiB`: binary units as NumPy prints them. */
export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];
  let u = 0;
  let v = n;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${v} B` : `${v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1).replace(/\.0$/, '') : v.toFixed(2).replace(/\.?0+$/, '')} ${units[u]}`;
}

function memAvailableLinux(): number | undefined {
  try {
    const { readFileSync } = nodeBuiltin<typeof import('node:fs')>('node:fs', 'availableMemory()');
    const m = /^MemAvailable:\s+(\d+)\s+kB/m.exec(readFileSync('/proc/meminfo', 'utf8'));
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Bytes this process could still allocate: the config 'memory.limit' when set; otherwise what the
 * system reports available (Linux's MemAvailable counts reclaimable cache, unlike freemem) plus
 * what the process already holds, bounded by a cgroup limit.
 */
export function availableMemory(): number {
  const setting = config.get<string | number>('memory.limit');
  if (setting !== 'auto' && setting !== undefined) return parseBytes(setting, "config 'memory.limit'");
  if (!hasNodeBuiltins()) return pageMemory();
  const { freemem, totalmem } = nodeBuiltin<typeof import('node:os')>('node:os', 'availableMemory()');
  const held = process.memoryUsage().rss;
  const avail = (memAvailableLinux() ?? freemem()) + held;
  const constrained = typeof process.constrainedMemory === 'function' ? process.constrainedMemory() : 0;
  return Math.min(avail, totalmem(), constrained && constrained > 0 ? constrained : Infinity);
}

/**
 * A page's budget: Chromium's JS heap limit (performance.memory), else the device memory the
 * browser reports (navigator.deviceMemory, rounded down by the browser), else 4 GiB.
 */
function pageMemory(): number {
  const heap = (globalThis.performance as { memory?: { jsHeapSizeLimit?: number } } | undefined)?.memory?.jsHeapSizeLimit;
  if (heap && heap > 0) return heap;
  const device = (globalThis.navigator as { deviceMemory?: number } | undefined)?.deviceMemory;
  return (device && device > 0 ? device : 4) * 2 ** 30;
}

/** 256 MiB: below this, a result or block is not worth a look at the system's free memory. */
const CERTAINLY_AVAILABLE = 2 ** 28;

/**
 * Refuses, before anything runs, results to gather or blocks to create that cannot fit in memory.
 * `blocks`: the graph's output layers, or the largest block already found (IndexedGraph.largestBlock).
 */
export function checkMemory(results: readonly { readonly bytes?: number; readonly advice?: string }[], blocks: readonly LayerNode[] | number): void {
  let total = 0;
  let advice: string | undefined;
  for (const r of results) {
    if (r.bytes !== undefined && Number.isFinite(r.bytes)) total += r.bytes;
    advice ??= r.advice;
  }
  let largest = typeof blocks === 'number' ? blocks : 0;
  if (typeof blocks !== 'number') {
    forEachLayer(blocks, (ln) => {
      const b = ln.layer.info?.largestBlock;
      if (b !== undefined && b > largest) largest = b;
    });
  }
  // Asking the system costs a file read: sizes any machine that runs this has are let through without it.
  if (total < CERTAINLY_AVAILABLE && largest < CERTAINLY_AVAILABLE && config.get<string | number>('memory.limit') === 'auto') return;
  const available = availableMemory();
  if (total > available) {
    throw new MemoryLimitError(
      `cannot gather ${formatBytes(total)} into this process (available: ${formatBytes(available)}); ${advice ?? 'reduce it first'}`,
      total,
      available,
    );
  }
  if (largest > available) {
    throw new MemoryLimitError(
      `cannot create a block of ${formatBytes(largest)} (available: ${formatBytes(available)}); use smaller chunks`,
      largest,
      available,
    );
  }
}
