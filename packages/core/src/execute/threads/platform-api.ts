/**
 * The platform layer's internal interfaces (see platform.ts): kept apart from the published types,
 * which must not pull in comlink's DOM types.
 */
import type { Endpoint } from 'comlink';
import type { MessagePort } from 'node:worker_threads';
import type { PlatformName, PoolWorker, SpawnOptions, ThreadsMode } from './platform';
import type { WorkerInit } from './protocol';

/** The caller's side. */
export interface MainPlatform {
  readonly name: PlatformName;
  /** Logical cores: Node's availableParallelism(), a browser's navigator.hardwareConcurrency. */
  cores(): number;
  mode(): ThreadsMode;
  /** The worker's [running seq, last finished seq] words: shared memory when the mode is 'shared'. */
  statusBuffer(): SharedArrayBuffer | ArrayBuffer;
  channel(): { port1: MessagePort; port2: MessagePort };
  /** A comlink endpoint over one end of a channel (which must not keep the process alive). */
  endpoint(port: MessagePort): Endpoint;
  spawn(init: WorkerInit, transfer: readonly MessagePort[], options: SpawnOptions): PoolWorker;
  /** Runs `fn` on the next turn of the event loop, without keeping the process alive. */
  soon(fn: () => void): void;
}

/** The worker's side. */
export interface WorkerPlatform {
  /** What the pool sent this worker at start. */
  init(): WorkerInit;
  /** Sends to the pool. */
  post(message: unknown, transfer?: ArrayBuffer[]): void;
  /** Receives from the pool. */
  onMessage<M>(fn: (msg: M) => void): void;
  /** Receives from a peer's port (and lets it not keep the worker alive). */
  listen<M>(port: MessagePort, fn: (msg: M) => void): void;
  endpoint(port: MessagePort): Endpoint;
  /** Lets queued messages in before continuing. */
  yieldTurn(): Promise<void>;
}
