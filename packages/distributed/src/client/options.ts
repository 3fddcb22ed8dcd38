/** The option schemas of the client's methods, and the options objects it added to Dask's set. */
import { intAtLeast, type OptionSchema } from '@pdask/core';
import { millis, notYet, numberRecord, strings } from '../options';
import type { ClientOptions, SubmitOptions } from './client';

export const CLIENT_OPTIONS: OptionSchema<ClientOptions> = {
  schedulerFile: 'string',
  address: 'string',
  token: 'string',
  tls: 'object',
  timeoutMs: millis,
  name: 'string',
  setAsDefault: 'boolean',
  timeout: notYet("pdask's option is timeoutMs (milliseconds)"),
  asynchronous: notYet('every method of the client is async'),
  heartbeatInterval: notYet(),
  serializers: notYet(),
  deserializers: notYet(),
  directToWorkers: notYet('results always come straight from the workers'),
};

/** A task's own time limit, in milliseconds (setTimeout's range). */
const taskTimeout = (v: unknown): string | undefined => (typeof v === 'number' && v > 0 && v < 2 ** 31 ? undefined : 'a number of milliseconds > 0 (and < 2^31)');

export const SUBMIT_OPTIONS: OptionSchema<SubmitOptions> = {
  key: 'string',
  pure: 'boolean',
  retries: intAtLeast(0),
  priority: 'number',
  workers: strings,
  resources: numberRecord,
  timeoutMs: taskTimeout,
  timeout: notYet("pdask's option is timeoutMs (milliseconds)"),
  allowOtherWorkers: notYet(),
  fifoTimeout: notYet(),
  actor: notYet(),
  actors: notYet(),
};

/** Options of `client.compute` and `client.persist`. */
export interface GraphSubmitOptions {
  /** Re-runs of a failing task before its error counts. */
  retries?: number;
  /** Higher runs first. */
  priority?: number;
  /** Fuse linear chains before sending (default: config 'optimization.fuse.active'). */
  optimizeGraph?: boolean;
  /** Milliseconds each task may run: past it, its worker process is killed and the task fails with TaskTimeoutError. */
  timeoutMs?: number;
  timeout?: never;
  /** Not implemented: Dask's `workers`, `resources`, `allow_other_workers`, `sync`, `fifo_timeout`, `actors`, `traverse`. */
  workers?: never;
  resources?: never;
  allowOtherWorkers?: never;
  sync?: never;
  fifoTimeout?: never;
  actors?: never;
  traverse?: never;
}

export const MAP_OPTIONS: OptionSchema<Omit<SubmitOptions, 'key'> & { key?: never }> = { ...SUBMIT_OPTIONS, key: notYet('each task of a map gets its own key') };

export const GRAPH_SUBMIT_OPTIONS: OptionSchema<GraphSubmitOptions> = {
  retries: intAtLeast(0),
  priority: 'number',
  optimizeGraph: 'boolean',
  timeoutMs: taskTimeout,
  timeout: notYet("pdask's option is timeoutMs (milliseconds)"),
  workers: notYet(),
  resources: notYet(),
  allowOtherWorkers: notYet(),
  sync: notYet('compute returns a Future; await future.result() for the value'),
  fifoTimeout: notYet(),
  actors: notYet(),
  traverse: notYet(),
};

export interface ScatterOptions {
  /** Worker addresses or names to place the data on (round robin), default all. */
  workers?: string[];
  /** Keys from a token of the data (default true); false gives fresh random keys. */
  hash?: boolean;
  /** Not implemented: Dask's `broadcast`, `direct`, `timeout`. */
  broadcast?: never;
  direct?: never;
  timeout?: never;
}

export const SCATTER_OPTIONS: OptionSchema<ScatterOptions> = { workers: strings, hash: 'boolean', broadcast: notYet(), direct: notYet(), timeout: notYet() };

export interface GatherOptions {
  /** 'raise' (the default and only choice): a failed future's error is thrown. Dask's 'skip' is not implemented. */
  errors?: 'raise';
  /** Not implemented: Dask's `direct` (results always come straight from the workers). */
  direct?: never;
}

export const GATHER_OPTIONS: OptionSchema<GatherOptions> = {
  errors: (v) => (v === 'raise' ? undefined : "'raise' ('skip' is not implemented yet)"),
  direct: notYet('results always come straight from the workers'),
};

