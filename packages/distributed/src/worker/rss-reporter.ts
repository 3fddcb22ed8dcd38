/**
 * Reports this process's resident memory to its nanny, portably (process.memoryUsage.rss works on
 * every platform Node runs on, unlike /proc). From a thread of its own: a task that allocates in a
 * synchronous loop blocks the main thread, and that is exactly when the nanny must still see the
 * memory grow (Dask's nanny measures from outside with psutil for the same reason).
 */
import { Worker as Thread } from 'node:worker_threads';

/** The line format on the nanny channel: `rss\t<bytes>`. */
export const RSS_LINE = 'rss';

const SOURCE = `
const { writeSync } = require('node:fs');
const { workerData } = require('node:worker_threads');
const timer = setInterval(() => {
  try {
    writeSync(workerData.fd, '${RSS_LINE}\\t' + process.memoryUsage.rss() + '\\n');
  } catch {
    clearInterval(timer); // the nanny is gone
  }
}, workerData.everyMs);
`;

/** Starts the reporting thread; it never keeps the process alive. */
export function startRssReporter(fd: number, everyMs: number): Thread {
  const t = new Thread(SOURCE, { eval: true, workerData: { fd, everyMs } });
  t.unref();
  // A failure to report must not take the worker down; the nanny then just sees no reports.
  t.on('error', () => undefined);
  return t;
}
