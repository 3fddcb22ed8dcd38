// Round trip to a sleeping worker thread (as a compute() meets it) carrying a tiny message, 8 views
// on shared memory, or 8 x 20 KB cloned blocks, the three interleaved (core README, seed case on threads).
import { Worker } from 'node:worker_threads';
const w = new Worker(`const { parentPort } = require('node:worker_threads'); parentPort.on('message', (m) => parentPort.postMessage(1));`, { eval: true });
const sab = new SharedArrayBuffer(160000);
const views = Array.from({ length: 8 }, (_, i) => new Float64Array(sab, i * 20000, 2500));
const own = Array.from({ length: 8 }, () => new Float64Array(2500));
const cases = [['tiny', [1]], ['8 shared views', views], ['8 x 20KB cloned', own]];
const trips = cases.map(() => []);
for (let i = 0; i < 3000; i++) {
  for (let c = 0; c < cases.length; c++) {
    await new Promise((r) => setTimeout(r, 0)); // let the worker go back to sleep
    const t0 = performance.now();
    const done = new Promise((r) => w.once('message', r));
    w.postMessage(cases[c][1]);
    await done;
    if (i >= 500) trips[c].push((performance.now() - t0) * 1000);
  }
}
for (let c = 0; c < cases.length; c++) {
  const a = trips[c].sort((x, y) => x - y);
  console.log(cases[c][0].padEnd(16), 'round trip µs: median', a[a.length >> 1].toFixed(0), ' first quartile', a[a.length >> 2].toFixed(0));
}
await w.terminate();
