/** This thread's WebAssembly kernels, instantiated on first use (synchronously: tasks are sync). */
import { loadKernelsSync, type Kernels } from '@pdask/kernels';

let loaded: Kernels | undefined;

export function kernels(): Kernels {
  return (loaded ??= loadKernelsSync());
}
