/**
 * Built-in operations of @pdask/distributed, importable by workers as '@pdask/distributed/ops'.
 */
import { defineOp } from '@pdask/core';
import { hostname } from 'node:os';

const SPEC = '@pdask/distributed/ops';

/** Where a task ran: SLURM node name (or host), process id, worker name. For tests and demos. */
export const whereAmI = defineOp(SPEC, 'whereAmI', (..._inputs: unknown[]) => ({
  node: process.env.SLURMD_NODENAME ?? hostname(),
  host: hostname(),
  pid: process.pid,
}));

/** Resolves with `value` after `ms` milliseconds, without blocking the worker. */
export const sleep = defineOp(SPEC, 'sleep', (ms: number, value?: unknown) => new Promise((r) => setTimeout(() => r(value), ms)));
