/**
 * Where a browser pool's Web Workers come from (see platform-web.ts): a pool option, or set once
 * for the shared pools with setWorkerSource() (a factory cannot live in the JSON-valued config).
 */
import { checkOptions, type OptionRule } from '../../options/options';
import type { WorkerSource } from './platform';

const isUrl = (v: unknown): boolean => typeof v === 'string' || (typeof URL === 'function' && v instanceof URL);

export const workerSourceRules: { readonly workerUrl: OptionRule; readonly createWorker: OptionRule } = {
  workerUrl: (v) => (isUrl(v) ? undefined : 'a URL (string or URL) of a module worker script'),
  createWorker: 'function',
};

let current: WorkerSource = {};

/**
 * Names the script of the Web Workers that the shared threads pools of this page start: a module
 * worker URL, or a factory returning a module Worker (what bundlers recognise:
 * `() => new Worker(new URL('./worker.js', import.meta.url), { type: 'module' })`). Pools already
 * started keep their workers. Ignored nowhere: on Node, a pool given a source refuses to start.
 */
export function setWorkerSource(source: WorkerSource): void {
  const s = checkOptions('setWorkerSource', source, workerSourceRules);
  if (s.workerUrl !== undefined && s.createWorker !== undefined) {
    throw new TypeError('setWorkerSource: give workerUrl or createWorker, not both');
  }
  current = { ...s };
}

/** The source set by setWorkerSource(), else config 'threads.worker-url'. */
export function workerSource(configUrl: string | null): WorkerSource {
  if (current.workerUrl !== undefined || current.createWorker !== undefined) return current;
  return configUrl ? { workerUrl: configUrl } : {};
}
