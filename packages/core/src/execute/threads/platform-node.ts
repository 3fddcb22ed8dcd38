/// <reference path="../../types/comlink-node.d.ts" />
/** The thread pool on Node: `worker_threads`. See platform.ts. */
import { workerExecArgv } from './exec-argv';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { MessageChannel, Worker, parentPort, workerData, type MessagePort } from 'node:worker_threads';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import type { Endpoint } from 'comlink';
import type { PoolWorker, SpawnOptions } from './platform';
import type { MainPlatform, WorkerPlatform } from './platform-api';
import type { WorkerInit } from './protocol';

function workerEntry(): string {
  // Resolved through the package itself so that sources (under test) and the built package both
  // start the built worker; always the ESM build (one worker format, whichever build the caller loaded).
  return join(dirname(createRequire(import.meta.url).resolve('@pdask/core/package.json')), 'dist', 'worker.js');
}

const endpoint = (port: MessagePort): Endpoint => nodeEndpoint(port as never);

export const mainPlatform: MainPlatform = {
  name: 'node',
  cores: () => availableParallelism(),
  mode: () => 'shared',
  statusBuffer: () => new SharedArrayBuffer(8),
  channel: () => new MessageChannel(),
  endpoint(port) {
    // Node refs a MessagePort each time a 'message' listener is added, and comlink's wrap() adds
    // one for good: unref after every addition, or an idle pool keeps the process from exiting
    // (the pool refs its workers while a computation waits on them).
    port.unref();
    const ep = endpoint(port);
    return {
      ...ep,
      addEventListener(type, listener) {
        ep.addEventListener(type, listener);
        port.unref();
      },
    };
  },
  spawn(init: WorkerInit, transfer: readonly MessagePort[], options: SpawnOptions): PoolWorker {
    if (options.workerUrl !== undefined || options.createWorker !== undefined) {
      throw new Error('workerUrl and createWorker choose Web Workers in a browser; on Node the pool starts its own worker threads');
    }
    const maxOld = options.maxOldGenerationMb;
    return new Worker(workerEntry(), {
      workerData: init,
      transferList: [...transfer],
      execArgv: workerExecArgv(process.execArgv),
      resourceLimits: maxOld > 0 ? { maxOldGenerationSizeMb: maxOld } : undefined,
    }) as unknown as PoolWorker;
  },
  soon: (fn) => void setImmediate(fn).unref(),
};

export const workerPlatform: WorkerPlatform = {
  init: () => workerData as WorkerInit,
  post: (message, transfer) => parentPort!.postMessage(message, transfer),
  onMessage: <M>(fn: (msg: M) => void) => void parentPort!.on('message', fn),
  listen<M>(port: MessagePort, fn: (msg: M) => void) {
    port.on('message', fn);
    port.unref();
  },
  endpoint,
  yieldTurn: () => new Promise((resolve) => setImmediate(resolve)),
};
