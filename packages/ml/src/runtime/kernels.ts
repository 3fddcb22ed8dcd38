/**
 * The WebAssembly kernels that run ml's per-block steps (@pdask/kernels' lloydPartial and
 * logisticPartial), one instance per memory on each thread.
 */
import { loadKernelsSync, sharedMemoryId, type Kernels, type KernelsMemory } from '@pdask/kernels';

/** Instances over shared memories (the array arena), by the memory's id: each reads its blocks in place. */
const byMemory = new Map<string, Kernels>();
let own: Kernels | undefined;

/**
 * Kernels that read blocks of `mem` in place when it is a shared kernel memory; otherwise this
 * thread's own instance, which streams JS-heap blocks through its scratch area. Instantiated
 * synchronously: ml runs in Node and its workers, where that is allowed for a module this size.
 */
export function kernelsFor(mem: KernelsMemory | undefined): Kernels {
  const id = mem && sharedMemoryId(mem);
  if (mem && id !== undefined) {
    let k = byMemory.get(id);
    if (!k) {
      k = loadKernelsSync({ memory: mem });
      byMemory.set(id, k);
    }
    return k;
  }
  own ??= loadKernelsSync();
  return own;
}
