/**
 * The arena: one shared WebAssembly memory per process (created on the thread that calls
 * `fromArray`) that holds large input arrays. Blocks cut from it carry the memory, and every
 * thread that reduces them instantiates the kernels over that same memory (once), so the SIMD
 * kernels read the blocks in place: no copy into kernel memory, and no JS loop over a
 * SharedArrayBuffer (which V8 runs several times slower than over an ordinary array).
 */
import { createSharedMemory, loadKernelsSync, sharedMemoryId, type KernelArray, type KernelTypedArray, type Kernels } from '@pdask/kernels';
import { ctorOf, type DType, type TypedArray } from '../dtype';
import type { Block } from './block';
import { ownKernels } from './block-memory';

let arena: Kernels | null | undefined;

function arenaKernels(): Kernels | null {
  if (arena === undefined) {
    try {
      arena = typeof SharedArrayBuffer === 'undefined' ? null : loadKernelsSync({ memory: createSharedMemory({ initialBytes: 2 ** 20 }) });
    } catch {
      // No shared WebAssembly memory here (e.g. a browser page without cross-origin isolation).
      arena = null;
    }
    if (arena) byId.set(sharedMemoryId(arena.memory)!, arena);
  }
  return arena;
}

/** Frees an arena allocation once the view that owns it (held by the array's layer) is collected. */
const registry = new FinalizationRegistry<KernelArray<KernelTypedArray>>((a) => a.free());

/**
 * A typed array of `n` elements in the arena, freed when the returned view is garbage; undefined
 * when shared WebAssembly memory is unavailable. Bool is stored as uint8.
 */
export function arenaAlloc(dtype: DType, n: number): { data: TypedArray; mem: WebAssembly.Memory } | undefined {
  const k = arenaKernels();
  // The kernels have no int64 loops to run in place: int64 data goes to a SharedArrayBuffer.
  if (!k || dtype === 'int64') return undefined;
  const a = k.alloc(ctorOf(dtype) as Exclude<ReturnType<typeof ctorOf>, BigInt64ArrayConstructor>, n) as unknown as KernelArray<KernelTypedArray>;
  const data = a.array as TypedArray;
  registry.register(data, a);
  return { data, mem: k.memory };
}

/** This thread's kernels over each shared memory seen, by memory identity. */
const byId = new Map<string, Kernels>();

/**
 * Kernels that read `mem` in place on this thread (instantiated on first use). For a block in a
 * memory of its own, only the thread that made it has them (see block-memory.ts).
 */
export function kernelsFor(mem: WebAssembly.Memory, alone = false): Kernels | undefined {
  const mine = ownKernels(mem);
  if (mine || alone) return mine;
  const id = sharedMemoryId(mem);
  if (id === undefined) return undefined;
  let k = byId.get(id);
  if (!k) {
    k = loadKernelsSync({ memory: mem });
    byId.set(id, k);
  }
  return k;
}

/** Kernels that read the block's data in place on this thread, if any. */
export function kernelsForBlock(b: Block): Kernels | undefined {
  return b.mem ? kernelsFor(b.mem as WebAssembly.Memory, b.alone) : undefined;
}
