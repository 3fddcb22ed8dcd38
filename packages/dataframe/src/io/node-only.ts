/**
 * Node built-ins for the readers and writers of files, looked up when they are used
 * (`process.getBuiltinModule`, Node >= 20.16) instead of imported: bundlers do not see them, so a
 * page's bundle of @pdask/dataframe holds no `node:fs`/`node:path`/`node:zlib`, and in a browser the
 * path-based readers and the writers fail with NodeOnlyError naming what to use there instead.
 */

import { NodeOnlyError } from '@pdask/core';

// One error class for every package (core's): a page catches NodeOnlyError whichever package threw it.
export { NodeOnlyError };

interface Builtins {
  'node:fs': typeof import('node:fs');
  'node:path': typeof import('node:path');
  'node:zlib': typeof import('node:zlib');
  'node:buffer': typeof import('node:buffer');
}

const BROWSER_HINT = "in a browser, readParquet and readCsv take a File, Blob, Response or http(s) URL instead of a path, and results are gathered with compute() (there is no file to write to)";

/** The built-in module `id`, if this is Node. */
export function maybeBuiltin<K extends keyof Builtins>(id: K): Builtins[K] | undefined {
  const p = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  return typeof p?.getBuiltinModule === 'function' ? (p.getBuiltinModule(id) as Builtins[K] | undefined) : undefined;
}

/** The built-in module `id`; `what` names the function needing it in the error outside Node. */
export function nodeBuiltin<K extends keyof Builtins>(id: K, what: string): Builtins[K] {
  const m = maybeBuiltin(id);
  if (m === undefined) throw new NodeOnlyError(`${what} (files)`, id, BROWSER_HINT);
  return m;
}

export const nodeFs = (what: string): Builtins['node:fs'] => nodeBuiltin('node:fs', what);
export const nodePath = (what: string): Builtins['node:path'] => nodeBuiltin('node:path', what);
