/**
 * The Node built-ins that spilling task results uses, reached at call time: the worker runtime is
 * bundled for browsers too, where a memory limit then fails with NodeOnlyError naming this.
 */
import { lazyBuiltin } from '../../platform/node-builtins';

const WHAT = 'spilling results to disk (threads.memory-limit)';
export const fs = lazyBuiltin<typeof import('node:fs')>('node:fs', WHAT);
export const os = lazyBuiltin<typeof import('node:os')>('node:os', WHAT);
export const path = lazyBuiltin<typeof import('node:path')>('node:path', WHAT);
export const v8 = lazyBuiltin<typeof import('node:v8')>('node:v8', WHAT);
export const vm = lazyBuiltin<typeof import('node:vm')>('node:vm', WHAT);
