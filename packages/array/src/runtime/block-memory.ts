/**
 * Blocks that a thread computes straight into kernel memory, one shared WebAssembly memory per
 * block. The engine owns their lifetime: a shared memory lives while any thread holds a view of it
 * (the block itself, a copy of it sent to the caller or to another worker, a spill reading it) and
 * is unmapped when the last one is collected. No thread frees anything by hand, so a block can
 * cross threads as a view with no owner to tell, and a released persisted array frees its memory.
 *
 * The thread that made a block keeps one kernels instance over its memory (weakly, with the
 * memory), so its reductions read the block in place. Another thread that receives such a block
 * reads it as any shared array (copied into its own kernel memory tile by tile): instantiating
 * there would claim room in a memory sized for the block alone.
 */
import { createSharedMemory, loadKernelsSync, type Kernels, type KernelsMemory } from '@pdask/kernels';
import type { Block } from './block';

/** Blocks smaller than this are generated on the JS heap, as before (1 MiB, as the arena's inputs). */
export const BLOCK_MEMORY_MIN_BYTES = 1 << 20;
/** Room beside the block: the allocator's state, a small scratch area and the reductions' tiles. */
const ROOM_BYTES = 2 ** 20;
/** Growth allowed past that (more tiles for long chains); reserved, not committed. */
const GROWTH_BYTES = 64 * 2 ** 20;
const SCRATCH_BYTES = 64 * 1024;

/** This thread's kernels over each block memory it created, by memory object. */
const own = new WeakMap<KernelsMemory, Kernels>();

let live = 0;
let made = 0;
const collected = new FinalizationRegistry<undefined>(() => live--);
let unavailable = typeof SharedArrayBuffer === 'undefined';

/**
 * A float64 block of `shape` in a memory of its own, filled by `fill` with the kernels over that
 * memory (so a kernel writes it in place); undefined where shared WebAssembly memory is unavailable.
 */
export function blockInKernelMemory(shape: readonly number[], n: number, fill: (k: Kernels, out: Float64Array) => void): Block | undefined {
  if (unavailable) return undefined;
  let k: Kernels;
  try {
    const bytes = n * 8 + ROOM_BYTES;
    k = loadKernelsSync({ memory: createSharedMemory({ initialBytes: bytes, maximumBytes: bytes + GROWTH_BYTES }), scratchBytes: SCRATCH_BYTES });
  } catch (e) {
    // No shared WebAssembly memory here (a browser page without cross-origin isolation), or no
    // synchronous compilation; a RangeError (no room for this memory now) concerns this block only.
    if (!(e instanceof RangeError)) unavailable = true;
    return undefined;
  }
  // Never freed by hand: the memory goes with its last view.
  const data = k.alloc(Float64Array, n).array;
  fill(k, data);
  own.set(k.memory, k);
  live++;
  made++;
  collected.register(data.buffer, undefined);
  return { dtype: 'float64', shape: [...shape], data, mem: k.memory, alone: true };
}

/** The kernels that read a block of `mem` in place, if this thread created that memory. */
export function ownKernels(mem: KernelsMemory): Kernels | undefined {
  return own.get(mem);
}

/** Block memories created on this thread, and how many of them are not yet collected (tests). */
export function blockMemoryCounts(): { made: number; live: number } {
  return { made, live };
}
