/**
 * What the thread pool needs from its platform: worker threads (Node `worker_threads`) or module
 * Web Workers (a browser). The pool, its wire format and the scheduling state machine are the
 * same on both; `platform-node.ts` and `platform-web.ts` implement this, and the package's
 * `#platform` import (package.json `imports`: `browser` -> web, default -> node) picks one, so a
 * browser bundle never sees `node:worker_threads`.
 */

/**
 * How values cross between the caller and the workers. `'shared'`: SharedArrayBuffer exists
 * (Node, or a cross-origin isolated page): typed arrays over shared memory (or a shared
 * WebAssembly.Memory) cross by reference, and each worker's task-status word is shared memory.
 * `'transfer'`: a page that is not cross-origin isolated: buffers are moved (transferred) or copied.
 */
export type ThreadsMode = 'shared' | 'transfer';

/** The platform a pool runs on. */
export type PlatformName = 'node' | 'web';

/**
 * A module Web Worker as a page creates it (only what the pool uses; spelled without DOM types so
 * the published types need no DOM library).
 */
export interface WebWorkerLike {
  postMessage(message: unknown, transfer: unknown[]): void;
  terminate(): void;
  addEventListener(type: 'message' | 'error' | 'messageerror', listener: (ev: { readonly data?: unknown; readonly message?: string; readonly error?: unknown; preventDefault(): void }) => void): void;
}

/** Where a page's pool gets its workers: a module worker URL, or a factory. */
export interface WorkerSource {
  /** URL of a module worker script that calls `serveWorker()` (`@pdask/core/web-worker`). */
  readonly workerUrl?: string | URL;
  /** Makes one worker (e.g. `() => new Worker(new URL('./w.js', import.meta.url), { type: 'module' })`). */
  readonly createWorker?: () => WebWorkerLike;
}

/** A live worker as the pool drives it (Node's Worker already has this shape). */
export interface PoolWorker {
  /** Unique in this process (Node's thread id; a counter for Web Workers). */
  readonly threadId: number;
  postMessage(message: unknown, transfer?: readonly ArrayBuffer[]): void;
  on(event: 'message', listener: (msg: never) => void): unknown;
  on(event: 'error', listener: (err: Error) => void): unknown;
  on(event: 'exit', listener: (code: number) => void): unknown;
  once(event: 'exit', listener: (code: number) => void): unknown;
  /** Ends the worker; resolves with its exit code once its 'exit' listeners have run. */
  terminate(): Promise<number>;
  ref(): void;
  unref(): void;
}

export interface SpawnOptions extends WorkerSource {
  /** V8 heap limit in MB (0: the platform's default); only Node can set one. */
  readonly maxOldGenerationMb: number;
}
