/**
 * The thread pool in a browser: module Web Workers. See platform.ts. A page's bundler cannot
 * resolve the worker script for the library, so the page names it: `setWorkerSource({ workerUrl })`
 * or `{ createWorker }` (or config `threads.worker-url`); the script calls `serveWorker()` from
 * `@pdask/core/web-worker` after importing the catalogues its tasks use.
 */
import type { Endpoint } from 'comlink';
import type { MessagePort } from 'node:worker_threads';
import type { PoolWorker, SpawnOptions, WebWorkerLike } from './platform';
import type { MainPlatform, WorkerPlatform } from './platform-api';
import type { WorkerInit } from './protocol';
import { INIT_SLOT, NoWorkerSourceError } from './web-init';
import { HANDLED, receiveShared, SharedRefSender } from './platform-web-shared';

type Listener = (x: never) => void;

const hasSharedMemory = (): boolean =>
  (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true && typeof SharedArrayBuffer === 'function';

/** A Web Worker behind Node's Worker surface: 'exit' is emitted when it is terminated or fails. */
let nextThreadId = 1;

class WebPoolWorker implements PoolWorker {
  readonly threadId = nextThreadId++;
  private readonly listeners = { message: [] as Listener[], error: [] as Listener[], exit: [] as Listener[] };
  private exitCode: number | undefined;
  /** Shared buffers go to this worker once, then by reference (see platform-web-shared.ts). */
  private readonly shared = new SharedRefSender((m) => this.postMessage(m));

  constructor(private readonly worker: WebWorkerLike) {
    worker.addEventListener('message', (ev) => {
      for (const l of this.listeners.message) l(ev.data as never);
    });
    // An uncaught error ends a Node worker thread; a Web Worker would go on in an unknown
    // state, so the pool ends it too (what it held is recomputed, like a thread that crashed).
    worker.addEventListener('error', (ev) => {
      ev.preventDefault();
      const err = new Error(ev.message || 'the worker script failed to load or threw (see the browser console)');
      err.name = (ev.error as Error | undefined)?.name ?? 'WorkerError';
      for (const l of this.listeners.error) l(err as never);
      void this.terminate();
    });
    worker.addEventListener('messageerror', () => {
      const err = new Error('a message from the worker could not be deserialized');
      for (const l of this.listeners.error) l(err as never);
      void this.terminate();
    });
  }

  postMessage(message: unknown, transfer?: readonly ArrayBuffer[]): void {
    this.postRaw(this.shared.encode(message), transfer);
  }

  /** Posts as it is (the start message, which serveWorker reads before the runtime exists). */
  postRaw(message: unknown, transfer?: readonly unknown[]): void {
    if (this.exitCode === undefined) this.worker.postMessage(message, transfer ? [...transfer] : []);
  }

  on(event: 'message' | 'error' | 'exit', listener: Listener): this {
    this.listeners[event].push(listener);
    return this;
  }

  once(event: 'exit', listener: (code: number) => void): this {
    const once = (code: number): void => {
      this.listeners.exit = this.listeners.exit.filter((l) => l !== (once as Listener));
      listener(code);
    };
    this.listeners.exit.push(once as Listener);
    return this;
  }

  terminate(): Promise<number> {
    if (this.exitCode !== undefined) return Promise.resolve(this.exitCode);
    this.exitCode = 1;
    this.shared.close();
    this.worker.terminate();
    // As on Node, 'exit' listeners have run when terminate() settles.
    return Promise.resolve().then(() => {
      for (const l of [...this.listeners.exit]) (l as (code: number) => void)(1);
      return 1;
    });
  }

  ref(): void {}
  unref(): void {}
}

function startWorker(options: SpawnOptions): WebWorkerLike {
  if (options.maxOldGenerationMb > 0) {
    throw new Error(`threads.max-old-generation-mb (${options.maxOldGenerationMb}) cannot be honoured: a browser sets no heap limit per Web Worker; set it to 0`);
  }
  if (options.createWorker) return options.createWorker();
  if (options.workerUrl !== undefined) return new Worker(options.workerUrl, { type: 'module' });
  throw new NoWorkerSourceError();
}

export const mainPlatform: MainPlatform = {
  name: 'web',
  cores: () => Math.max(1, (globalThis.navigator as { hardwareConcurrency?: number } | undefined)?.hardwareConcurrency ?? 1),
  mode: () => (hasSharedMemory() ? 'shared' : 'transfer'),
  statusBuffer() {
    if (hasSharedMemory()) return new SharedArrayBuffer(8);
    // The worker writes its own copy: the pool's stays "nothing running, nothing finished" (-1),
    // so a worker that dies blames no task (seq 0 is a real task).
    const b = new ArrayBuffer(8);
    new Int32Array(b).fill(-1);
    return b;
  },
  channel: () => new MessageChannel() as unknown as { port1: MessagePort; port2: MessagePort },
  endpoint(port) {
    const p = port as unknown as globalThis.MessagePort;
    p.start();
    return p as unknown as Endpoint;
  },
  spawn(init: WorkerInit, transfer: readonly MessagePort[], options: SpawnOptions): PoolWorker {
    const w = new WebPoolWorker(startWorker(options));
    w.postRaw({ t: 'pdask-init', init }, transfer);
    return w;
  },
  soon: (fn) => void setTimeout(fn, 0),
};

/** A macrotask without setTimeout's 4 ms clamp on nested timers. */
const turns: (() => void)[] = [];
let turnChannel: globalThis.MessageChannel | undefined;
function nextTurn(resolve: () => void): void {
  if (!turnChannel) {
    turnChannel = new MessageChannel();
    turnChannel.port1.onmessage = () => turns.shift()?.();
  }
  turns.push(resolve);
  turnChannel.port2.postMessage(0);
}

const scope = globalThis as unknown as {
  postMessage(message: unknown, transfer: Transferable[]): void;
  addEventListener(type: 'message', l: (ev: MessageEvent) => void): void;
};

export const workerPlatform: WorkerPlatform = {
  init() {
    const init = (globalThis as Record<symbol, WorkerInit | undefined>)[INIT_SLOT];
    if (!init) throw new Error('The pdask worker was loaded without its start message: load it through serveWorker() from @pdask/core/web-worker');
    return init;
  },
  post: (message, transfer) => scope.postMessage(message, transfer ?? []),
  onMessage: <M>(fn: (msg: M) => void) =>
    scope.addEventListener('message', (ev) => {
      const msg = receiveShared(ev.data);
      if (msg !== HANDLED) fn(msg as M);
    }),
  listen<M>(port: MessagePort, fn: (msg: M) => void) {
    (port as unknown as globalThis.MessagePort).onmessage = (ev) => fn(ev.data as M);
  },
  endpoint(port) {
    const p = port as unknown as globalThis.MessagePort;
    p.start();
    return p as unknown as Endpoint;
  },
  yieldTurn: () => new Promise<void>(nextTurn),
};
