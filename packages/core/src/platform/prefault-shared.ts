/**
 * Fresh shared memory given its pages by a helper thread while the caller fills it.
 *
 * Why: copying 120 MB into a new SharedArrayBuffer took 53-63 ms where the same copy into memory
 * already touched took 19-24 ms (the lead's session 14 probe, benchmarks/probes/copy-in-parts.mjs):
 * the rest is the kernel mapping and zeroing each new 4 KiB page at its first write, on the thread
 * that writes it. Another thread can take those faults at the same time on the other core: it
 * touches the pages from the end while the caller copies from the start, so the caller finds part
 * of its way already mapped.
 *
 * A page is touched by an atomic add of zero to one of its words: a write (a read would only map
 * the shared zero page and leave the write fault to the caller) that keeps the word's value
 * whichever thread writes it first, so the caller may fill the buffer meanwhile.
 *
 * Node only: one worker_threads Worker, started on first use, holding the process open only while
 * it has pages to touch. Elsewhere nothing is touched and the caller takes its own faults.
 */
import { hasNodeBuiltins, nodeBuiltin } from './node-builtins';

type NodeWorker = import('node:worker_threads').Worker;

/** The helper's code (a script: it runs in a fresh thread with nothing of this module). */
const TOUCHER = `
const { parentPort } = require('node:worker_threads');
parentPort.on('message', ({ id, buffer }) => {
  const words = new Int32Array(buffer, 0, buffer.byteLength >> 2);
  for (let i = (words.length - 1) & ~1023; i >= 0; i -= 1024) Atomics.add(words, i, 0);
  parentPort.postMessage(id);
});`;

let helper: NodeWorker | undefined;
let nextId = 0;
const pending = new Map<number, (touched: boolean) => void>();

function settleAll(touched: boolean): void {
  for (const done of pending.values()) done(touched);
  pending.clear();
}

function startHelper(): NodeWorker {
  const { Worker } = nodeBuiltin<typeof import('node:worker_threads')>('node:worker_threads', 'prefaultShared()');
  const w = new Worker(TOUCHER, { eval: true });
  w.unref();
  w.on('message', (id: number) => {
    pending.get(id)?.(true);
    pending.delete(id);
    if (pending.size === 0) w.unref();
  });
  // A helper that failed only leaves the faults to the caller: the next call starts another.
  const drop = (): void => {
    if (helper === w) helper = undefined;
    settleAll(false);
  };
  w.on('error', drop);
  w.on('exit', drop);
  return w;
}

/**
 * Has the helper thread touch every page of `buffer` (from the end), and resolves with whether it
 * did (false where there is no helper: not Node, or it failed). The caller fills the buffer
 * meanwhile: no byte changes.
 */
export function prefaultShared(buffer: SharedArrayBuffer): Promise<boolean> {
  if (!hasNodeBuiltins()) return Promise.resolve(false);
  helper ??= startHelper();
  if (pending.size === 0) helper.ref();
  const id = nextId++;
  const done = new Promise<boolean>((resolve) => pending.set(id, resolve));
  helper.postMessage({ id, buffer });
  return done;
}
