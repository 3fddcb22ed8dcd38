// Posting a batch's embedded blocks to a worker: cloned (8 x 20 KB, one 160 KB) against views on shared memory (core README, seed case on threads).
import { Worker } from 'node:worker_threads';
const w = new Worker(`const { parentPort } = require('node:worker_threads'); parentPort.on('message', (m) => { if (m === 'ping') parentPort.postMessage(1); });`, { eval: true });
const blocks = Array.from({ length: 8 }, () => new Float64Array(2500).fill(1));
const sab = new SharedArrayBuffer(8 * 20000); const sblocks = Array.from({ length: 8 }, (_, i) => new Float64Array(sab, i * 20000, 2500));
const one = new Float64Array(20000);
const cases = { 'tiny': () => [1, 2, 3], '8 x 20KB blocks': () => ({ run: blocks.map((b) => ({ dtype: 'float64', shape: [2500], data: b })) }), 'one 160KB': () => ({ data: one }), '8 x 20KB shared': () => ({ run: sblocks.map((b) => ({ dtype: 'float64', shape: [2500], data: b })) }) };
for (const [label, mk] of Object.entries(cases)) {
  const m = mk();
  for (let i = 0; i < 500; i++) w.postMessage(m);
  await new Promise((r) => { w.once('message', r); w.postMessage('ping'); });
  const t = performance.now();
  for (let i = 0; i < 2000; i++) w.postMessage(m);
  const dt = (performance.now() - t) / 2000 * 1000;
  await new Promise((r) => { w.once('message', r); w.postMessage('ping'); });
  const s = structuredClone; const t2 = performance.now(); for (let i = 0; i < 2000; i++) s(m); const dc = (performance.now() - t2) / 2000 * 1000;
  console.log(label.padEnd(18), 'postMessage (sender) µs', dt.toFixed(1), ' structuredClone µs', dc.toFixed(1));
}
await w.terminate();
