/**
 * The entry of a worker process started by a nanny. Options arrive in the environment; the
 * nanny listens on file descriptor 3 for this worker's address, its memory (`rss` lines), its
 * event loop's liveness and the task running synchronously (`live` and `timeout` lines, see
 * liveness.ts), whether it retired at the end of its lifetime and, if it dies, for the task whose
 * code killed it (written synchronously at exit, so even process.exit() in a task, or an error
 * thrown by a timer a task left behind, is attributed to that task; see task-context.ts).
 */
import { writeSync } from 'node:fs';
import { startLiveness } from './liveness';
import { removeOrphanedSpace } from './spill-space';
import { startRssReporter } from './rss-reporter';
import { currentTask } from './task-context';
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
  // Only the task whose code is exiting is blamed; the field after it (the last task run) stays
  // empty: a task that returned did not kill this process unless a callback of its own did.
  tellNanny(`died\t${code}\t${currentTask() ?? ''}\t`);
});
const culprit = (): string => {
  const key = currentTask();
  return key ? ` in code started by task '${key}'` : '';
};
process.on('uncaughtException', (e) => {
  console.error(`pdask-worker: uncaught exception${culprit()}:`, e);
  process.exit(70);
});
process.on('unhandledRejection', (e) => {
  console.error(`pdask-worker: unhandled rejection${culprit()}:`, e);
  process.exit(70);
});
for (const sig of ['SIGTERM', 'SIGINT'] as const) {
  process.on(sig, () => {
    graceful = true;
    void (worker?.close(`received ${sig}`) ?? Promise.resolve()).finally(() => process.exit(0));
  });
}

const opts = JSON.parse(process.env.PDASK_WORKER_OPTIONS ?? '{}') as WorkerOptions;
// A LocalCluster's scheduler also listens on a unix socket for the workers of its nannies.
if (process.env.PDASK_SCHEDULER_SOCKET) opts.schedulerSocket = process.env.PDASK_SCHEDULER_SOCKET;
// Only a memory limit needs the nanny to watch this process's size.
if ((opts.memoryLimit ?? 0) > 0) startRssReporter(NANNY_FD, Number(process.env.PDASK_WORKER_RSS_MS ?? 200));
// The nanny asks for liveness reports by giving their period (it kills a worker whose event loop
// stops ticking, e.g. in a task that never returns, and needs the task's key to blame it).
const livenessMs = Number(process.env.PDASK_WORKER_LIVENESS_MS ?? 0);
if (livenessMs > 0) startLiveness(NANNY_FD, livenessMs);
const parent = process.ppid;
// An orphaned worker (its nanny was killed) must not linger: it closes, and the flow below removes
// its directory (the nanny cannot any more) before exiting.
let orphaned = false;
setInterval(() => {
  if (process.ppid === parent || orphaned) return;
  orphaned = true;
  graceful = true;
  if (worker) void worker.close('nanny gone');
  else process.exit(0);
}, 500).unref();

try {
  const quiet = process.env.PDASK_WORKER_QUIET === '1';
  worker = await Worker.start({
    ...opts,
    log: quiet ? undefined : (l) => console.error(`[worker ${opts.name ?? process.pid}] ${l}`),
    onAddress: (address) => tellNanny(`address\t${address}`),
  });
  await worker.finished;
  graceful = true;
  if (orphaned && opts.nanny && opts.localDirectory) await removeOrphanedSpace(opts.localDirectory);
  if (worker.retired) tellNanny(`retire\t${worker.retired}`);
  process.exit(0);
} catch (e) {
  console.error(`pdask-worker: ${(e as Error).message}`);
  // Restarting cannot help a limit too small for the process itself: the nanny stops instead.
  if ((e as Error).name === 'MemoryLimitError') tellNanny(`refused\t${(e as Error).message}`);
  graceful = true;
  process.exit(1);
}
