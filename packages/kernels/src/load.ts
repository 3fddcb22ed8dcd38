/**
 * `loadKernels()`: gets the module, instantiates it over a fresh (or given) memory and returns the
 * typed API.
 *
 * Where the module comes from:
 * - the ordinary build is inlined in this package's JavaScript, deflated and as base64 (19 KB
 *   instead of 62 KB; no file system, fetch or bundler support needed), or fetched from `loadKernels({ url })` (streaming compilation, HTTP
 *   caching: the package exports `@pdask/kernels/kernels.wasm`);
 * - the shared-memory build is not in the main entry, so a bundle of `loadKernels` + `sum` carries
 *   one build. It comes from `import '@pdask/kernels/shared'` (which inlines and registers it), else
 *   from the package's `generated/kernels-shared.wasm` next to this module: read from disk in Node
 *   (also synchronously), fetched in browsers (`loadKernels` only), or from `url`.
 */
import { inflateSync } from 'fflate';
import type { KernelExports } from './exports.js';
import { KERNELS_HEAP_BASE, KERNELS_WASM_DEFLATED } from './generated/kernels-wasm.js';
import { KernelMemory, sharedTagOf } from './memory.js';
import { checkOptionKeys, optionKeys } from './options.js';
import type { Runtime } from './runtime.js';
import { registeredSharedBuild } from './shared-build.js';
import type { KernelsMemory } from './types.js';

export interface LoadOptions {
  /**
   * Memory to instantiate over. By default a new (non-shared) one is created. Pass your own to
   * size it up front: growing memory detaches the views of its old buffer (see README). A shared
   * memory from `createSharedMemory()` (also one posted from another thread) gets the shared build
   * of the kernels, and this instance allocates its own regions in it, so several threads' instances
   * can read the same data in place.
   */
  memory?: KernelsMemory;
  /** Initial size of a new memory in bytes (default 16 MiB); it grows on demand up to 4 GiB. */
  initialBytes?: number;
  /**
   * Bytes of the scratch area through which arrays on the JS heap stream (default 512 KiB: large
   * enough to amortise a kernel call, small enough to stay in L2 between the copy and the kernel).
   */
  scratchBytes?: number;
}

/** Options of `loadKernels` (async): those of `loadKernelsSync`, and where to fetch the module. */
export interface LoadKernelsOptions extends LoadOptions {
  /**
   * Fetch the module from this URL (a string or a `URL`) instead of using the inlined one:
   * `@pdask/kernels/kernels.wasm` (or `kernels-shared.wasm` with a shared `memory`), served as
   * `application/wasm` for streaming compilation. In Node a `file:` URL or a path reads the file.
   * The module is compiled once per URL and realm.
   */
  url?: string | { readonly href: string };
}

export interface SharedMemoryOptions {
  /** Initial size in bytes (default 16 MiB). */
  initialBytes?: number;
  /** Largest size in bytes it may grow to (default and at most 4 GiB). */
  maximumBytes?: number;
}

/** A shared memory was asked for where there can be none (a page that is not cross-origin isolated). */
export class SharedMemoryError extends Error {
  override name = 'SharedMemoryError';
}

/** The kernels' module could not be fetched, read, compiled or linked; the message says which and why. */
export class KernelsLoadError extends Error {
  override name = 'KernelsLoadError';
}

export const LOAD_KEYS = optionKeys<LoadOptions>({ memory: true, initialBytes: true, scratchBytes: true });
export const LOAD_ASYNC_KEYS = optionKeys<LoadKernelsOptions>({ memory: true, initialBytes: true, scratchBytes: true, url: true });
const SHARED_MEMORY_KEYS = optionKeys<SharedMemoryOptions>({ initialBytes: true, maximumBytes: true });

const ISOLATION =
  'shared WebAssembly memory needs a cross-origin isolated page, and this one is not (crossOriginIsolated is false). ' +
  'Serve the page (and its workers) with the headers "Cross-Origin-Opener-Policy: same-origin" and ' +
  '"Cross-Origin-Embedder-Policy: require-corp", or use the kernels without a shared memory (loadKernels()).';

/** An inlined build: base64 of the raw-DEFLATE module (scripts/build-wasm.mjs), inflated (< 1 ms). */
function inlinedModule(s: string): Uint8Array<ArrayBuffer> {
  const bin = atob(s);
  const deflated = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) deflated[i] = bin.charCodeAt(i);
  return inflateSync(deflated) as Uint8Array<ArrayBuffer>;
}

// ---- Node, without importing node: modules (the same files run in browsers and bundlers) --------

interface NodeFs {
  readFileSync(path: string | URL): Uint8Array<ArrayBuffer>;
}
interface NodeUrl {
  pathToFileURL(path: string): URL;
  fileURLToPath(url: string | URL): string;
}

/** A Node built-in through `process.getBuiltinModule` (Node ≥ 20.16), invisible to bundlers. */
function nodeBuiltin<T>(name: string): T | undefined {
  const p = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  return typeof p?.getBuiltinModule === 'function' ? (p.getBuiltinModule(name) as T) : undefined;
}

// ESM has import.meta.url; the CommonJS build (tsup defines import.meta.url as undefined there) has
// __filename. ESM first: Node's eval workers and `node -e` leave a global __filename around.
declare const __filename: string | undefined;

/** The package's shared build, next to this module: dist/generated/ (or src/generated/ in the repo). */
function sharedWasmLocation(): URL {
  // This exact form lets bundlers (webpack, Vite) emit the file as an asset instead of inlining it.
  if (import.meta.url) return new URL('./generated/kernels-shared.wasm', import.meta.url);
  const url = nodeBuiltin<NodeUrl>('url');
  if (typeof __filename !== 'string' || !url) throw new KernelsLoadError(`cannot locate kernels-shared.wasm${SHARED_HINT}`);
  return new URL('./generated/kernels-shared.wasm', url.pathToFileURL(__filename));
}

/** The path `url` names in Node (a `file:` URL, or a string without a scheme), else undefined. */
function nodePath(url: string): string | undefined {
  const nodeUrl = nodeBuiltin<NodeUrl>('url');
  if (!nodeUrl) return undefined;
  if (/^file:/i.test(url)) return nodeUrl.fileURLToPath(url);
  return /^[a-z][a-z0-9+.-]+:/i.test(url) ? undefined : url;
}

function readFile(fn: string, path: string | URL, hint: string): Uint8Array<ArrayBuffer> {
  try {
    return nodeBuiltin<NodeFs>('fs')!.readFileSync(path);
  } catch (e) {
    throw new KernelsLoadError(`${fn}: cannot read ${String(path)}: ${(e as Error).message}${hint}`, { cause: e });
  }
}

const SHARED_HINT = ". Import '@pdask/kernels/shared' once before loading (it inlines the shared build), or pass the URL of kernels-shared.wasm as loadKernels({ memory, url })";

// ---- compiling, once per source and realm ---------------------------------------------------------

let compiled: Promise<WebAssembly.Module> | undefined;
let compiledShared: Promise<WebAssembly.Module> | undefined;
const compiledUrls = new Map<string, Promise<WebAssembly.Module>>();
let syncModule: WebAssembly.Module | undefined;
let syncSharedModule: WebAssembly.Module | undefined;

/** Caches a compilation, forgetting it if it fails (a later call retries: the server may be back). */
function once(get: () => Promise<WebAssembly.Module> | undefined, set: (p: Promise<WebAssembly.Module> | undefined) => void, make: () => Promise<WebAssembly.Module>): Promise<WebAssembly.Module> {
  let p = get();
  if (p) return p;
  p = make();
  set(p);
  p.catch(() => {
    if (get() === p) set(undefined);
  });
  return p;
}

/** Compiles the inlined ordinary module once per realm; instances are cheap afterwards. */
export function compileKernels(): Promise<WebAssembly.Module> {
  return once(() => compiled, (p) => (compiled = p), () => WebAssembly.compile(inlinedModule(KERNELS_WASM_DEFLATED)));
}

/** The build for shared memories (WebAssembly threads), compiled on first use. */
export function compileSharedKernels(): Promise<WebAssembly.Module> {
  return once(
    () => compiledShared,
    (p) => (compiledShared = p),
    async () => {
      const inlined = registeredSharedBuild();
      if (inlined !== undefined) return WebAssembly.compile(inlinedModule(inlined));
      const where = sharedWasmLocation();
      if (nodeBuiltin('fs') && where.protocol === 'file:') return WebAssembly.compile(readFile('loadKernels', where, SHARED_HINT));
      return fetchModule('loadKernels', where.href, SHARED_HINT);
    },
  );
}

/** Compiles the module at `url` (fetched, or read in Node), once per URL. */
export function compileUrl(url: string): Promise<WebAssembly.Module> {
  return once(
    () => compiledUrls.get(url),
    (p) => (p ? compiledUrls.set(url, p) : compiledUrls.delete(url)),
    async () => {
      const path = nodePath(url);
      return checkModule(url, path !== undefined ? await WebAssembly.compile(readFile('loadKernels', path, '')) : await fetchModule('loadKernels', url, ''));
    },
  );
}

/** fetch + streaming compilation when the server says application/wasm, else fetch + arrayBuffer. */
async function fetchModule(fn: string, url: string, hint: string): Promise<WebAssembly.Module> {
  let res: Response;
  try {
    res = await fetch(url);
  } catch (e) {
    throw new KernelsLoadError(`${fn}: cannot fetch ${url}: ${(e as Error).message}${hint}`, { cause: e });
  }
  if (!res.ok) throw new KernelsLoadError(`${fn}: fetching ${url} failed: HTTP ${res.status} ${res.statusText}${hint}`);
  const type = res.headers.get('content-type') ?? '';
  try {
    if (typeof WebAssembly.compileStreaming === 'function' && /^application\/wasm\s*(;|$)/i.test(type)) return await WebAssembly.compileStreaming(res);
    return await WebAssembly.compile(await res.arrayBuffer());
  } catch (e) {
    throw new KernelsLoadError(`${fn}: ${url} (${type || 'no content-type'}) is not a WebAssembly module: ${(e as Error).message}${hint}`, { cause: e });
  }
}

/** A module from a URL must be one of the two builds: it imports env.memory and exports heap_base. */
function checkModule(url: string, m: WebAssembly.Module): WebAssembly.Module {
  const imports = WebAssembly.Module.imports(m);
  const ok = imports.length === 1 && imports[0]!.kind === 'memory' && WebAssembly.Module.exports(m).some((e) => e.name === 'heap_base');
  if (!ok) throw new KernelsLoadError(`loadKernels: ${url} is not @pdask/kernels' kernels.wasm or kernels-shared.wasm`);
  return m;
}

// ---- memories -------------------------------------------------------------------------------------

/** Shared by its buffer's tag: pages that are not cross-origin isolated hide the global but not the tag. */
const isSharedMemory = (m: KernelsMemory): boolean => Object.prototype.toString.call(m.buffer) === '[object SharedArrayBuffer]';

/** Why no shared memory can be used here, or undefined when it can. */
function sharedMemoryUnavailable(): string | undefined {
  if ((globalThis as { crossOriginIsolated?: unknown }).crossOriginIsolated === false) return ISOLATION;
  if (typeof SharedArrayBuffer === 'undefined') return 'shared WebAssembly memory needs SharedArrayBuffer, which this JavaScript environment does not have.';
  return undefined;
}

/**
 * A shared WebAssembly memory for the kernels (needs SharedArrayBuffer: Node, or a cross-origin
 * isolated page; elsewhere it throws `SharedMemoryError` naming the COOP/COEP headers). Post it to
 * other threads and `loadKernels({ memory })` there: data allocated in it by any instance is read in
 * place by all of them. Its maximum is reserved up front (address space only), as shared memories
 * require.
 */
export function createSharedMemory(options: SharedMemoryOptions = {}): KernelsMemory {
  checkOptionKeys('createSharedMemory', options, SHARED_MEMORY_KEYS);
  const why = sharedMemoryUnavailable();
  if (why) throw new SharedMemoryError(`createSharedMemory: ${why}`);
  const initial = Math.ceil((options.initialBytes ?? 16 * 2 ** 20) / 65536);
  const maximum = Math.min(65536, Math.ceil((options.maximumBytes ?? 2 ** 32) / 65536));
  return new WebAssembly.Memory({ initial, maximum, shared: true } as WebAssembly.MemoryDescriptor);
}

/**
 * The identity of a shared kernels memory (the same string on every thread it is posted to; each
 * post creates a new Memory object), or undefined if kernels never used it. Lets a thread keep one
 * kernels instance per memory.
 */
export function sharedMemoryId(memory: KernelsMemory): string | undefined {
  return sharedTagOf(memory.buffer, KERNELS_HEAP_BASE);
}

/** Throws the clear error for a shared memory where there can be none (before any LinkError). */
function checkShared(fn: string, options: LoadOptions): boolean {
  if (options.memory === undefined || !isSharedMemory(options.memory)) return false;
  const why = sharedMemoryUnavailable();
  if (why) throw new SharedMemoryError(`${fn}: ${why}`);
  return true;
}

// ---- instantiating --------------------------------------------------------------------------------

export async function instantiate(options: LoadKernelsOptions = {}): Promise<Runtime> {
  const shared = checkShared('loadKernels', options);
  const url = options.url === undefined ? undefined : typeof options.url === 'string' ? options.url : options.url.href;
  const module = url !== undefined ? compileUrl(url) : shared ? compileSharedKernels() : compileKernels();
  return instantiateWith(await module, options, url ?? (shared ? 'shared' : 'inlined'));
}

/**
 * Synchronous instantiation, for code that cannot await. Chromium compiles the module synchronously
 * on a page's main thread too (see the README); a shared memory needs the shared build registered
 * (`import '@pdask/kernels/shared'`) except in Node, which reads it from the package.
 */
export function instantiateSync(options: LoadOptions = {}): Runtime {
  const shared = checkShared('loadKernelsSync', options);
  const module = shared ? (syncSharedModule ??= new WebAssembly.Module(sharedBytesSync())) : (syncModule ??= new WebAssembly.Module(inlinedModule(KERNELS_WASM_DEFLATED)));
  return instantiateWith(module, options, shared ? 'shared' : 'inlined', true);
}

function sharedBytesSync(): Uint8Array<ArrayBuffer> {
  const inlined = registeredSharedBuild();
  if (inlined !== undefined) return inlinedModule(inlined);
  const where = sharedWasmLocation();
  if (nodeBuiltin('fs') && where.protocol === 'file:') return readFile('loadKernelsSync', where, SHARED_HINT);
  throw new KernelsLoadError(
    "loadKernelsSync: the shared-memory build is not loaded here. Import '@pdask/kernels/shared' once before (it inlines that build), or use await loadKernels({ memory }), which fetches kernels-shared.wasm.",
  );
}

function instantiateWith(module: WebAssembly.Module, options: LoadOptions, source: string, sync: true): Runtime;
function instantiateWith(module: WebAssembly.Module, options: LoadOptions, source: string): Promise<Runtime>;
function instantiateWith(module: WebAssembly.Module, options: LoadOptions, source: string, sync = false): Runtime | Promise<Runtime> {
  const pages = Math.ceil((options.initialBytes ?? 16 * 2 ** 20) / 65536);
  const memory = (options.memory as WebAssembly.Memory | undefined) ?? new WebAssembly.Memory({ initial: pages, maximum: 65536 });
  const make = (instance: WebAssembly.Instance): Runtime => {
    const x = instance.exports as unknown as KernelExports;
    return { x, mem: new KernelMemory(memory, x.heap_base(), options.scratchBytes ?? 512 * 1024) };
  };
  const fail = (e: unknown): never => {
    throw linkError(e, memory, source, sync ? 'loadKernelsSync' : 'loadKernels');
  };
  if (sync) {
    try {
      return make(new WebAssembly.Instance(module, { env: { memory } }));
    } catch (e) {
      return fail(e);
    }
  }
  return WebAssembly.instantiate(module, { env: { memory } }).then(make, fail);
}

/** A LinkError means the module and the memory disagree (shared or not): say so, and how to fix it. */
function linkError(e: unknown, memory: KernelsMemory, source: string, fn: string): unknown {
  if (!(e instanceof WebAssembly.LinkError)) return e;
  const shared = isSharedMemory(memory);
  const why = shared ? sharedMemoryUnavailable() : undefined;
  if (why) return new SharedMemoryError(`${fn}: ${why}`, { cause: e });
  const module = source === 'inlined' ? 'the ordinary build' : source === 'shared' ? 'the shared build' : source;
  return new KernelsLoadError(
    `${fn}: ${module} cannot use this ${shared ? 'shared' : 'non-shared'} memory: a shared memory needs kernels-shared.wasm, any other kernels.wasm (${e.message})`,
    { cause: e },
  );
}
