// Messages between the main thread and the workers during one threads compute() of the core-tree
// workload (199,999 tiny delayed tasks): batches sent (and their bytes of numbers, see batch-wire.ts),
// reports back and their tasks.
// node benchmarks/probes/tiny-tree-messages.mjs [runs]
import { closeThreadPools, delayed, sharedThreadsExecutor, ThreadPool } from '@pdask/core';
const runs = Number(process.argv[2] ?? 2);
const LEAVES = 100_000;
function tree(leaves) {
  const inc = (i) => i + 1; const add = (a, b) => a + b;
  let level = []; for (let i = 0; i < leaves; i++) level.push(delayed(inc)(i));
  while (level.length > 1) { const next = []; for (let i = 0; i < level.length; i += 2) next.push(i + 1 < level.length ? delayed(add)(level[i], level[i + 1]) : level[i]); level = next; }
  return level[0];
}
await tree(LEAVES).compute({ scheduler: 'threads' });
const pool = sharedThreadsExecutor().pool;
let batches = 0, batchBytes = 0, reports = 0, reportTasks = 0, releaseOnly = 0;
const send = ThreadPool.prototype.send;
ThreadPool.prototype.send = function (slot, msg) {
  if (msg.t === 'batch') { batches++; batchBytes += msg.run?.num.byteLength ?? 0; if (!msg.run) releaseOnly++; }
  return send.call(this, slot, msg);
};
for (const s of pool.slots.values()) s.worker.on('message', (m) => { if (m.t === 'done') { reports++; reportTasks += m.ok.length / 4; } });
for (let r = 0; r < runs; r++) {
  batches = batchBytes = reports = reportTasks = releaseOnly = 0;
  const t0 = performance.now();
  await tree(LEAVES).compute({ scheduler: 'threads' });
  console.log(`${(performance.now() - t0).toFixed(0)} ms: ${batches} batches (${releaseOnly} with no task; ${(batchBytes / batches / 1024).toFixed(1)} KiB of numbers each), ${reports} reports (${(reportTasks / reports).toFixed(1)} tasks each)`);
}
await closeThreadPools();
