/**
 * The entry of a worker process started by a nanny. Options arrive in the environment; the
 * nanny listens on file descriptor 3 for this worker's address, its memory (`rss` lines), whether
 * it retired at the end of its lifetime and, if it dies, for the task it was running (written
 * synchronously at exit, so even process.exit() in a task is attributed).
 */
import { writeSync } from 'node:fs';
import { startRssReporter } from './rss-reporter';
import { Worker, type WorkerOptions } from './worker';

const NANNY_FD = 3;
let worker: Worker | undefined;
let graceful = false;

function tellNanny(line: string): void {
  try {
    writeSync(NANNY_FD, `${line}\n`);
  } catch {
    // no nanny listening (started by hand)
  }
}

process.on('exit', (code) => {
  if (graceful) return;
  tellNanny(`died\t${code}\t${worker?.current ?? ''}\t${worker?.last ?? ''}`);
});
process.on('uncaughtException', (e) => {
  console.error(`pdask-worker: uncaught exception${worker?.current ? ` while running '${worker.current}'` : ''}:`, e);
  process.exit(70);
});
process.on('unhandledRejection', (e) => {
  console.error(`pdask-worker: unhandled rejection${worker?.current ? ` while running '${worker.current}'` : ''}:`, e);
  process.exit(70);
});
for (const sig of ['SIGTERM', 'SIGINT'] as const) {
  process.on(sig, () => {
    graceful = true;
    void (worker?.close(`received ${sig}`) ?? Promise.resolve()).finally(() => process.exit(0));
  });
}

const opts = JSON.parse(process.env.PDASK_WORKER_OPTIONS ?? '{}') as WorkerOptions;
// Only a memory limit needs the nanny to watch this process's size.
if ((opts.memoryLimit ?? 0) > 0) startRssReporter(NANNY_FD, Number(process.env.PDASK_WORKER_RSS_MS ?? 200));
const parent = process.ppid;
// An orphaned worker (its nanny was killed) must not linger.
setInterval(() => {
  if (process.ppid !== parent) {
    graceful = true;
    void (worker?.close('nanny gone') ?? Promise.resolve()).finally(() => process.exit(0));
  }
}, 500).unref();

try {
  const quiet = process.env.PDASK_WORKER_QUIET === '1';
  worker = await Worker.start({ ...opts, log: quiet ? undefined : (l) => console.error(`[worker ${opts.name ?? process.pid}] ${l}`) });
  tellNanny(`address\t${worker.address}`);
  await worker.finished;
  graceful = true;
  if (worker.retired) tellNanny(`retire\t${worker.retired}`);
  process.exit(0);
} catch (e) {
  console.error(`pdask-worker: ${(e as Error).message}`);
  // Restarting cannot help a limit too small for the process itself: the nanny stops instead.
  if ((e as Error).name === 'MemoryLimitError') tellNanny(`refused\t${(e as Error).message}`);
  graceful = true;
  process.exit(1);
}
