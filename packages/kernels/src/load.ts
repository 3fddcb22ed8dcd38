/**
 * `loadKernels()`: decodes the inlined module, instantiates it over a fresh (or given) memory and
 * returns the typed API. No file system, fetch or bundler support is needed: the module is a base64
 * string inside this package's JavaScript.
 */
import type { KernelExports } from './exports.js';
import { KERNELS_WASM_BASE64 } from './generated/kernels-wasm.js';
import { KernelMemory } from './memory.js';
import type { Runtime } from './runtime.js';

export interface LoadOptions {
  /**
   * Memory to instantiate over (non-shared). By default a new one is created. Pass your own to
   * size it up front: growing memory detaches the views of its old buffer (see README).
   */
  memory?: WebAssembly.Memory;
  /** Initial size of a new memory in bytes (default 16 MiB); it grows on demand up to 4 GiB. */
  initialBytes?: number;
  /**
   * Bytes of the scratch area through which arrays on the JS heap stream (default 512 KiB: large
   * enough to amortise a kernel call, small enough to stay in L2 between the copy and the kernel).
   */
  scratchBytes?: number;
}

let compiled: Promise<WebAssembly.Module> | undefined;

function decodeBase64(s: string): Uint8Array {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** Compiles the module once per realm; instances are cheap afterwards. */
export function compileKernels(): Promise<WebAssembly.Module> {
  compiled ??= WebAssembly.compile(decodeBase64(KERNELS_WASM_BASE64) as Uint8Array<ArrayBuffer>);
  return compiled;
}

export async function instantiate(options: LoadOptions = {}): Promise<Runtime> {
  const module = await compileKernels();
  const pages = Math.ceil((options.initialBytes ?? 16 * 2 ** 20) / 65536);
  const memory = options.memory ?? new WebAssembly.Memory({ initial: pages, maximum: 65536 });
  const instance = await WebAssembly.instantiate(module, { env: { memory } });
  const x = instance.exports as unknown as KernelExports;
  const mem = new KernelMemory(memory, x.heap_base(), options.scratchBytes ?? 512 * 1024);
  return { x, mem };
}
