/**
 * `loadKernels()`: decodes the inlined module, instantiates it over a fresh (or given) memory and
 * returns the typed API. No file system, fetch or bundler support is needed: the module is a base64
 * string inside this package's JavaScript.
 */
import type { KernelExports } from './exports.js';
import { KERNELS_HEAP_BASE, KERNELS_SHARED_WASM_BASE64, KERNELS_WASM_BASE64 } from './generated/kernels-wasm.js';
import { KernelMemory, sharedTagOf } from './memory.js';
import { checkOptionKeys, optionKeys } from './options.js';
import type { Runtime } from './runtime.js';

export interface LoadOptions {
  /**
   * Memory to instantiate over. By default a new (non-shared) one is created. Pass your own to
   * size it up front: growing memory detaches the views of its old buffer (see README). A shared
   * memory from `createSharedMemory()` (also one posted from another thread) gets the shared build
   * of the kernels, and this instance allocates its own regions in it, so several threads' instances
   * can read the same data in place.
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

export interface SharedMemoryOptions {
  /** Initial size in bytes (default 16 MiB). */
  initialBytes?: number;
  /** Largest size in bytes it may grow to (default and at most 4 GiB). */
  maximumBytes?: number;
}

export const LOAD_KEYS = optionKeys<LoadOptions>({ memory: true, initialBytes: true, scratchBytes: true });
const SHARED_MEMORY_KEYS = optionKeys<SharedMemoryOptions>({ initialBytes: true, maximumBytes: true });

let compiled: Promise<WebAssembly.Module> | undefined;
let compiledShared: Promise<WebAssembly.Module> | undefined;

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

/** The build for shared memories (WebAssembly threads), compiled on first use. */
export function compileSharedKernels(): Promise<WebAssembly.Module> {
  compiledShared ??= WebAssembly.compile(decodeBase64(KERNELS_SHARED_WASM_BASE64) as Uint8Array<ArrayBuffer>);
  return compiledShared;
}

const isSharedMemory = (m: WebAssembly.Memory): boolean =>
  typeof SharedArrayBuffer !== 'undefined' && (m.buffer as ArrayBufferLike) instanceof SharedArrayBuffer;

/**
 * A shared WebAssembly memory for the kernels (needs SharedArrayBuffer: Node, or a cross-origin
 * isolated page). Post it to other threads and `loadKernels({ memory })` there: data allocated in
 * it by any instance is read in place by all of them. Its maximum is reserved up front (address
 * space only), as shared memories require.
 */
export function createSharedMemory(options: SharedMemoryOptions = {}): WebAssembly.Memory {
  checkOptionKeys('createSharedMemory', options, SHARED_MEMORY_KEYS);
  const initial = Math.ceil((options.initialBytes ?? 16 * 2 ** 20) / 65536);
  const maximum = Math.min(65536, Math.ceil((options.maximumBytes ?? 2 ** 32) / 65536));
  return new WebAssembly.Memory({ initial, maximum, shared: true } as WebAssembly.MemoryDescriptor);
}

/**
 * The identity of a shared kernels memory (the same string on every thread it is posted to; each
 * post creates a new Memory object), or undefined if kernels never used it. Lets a thread keep one
 * kernels instance per memory.
 */
export function sharedMemoryId(memory: WebAssembly.Memory): string | undefined {
  return sharedTagOf(memory.buffer, KERNELS_HEAP_BASE);
}

export async function instantiate(options: LoadOptions = {}): Promise<Runtime> {
  const shared = options.memory !== undefined && isSharedMemory(options.memory);
  return instantiateWith(await (shared ? compileSharedKernels() : compileKernels()), options);
}

let syncModule: WebAssembly.Module | undefined;
let syncSharedModule: WebAssembly.Module | undefined;

/**
 * Synchronous instantiation, for code that cannot await (Node and worker threads; browsers refuse
 * to compile modules this large synchronously on their main thread).
 */
export function instantiateSync(options: LoadOptions = {}): Runtime {
  const shared = options.memory !== undefined && isSharedMemory(options.memory);
  const module = shared
    ? (syncSharedModule ??= new WebAssembly.Module(decodeBase64(KERNELS_SHARED_WASM_BASE64) as Uint8Array<ArrayBuffer>))
    : (syncModule ??= new WebAssembly.Module(decodeBase64(KERNELS_WASM_BASE64) as Uint8Array<ArrayBuffer>));
  return instantiateWith(module, options, true);
}

function instantiateWith(module: WebAssembly.Module, options: LoadOptions, sync: true): Runtime;
function instantiateWith(module: WebAssembly.Module, options: LoadOptions): Promise<Runtime>;
function instantiateWith(module: WebAssembly.Module, options: LoadOptions, sync = false): Runtime | Promise<Runtime> {
  const pages = Math.ceil((options.initialBytes ?? 16 * 2 ** 20) / 65536);
  const memory = options.memory ?? new WebAssembly.Memory({ initial: pages, maximum: 65536 });
  const make = (instance: WebAssembly.Instance): Runtime => {
    const x = instance.exports as unknown as KernelExports;
    return { x, mem: new KernelMemory(memory, x.heap_base(), options.scratchBytes ?? 512 * 1024) };
  };
  if (sync) return make(new WebAssembly.Instance(module, { env: { memory } }));
  return WebAssembly.instantiate(module, { env: { memory } }).then(make);
}
