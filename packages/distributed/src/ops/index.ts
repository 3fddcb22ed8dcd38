/**
 * The built-in operations of @pdask/distributed, importable by workers as
 * '@pdask/distributed/ops' (importing this module registers them). Each is named once, by its key.
 */
import { defineCatalogue } from '@pdask/core';

/** node:os on a worker; through getBuiltinModule so that a browser bundle of the client does not need it. */
const hostname = (): string => process.getBuiltinModule('node:os').hostname();

export const distributedOps = defineCatalogue('@pdask/distributed/ops', {
  /** Where a task ran: SLURM node name (or host), process id, worker name. For tests and demos. */
  whereAmI: (..._inputs: unknown[]) => ({
    node: process.env.SLURMD_NODENAME ?? hostname(),
    host: hostname(),
    pid: process.pid,
  }),
  /** Resolves with `value` after `ms` milliseconds, without blocking the worker. */
  sleep: (ms: number, value?: unknown) => new Promise((r) => setTimeout(() => r(value), ms)),
  /**
   * The operation of a reference to a key the cluster already has (a Future inside a graph): the
   * scheduler resolves such a node to the key it holds, so no worker ever runs it.
   */
  known: (): never => {
    throw new Error('a reference to a key the cluster holds reached a worker as a task (a scheduler bug)');
  },
});
