/**
 * Node-only npm packages (avsc, tinyglobby) loaded with Node's require on first use rather than
 * imported: a page's bundler never pulls them (and their Node built-ins) in, and in a browser the
 * function that needs one fails with a NodeOnlyError naming it.
 */
import { nodeBuiltin } from '@pdask/core';

declare const __filename: string | undefined;

const cache = new Map<string, unknown>();

function load<T>(name: string, what: string): T {
  let m = cache.get(name);
  if (m === undefined) {
    const { createRequire } = nodeBuiltin<typeof import('node:module')>('node:module', what);
    // This module's own location, so the package resolves from @pdask/bag's dependencies.
    const here = typeof __filename === 'string' ? __filename : import.meta.url;
    cache.set(name, (m = createRequire(here)(name)));
  }
  return m as T;
}

/** The package's exports, required on first property access. */
export function lazyPackage<T extends object>(name: string, what: string): T {
  return new Proxy({} as T, { get: (_, k) => (load<Record<string | symbol, unknown>>(name, what))[k] });
}
