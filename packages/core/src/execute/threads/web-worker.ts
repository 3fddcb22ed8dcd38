/**
 * `@pdask/core/web-worker`: the entry of a module Web Worker of the browser's threads pool.
 * A bundled page cannot `import()` a package by name at run time, so the worker script imports
 * the catalogues its tasks use statically (core's own here; `@pdask/array/web-worker`,
 * `@pdask/bag/web-worker`... add theirs) and then serves:
 *
 *     import '@pdask/array/web-worker';
 *     import { serveWorker } from '@pdask/core/web-worker';
 *     serveWorker();
 */
import { coreOps } from '../../ops/index';
import { INIT_SLOT } from './web-init';
import type { WorkerInit } from './protocol';

let serving = false;

/**
 * Waits for the pool's start message, then runs the worker (the same runtime as a Node worker
 * thread). Idempotent: every collection's worker module calls it. `catalogues`: operation
 * catalogues the script imported, passed so a bundler keeps them (packages marked free of side
 * effects would otherwise be dropped from a script that imports them only to register them).
 */
export function serveWorker(...catalogues: readonly object[]): void {
  for (const c of [coreOps, ...catalogues]) {
    if (typeof c !== 'object' || c === null) throw new TypeError('serveWorker: pass operation catalogues (e.g. the arrayOps of @pdask/array/ops), or nothing');
  }
  if (serving) return;
  const scope = globalThis as unknown as {
    addEventListener?: (type: 'message', l: (ev: MessageEvent) => void) => void;
    removeEventListener: (type: 'message', l: (ev: MessageEvent) => void) => void;
    WorkerGlobalScope?: abstract new () => unknown;
  };
  if (typeof scope.WorkerGlobalScope !== 'function' || !(globalThis instanceof scope.WorkerGlobalScope) || typeof scope.addEventListener !== 'function') {
    throw new Error('serveWorker() runs inside a Web Worker (the script of the browser threads pool), not in a page or in Node');
  }
  serving = true;
  const onStart = (ev: MessageEvent): void => {
    const d = ev.data as { t?: string; init?: WorkerInit } | null;
    if (!d || d.t !== 'pdask-init' || !d.init) return;
    scope.removeEventListener('message', onStart);
    (globalThis as Record<symbol, WorkerInit | undefined>)[INIT_SLOT] = d.init;
    import('./worker-main').catch((e: unknown) => {
      // Rethrown outside the promise so the pool sees the worker's 'error' event and says why.
      setTimeout(() => {
        throw e;
      });
    });
  };
  scope.addEventListener('message', onStart);
}
