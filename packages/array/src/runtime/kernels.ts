/**
 * The WebAssembly kernels of this thread, loaded once. Task functions call `withKernels`: it runs
 * synchronously once the module is loaded, and returns a promise (which core awaits) before.
 */
import { loadKernels, loadKernelsSync, type KernelArray, type Kernels } from '@pdask/kernels';
import type { DType } from '../dtype';

let loaded: Kernels | undefined;
let loading: Promise<Kernels> | undefined;

export function kernelsNow(): Kernels | undefined {
  return loaded;
}

export function getKernels(): Promise<Kernels> {
  loading ??= loadKernels().then((k) => (loaded = k));
  return loading;
}

/** The kernels now, instantiated synchronously if needed (graph-building code that cannot await). */
export function kernelsSync(): Kernels {
  if (!loaded) {
    loaded = loadKernelsSync();
    loading = Promise.resolve(loaded);
  }
  return loaded;
}

export function withKernels<T>(fn: (k: Kernels) => T): T | Promise<T> {
  return loaded ? fn(loaded) : getKernels().then(fn);
}

import { TILE } from './expr';

type TileArray = Float64Array | Float32Array | Int32Array;
const tiles = new Map<DType, KernelArray<TileArray>>();

/**
 * A reusable tile in kernel memory for the last value of a fused chain, so the kernel reads it in
 * place (no copy into its scratch block). Tasks of one thread run one at a time, so one per dtype.
 */
export function kernelTile(k: Kernels, dtype: DType): TileArray | undefined {
  if (dtype !== 'float64' && dtype !== 'float32' && dtype !== 'int32') return undefined;
  let t = tiles.get(dtype);
  if (!t) {
    t = k.alloc(dtype === 'float64' ? Float64Array : dtype === 'float32' ? Float32Array : Int32Array, TILE) as KernelArray<TileArray>;
    tiles.set(dtype, t);
  }
  return t.array;
}

let syncRefused = false;
/**
 * This thread's kernels, loaded synchronously if need be; undefined where that is refused (a
 * browser's main thread will not compile the module synchronously: callers keep their JS loops).
 */
export function kernelsIfAvailable(): Kernels | undefined {
  const k = kernelsNow();
  if (k || syncRefused) return k;
  try {
    return kernelsSync();
  } catch {
    syncRefused = true;
    return undefined;
  }
}
