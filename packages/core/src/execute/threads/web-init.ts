/** What the page's pool and its Web Workers share at start (see platform-web.ts, web-worker.ts). */

/** The global slot a worker's start message is kept in until the worker runtime reads it. */
export const INIT_SLOT = Symbol.for('pdask.web-worker.init');

/** A browser pool was asked for workers without being told which script they run. */
export class NoWorkerSourceError extends Error {
  override name = 'NoWorkerSourceError';
  constructor() {
    super(
      "The threads scheduler in a browser runs on module Web Workers, and the page must name their script: setWorkerSource({ workerUrl }) or setWorkerSource({ createWorker: () => new Worker(new URL('./pdask-worker.js', import.meta.url), { type: 'module' }) }), or config 'threads.worker-url'. The script imports the catalogues its tasks use (e.g. '@pdask/array/web-worker') and calls serveWorker() from '@pdask/core/web-worker'; or compute with { scheduler: 'sync' }.",
    );
  }
}
